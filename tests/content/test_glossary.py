"""One word for one thing: the glossaries in content/glossary/ against every translated text.

Articles, guides and the portal's catalogues are checked against the same list, so a term
the merchant reads in a guide is the one they find in the article and on the form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import polib
import pytest
import yaml

from portal.settings import BASE_DIR

CONTENT = BASE_DIR / "content"
LANGUAGES = ["nl", "fr"]
FRONT_MATTER_RE = re.compile(r"\A---\n(.*?)\n---\n", re.S)


@dataclass
class Term:
    en: str
    term: str
    forms: list[str] = field(default_factory=list)
    avoid: list[str] = field(default_factory=list)

    def used_in_english(self, text: str) -> bool:
        return re.search(rf"(?<![\w-]){re.escape(self.en)}(?![\w-])", text, re.I) is not None

    def used_in_translation(self, text: str) -> bool:
        lowered = text.lower()
        return any(form.lower() in lowered for form in [self.term, *self.forms])

    def avoided_in(self, text: str) -> list[str]:
        return [word for word in self.avoid if word.lower() in text.lower()]


def glossary(language: str) -> list[Term]:
    return [
        Term(**entry)
        for entry in yaml.safe_load((CONTENT / "glossary" / f"{language}.yaml").read_text())
    ]


def article_text(path: Path) -> str:
    """What a merchant reads: title, excerpt and body, not the search keywords or aliases."""
    source = path.read_text()
    match = FRONT_MATTER_RE.match(source)
    meta = yaml.safe_load(match.group(1)) if match else {}
    body = source[match.end() :] if match else source
    return "\n".join([str(meta.get("title", "")), str(meta.get("excerpt", "")), body])


@cache
def pairs(language: str) -> tuple[tuple[str, str, str], ...]:
    """(where, English text, translated text) for every article, guide field and catalogue entry."""
    found = []
    for english in sorted((CONTENT / "articles" / "en").glob("[!_]*.md")):
        translated = CONTENT / "articles" / language / english.name
        if translated.exists():
            found.append(
                (
                    str(translated.relative_to(BASE_DIR)),
                    article_text(english),
                    article_text(translated),
                )
            )
    for guide in sorted((CONTENT / "guides").glob("*.yaml")):
        found += [
            (f"{guide.relative_to(BASE_DIR)}: {where}", texts["en"], texts.get(language, ""))
            for where, texts in _translated_fields(yaml.safe_load(guide.read_text()), guide.stem)
        ]
    for catalogue in sorted(BASE_DIR.glob(f"**/locale/{language}/LC_MESSAGES/django.po")):
        if ".venv" in catalogue.parts or "node_modules" in catalogue.parts:
            continue
        found += [
            (f"{catalogue.relative_to(BASE_DIR)}: {entry.msgid!r}", entry.msgid, entry.msgstr)
            for entry in polib.pofile(str(catalogue)).translated_entries()
            if not entry.msgid_plural
        ]
    return tuple(found)


def _translated_fields(node: object, where: str):
    if isinstance(node, dict):
        if "en" in node and isinstance(node["en"], str):
            yield where, node
            return
        for key, value in node.items():
            if key != "keywords":
                yield from _translated_fields(value, f"{where}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _translated_fields(value, f"{where}[{index}]")


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_glossary_term_is_translated_with_the_agreed_word(language):
    mismatches = [
        f"{where}: {term.en!r} should be {term.term!r}"
        for term in glossary(language)
        for where, english, translated in pairs(language)
        if term.used_in_english(english) and not term.used_in_translation(translated)
    ]
    assert mismatches == [], "\n".join(mismatches)


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_translation_uses_a_word_the_glossary_avoids(language):
    found = [
        f"{where}: {word!r} (use {term.term!r})"
        for term in glossary(language)
        for where, _english, translated in pairs(language)
        for word in term.avoided_in(translated)
    ]
    assert found == [], "\n".join(found)


def test_the_check_notices_an_inconsistent_translation():
    term = Term(en="tampering alarm", term="alarme anti-sabotage", avoid=["alarme d'effraction"])
    assert term.used_in_english("Tampering alarm: the device is blocked")
    assert not term.used_in_translation("Alarme d'effraction : l'appareil est bloqué")
    assert term.avoided_in("Alarme d'effraction") == ["alarme d'effraction"]
