"""What a new visitor downloads for each merchant page stays under 30 KB, compressed.

The HTML as the portal sends it (gzip), plus every stylesheet, script, icon sprite and image
the page asks for from our own static files, compressed as WhiteNoise serves them.
`make bench` measures the same against the production stack.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db
BUDGET = 30 * 1024
ASSET_RE = re.compile(r'(?:href|src)="(/static/[^"#]+)(?:#[^"]*)?"')
PAGES = [
    "/",
    "/nl/topics/connection/",
    "/articles/internet-connection/",
    "/fr/articles/tampering-alarm/",
    "/search/?q=card+declined",
    "/search/?q=qwxzv",
    "/guides/",
    "/nl/guides/no-connection/",
    "/support/new/",
    "/fr/returns/new/",
]


def first_visit_bytes(client, path: str) -> tuple[int, dict[str, int]]:
    response = client.get(path, headers={"accept-encoding": "gzip"})
    assert response.status_code == 200, path
    body = response.content
    html = gzip.decompress(body) if response.get("Content-Encoding") == "gzip" else body
    assets = {}
    for url in sorted(set(ASSET_RE.findall(html.decode()))):
        found = finders.find(url.removeprefix("/static/"))
        assert found, url
        assets[url] = len(gzip.compress(Path(found).read_bytes(), compresslevel=9))
    return len(body), assets


@pytest.mark.parametrize("path", PAGES)
def test_a_first_visit_is_under_30_kb_compressed(client, bundled_content, load_guides, path):
    html, assets = first_visit_bytes(client, path)
    total = html + sum(assets.values())
    assert total < BUDGET, f"{path}: {total / 1024:.1f} KB (HTML {html / 1024:.1f} KB, {assets})"
    assert "/static/img/icons.svg" in assets, "the icon sprite is counted too"


@pytest.fixture
def load_guides(db):
    from guides.loader import guide_load_file
    from portal.settings import BASE_DIR

    for path in sorted((BASE_DIR / "content" / "guides").glob("*.yaml")):
        guide_load_file(path=path)
