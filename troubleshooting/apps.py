from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import post_delete
from django.utils.translation import gettext_lazy as _


class TroubleshootingConfig(AppConfig):
    name = "troubleshooting"
    verbose_name = _("Troubleshooting")

    def ready(self) -> None:
        from pagecache.version import content_models
        from troubleshooting.models import Article, TerminalMessage, Topic

        content_models(Article, Topic, TerminalMessage)
        post_delete.connect(_unindex, sender=Article, dispatch_uid="troubleshooting-fts-delete")


def _unindex(instance: object, **kwargs: object) -> None:
    from troubleshooting import fts

    if fts.available():
        fts.article_fts_delete(article_id=instance.pk)
