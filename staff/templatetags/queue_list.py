"""``{% queue_result_list cl %}``: Django's ``{% result_list %}`` with the rows made by
staff.rows (the queue's change list template uses it)."""

from __future__ import annotations

from django import template
from django.contrib.admin.templatetags.admin_list import (
    result_headers,
    result_hidden_fields,
    results,
)
from django.contrib.admin.templatetags.base import InclusionAdminNode

from staff.rows import queue_rows

register = template.Library()


def queue_result_list(cl) -> dict[str, object]:
    headers = list(result_headers(cl))
    rows = queue_rows(cl)
    return {
        "cl": cl,
        "result_hidden_fields": list(result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
        "results": rows if rows is not None else list(results(cl)),
    }


@register.tag(name="queue_result_list")
def queue_result_list_tag(parser, token):
    return InclusionAdminNode(
        "result_list",
        parser,
        token,
        func=queue_result_list,
        template_name="change_list_results.html",
        takes_context=False,
    )
