from __future__ import annotations

import re
import subprocess
import sys

import pytest
from django.conf import settings

from portal.settings import BASE_DIR

pytestmark = pytest.mark.django_db


def test_healthz_answers_200_when_the_database_answers(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


CHECK_WITH_DATABASE_DOWN = """
import django
django.setup()
from django.test import Client
client = Client()
health = client.get("/healthz")
client.cookies["sessionid"] = "a-session-that-needs-the-database"
page = client.get("/admin/")
print(health.status_code, page.status_code, page.headers.get("Retry-After"))
print(page.content.decode())
"""


def test_healthz_and_pages_answer_503_when_the_database_is_unreachable(subprocess_env):
    # Port 9 on loopback has no PostgreSQL: the portal must say so politely, not crash.
    env = subprocess_env(DATABASE_URL="postgres://postgres@127.0.0.1:9/portal")
    env["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    result = subprocess.run(
        [sys.executable, "-c", CHECK_WITH_DATABASE_DOWN],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    status_line, _, page = result.stdout.partition("\n")
    assert status_line == "503 503 30", result.stderr[-2000:]
    assert "The help portal is briefly unavailable" in page
    assert 'class="site-footer"' in page


def test_every_page_sends_a_content_security_policy_without_unsafe_inline(client):
    for url in ["/", "/nl/", "/fr/", "/page-that-does-not-exist/", "/admin/login/"]:
        policy = client.get(url).headers["Content-Security-Policy"]

        assert "default-src 'self'" in policy
        assert "script-src 'self'" in policy
        assert "unsafe-inline" not in policy
        assert "frame-ancestors 'none'" in policy


def test_pages_carry_no_inline_script_or_style(client):
    html = client.get("/").content.decode()

    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert "<style" not in html
    assert " style=" not in html
    assert "https://" not in re.sub(r'href="mailto:[^"]*"', "", html), "no CDN or remote asset"


def test_security_headers_are_sent(client):
    response = client.get("/")

    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_a_form_post_without_csrf_token_is_refused():
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(
        "/admin/login/", {"username": "admin", "password": "guess"}
    )

    assert response.status_code == 403


def test_htmx_is_served_from_our_own_static_files(client):
    html = client.get("/").content.decode()

    assert re.search(r'<script src="/static/django_htmx/htmx-2\.min\.js"', html)


def test_htmx_requests_that_change_something_carry_the_csrf_token(client):
    # Pages without a form hold no token, so a CDN may cache them; the token reaches
    # htmx requests from the form itself and, as a header, from the CSRF cookie.
    home = client.get("/").content.decode()
    form_page = client.get("/returns/new/")
    script = (settings.BASE_DIR / "static" / "js" / "csrf.js").read_text()

    assert '<script src="/static/js/csrf.js" defer></script>' in home
    assert "csrfmiddlewaretoken" not in home
    assert 'name="csrfmiddlewaretoken"' in form_page.content.decode()
    assert "csrftoken" in form_page.cookies
    assert 'event.detail.verb === "get"' in script
    assert 'headers["X-CSRFToken"]' in script


@pytest.mark.parametrize(
    ("url", "language", "heading"),
    [
        ("/", "en", "How can we help with your terminal?"),
        ("/nl/", "nl", "Hoe kunnen we u helpen met uw terminal?"),
        ("/fr/", "fr", "Comment pouvons-nous vous aider avec votre terminal ?"),
    ],
)
def test_each_language_has_its_own_prefix(client, url, language, heading):
    response = client.get(url)

    assert response.status_code == 200
    assert response.headers["Content-Language"] == language
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert heading in html


def test_language_switcher_keeps_the_current_page(client):
    html = client.get("/nl/").content.decode()

    # A short code on screen, the language's own name for screen readers.
    assert '<a href="/" hreflang="en" lang="en">' in html and ">English</span>" in html
    assert '<a href="/fr/" hreflang="fr" lang="fr">' in html and ">Français</span>" in html
    assert 'hreflang="nl" lang="nl" aria-current="true">' in html and ">Nederlands</span>" in html


def test_the_404_page_is_in_the_site_layout_and_language(client):
    response = client.get("/fr/cette-page-n-existe-pas/")

    assert response.status_code == 404
    html = response.content.decode()
    assert 'class="site-header"' in html
    assert 'class="site-footer"' in html
    assert "Nous ne trouvons pas cette page" in html


def test_footer_names_the_countries_and_the_contacts(client, settings):
    html = client.get("/").content.decode()

    assert "Netherlands and Belgium" in html
    assert f"mailto:{settings.SUPPORT_EMAIL}" in html
    assert f"mailto:{settings.SALES_EMAIL}" in html
