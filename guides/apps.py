from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuidesConfig(AppConfig):
    name = "guides"
    verbose_name = _("Guided troubleshooting")

    def ready(self) -> None:
        from guides.models import Guide, GuideChoice, GuideStep
        from pagecache.version import content_models

        content_models(Guide, GuideStep, GuideChoice)
