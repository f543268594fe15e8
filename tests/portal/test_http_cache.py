"""Anonymous pages can be revalidated cheaply and cached by a CDN; personal ones cannot."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_home_page_is_cacheable_by_a_cdn_and_revalidates_with_304(client):
    first = client.get("/")

    assert first.status_code == 200
    assert first["ETag"].startswith('W/"')
    assert first.has_header("Last-Modified")
    assert "public" in first["Cache-Control"]
    assert "s-maxage=" in first["Cache-Control"]
    assert not first.cookies, "a page a CDN shares must not set anyone's cookie"

    again = client.get("/", headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]

    by_date = client.get("/", headers={"if-modified-since": first["Last-Modified"]})
    assert by_date.status_code == 304


def test_each_language_has_its_own_validator(client):
    english = client.get("/")
    dutch = client.get("/nl/", headers={"if-none-match": english["ETag"]})

    assert dutch.status_code == 200
    assert dutch["ETag"] != english["ETag"]


@pytest.mark.urls("tests.portal.urls_forms")
def test_page_with_a_form_stays_in_the_visitors_own_browser_but_still_revalidates(client):
    first = client.get("/with-form/")

    assert first["Cache-Control"] == "private, no-cache"
    assert "csrftoken" in first.cookies
    # The token is masked afresh on every answer; the page is the same page all the same.
    again = client.get("/with-form/", headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304


def test_signed_in_staff_and_the_admin_are_never_cached(admin_client):
    assert "ETag" not in admin_client.get("/")
    login = admin_client.get("/admin/")
    assert "public" not in login.get("Cache-Control", "")


def test_a_changed_page_gets_a_new_validator(client, settings):
    first = client.get("/")
    settings.SUPPORT_EMAIL = "new-support-address@example.nl"

    changed = client.get("/", headers={"if-none-match": first["ETag"]})

    assert changed.status_code == 200
    assert b"new-support-address@example.nl" in changed.content


def test_html_is_sent_compressed(client):
    response = client.get("/", headers={"accept-encoding": "gzip"})

    assert response["Content-Encoding"] == "gzip"
