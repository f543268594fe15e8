"""What search engines and browsers ask for: sitemap.xml, robots.txt, the favicon, hreflang."""

from __future__ import annotations

import re

import pytest
from django.utils import translation
from django.utils.formats import date_format

pytestmark = pytest.mark.django_db


def test_sitemap_lists_every_article_and_guide_with_its_translations(client, bundled_content):
    from guides.loader import guide_load_file
    from portal.settings import BASE_DIR

    guide_load_file(path=BASE_DIR / "content" / "guides" / "no-connection.yaml")
    xml = client.get("/sitemap.xml").content.decode()

    for slug in ["tampering-alarm", "declined-payment", "send-back-terminal"]:
        for prefix in ["", "/nl", "/fr"]:
            assert f"<loc>http://testserver{prefix}/articles/{slug}/</loc>" in xml
    assert "<loc>http://testserver/fr/guides/no-connection/</loc>" in xml
    article = re.search(
        r"<url><loc>http://testserver/nl/articles/tampering-alarm/</loc>.*?</url>", xml
    )
    alternates = dict(re.findall(r'hreflang="([\w-]+)" href="([^"]+)"', article.group(0)))
    assert alternates == {
        "en": "http://testserver/articles/tampering-alarm/",
        "nl": "http://testserver/nl/articles/tampering-alarm/",
        "fr": "http://testserver/fr/articles/tampering-alarm/",
        "x-default": "http://testserver/articles/tampering-alarm/",
    }


def test_an_untranslated_article_is_in_the_sitemap_in_english_only(client, db):
    from tests.troubleshooting.factories import ArticleFactory

    ArticleFactory(slug="only-english", language="en")
    xml = client.get("/sitemap.xml").content.decode()

    assert "/articles/only-english/" in xml
    assert "/nl/articles/only-english/" not in xml


def test_robots_txt_points_at_the_sitemap_and_keeps_forms_out(client):
    robots = client.get("/robots.txt")

    assert robots["Content-Type"].startswith("text/plain")
    text = robots.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    for private in ["/admin/", "/returns/", "/nl/support/", "/fr/search/"]:
        assert f"Disallow: {private}\n" in text
    assert "Disallow: /articles/" not in text


def test_favicon_ico_leads_to_the_icon(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"].endswith("favicon.svg")


def test_pages_name_their_translations_with_hreflang(client, bundled_content):
    html = client.get("/nl/articles/tampering-alarm/").content.decode()

    for code, url in [("en", "/articles/"), ("nl", "/nl/articles/"), ("fr", "/fr/articles/")]:
        assert f'<link rel="alternate" hreflang="{code}" href="{url}tampering-alarm/">' in html


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "5 March 2025"), ("nl", "5 maart 2025"), ("fr", "5 mars 2025")],
)
def test_dates_are_written_day_first_in_every_language(language, expected):
    from datetime import date

    with translation.override(language):
        assert date_format(date(2025, 3, 5), "DATE_FORMAT") == expected
