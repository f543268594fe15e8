"""The one Markdown rendering helper of the portal.

ReadMe-flavoured Markdown (magic blocks, ``(doc:slug)`` links, ``<<glossary:term>>``, emoji
callouts, ``<details>``) goes in; sanitised HTML comes out. Every extension is listed here and
every tag, attribute, class and URL scheme that may reach a page is on the allow-list below, so
scripts, event handlers and ``javascript:`` URLs never do, whatever the source says.

Use :func:`render_markdown` for a plain string of HTML, :func:`render_readme` when you also need
the table of contents, the plain text for search and the problems found (with line numbers).
``link_resolver(slug)`` turns ``(doc:slug)`` into a URL, or returns None to show the link's text
without a link (the default resolver links to ``troubleshooting:article_detail`` unchecked;
``troubleshooting.services.article_link_resolver`` checks that the article exists).
"""

from __future__ import annotations

import html as html_lib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import markdown
import nh3
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from troubleshooting.blocks import BLOCK_RENDERERS, CODE_LANGUAGES
from troubleshooting.notes import NOTE_CLASSES, style_notes

LinkResolver = Callable[[str], str | None]

EXTENSIONS = ["tables", "fenced_code", "sane_lists", "md_in_html", "toc"]

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt",
    "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "kbd",
    "li", "mark", "ol", "p", "pre", "s", "small", "span", "strong", "sub", "summary", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "details": {"id", "open"},
    "img": {"src", "alt", "title", "width", "height", "loading"},
    "ol": {"start"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan", "scope"},
    **{f"h{level}": {"id"} for level in range(1, 7)},
}
ALLOWED_CLASSES = {
    "a": {"headerlink"},
    "code": {f"language-{name}" for name in CODE_LANGUAGES},
    "div": NOTE_CLASSES | {"code-group", "table-scroll"},
    "figure": {"code-sample", "content-image"},
    "p": NOTE_CLASSES | {"embed", "note-title", "api-method"},
    "span": {"glossary-term", "api-method"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


BLOCK_RE = re.compile(r"^\[block:([^\]\n]*)\][ \t]*\n(.*?)^\[/block\][ \t]*$", re.M | re.S)
PLACEHOLDER = "KBBLOCK{}KBEND"
PLACEHOLDER_RE = re.compile(r"(?:<p>)?KBBLOCK(\d+)KBEND(?:</p>)?")
GLOSSARY_RE = re.compile(r"<<glossary:([^>\n]+)>>")
VARIABLE_RE = re.compile(r"<<([A-Za-z_][\w.]*)>>")
DOC_LINK_RE = re.compile(
    r"<a href=\"(?:doc|page):([\w-]+)(#[^\"]*)?\"([^>]*)>(.*?)</a>", re.S | re.IGNORECASE
)
LIST_ITEM_RE = re.compile(r"^((?:[ \t]*>)*)[ \t]*(?:[-*+]|\d{1,3}[.)])[ \t]+\S")
QUOTE_PREFIX_RE = re.compile(r"^((?:[ \t]*>)*)[ \t]*(.*)$")
FENCE_RE = re.compile(r"^\s*(```|~~~)")
HEADING_RE = re.compile(r"<h([1-6])([^>]*)>(.*?)</h\1>", re.S)


@dataclass
class Problem:
    line: int
    message: str

    def __str__(self) -> str:
        return _("line %(line)s: %(message)s") % {"line": self.line, "message": self.message}


@dataclass
class Rendered:
    html: str
    toc: list[dict[str, object]] = field(default_factory=list)
    text: str = ""
    problems: list[Problem] = field(default_factory=list)
    missing_links: list[str] = field(default_factory=list)


def render_markdown(source: str, *, link_resolver: LinkResolver | None = None) -> str:
    """Markdown (ReadMe-flavoured) to sanitised HTML, safe to mark as safe in a template."""
    return render_readme(source, link_resolver=link_resolver).html


def render_readme(
    source: str, *, link_resolver: LinkResolver | None = None, first_line: int = 1
) -> Rendered:
    """Render a page body; ``first_line`` is the body's line in its file, for problem reports."""
    renderer = _Renderer(link_resolver or default_link_resolver, first_line)
    return renderer.render(source)


def default_link_resolver(slug: str) -> str | None:
    try:
        return reverse("troubleshooting:article_detail", kwargs={"slug": slug})
    except NoReverseMatch:
        return None


def sanitise(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def html_to_text(html: str) -> str:
    """Readable plain text of rendered HTML, for search and excerpts."""
    without_permalinks = re.sub(r"<a class=\"headerlink\"[^>]*>.*?</a>", "", html)
    spaced = re.sub(
        r"<(?:br|/p|/li|/h\d|/td|/th|/summary|/div|/figcaption)\b[^>]*>",
        " \\g<0>",
        without_permalinks,
    )
    text = html_lib.unescape(nh3.clean(spaced, tags=set()))
    return re.sub(r"\s+", " ", text).strip()


class _Renderer:
    def __init__(self, link_resolver: LinkResolver, first_line: int) -> None:
        self.link_resolver = link_resolver
        self.first_line = first_line
        self.problems: list[Problem] = []
        self.missing_links: list[str] = []
        self.blocks: list[str] = []

    def render(self, source: str) -> Rendered:
        source = source.replace("\r\n", "\n").replace("\r", "\n")
        text = self._extract_blocks(source)
        text = GLOSSARY_RE.sub(lambda m: html_lib.escape(m.group(1).strip()), text)
        text = VARIABLE_RE.sub(lambda m: html_lib.escape(m.group(1)), text)
        text = _separate_lists(text)
        text = _open_html_blocks(text)
        converter = markdown.Markdown(
            extensions=EXTENSIONS,
            extension_configs={
                "tables": {"use_align_attribute": True},
                "toc": {"permalink": "#", "permalink_title": _("Link to this section")},
            },
        )
        body = converter.convert(text)
        body = PLACEHOLDER_RE.sub(lambda m: self.blocks[int(m.group(1))], body)
        body = self._resolve_doc_links(body)
        body = style_notes(body)
        body = _demote_headings(body)
        body = sanitise(body)
        return Rendered(
            html=body,
            toc=_table_of_contents(body),
            text=html_to_text(body),
            problems=self.problems,
            missing_links=self.missing_links,
        )

    def _line(self, source: str, offset: int) -> int:
        return self.first_line + source.count("\n", 0, offset)

    def _extract_blocks(self, source: str) -> str:
        def replace(match: re.Match[str]) -> str:
            line = self._line(source, match.start())
            block_type = match.group(1).strip().lower()
            raw = match.group(2)
            try:
                data = json.loads(raw)
                if not isinstance(data, dict):
                    raise ValueError(_("the block must hold a JSON object"))
            except json.JSONDecodeError as error:
                self.problems.append(
                    Problem(
                        line + error.lineno,
                        _("invalid JSON in the [block:%(type)s] block: %(error)s")
                        % {"type": block_type, "error": error.msg},
                    )
                )
                return "\n"
            except ValueError as error:
                self.problems.append(Problem(line, f"[block:{block_type}]: {error}"))
                return "\n"
            renderer = BLOCK_RENDERERS.get(block_type)
            if renderer is None:
                self.problems.append(
                    Problem(line, _("unknown block type [block:%(type)s]") % {"type": block_type})
                )
                return "\n"
            try:
                html = renderer(self, data)
            except (ValueError, TypeError, AttributeError) as error:
                self.problems.append(Problem(line, f"[block:{block_type}]: {error}"))
                return "\n"
            if block_type == "api-header":
                return "\n\n" + html + "\n\n"
            self.blocks.append(html)
            return "\n\n" + PLACEHOLDER.format(len(self.blocks) - 1) + "\n\n"

        text = BLOCK_RE.sub(replace, source)
        for match in re.finditer(r"^\[/?block(?::[^\]\n]*)?\].*$", text, re.M):
            self.problems.append(
                Problem(
                    self._line(text, match.start()),
                    _("a block is opened without [/block] (or closed without being opened)"),
                )
            )
        return re.sub(r"^\[/?block(?::[^\]\n]*)?\].*$", "", text, flags=re.M)

    def fragment(self, source: str, *, inline: bool = False) -> str:
        """Markdown inside a block (a callout body, a table cell, a caption)."""
        text = _separate_lists(GLOSSARY_RE.sub(lambda m: m.group(1).strip(), str(source)))
        html = markdown.markdown(text, extensions=["tables", "fenced_code", "sane_lists"])
        if inline:
            stripped = html.strip()
            if (
                stripped.startswith("<p>")
                and stripped.endswith("</p>")
                and stripped.count("<p>") == 1
            ):
                return stripped[3:-4]
        return html

    def _resolve_doc_links(self, body: str) -> str:
        def replace(match: re.Match[str]) -> str:
            slug, anchor, attributes, inner = match.groups()
            url = self.link_resolver(slug)
            if url is None:
                if slug not in self.missing_links:
                    self.missing_links.append(slug)
                return inner
            return f'<a href="{html_lib.escape(url)}{anchor or ""}"{attributes}>{inner}</a>'

        return DOC_LINK_RE.sub(replace, body)


def _separate_lists(text: str) -> str:
    """CommonMark starts a list right under a paragraph; Python-Markdown needs a blank line."""
    lines = text.split("\n")
    result: list[str] = []
    in_fence = False
    for line in lines:
        if FENCE_RE.match(line):
            in_fence = not in_fence
        if not in_fence and result and LIST_ITEM_RE.match(line):
            previous = result[-1]
            prefix, previous_content = QUOTE_PREFIX_RE.match(previous).groups()
            line_prefix = LIST_ITEM_RE.match(line).group(1)
            if (
                previous_content.strip()
                and not LIST_ITEM_RE.match(previous)
                and not previous.startswith((" ", "\t"))
                and prefix.count(">") == line_prefix.count(">")
            ):
                result.append(prefix)
        result.append(line)
    return "\n".join(result)


def _open_html_blocks(text: str) -> str:
    """Markdown inside <details> is rendered, as on ReadMe."""
    text = re.sub(r"<details\b(?![^>]*\bmarkdown=)([^>]*)>", r'<details markdown="1"\1>', text)
    return re.sub(r"<summary\b(?![^>]*\bmarkdown=)([^>]*)>", r'<summary markdown="span"\1>', text)


def _demote_headings(body: str) -> str:
    """The page title is the only <h1>: headings inside an article start at <h2>."""
    if "<h1" not in body:
        return body
    return re.sub(
        r"<(/?)h([1-6])\b",
        lambda m: f"<{m.group(1)}h{min(int(m.group(2)) + 1, 6)}",
        body,
    )


def _table_of_contents(body: str) -> list[dict[str, object]]:
    toc = []
    for level, attributes, inner in HEADING_RE.findall(body):
        anchor = re.search(r'id="([^"]+)"', attributes)
        if anchor is None or int(level) > 3:
            continue
        title = html_to_text(inner)
        if title:
            toc.append({"level": int(level), "id": anchor.group(1), "title": title})
    return toc
