"""The content version: one token, in the shared cache, that every cached page is keyed by.

Content apps call ``content_changed()`` whenever merchants would see something different
(an article, topic, terminal message or guide saved, imported or deleted). It takes a new
token once the change is committed, so every process's next request misses the cache and
renders the new content; nothing waits for an expiry, and nothing has to be deleted.

The release part covers what changes only with a deploy or a restart: the compiled
translations, the templates, the static files' manifest and the settings shown on pages.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Callable
from contextvars import ContextVar
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import post_delete, post_save

from pagecache.watch import VersionWatch, publish

VERSION_KEY = "content-version"
# How often a development server looks at the templates' and catalogues' dates again.
DEBUG_RECHECK_SECONDS = 1.0

_release: tuple[float, str] = (0.0, "")
# The version a page being rendered was read at (set by the page cache for that request): the
# search, the guides and the page itself agree on it with one trip to the cache, not five.
rendering_version: ContextVar[str | None] = ContextVar("rendering_version", default=None)
# This process's copy of the stored version, kept until Redis announces a change (watch.py).
watch = VersionWatch(VERSION_KEY)
# What this process worked out from one content version (see kept_for_version).
_kept: dict[str, object] = {}


def content_changed() -> None:
    """New content: every page cached so far is left behind, in every process.

    A new version at once, so this process's next page shows the change even inside the
    transaction, and another after the commit: a page another process rendered from the old
    rows in between is left behind too.
    """
    rendering_version.set(None)
    _new_version()
    transaction.on_commit(_new_version)


def _new_version() -> None:
    version = secrets.token_hex(8)
    cache.set(VERSION_KEY, version, None)
    # Stored first: a process told of the change reads the new version.
    publish(VERSION_KEY, version)


def content_version(stored: str | None = None) -> str:
    """The current content version, with the release it was rendered by.

    ``stored``: the value of ``VERSION_KEY`` when the caller read it already, together with
    something else in one trip to the cache (the page cache does).
    """
    if stored is None and (known := rendering_version.get()) is not None:
        return known
    version = stored or watch.stored_version() or cache.get(VERSION_KEY)
    if version is None:
        # The cache was emptied (or never used): start a version every process agrees on.
        cache.add(VERSION_KEY, secrets.token_hex(8), None)
        version = cache.get(VERSION_KEY, "unversioned")
    return f"{version}.{release_fingerprint()}"


def kept_for_version[Kept](key: str, make: Callable[[], Kept]) -> Kept:
    """What ``make()`` returns, kept in this process until the content version changes.

    For what many pages ask for and every process works out alike from the content (the
    guides' index, search's terminal messages and vocabulary): no trip to the shared cache
    for it, and a change, announced by any process, makes it again on the next call.
    """
    version = content_version()
    if _kept.get("version") != version:
        _kept.clear()
        _kept["version"] = version
    if key not in _kept:
        _kept[key] = make()
    return _kept[key]


def release_fingerprint() -> str:
    global _release
    checked, fingerprint = _release
    now = time.monotonic()
    if not fingerprint or (settings.DEBUG and now - checked > DEBUG_RECHECK_SECONDS):
        fingerprint = _fingerprint_of_files()
        _release = (now, fingerprint)
    shown = f"{settings.SUPPORT_EMAIL}|{settings.SALES_EMAIL}|{settings.STATIC_URL}"
    return hashlib.blake2b(f"{fingerprint}|{shown}".encode(), digest_size=6).hexdigest()


def _release_files() -> list[Path]:
    folders = [Path(folder) for folder in settings.LOCALE_PATHS]
    for config in apps.get_app_configs():
        # The portal's own apps; Django's own files change only with its version.
        if Path(config.path).is_relative_to(settings.BASE_DIR):
            folders += [Path(config.path) / "locale", Path(config.path) / "templates"]
    for engine in settings.TEMPLATES:
        folders += [Path(folder) for folder in engine.get("DIRS", [])]
    files = [path for folder in folders if folder.is_dir() for path in folder.rglob("*.*")]
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    return [*files, manifest] if manifest.exists() else files


def _fingerprint_of_files() -> str:
    # Contents, not dates, once per process: web processes on other machines built from the
    # same release agree. A development server, which looks again every second, reads dates.
    digest = hashlib.blake2b(django.get_version().encode(), digest_size=8)
    for path in sorted(_release_files()):
        if path.suffix in {".mo", ".html", ".txt", ".json"}:
            if settings.DEBUG:
                stat = path.stat()
                digest.update(f"{path}:{stat.st_mtime_ns}:{stat.st_size}".encode())
            else:
                digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def content_models(*models: type[Model]) -> None:
    """Saving or deleting one of these changes what merchants see (called from apps' ready)."""
    for model in models:
        label = model._meta.label
        post_save.connect(_changed, sender=model, dispatch_uid=f"pagecache-save-{label}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"pagecache-delete-{label}")


def _changed(**kwargs: object) -> None:
    content_changed()
