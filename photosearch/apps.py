from __future__ import annotations

import logging

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


class PhotosearchConfig(AppConfig):
    name = "photosearch"
    verbose_name = _("Photo search")

    def ready(self) -> None:
        from photosearch.ocr import engine_available

        # Asked once at start-up (and kept): without the engine the button is not shown.
        if not engine_available():
            logger.warning(
                "Tesseract was not found (TESSERACT_CMD): the photo search is switched off."
            )
