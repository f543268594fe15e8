from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TroubleshootingConfig(AppConfig):
    name = "troubleshooting"
    verbose_name = _("Troubleshooting")

    def ready(self) -> None:
        from pagecache.version import content_models
        from troubleshooting.models import Article, TerminalMessage, Topic

        content_models(Article, Topic, TerminalMessage)
