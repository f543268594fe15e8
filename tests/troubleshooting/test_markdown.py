"""The one Markdown helper, fed real ReadMe-format input."""

# ReadMe input is quoted as written, long lines included.
# ruff: noqa: E501
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from troubleshooting.markdown import render_markdown, render_readme


def resolver(slug: str) -> str | None:
    return f"/articles/{slug}/" if slug in {"tampering-alarm", "declined-payment"} else None


def test_html_block_keeps_its_table_but_loses_inline_styles():
    source = """[block:html]
{
  "html": "<table style=\\"text-align:left;\\">\\n<tr><th>Connection color</th></tr>\\n<tr><td>The network connection good.</td></tr>\\n</table>"
}
[/block]"""
    html = render_markdown(source)
    assert "<th>Connection color</th>" in html
    assert "style=" not in html
    assert "[block:" not in html


@pytest.mark.parametrize(
    ("callout_type", "css"),
    [
        ("info", "note-info"),
        ("warning", "note-warning"),
        ("danger", "note-error"),
        ("success", "note-success"),
    ],
)
def test_callout_block_becomes_a_styled_note_with_markdown_body(callout_type, css):
    source = f"""[block:callout]
{{
  "type": "{callout_type}",
  "title": "Only on request",
  "body": "Only return a terminal if **requested by us**."
}}
[/block]"""
    html = render_markdown(source)
    assert f'<div class="note {css}">' in html
    assert "<strong>Only on request</strong>" in html
    assert "<strong>requested by us</strong>" in html


def test_code_block_with_several_codes_becomes_labelled_samples():
    source = """[block:code]
{
  "codes": [
    {"code": "curl -X POST https://api.example.com/terminals", "language": "curl", "name": "cURL"},
    {"code": "{\\n  \\"serial\\": \\"P2-1234\\"\\n}", "language": "json", "name": "Response"}
  ]
}
[/block]"""
    html = render_markdown(source)
    assert '<div class="code-group">' in html
    assert "<figcaption>cURL</figcaption>" in html
    assert "<figcaption>Response</figcaption>" in html
    assert '<code class="language-json">' in html
    assert "&quot;serial&quot;" in html or '"serial"' in html


def test_single_code_block_is_escaped_not_executed():
    source = """[block:code]
{"codes": [{"code": "<script>alert(1)</script>", "language": "html"}]}
[/block]"""
    html = render_markdown(source)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_image_block_has_caption_and_alt_text():
    source = """[block:image]
{
  "images": [
    {
      "image": ["/static/troubleshooting/img/internet-red.svg", "Red internet icon", 35, 35, "#ffffff"],
      "caption": "Red: use the **connection cable**."
    }
  ]
}
[/block]"""
    html = render_markdown(source)
    assert 'alt="Red internet icon"' in html
    assert 'src="/static/troubleshooting/img/internet-red.svg"' in html
    assert "<figcaption>Red: use the <strong>connection cable</strong>.</figcaption>" in html


def test_parameters_block_renders_header_and_markdown_cells():
    source = """[block:parameters]
{
  "data": {
    "h-0": "Error status",
    "h-1": "Solution",
    "0-0": "Card not supported",
    "0-1": "Send a request to **POS support**",
    "1-0": "Use a different interface",
    "1-1": "Ask the customer to *insert* the card."
  },
  "cols": 2,
  "rows": 2,
  "align": ["left", "right"]
}
[/block]"""
    html = render_markdown(source)
    assert '<th scope="col" align="left">Error status</th>' in html
    assert '<td align="right">Send a request to <strong>POS support</strong></td>' in html
    assert "<em>insert</em>" in html
    assert html.count("<tr>") == 3


def test_embed_block_becomes_a_link_not_a_frame():
    source = """[block:embed]
{
  "html": "<iframe src=\\"https://www.youtube.com/embed/abc\\"></iframe>",
  "url": "https://www.youtube.com/watch?v=abc",
  "title": "Replacing the paper roll",
  "provider": "youtube.com"
}
[/block]"""
    html = render_markdown(source)
    assert "<iframe" not in html
    assert '<a href="https://www.youtube.com/watch?v=abc"' in html
    assert "Replacing the paper roll" in html


def test_api_header_block_becomes_an_anchored_heading():
    source = """[block:api-header]
{"title": "Create a terminal group", "type": "post"}
[/block]

Text under it."""
    rendered = render_readme(source)
    assert re.search(
        r'<h2 id="post-create-a-terminal-group">POST Create a terminal group', rendered.html
    )
    assert rendered.toc[0]["title"] == "POST Create a terminal group"


def test_doc_links_resolve_and_missing_targets_are_reported_as_plain_text():
    rendered = render_readme(
        "See [the alarm](doc:tampering-alarm) and [activation](doc:smartpos-activation).",
        link_resolver=resolver,
    )
    assert '<a href="/articles/tampering-alarm/"' in rendered.html
    assert "activation" in rendered.html
    assert "doc:" not in rendered.html
    assert rendered.missing_links == ["smartpos-activation"]


def test_glossary_term_renders_as_the_term():
    html = render_markdown("Register the <<glossary:IPEK>> first.")
    assert "Register the IPEK first." in html
    assert "glossary" not in html


@pytest.mark.parametrize(
    ("source", "css"),
    [
        ("> ⚠️ Note:\n>\n> We currently offer this product in the Netherlands.", "note-warning"),
        ("> 📘 Good to know\n>\n> The code is valid for 24 hours.", "note-info"),
        ("> 💡 Tip: prepare a picture of your device.", "note-info"),
        ("> ✅ Done\n>\n> The terminal is ready.", "note-success"),
        ("> ❗ Never share your API key.", "note-error"),
    ],
)
def test_blockquote_starting_with_an_emoji_is_a_styled_note(source, css):
    html = render_markdown(source)
    assert f'<div class="note {css}">' in html
    assert "<blockquote>" not in html


def test_bold_warning_note_line_is_a_styled_note():
    html = render_markdown("**⚠️ Note:** only return a terminal if requested by us.")
    # The emoji chose the style and is gone: without an emoji font it would be an empty box.
    assert html.startswith('<p class="note note-warning"><strong>Note:</strong>')


def test_plain_blockquote_stays_a_quote():
    assert "<blockquote>" in render_markdown("> The customer said the card was fine.")


def test_details_summary_renders_markdown_inside():
    source = """<details id="transactions">
<summary> How to retrieve API key</summary>

1. Sign in to your MultiSafepay dashboard.
2. Go to **Devices** > **Terminals**.
</details>"""
    html = render_markdown(source)
    assert '<details id="transactions">' in html
    assert "<summary>How to retrieve API key</summary>" in html.replace("<summary> ", "<summary>")
    assert "<li>Go to <strong>Devices</strong> &gt; <strong>Terminals</strong>.</li>" in html


def test_list_directly_under_a_paragraph_is_a_list_as_on_readme():
    html = render_markdown(
        "> **Note:**\n>\n> Provide us with the following:\n> - Account ID\n> - Serial number"
    )
    assert "<li>Account ID</li>" in html


def test_markdown_tables_and_heading_anchors():
    rendered = render_readme(
        "# Payment errors\n\n## Declined payment\n\n| Error status | Solution |\n| :--- | :--- |\n"
        "| 1000 card declined | Contact support |\n"
    )
    # The page title is the <h1>: headings inside move one level down and get anchors.
    assert '<h2 id="payment-errors">Payment errors' in rendered.html
    assert '<h3 id="declined-payment">' in rendered.html
    assert 'href="#declined-payment"' in rendered.html
    assert '<td align="left">1000 card declined</td>' in rendered.html
    assert [entry["id"] for entry in rendered.toc] == ["payment-errors", "declined-payment"]


HOSTILE = """<script>alert('raw')</script>
<img src="x.png" onerror="alert('img')">
[click me](javascript:alert('md'))
<a href="javascript:alert('a')" onclick="steal()">raw link</a>
<div style="position:fixed" class="evil note">styled</div>
<iframe src="https://evil.example"></iframe>

[block:html]
{"html": "<script>alert('block')</script><svg onload=\\"alert(1)\\"></svg><a href=\\"JaVaScRiPt:alert(2)\\">x</a><img src=x onerror=alert(3)>"}
[/block]

[block:callout]
{"type": "info", "title": "<img src=x onerror=alert(4)>", "body": "<script>alert(5)</script>[x](javascript:alert(6))"}
[/block]

[block:parameters]
{"data": {"h-0": "<b onmouseover=alert(7)>x</b>", "0-0": "[y](javascript:alert(8))"}, "cols": 1, "rows": 1}
[/block]

[block:image]
{"images": [{"image": ["javascript:alert(9)", "\\" onerror=\\"alert(10)"], "caption": "<script>alert(11)</script>"}]}
[/block]

[block:embed]
{"url": "javascript:alert(12)", "title": "video"}
[/block]
"""


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append(tag)
        self.attributes.extend((name, value or "") for name, value in attrs)


def test_hostile_input_is_neutralised_everywhere():
    html = render_markdown(HOSTILE)
    elements = _Elements()
    elements.feed(html)
    assert not {"script", "iframe", "svg", "style"} & set(elements.tags)
    names = {name for name, _value in elements.attributes}
    assert not [name for name in names if name.startswith("on")]
    assert "style" not in names
    urls = [value for name, value in elements.attributes if name in {"href", "src"}]
    assert not [url for url in urls if url.strip().lower().startswith("javascript")]
    classes = " ".join(value for name, value in elements.attributes if name == "class")
    assert "evil" not in classes
    # The harmless text around the attacks is still there.
    assert "raw link" in html
    assert "styled" in html


def test_problems_name_the_line_and_the_rest_of_the_page_still_renders():
    source = """Intro line.

[block:callout]
{"type": "info", "body": "missing quote}
[/block]

[block:carousel]
{"items": []}
[/block]

Closing line with **bold**."""
    rendered = render_readme(source, first_line=10)
    messages = [str(problem) for problem in rendered.problems]
    assert any("line 13" in message and "invalid JSON" in message for message in messages)
    assert any("line 16" in message and "unknown block type" in message for message in messages)
    assert "Intro line." in rendered.html
    assert "<strong>bold</strong>" in rendered.html
    assert "[block:" not in rendered.html


def test_unclosed_block_is_reported_and_removed():
    rendered = render_readme('Text.\n\n[block:callout]\n{"type": "info", "body": "x"}\n')
    assert rendered.problems
    assert "[block:" not in rendered.html


def test_a_notes_emoji_is_replaced_by_the_stylesheets_icon():
    html = render_markdown("> 💡 Tip\n>\n> Prepare a picture of your device.")
    assert '<div class="note note-info">' in html
    assert "💡" not in html
    assert "<p>Tip</p>" in html


@pytest.mark.parametrize("title", ["General advice", "Algemeen advies", "Conseil général"])
def test_general_advice_is_marked_apart_from_the_documentation(title):
    html = render_markdown(f"> **{title}**\n>\n> Restart the router.")
    assert '<div class="note note-general">' in html
