"""From a photo of the screen to the fix: read, match the terminal's message, search."""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image

from photosearch.matching import MessageMatch, message_matches
from photosearch.ocr import read_text
from troubleshooting import search as search_engine
from troubleshooting.services import FALLBACK_LANGUAGE


@dataclass(frozen=True)
class PhotoSearch:
    read: str  # what Tesseract read, on one line
    query: str  # what we searched for: the message recognised, else the text read
    match: MessageMatch | None
    result: search_engine.SearchResult


def photo_search(*, image: Image.Image, language: str) -> PhotoSearch:
    """The fix for the message on the photo, in ``language``; raises ocr.EngineUnavailable."""
    read = search_engine.clean_query(read_text(image, language=language))
    return text_search(read=read, language=language)


def text_search(*, read: str, language: str) -> PhotoSearch:
    """The terminal message first (its own words are the query), then the ordinary search."""
    matches = message_matches(text=read, language=language)
    if not matches and language != FALLBACK_LANGUAGE:
        matches = message_matches(text=read, language=FALLBACK_LANGUAGE)
    match = matches[0] if matches else None
    query = match.message.text if match else read
    result = search_engine.search(query=query, language=language)
    return PhotoSearch(read=read, query=query, match=match, result=result)
