"""Reading the words on a photo of the terminal's screen, on this machine (Tesseract).

The photo is opened by the same decoder as support attachments (content, not the browser's
word; size and decompression-bomb limits), turned upright by its EXIF, then only its pixels
go on: scaled down, flattened against glare, contrast stretched, written afresh as a PNG that
Tesseract reads (pytesseract hands it over in a temporary file that it deletes at once).
Nothing is kept: the upload itself lives in memory for the length of the request.
"""

from __future__ import annotations

import functools
import logging
import os
import subprocess

import pytesseract
from django.conf import settings
from django.core.files import File
from PIL import Image, ImageChops, ImageFilter, ImageOps

from support.attachments import opened_image

logger = logging.getLogger(__name__)

# Tesseract reads screen text best at 20-40 px letter height; a phone photo of a terminal
# scaled to this longest side gives that, and takes a fraction of the full photo's time.
READ_SIDE = 1200
# Wider than a letter's stroke, narrower than a lamp's reflection (in pixels at READ_SIDE).
BACKGROUND_RADIUS = 24
# Sparse text: the message, a title, an OK button, wherever they stand in the photo.
TESSERACT_CONFIG = "--psm 11 --oem 1"
TESSERACT_TIMEOUT_SECONDS = 10
TESSERACT_LANGUAGES = {"en": "eng", "nl": "eng+nld", "fr": "eng+fra"}
# One thread per recognition: parallel requests use the cores better than OpenMP does.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")


class UnreadablePhoto(Exception):
    """The upload is no photo we can open (not an image, damaged, or a decompression bomb)."""


class EngineUnavailable(Exception):
    """Tesseract is missing or failed."""


@functools.cache
def _engine_languages(command: str) -> frozenset[str]:
    try:
        found = subprocess.run(
            [command, "--list-langs"], capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.SubprocessError):
        found = None
    languages = frozenset(
        line.strip() for line in (found.stdout if found else "").splitlines()[1:] if line.strip()
    )
    # Asked when a page first shows the button, not at start-up (every command and worker
    # would run Tesseract); kept, so this is said once per process.
    if "eng" not in languages:
        logger.warning("Tesseract was not found (TESSERACT_CMD): the photo search is switched off.")
    return languages


def engine_available() -> bool:
    """Whether Tesseract with its English data runs here (asked once per configured command)."""
    return "eng" in _engine_languages(settings.TESSERACT_CMD)


def _languages(language: str) -> str:
    wanted = TESSERACT_LANGUAGES.get(language, "eng")
    known = _engine_languages(settings.TESSERACT_CMD)
    return "+".join(code for code in wanted.split("+") if code in known) or "eng"


def prepared(upload: File) -> Image.Image:
    """The photo as Tesseract reads it: upright, grey, scaled down, even and black on white.

    Raises UnreadablePhoto when the upload is no photo the attachment decoder accepts.
    """
    image = opened_image(upload, draft_side=READ_SIDE)
    if image is None:
        raise UnreadablePhoto
    image = ImageOps.exif_transpose(image).convert("L")
    image.thumbnail((READ_SIDE, READ_SIDE), Image.Resampling.BILINEAR)
    # Glare and a dim corner are slow changes of brightness: what is darker than the blurred
    # picture around it is the letters, on an even background whatever the light.
    background = image.filter(ImageFilter.BoxBlur(BACKGROUND_RADIUS))
    letters = ImageOps.invert(ImageChops.subtract(background, image))
    # Tesseract binarises this even picture itself (Otsu); a fixed threshold of our own
    # read one photo of the test set in 60 worse.
    return ImageOps.autocontrast(letters, cutoff=1)


def read_text(image: Image.Image, *, language: str) -> str:
    """The text Tesseract reads on a prepared photo; raises EngineUnavailable."""
    pytesseract.pytesseract.tesseract_cmd = settings.TESSERACT_CMD
    try:
        return pytesseract.image_to_string(
            image,
            lang=_languages(language),
            config=TESSERACT_CONFIG,
            timeout=TESSERACT_TIMEOUT_SECONDS,
        )
    except (pytesseract.TesseractError, pytesseract.TesseractNotFoundError, RuntimeError) as e:
        raise EngineUnavailable from e
