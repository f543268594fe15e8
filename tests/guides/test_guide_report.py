"""Support's view: the report per guide and language, and requests listed with their path."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from guides.models import Guide, GuideRun
from guides.selectors import guide_report
from support.models import SupportRequest

from .conftest import GUIDES_DIR
from .factories import GuideRunFactory

pytestmark = pytest.mark.django_db

Outcome = GuideRun.Outcome


def test_the_report_counts_runs_per_guide_and_language_and_names_the_abandon_step():
    long_ago = timezone.now() - timedelta(hours=2)
    GuideRunFactory(outcome=Outcome.RESOLVED)
    GuideRunFactory(outcome=Outcome.ESCALATED)
    GuideRunFactory(outcome=Outcome.ABANDONED, current_step_key="terminal-type")
    # Silent for two hours: the merchant gave up, though nobody pressed "start over".
    GuideRunFactory(current_step_key="terminal-type", updated_at=long_ago)
    GuideRunFactory(outcome=Outcome.ABANDONED, current_step_key="wifi")
    GuideRunFactory()  # still busy
    GuideRunFactory(language="nl", outcome=Outcome.RESOLVED)

    rows = {(row.guide_slug, row.language): row for row in guide_report()}

    english = rows[("no-connection", "en")]
    assert (english.started, english.resolved, english.escalated) == (6, 1, 1)
    assert (english.abandoned, english.in_progress) == (3, 1)
    assert (english.abandon_step, english.abandon_step_count) == ("terminal-type", 2)
    dutch = rows[("no-connection", "nl")]
    assert (dutch.started, dutch.resolved, dutch.abandon_step) == (1, 1, "")


def test_the_admin_report_page_shows_the_numbers(admin_client, django_assert_max_num_queries):
    GuideRunFactory(outcome=Outcome.ABANDONED, current_step_key="icon")

    with django_assert_max_num_queries(6):
        page = admin_client.get(reverse("admin:guides_guiderun_report"))

    assert page.status_code == 200
    assert "no-connection" in page.text
    assert "icon (1)" in page.text


def test_support_requests_are_listed_with_the_path_that_led_to_them(admin_client):
    run = GuideRunFactory(
        outcome=Outcome.ESCALATED,
        path=[{"step": "wifi", "kind": "question", "title": "Wi-Fi?", "answer": "Yes",
               "next": "icon"}],
    )  # fmt: skip
    request = SupportRequest.objects.create(
        account_id="10012345",
        serial_number="PB01",
        description="Offline",
        contact_name="Sanne",
        email="sanne@example.nl",
        guide_run=run,
        guide_path_text="1. Wi-Fi?\n   → Yes",
    )

    listing = admin_client.get(reverse("admin:support_supportrequest_changelist"))
    detail = admin_client.get(reverse("admin:support_supportrequest_change", args=[request.pk]))

    assert "SR-" in listing.text and "no-connection" in listing.text
    assert "Wi-Fi? → Yes" in listing.text
    assert "1. Wi-Fi?\n   → Yes" in detail.text


def test_loading_twice_changes_nothing_and_keeps_edits_made_in_the_admin():
    call_command("load_guides", str(GUIDES_DIR))
    Guide.objects.filter(slug="no-connection", language="nl").update(
        title="Eigen titel", edited_in_admin=True
    )
    before = dict(Guide.objects.values_list("pk", "updated_at"))

    call_command("load_guides", str(GUIDES_DIR))

    assert dict(Guide.objects.values_list("pk", "updated_at")) == before
    assert Guide.objects.get(slug="no-connection", language="nl").title == "Eigen titel"
    assert Guide.objects.filter(is_published=True).count() == 21
