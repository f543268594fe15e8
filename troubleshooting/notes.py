"""Styled notes in articles: ReadMe's emoji blockquotes, bold "Note:" lines and general advice.

The emoji decides the note's style and is then removed: many phones and desktops have no emoji
font and would show an empty box, so the stylesheet draws the note's icon instead. A note that
starts with "General advice" (in the article's language) marks advice that does not come from
the POS documentation, so merchants can tell the two apart.
"""

from __future__ import annotations

import re

NOTE_CLASSES = {"note", "note-warning", "note-success", "note-error", "note-info", "note-general"}
EMOJI_NOTES = {
    "⚠": "note-warning",
    "🚧": "note-warning",
    "❗": "note-error",
    "❌": "note-error",
    "⛔": "note-error",
    "📘": "note-info",
    "💡": "note-info",
    "ℹ": "note-info",
    "✅": "note-success",
    "👍": "note-success",
}
GENERAL_ADVICE = ("General advice", "Algemeen advies", "Conseil général")
NOTE_CLASS_RE = re.compile(r'<p class="note [\w-]+">')
NOTE_PARAGRAPH_RE = re.compile(r"<p>(?:<strong>\s*(?P<emoji>[⚠🚧❗❌⛔📘💡ℹ✅👍])|\(!\))")
# An emoji with its variation selector and the space after it, at the start of a note.
LEADING_EMOJI_RE = re.compile(r"^(<p[^>]*>(?:<strong>)?)\s*[⚠🚧❗❌⛔📘💡ℹ✅👍]\ufe0f?\s*")


def style_notes(body: str) -> str:
    def paragraph(match: re.Match[str]) -> str:
        kind = EMOJI_NOTES[match.group("emoji")] if match.group("emoji") else "note-warning"
        return f'<p class="note {kind}">' + match.group(0)[3:]

    body = NOTE_PARAGRAPH_RE.sub(paragraph, body)
    body = re.sub(
        r'(<p class="note [\w-]+">)<strong>\s*[⚠🚧❗❌⛔📘💡ℹ✅👍]\ufe0f?\s*', r"\1<strong>", body
    )
    return _style_blockquotes(body)


def _style_blockquotes(body: str) -> str:
    """A blockquote that starts with an emoji or a bold "Note:" becomes a styled note."""
    tokens = re.split(r"(<blockquote>|</blockquote>)", body)
    output: list[str] = []
    stack: list[bool] = []
    for index, token in enumerate(tokens):
        if token == "<blockquote>":
            following = tokens[index + 1].lstrip() if index + 1 < len(tokens) else ""
            kind = _note_kind(following)
            stack.append(kind is not None)
            output.append(f'<div class="note {kind}">' if kind else token)
            if kind and index + 1 < len(tokens):
                # The note's own first paragraph is its title, not a note inside a note.
                first = NOTE_CLASS_RE.sub("<p>", tokens[index + 1].lstrip(), count=1)
                tokens[index + 1] = LEADING_EMOJI_RE.sub(r"\1", first, count=1)
        elif token == "</blockquote>":
            output.append("</div>" if stack and stack.pop() else token)
        else:
            output.append(token)
    return "".join(output)


def _note_kind(html: str) -> str | None:
    match = re.match(r"<p(?: class=\"note ([\w-]+)\")?>(?:<strong>)?\s*(\S)", html)
    if match is None:
        return None
    if match.group(1):
        return match.group(1)
    if match.group(2) in EMOJI_NOTES:
        return EMOJI_NOTES[match.group(2)]
    if re.match(r"<p>(?:<strong>)?\s*(?:{})\b".format("|".join(GENERAL_ADVICE)), html):
        return "note-general"
    if re.match(r"<p><strong>\s*(?:Note|Tip|Important|Opmerking|Let op|Remarque)\b", html):
        return "note-info"
    return None
