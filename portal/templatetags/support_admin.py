from __future__ import annotations

from datetime import timedelta

from django import template

from portal.selectors import support_summary

register = template.Library()


@register.simple_tag(takes_context=True)
def support_summary_for(context) -> dict[str, object]:
    return support_summary(user=context["request"].user)


@register.filter
def minutes(value: timedelta) -> int:
    """A waiting time in whole minutes, rounded up: 'try again in 15 minutes'."""
    return max(1, -(-int(value.total_seconds()) // 60))
