from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PhotosearchConfig(AppConfig):
    name = "photosearch"
    verbose_name = _("Photo search")
