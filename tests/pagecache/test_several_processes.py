"""The shared cache as deployed: Redis, and gunicorn with several worker processes.

Every worker answers from the one stored copy, and a change made anywhere (here: this test
process, like an editor's admin request or an import on another machine) is seen by every
worker on the very next request.
"""

from __future__ import annotations

import http.client
import io
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from django.core.management import call_command

from guides.loader import guide_load_file
from portal.settings import BASE_DIR
from tests.conftest import free_port
from troubleshooting import services
from troubleshooting.models import Article

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

# A database number of its own on the machine's Redis, and a prefix of its own per test.
REDIS_URL = "redis://127.0.0.1:6379/5"
WORKERS = 3
GUIDE_FILE = BASE_DIR / "content" / "guides" / "no-connection.yaml"


def get(port: int, path: str) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def wait_until_up(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            if get(port, "/healthz")[0] == 200:
                return
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise AssertionError("gunicorn did not start")
        time.sleep(0.2)


@pytest.fixture
def shared_cache(settings) -> Iterator[str]:
    """This process and the servers use one Redis cache, apart from every other test's."""
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.ConnectionError:
        pytest.fail(f"Redis is not running at {REDIS_URL}: start it (see .ci/run)")
    prefix = f"test-{uuid.uuid4().hex[:12]}"
    backend = {
        "BACKEND": "portal.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": prefix,
    }
    settings.CACHES = settings.CACHES | {"default": backend}
    yield f"{REDIS_URL}?key_prefix={prefix}"
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


@pytest.fixture
def portal(subprocess_env, shared_cache, tmp_path: Path) -> Iterator[int]:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "portal.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", str(WORKERS), "--access-logfile", "/dev/null"],
        cwd=BASE_DIR,
        env=subprocess_env(CACHE_URL=shared_cache),
        stderr=(tmp_path / "gunicorn.log").open("w"),
    )  # fmt: skip
    try:
        wait_until_up(port, server)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


def pages(port: int, path: str, count: int = 3 * WORKERS) -> list[tuple[int, dict, bytes]]:
    return [get(port, path) for _ in range(count)]


def test_every_worker_serves_the_one_stored_copy(portal):
    services.article_upsert(language="en", slug="shared", title="One copy", source="Text.")

    answers = pages(portal, "/articles/shared/")

    assert {body for _status, _headers, body in answers} == {answers[0][2]}
    assert [headers["X-Page-Cache"] for _s, headers, _b in answers][1:] == ["hit"] * (
        len(answers) - 1
    )
    assert all("Set-Cookie" not in headers for _s, headers, _b in answers)


def test_an_edit_is_seen_by_every_worker_on_the_very_next_request(portal):
    services.article_upsert(language="en", slug="edited", title="Before", source="Text.")
    assert all(b"Before" in body for _s, _h, body in pages(portal, "/articles/edited/"))

    article = Article.objects.get(slug="edited")
    article.title = "After"
    services.article_save(article=article)

    after = pages(portal, "/articles/edited/")
    assert all(b"After" in body and b"Before" not in body for _s, _h, body in after)


def test_a_reimport_and_a_guide_reload_are_seen_at_once(portal, tmp_path):
    page = tmp_path / "articles" / "reimported.md"
    page.parent.mkdir()
    page.write_text("---\ntitle: First import\nslug: reimported\n---\n\nText.\n")
    call_command("import_readme", str(page.parent), stdout=io.StringIO())
    guide_load_file(path=Path(GUIDE_FILE))
    assert all(b"First import" in body for _s, _h, body in pages(portal, "/articles/reimported/"))
    step = "/guides/no-connection/icon/"
    assert all(b"What colour is the internet icon" in body for _s, _h, body in pages(portal, step))

    page.write_text("---\ntitle: Second import\nslug: reimported\n---\n\nText.\n")
    call_command("import_readme", str(page.parent), stdout=io.StringIO())
    changed = tmp_path / "no-connection.yaml"
    changed.write_text(
        GUIDE_FILE.read_text().replace(
            "What colour is the internet icon", "Which colour is the icon"
        )
    )
    guide_load_file(path=changed)

    assert all(b"Second import" in body for _s, _h, body in pages(portal, "/articles/reimported/"))
    assert all(b"Which colour is the icon" in body for _s, _h, body in pages(portal, step))
