from __future__ import annotations

from django import template

from photosearch.ocr import engine_available

register = template.Library()


@register.inclusion_tag("photosearch/_photo_form.html")
def photo_search_form(suffix: str = "") -> dict[str, object]:
    """The "Take a photo of the screen" button, only where the engine to read it runs.

    ``suffix`` keeps its ids apart from the header's when a page shows it twice.
    """
    input_id = f"photo-search-input-{suffix}" if suffix else "photo-search-input"
    return {"available": engine_available(), "input_id": input_id}
