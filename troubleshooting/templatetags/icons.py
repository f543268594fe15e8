"""`{% icon "search" %}`: an icon from the SVG sprite (static/img/icons.svg), hidden from
screen readers (the text beside it says what it means); `{{ topic.slug|topic_icon }}` picks a
topic's icon, or a plain page for a topic the sprite has none for."""

from __future__ import annotations

from django import template
from django.templatetags.static import static
from django.utils.html import format_html

register = template.Library()

TOPIC_ICONS = frozenset(
    {
        "connection",
        "activation",
        "payment-errors",
        "tampering-alarm",
        "developer-mode",
        "logs-and-support",
        "sending-back",
        "about",
    }
)


@register.simple_tag
def icon(name: str, css_class: str = "icon") -> str:
    return format_html(
        '<svg class="{}" aria-hidden="true" focusable="false"><use href="{}#{}"></use></svg>',
        css_class,
        static("img/icons.svg"),
        name,
    )


@register.filter
def topic_icon(slug: str) -> str:
    return slug if slug in TOPIC_ICONS else "topic"
