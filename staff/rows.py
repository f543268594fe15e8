"""The rows of a long queue, made exactly as Django's admin makes them, faster.

The admin works out, for every cell of the list, which field or method the column shows, its
CSS class, whether it links to the item and what shows when it is empty
(``items_for_result``): with 50 returns of twelve columns that was two fifths of the queue's
time. Here it is worked out once per column, and each cell only reads its value. Lists this
does not cover (editable in place, pop-ups, columns that follow relations) get Django's own.
"""

from __future__ import annotations

import datetime
import html
from collections.abc import Callable

from django.contrib.admin.templatetags.admin_list import ResultList, _coerce_field_name
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import (
    FieldIsAForeignKeyColumnName,
    _get_non_gfk_field,
    display_for_field,
    display_for_value,
)
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.safestring import SafeString

Cell = Callable[[models.Model], str]


def queue_rows(cl: ChangeList) -> list[ResultList] | None:
    """The list's rows as Django's ``results(cl)`` gives them, or None where Django's own
    must make them."""
    if cl.formset is not None or cl.is_popup or cl.to_field or cl.list_display_links is None:
        return None
    cells: list[Cell] = []
    first = True
    for index, name in enumerate(cl.list_display):
        links = (first and not cl.list_display_links) or name in cl.list_display_links
        cell = _column(cl, index, name, links=links, tag="th" if links and first else "td")
        if cell is None:
            return None
        first = first and not links
        cells.append(cell)
    return [ResultList(None, [cell(result) for cell in cells]) for result in cl.result_list]


def _column(cl: ChangeList, index: int, name: object, *, links: bool, tag: str) -> Cell | None:
    model_admin = cl.model_admin
    empty = model_admin.get_empty_value_display()
    classes = [f"field-{_coerce_field_name(name, index)}"]
    if not isinstance(name, str) or "__" in name:
        return None
    try:
        field = _get_non_gfk_field(cl.lookup_opts, name)
    except (FieldDoesNotExist, FieldIsAForeignKeyColumnName):
        field = None
    if field is None:
        method = getattr(model_admin, name, None)
        if name == "__str__" or not callable(method):
            return None
        empty = getattr(method, "empty_value_display", empty)
        boolean = getattr(method, "boolean", False)
        if name == "action_checkbox":
            classes = ["action-checkbox"]

        def shown(result: models.Model) -> tuple[str, bool]:
            value = method(result)
            dated = isinstance(value, datetime.date | datetime.time)
            return display_for_value(value, empty, boolean), dated

    elif field.auto_created:
        return None
    else:
        related = isinstance(field.remote_field, models.ManyToOneRel)
        if isinstance(field, models.DateField | models.TimeField | models.ForeignKey):
            classes.append("nowrap")

        def shown(result: models.Model) -> tuple[str, bool]:
            value = getattr(result, name)
            if related:
                return (empty if value is None else value), False
            return display_for_field(value, field, empty, avoid_link=links), False

    plain = SafeString(' class="{}"'.format(" ".join(classes)))
    dated = SafeString(' class="{}"'.format(" ".join([*classes, "nowrap"])))

    def cell(result: models.Model) -> str:
        shown_value, is_dated = shown(result)
        row_class = dated if is_dated else plain
        if not links:
            return SafeString(f"<td{row_class}>{_html(shown_value)}</td>")
        url = add_preserved_filters(
            {"preserved_filters": cl.preserved_filters, "opts": cl.opts}, cl.url_for_result(result)
        )
        link = f'<a href="{_html(url)}">{_html(shown_value)}</a>'
        return SafeString(f"<{tag}{row_class}>{link}</{tag}>")

    return cell


def _html(value: object) -> str:
    """What ``format_html`` puts in for ``value``: safe HTML as it is, anything else escaped
    (the same escaping; called directly, it costs a tenth as much per cell)."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))
