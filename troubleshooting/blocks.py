"""ReadMe's magic blocks (``[block:type]{json}[/block]``) as HTML, for the Markdown helper.

Each renderer gets the block's JSON object and returns HTML that the helper sanitises with the
rest of the page; a renderer raises ValueError for a block it cannot show, which the helper
reports as a problem with the block's line.
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from troubleshooting.notes import EMOJI_NOTES

if TYPE_CHECKING:
    from troubleshooting.markdown import _Renderer

CODE_LANGUAGES = {
    "bash", "shell", "json", "javascript", "js", "python", "php", "xml", "html", "http",
    "text", "plaintext", "curl", "java", "csharp", "ruby", "go", "yaml", "sql",
}  # fmt: skip


CALLOUT_TYPES = {
    "info": "note-info",
    "warning": "note-warning",
    "danger": "note-error",
    "error": "note-error",
    "success": "note-success",
    "okay": "note-success",
}


def _block_html(renderer: _Renderer, data: dict) -> str:
    return str(data.get("html", ""))


def _block_callout(renderer: _Renderer, data: dict) -> str:
    kind = CALLOUT_TYPES.get(str(data.get("type", "info")).lower(), "note-info")
    title = str(data.get("title") or "").strip()
    icon = str(data.get("icon") or "")
    if icon[:1] in EMOJI_NOTES:
        kind = EMOJI_NOTES[icon[:1]]
    heading = (
        f'<p class="note-title"><strong>{renderer.fragment(title, inline=True)}</strong></p>'
        if title
        else ""
    )
    return f'<div class="note {kind}">{heading}{renderer.fragment(data.get("body") or "")}</div>'


def _block_code(renderer: _Renderer, data: dict) -> str:
    codes = [code for code in data.get("codes") or [] if isinstance(code, dict)]
    samples = []
    for code in codes:
        language = str(code.get("language") or "text").lower()
        css = f' class="language-{html_lib.escape(language)}"' if language in CODE_LANGUAGES else ""
        pre = f"<pre><code{css}>{html_lib.escape(str(code.get('code', '')))}</code></pre>"
        if len(codes) > 1:
            label = html_lib.escape(str(code.get("name") or language))
            pre = f'<figure class="code-sample"><figcaption>{label}</figcaption>{pre}</figure>'
        samples.append(pre)
    if len(samples) > 1:
        return '<div class="code-group">' + "".join(samples) + "</div>"
    return "".join(samples)


def _block_image(renderer: _Renderer, data: dict) -> str:
    figures = []
    for image in data.get("images") or []:
        if not isinstance(image, dict):
            continue
        details = image.get("image") or []
        if isinstance(details, str):
            details = [details]
        if not details:
            continue
        src = html_lib.escape(str(details[0]))
        caption = str(image.get("caption") or "")
        alt = str(image.get("alt") or (details[1] if len(details) > 1 else "") or caption)
        size = ""
        if len(details) > 3 and all(isinstance(value, int) for value in details[2:4]):
            size = f' width="{details[2]}" height="{details[3]}"'
        figures.append(
            f'<figure class="content-image"><img src="{src}" alt="{html_lib.escape(alt)}"'
            f'{size} loading="lazy">'
            + (
                f"<figcaption>{renderer.fragment(caption, inline=True)}</figcaption>"
                if caption
                else ""
            )
            + "</figure>"
        )
    return "".join(figures)


# Larger than any table a help article needs; a typo of 3000 would otherwise hang the import.
MAX_TABLE_COLUMNS = 20
MAX_TABLE_ROWS = 500


def _table_size(data: dict, name: str, limit: int) -> int:
    value = data.get(name) or 0
    if isinstance(value, bool) or not str(value).strip().isdigit():
        raise ValueError(
            _("%(name)s must be a whole number, not %(value)r") % {"name": name, "value": value}
        )
    if int(value) > limit:
        raise ValueError(
            _("%(name)s is %(value)s; a table can have at most %(limit)s")
            % {"name": name, "value": value, "limit": limit}
        )
    return int(value)


def _block_table(renderer: _Renderer, data: dict) -> str:
    cells = data.get("data") or {}
    if not isinstance(cells, dict):
        raise ValueError(_("data must be an object of cells"))
    columns = _table_size(data, "cols", MAX_TABLE_COLUMNS)
    rows = _table_size(data, "rows", MAX_TABLE_ROWS)
    if not columns:
        columns = 1 + max(
            (int(key.split("-")[1]) for key in cells if re.fullmatch(r"[hH0-9]+-\d{1,4}", key)),
            default=-1,
        )
    if not rows:
        rows = 1 + max(
            (int(key.split("-")[0]) for key in cells if re.fullmatch(r"\d{1,4}-\d+", key)),
            default=-1,
        )
    if columns > MAX_TABLE_COLUMNS or rows > MAX_TABLE_ROWS:
        raise ValueError(
            _("a table can have at most %(columns)s columns and %(rows)s rows")
            % {"columns": MAX_TABLE_COLUMNS, "rows": MAX_TABLE_ROWS}
        )
    aligns = data.get("align") or []

    def align(column: int) -> str:
        value = aligns[column] if column < len(aligns) else None
        return f' align="{value}"' if value in {"left", "center", "right"} else ""

    parts = ['<div class="table-scroll"><table>']
    if any(f"h-{column}" in cells for column in range(columns)):
        parts.append("<thead><tr>")
        for column in range(columns):
            cell = renderer.fragment(cells.get(f"h-{column}", ""), inline=True)
            parts.append(f'<th scope="col"{align(column)}>{cell}</th>')
        parts.append("</tr></thead>")
    parts.append("<tbody>")
    for row in range(rows):
        parts.append("<tr>")
        for column in range(columns):
            cell = renderer.fragment(cells.get(f"{row}-{column}", ""), inline=True)
            parts.append(f"<td{align(column)}>{cell}</td>")
        parts.append("</tr>")
    parts.append("</tbody></table></div>")
    return "".join(parts)


def _block_embed(renderer: _Renderer, data: dict) -> str:
    # Third-party frames are refused by the Content-Security-Policy: link to the content instead.
    url = str(data.get("url") or data.get("href") or "")
    if not url:
        return ""
    title = str(data.get("title") or url)
    provider = str(data.get("provider") or "")
    suffix = f" <small>({html_lib.escape(provider)})</small>" if provider else ""
    return (
        f'<p class="embed"><a href="{html_lib.escape(url)}">{html_lib.escape(title)}</a>'
        f"{suffix}</p>"
    )


def _block_api_header(renderer: _Renderer, data: dict) -> str:
    title = str(data.get("title") or "").replace("\n", " ").strip()
    method = str(data.get("type") or "").upper().strip()
    if method and method not in {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}:
        method = ""
    return "## " + (f"{method} " if method else "") + title


BLOCK_RENDERERS: dict[str, Callable[[_Renderer, dict], str]] = {
    "html": _block_html,
    "callout": _block_callout,
    "code": _block_code,
    "image": _block_image,
    "parameters": _block_table,
    "table": _block_table,
    "embed": _block_embed,
    "api-header": _block_api_header,
}
