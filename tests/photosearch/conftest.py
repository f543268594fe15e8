from __future__ import annotations

import os
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from photosearch.ocr import engine_available

ATTACKED = "Attacked! Please contact your service provider"


@pytest.fixture(autouse=True)
def _english_to_start_with() -> None:
    # A request to /nl/ or /fr/ leaves that language active in the thread.
    translation.activate("en")


@pytest.fixture
def tesseract() -> None:
    """Tesseract is there: in CI its absence fails, on a developer's machine tests step aside."""
    if engine_available():
        return
    reason = (
        "Tesseract is not installed: apt-get install tesseract-ocr tesseract-ocr-eng "
        "tesseract-ocr-nld tesseract-ocr-fra"
    )
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


def photo_upload(content: bytes, name: str = "IMG_0001.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


def png_bomb(side: int = 20_000) -> bytes:
    """A small PNG that says it holds side x side pixels: 400 million for the default side."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)  # 1 bit per pixel, grey
    packer = zlib.compressobj(9)
    row = b"\x00" * (1 + side // 8)
    body = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()
    chunks = chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + chunks
