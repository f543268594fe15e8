"""What the load generator cannot see: SQL queries per request, and the URLs to load.

Run by bench/run.py in the benchmark's environment (same database, same settings) and
prints one JSON object. Each page is requested twice and the second count is kept, as a
warm server answers it.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.data import RETURN  # noqa: E402
from troubleshooting.models import Article  # noqa: E402

GUIDE = "/guides/no-connection/"


def paths() -> dict[str, str]:
    article = (
        Article.objects.filter(language="en", hidden=False, slug__contains="tamper").first()
        or Article.objects.filter(language="en", hidden=False).order_by("order").first()
    )
    start = Client().get(GUIDE).content.decode()
    step = re.search(r'hx-post="(/guides/no-connection/[\w-]+/)"', start)
    next_step = ""
    if step:
        answer = Client().post(
            step.group(1),
            dict(re.findall(r'name="(run|choice)" value="([^"]*)"', start)),
        )
        next_step = answer.get("Location", "")
    topic = article.topic if article and article.topic else None
    return {
        "topic": topic.get_absolute_url() if topic else "/",
        "article": article.get_absolute_url() if article else "",
        "guide_step": next_step.split("?")[0] or GUIDE,
    }


def queries(client: Client, path: str, **headers: str) -> int:
    client.get(path, headers=headers)
    with CaptureQueriesContext(connection) as captured:
        client.get(path, headers=headers)
    return len(captured.captured_queries)


STAMPS = Path(__file__).resolve().parents[1] / "var" / "bench" / "stamps.lua"


def write_form_stamps(count: int = 40_000) -> None:
    """Each submission the load generator sends needs a key and a stamp signed for that key."""
    from guard.forms import form_stamp

    started = time.time() - 60
    pairs = []
    for _ in range(count):
        key = str(uuid.uuid4())
        pairs.append(f'{{"{key}","{form_stamp(key=key, now=started)}"}}')
    STAMPS.write_text("STAMPS = {" + ",\n".join(pairs) + "}\n")


def main() -> None:
    write_form_stamps()
    found = paths()
    anonymous = Client()
    staff = Client()
    staff.force_login(get_user_model().objects.get(username="bench"))
    counts = {
        "floor": queries(anonymous, "/bench/floor"),
        "home": queries(anonymous, "/"),
        "article": queries(anonymous, found["article"]),
        "topic": queries(anonymous, found["topic"]),
        "guide step": queries(anonymous, found["guide_step"]),
        "guide step (htmx)": queries(anonymous, found["guide_step"], hx_request="true"),
        "search (mix)": queries(anonymous, "/search/?q=card+declined"),
        "admin return list": queries(staff, "/admin/returns/return/"),
    }
    form = anonymous.get("/returns/new/").content.decode()
    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))
    with CaptureQueriesContext(connection) as captured:
        anonymous.post("/returns/new/", hidden | RETURN | {"serial_number": "P2PROBE0001"})
    counts["return form submission"] = len(captured.captured_queries)
    print(
        json.dumps(
            {
                "paths": found,
                "queries": counts,
                "session_cookie": staff.cookies["sessionid"].value,
                "form_started": hidden.get("started", ""),
            }
        )
    )


if __name__ == "__main__":
    main()
