from __future__ import annotations

from django.apps import AppConfig


class GuardConfig(AppConfig):
    name = "guard"
    # Not translated: an app without models is never named to anyone.
    verbose_name = "Guard"
