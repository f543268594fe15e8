"""The content version every cached page is keyed by: what changes it, and what must not."""

from __future__ import annotations

import time

import django
import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.test import Client

from pagecache import version
from pagecache.version import (
    VERSION_KEY,
    content_changed,
    content_models,
    content_version,
    kept_for_version,
    release_fingerprint,
)
from tests.troubleshooting.factories import ArticleFactory, TopicFactory
from troubleshooting.models import ArticleFeedback, ZeroResultSearch

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _release_read_again_afterwards(monkeypatch):
    # The tests below start "new processes"; the next test module starts from the real release.
    monkeypatch.setattr(version, "_release", (0.0, ""))


@pytest.fixture
def release_files(settings, tmp_path):
    """A catalogue and a template folder of the release, in a temporary folder."""
    catalogue = tmp_path / "locale" / "nl" / "LC_MESSAGES" / "django.mo"
    catalogue.parent.mkdir(parents=True)
    catalogue.write_bytes(b"first translation")
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "page.html").write_text("first template")
    (templates / "mail.txt").write_text("first mail")
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "staticfiles.json").write_text('{"first": "site.1.css"}')
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    settings.TEMPLATES = [settings.TEMPLATES[0] | {"DIRS": [templates]}]
    settings.STATIC_ROOT = tmp_path / "static"
    return {
        "catalogue": catalogue,
        "template": templates / "page.html",
        "mail template": templates / "mail.txt",
        "static files": tmp_path / "static" / "staticfiles.json",
    }


def new_process() -> str:
    """The release as a freshly started web process reads it."""
    version._release = (0.0, "")
    return release_fingerprint()


def test_processes_started_from_the_same_release_agree_on_its_fingerprint(release_files):
    assert new_process() == new_process()


@pytest.mark.parametrize("changed", ["catalogue", "template", "mail template", "static files"])
def test_a_release_with_other_translations_templates_or_styles_leaves_stored_pages_behind(
    settings, release_files, changed
):
    settings.DEBUG = False
    before = new_process()

    # The same size: the contents say it changed.
    path = release_files[changed]
    text = path.read_bytes()
    path.write_bytes(text.replace(b"first", b"other"))

    assert new_process() != before


@pytest.mark.parametrize(
    "changed", ["templates/troubleshooting/page.html", "locale/nl/LC_MESSAGES/django.mo"]
)
def test_an_apps_own_templates_and_translations_are_part_of_the_release(
    settings, release_files, tmp_path, changed
):
    settings.DEBUG = False
    # One of the portal's apps, with its own folders, in a temporary place.
    app = tmp_path / "app"
    owned = app / changed
    owned.parent.mkdir(parents=True)
    owned.write_bytes(b"first text")
    settings.BASE_DIR = tmp_path
    pagecache_app = apps.get_app_config("pagecache")
    real_path, pagecache_app.path = pagecache_app.path, str(app)
    try:
        before = new_process()
        owned.write_bytes(b"other text")
        after = new_process()
    finally:
        pagecache_app.path = real_path

    assert after != before


def test_a_django_upgrade_leaves_stored_pages_behind(settings, release_files, monkeypatch):
    # Django's own templates and translations (forms, admin) come with its version.
    settings.DEBUG = False
    before = new_process()

    monkeypatch.setattr(django, "get_version", lambda: "99.0")

    assert new_process() != before


def test_a_web_process_reads_the_release_once_not_on_every_request(settings, release_files):
    settings.DEBUG = False
    before = new_process()

    release_files["catalogue"].write_bytes(b"a deploy in progress")

    assert release_fingerprint() == before


def test_in_development_an_edited_template_shows_a_second_later(settings, release_files):
    settings.DEBUG = True
    before = new_process()
    release_files["template"].write_text("an edit in the editor")

    assert release_fingerprint() == before  # within the second: not read again
    version._release = (time.monotonic() - 2, version._release[1])
    assert release_fingerprint() != before


@pytest.mark.parametrize("name", ["SUPPORT_EMAIL", "SALES_EMAIL", "STATIC_URL"])
def test_an_address_shown_on_every_page_is_part_of_the_release(settings, name):
    before = release_fingerprint()

    setattr(settings, name, "changed@pos-help.localhost")

    assert release_fingerprint() != before


def test_an_emptied_cache_starts_one_version_that_every_process_then_shares():
    cache.delete(VERSION_KEY)

    first = content_version()

    assert cache.get(VERSION_KEY) is not None
    assert content_version() == first
    assert content_version(cache.get(VERSION_KEY)) == first


def test_a_change_gives_a_new_version_at_once_and_again_after_its_commit(
    django_capture_on_commit_callbacks,
):
    before = content_version()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        content_changed()
        inside = content_version()
    after = content_version()

    assert len({before, inside, after}) == 3


def test_a_deleted_article_or_topic_is_gone_on_the_very_next_request():
    topic = TopicFactory(slug="gone-topic")
    article = ArticleFactory(slug="gone", topic=topic)
    assert Client().get("/articles/gone/").status_code == 200
    assert Client().get("/topics/gone-topic/").status_code == 200

    article.delete()
    assert Client().get("/articles/gone/").status_code == 404
    topic.delete()
    assert Client().get("/topics/gone-topic/").status_code == 404


def test_search_results_follow_an_edit_on_the_very_next_search():
    # The page, the search results and the guides of one request read the version once; the
    # next request reads it again.
    article = ArticleFactory(slug="router-help", title="Router lights")
    assert "Router lights" in Client().get("/search/", {"q": "router"}).content.decode()

    article.title = "Router lamps"
    article.save()

    html = Client().get("/search/", {"q": "router"}).content.decode()
    assert "Router lamps" in html
    assert "Router lights" not in html


def test_an_edit_made_while_a_page_is_rendered_is_seen_by_the_rest_of_that_request():
    token = version.rendering_version.set("read-at-the-start")
    try:
        assert content_version() == "read-at-the-start"
        content_changed()
        assert content_version() != "read-at-the-start"
    finally:
        version.rendering_version.reset(token)


@pytest.mark.parametrize("start", ["an edit", "an emptied cache"])
def test_a_stored_page_is_still_answered_hours_later_when_nothing_changed(monkeypatch, start):
    ArticleFactory(slug="kept")
    if start == "an emptied cache":
        cache.clear()  # a restarted cache server: the next request starts a version
    assert Client().get("/articles/kept/")["X-Page-Cache"] == "miss"

    later = time.time() + 6 * 3600
    monkeypatch.setattr(time, "time", lambda: later)

    assert Client().get("/articles/kept/")["X-Page-Cache"] == "hit"


@pytest.fixture
def searches_as_content():
    """An app declaring one more model as content (as guides and troubleshooting do)."""
    content_models(ZeroResultSearch)
    yield
    label = ZeroResultSearch._meta.label
    post_save.disconnect(sender=ZeroResultSearch, dispatch_uid=f"pagecache-save-{label}")
    post_delete.disconnect(sender=ZeroResultSearch, dispatch_uid=f"pagecache-delete-{label}")


def test_saving_or_deleting_a_model_declared_as_content_leaves_stored_pages_behind(
    searches_as_content,
):
    article = ArticleFactory()
    before = content_version()

    # Only what was declared: a merchant's vote must not throw every stored page away.
    vote = ArticleFeedback.objects.create(article=article, language="en", voter="a", helpful=True)
    vote.delete()
    assert content_version() == before

    search = ZeroResultSearch.objects.create(language="en", query="qwerty")
    saved = content_version()
    search.delete()
    deleted = content_version()

    assert len({before, saved, deleted}) == 3


def test_what_a_process_works_out_from_the_content_is_made_again_after_a_change(db):
    made = []

    def index() -> list[int]:
        made.append(1)
        return [len(made)]

    first, again = kept_for_version("index", index), kept_for_version("index", index)
    content_changed()
    after_change = kept_for_version("index", index)

    assert (first, again, after_change) == ([1], [1], [2])
    assert kept_for_version("other", lambda: "other") == "other"
    assert kept_for_version("index", index) == [2]


def test_a_template_engine_without_folders_of_its_own_is_no_trouble(settings):
    # DIRS is optional in Django's settings: an engine without it adds no files of its own.
    settings.TEMPLATES = [
        {key: value for key, value in engine.items() if key != "DIRS"}
        for engine in settings.TEMPLATES
    ]

    assert new_process() == new_process()
