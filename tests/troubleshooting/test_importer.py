"""import_readme: the ReadMe pages the support team writes, loaded as they are."""

# ReadMe input is quoted as written, long lines included.
# ruff: noqa: E501
from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command

from troubleshooting.models import Article, TerminalMessage, Topic

pytestmark = pytest.mark.django_db

PAGE = """---
title: 'Tampering alarm'
slug: 'tampering-alarm'
category: tampering-alarm
order: 4
hidden: false
excerpt: The device is blocked.
terminalMessages:
  - text: "Attacked! Please contact your service provider"
    aliases: [attacked, tamper alarm]
    cause: The sensors triggered.
    fix: Ask Sunmi for an unblock code.
---

# Tampering alarm

If your device has been blocked, see [declined payments](doc:declined-payment).
"""


def run_import(*paths, dry_run: bool = False) -> str:
    out = io.StringIO()
    arguments = [str(path) for path in paths] + (["--dry-run"] if dry_run else [])
    call_command("import_readme", *arguments, stdout=out)
    return out.getvalue()


def test_seed_page_imports_with_no_raw_readme_or_markdown_syntax_left(seed_page):
    output = run_import(seed_page)

    assert f"created   {seed_page}" in output
    article = Article.objects.get(slug="pos-troubleshooting", language="en")
    assert article.title == "POS troubleshooting"
    html = article.html
    for raw in (
        "[block:",
        "[/block]",
        "(doc:",
        "doc:",
        "<<glossary",
        "**",
        "](",
        "\n# ",
        "\n### ",
        "|---",
    ):
        assert raw not in html, raw
    assert not re.search(r"^\s*[-*] ", html, re.M)
    # The facts are there, as HTML.
    assert "<li>Netherlands</li>" in html
    assert "For the P2 Smartpad terminal, connect to the connection cable" in html
    assert '<td align="left">1000 card declined</td>' in html
    assert "<summary>How to activate terminal</summary>" in html
    assert '<div class="note note-warning">' in html
    assert "Press the TUSN button 8 times" in html
    assert '<p class="note note-warning">(!) Note: Only return a terminal' in html
    # Links to pages that were not imported are plain text, and reported.
    assert "link to 'traditional-ctap-terminal', a page that has not been imported" in output
    assert "Traditional (CTAP) terminal" in html
    assert [entry["title"] for entry in article.toc][:3] == [
        "Connection",
        "Activation",
        "Payment errors",
    ]


def test_seed_links_resolve_once_the_bundled_articles_exist(seed_page, bundled_content):
    output = run_import(seed_page)
    html = Article.objects.get(slug="pos-troubleshooting").html
    assert '<a href="/articles/traditional-ctap-terminal/"' in html
    assert '<a href="/articles/smartpos-activation/"' in html
    assert "not been imported" not in output


def test_import_is_idempotent_and_says_unchanged(write_page):
    path = write_page("tampering-alarm.md", PAGE)
    run_import(path)
    article = Article.objects.get(slug="tampering-alarm")
    first_update = article.updated_at

    output = run_import(path)

    assert "unchanged tampering-alarm" in output.replace(str(path.parent) + "/", "")
    assert "0 created, 0 updated, 1 unchanged, 0 failed" in output
    article.refresh_from_db()
    assert article.updated_at == first_update
    assert Article.objects.count() == 1
    assert TerminalMessage.objects.count() == 1


def test_newer_version_updates_in_place_matched_by_slug(write_page):
    path = write_page("tampering-alarm.md", PAGE)
    run_import(path)
    article = Article.objects.get(slug="tampering-alarm")

    newer = PAGE.replace("If your device has been blocked", "When the terminal is blocked").replace(
        "    aliases: [attacked, tamper alarm]", "    aliases: [attacked, tamper alarm, blocked]"
    )
    path.write_text(newer, encoding="utf-8")
    output = run_import(path)

    assert "updated" in output
    updated = Article.objects.get(slug="tampering-alarm")
    assert updated.pk == article.pk
    assert "When the terminal is blocked" in updated.html
    assert updated.updated_at > article.updated_at
    assert TerminalMessage.objects.get().aliases == ["attacked", "tamper alarm", "blocked"]


def test_dry_run_reports_but_saves_nothing(write_page):
    path = write_page("tampering-alarm.md", PAGE)
    output = run_import(path, dry_run=True)
    assert "created" in output
    assert "Dry run, nothing saved" in output
    assert not Article.objects.exists()
    assert not Topic.objects.exists()


def test_front_matter_fields_and_terminal_messages_are_stored(write_page):
    path = write_page("tampering-alarm.md", PAGE, folder="nl")
    run_import(path)
    article = Article.objects.get(slug="tampering-alarm")
    assert article.language == "nl"
    assert article.order == 4
    assert article.excerpt == "The device is blocked."
    assert article.topic.slug == "tampering-alarm"
    message = article.terminal_messages.get()
    assert message.language == "nl"
    assert message.fix == "Ask Sunmi for an unblock code."


def test_slug_defaults_to_the_file_name_and_hidden_is_kept(write_page):
    path = write_page(
        "developer-notes.md", "---\ntitle: Internal notes\nhidden: true\n---\nOnly for us."
    )
    run_import(path)
    article = Article.objects.get(slug="developer-notes")
    assert article.hidden is True


def test_bad_files_are_reported_by_name_and_line_while_the_others_import(write_page, tmp_path):
    write_page("good.md", "---\ntitle: Good page\n---\nAll **fine**.")
    write_page(
        "broken-block.md",
        '---\ntitle: Broken block\n---\nBefore.\n\n[block:callout]\n{"type": "info", "body": oops}\n[/block]\n\nAfter.',
    )
    write_page(
        "unknown-block.md", "---\ntitle: Unknown\n---\n[block:carousel]\n{}\n[/block]\nText."
    )
    write_page("bad-yaml.md", "---\ntitle: [unclosed\n---\nText.")
    (tmp_path / "en" / "latin1.md").write_bytes("---\ntitle: Caf\xe9\n---\nText.".encode("latin-1"))

    output = run_import(tmp_path)

    assert Article.objects.filter(slug="good").exists()
    broken = Article.objects.get(slug="broken-block")
    assert "Before." in broken.html and "After." in broken.html
    assert re.search(r"broken-block\.md:7: invalid JSON in the \[block:callout\] block", output)
    assert re.search(r"unknown-block\.md:4: unknown block type \[block:carousel\]", output)
    assert re.search(r"failed +\S*bad-yaml\.md", output)
    assert re.search(r"bad-yaml\.md:\d+: front matter", output)
    assert re.search(r"latin1\.md:2: is not UTF-8 text", output)
    assert not Article.objects.filter(slug="latin1").exists()
    assert "2 failed" in output


def test_missing_path_is_reported(tmp_path):
    output = run_import(tmp_path / "nowhere")
    assert "no such file or folder" in output


def test_hostile_page_is_stored_sanitised(write_page):
    path = write_page(
        "evil.md",
        '---\ntitle: Evil\n---\n<script>alert(1)</script>\n<a href="javascript:alert(2)">x</a>\n'
        '[block:html]\n{"html": "<img src=x onerror=alert(3)>"}\n[/block]\n',
    )
    run_import(path)
    html = Article.objects.get(slug="evil").html.lower()
    assert "<script" not in html
    assert "javascript:" not in html
    assert "onerror" not in html


def test_bundled_content_covers_every_language_and_message(bundled_content):
    for language in ("en", "nl", "fr"):
        slugs = set(Article.objects.filter(language=language).values_list("slug", flat=True))
        assert {
            "internet-connection", "connect-to-wifi", "activate-terminal", "traditional-ctap-terminal",
            "smartpos-activation", "incorrect-api-key", "ipek-not-configured", "retrieve-logs",
            "declined-payment", "developer-mode", "tampering-alarm", "send-back-terminal",
            "contact-support", "availability",
        } <= slugs  # fmt: skip
        texts = set(
            TerminalMessage.objects.filter(language=language).values_list("text", flat=True)
        )
        assert {
            "Attacked! Please contact your service provider",
            "Configuration error. Try again",
            "Card not supported",
            "Use a different interface",
            "1000 card declined",
        } <= texts
        for html in Article.objects.filter(language=language).values_list("html", flat=True):
            assert "[block:" not in html and "doc:" not in html and "**" not in html


def test_bundled_content_states_every_fact_of_the_seed_page(bundled_content):
    messages = TerminalMessage.objects.filter(language="en").values_list("text", "fix")
    text = " ".join(
        [
            *Article.objects.filter(language="en").values_list("search_text", flat=True),
            *(f"{message} {fix}" for message, fix in messages),
        ]
    )
    facts = [
        "Netherlands", "Belgium", "sales@multisafepay.com", "Wi-Fi router",
        "The network connection is good", "P2 Smartpad", "connection cable",
        "Improve the network connectivity", "linked with the correct group",
        "Traditional (CTAP) terminal", "SmartPOS", "pos-support@multisafepay.com",
        "Account ID", "Terminal serial number", "Description of the issue", "pictures or video",
        "Manage groups", "hover over the key icon", "Initial PIN Encrypted Key (IPEK)", "Configured",
        "Log task management", "New task", "syslog", "release", "Configuration error. Try again",
        "Card not supported", "Use a different interface", "insert the card", "contactless",
        "1000 card declined", "support@multisafepay.com", "cannot be reverted",
        "no longer be PCI compliant", "TUSN", "8 times", "SV", "4-digit code is valid for 24 hours",
        "Attacked! Please contact your service provider", "P Serial Tamper",
        "picture of your device", "code to unblock", "rebooted", "sensor might be damaged",
        "only return a terminal if requested by us", "Address for the new terminal",
        "Support ticket reference", "172349", "Display broken", "Keyboard broken",
        "Printer broken", "Scanner broken", "Battery not working", "Chip reader broken",
        "Hardware damage", "Network not working", "Account closure", "Wrong terminal ordered",
        "technical investigation or hardware substitution",
    ]  # fmt: skip
    missing = [fact for fact in facts if fact.lower() not in text.lower()]
    assert not missing


@pytest.mark.parametrize(
    ("table", "problem"),
    [
        ('{"cols": "abc", "data": {"0-0": "x"}}', r"cols must be a whole number, not 'abc'"),
        ('{"cols": 3000, "rows": 3000, "data": {}}', r"cols is 3000; a table can have at most 20"),
        ('{"data": {"9999-0": "x"}}', r"a table can have at most 20 columns and 500 rows"),
        ('{"data": ["not", "cells"]}', r"data must be an object of cells"),
    ],
)
def test_a_bad_or_huge_table_is_an_import_problem_with_file_and_line(write_page, table, problem):
    write_page(
        "table.md", f"---\ntitle: Table\n---\nIntro.\n\n[block:parameters]\n{table}\n[/block]\n"
    )

    output = run_import(write_page("other.md", "---\ntitle: Other\n---\nText.").parent)

    assert re.search(r"table\.md:6: \[block:parameters\]: " + problem, output)
    assert "Intro." in Article.objects.get(slug="table").html
