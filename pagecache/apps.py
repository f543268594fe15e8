from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PageCacheConfig(AppConfig):
    name = "pagecache"
    verbose_name = _("Shared page cache")
