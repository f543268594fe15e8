from __future__ import annotations

import gettext

import polib
import pytest

from portal.settings import BASE_DIR

CATALOGUES = sorted(
    path
    for path in BASE_DIR.glob("**/locale/*/LC_MESSAGES/django.po")
    if ".venv" not in path.parts and "node_modules" not in path.parts
)


def test_every_language_has_catalogues():
    languages = {path.parts[-3] for path in CATALOGUES}

    assert languages == {"nl", "fr"}


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda p: str(p.relative_to(BASE_DIR)))
def test_every_string_is_translated_and_compiled(catalogue):
    po = polib.pofile(str(catalogue))
    compiled = gettext.GNUTranslations(catalogue.with_suffix(".mo").open("rb"))

    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert untranslated == [], f"untranslated in {catalogue}"
    assert fuzzy == [], f"fuzzy (unchecked) translations in {catalogue}"
    stale = [
        entry.msgid
        for entry in po.translated_entries()
        if not entry.msgid_plural and compiled.pgettext(entry.msgctxt, entry.msgid) != entry.msgstr
        if entry.msgctxt
    ] + [
        entry.msgid
        for entry in po.translated_entries()
        if not entry.msgid_plural
        and not entry.msgctxt
        and compiled.gettext(entry.msgid) != entry.msgstr
    ]
    assert stale == [], f"{catalogue.with_suffix('.mo')} is out of date: run make messages"
