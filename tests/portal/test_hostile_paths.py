"""Addresses a stranger crafts never lead the portal's own links off-site."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["//evil.example/", "///evil.example/x", "/nl//evil.example/"])
def test_language_links_of_a_not_found_page_stay_on_the_portal(client, path):
    # Sent as it is on the wire: the test client would read "//host/" as a host.
    page = client.get("/", PATH_INFO=path)

    assert page.status_code == 404
    links = re.findall(r'(?:href|hreflang="\w+" href)="([^"]*)"', page.text)
    assert links
    assert not [link for link in links if urlsplit(link).netloc or link.startswith("//")]
