"""Screenshots of the main page types for docs/screenshots/, taken by `make screenshots`.

Skipped in the normal test run: the pictures are for people judging the design, and they
change with every content edit.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser.conftest import PHONE

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(os.environ.get("SCREENSHOTS") != "1", reason="run with `make screenshots`"),
]

OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PAGES = {
    "home": "/",
    "article": "/articles/internet-connection/",
    "guide-step": "/guides/no-connection/",
    "return-form": "/returns/new/",
}
DEVICES = {"phone": PHONE, "desktop": {"viewport": {"width": 1280, "height": 900}}}


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("name", PAGES)
def test_screenshot(portal, pages, name, device):
    page = pages.open(**DEVICES[device])
    page.goto(portal + PAGES[name])
    page.wait_for_load_state("networkidle")
    OUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=OUT / f"{name}-{device}.png")
