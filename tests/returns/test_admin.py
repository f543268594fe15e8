from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone, translation

from outbox.models import OutboxMessage
from returns.admin_forms import ReturnTransitionForm
from returns.models import Return, ReturnNote, ReturnStatusChange
from returns.services import MERCHANT_STATUS_EMAILS
from tests.returns.factories import ReturnFactory
from tests.returns.test_services import ALLOWED, DETAILS, FORBIDDEN
from tests.staff.factories import AgentFactory, StaffFactory

pytestmark = pytest.mark.django_db

S = Return.Status
# The Dutch subject line each merchant e-mail starts with (the factory's merchant is Dutch).
DUTCH_SUBJECTS = {
    S.APPROVED: "goedgekeurd",
    S.NEEDS_INFO: "informatie",
    S.REJECTED: "niet goedgekeurd",
    S.RECEIVED: "ontvangen",
    S.REPLACEMENT_SHIPPED: "onderweg",
    S.CANCELLED: "geannuleerd",
}


def transition_url(rma: Return) -> str:
    return reverse("admin:returns_return_transition", args=[rma.pk])


def change_url(rma: Return) -> str:
    return reverse("admin:returns_return_change", args=[rma.pk])


def change_form_data(client, rma: Return) -> dict[str, object]:
    """The return's change form as the admin shows it, ready to post back."""
    form = client.get(change_url(rma)).context["adminform"].form
    return {
        name: "" if value is None else value
        for name, value in form.initial.items()
        if name in form.fields
    }


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.mark.parametrize(("from_status", "to_status"), ALLOWED)
def test_each_allowed_step_through_the_admin_records_history_and_tells_the_merchant(
    agent_client, agent, from_status: str, to_status: str
) -> None:
    rma = ReturnFactory(status=from_status, language="nl")

    response = agent_client.post(
        transition_url(rma), {"to_status": to_status, **DETAILS.get(to_status, {})}
    )

    assert response.status_code == 302
    assert response["Location"] == change_url(rma)
    rma.refresh_from_db()
    assert rma.status == to_status
    change = ReturnStatusChange.objects.get(rma=rma)
    assert (change.from_status, change.to_status, change.changed_by) == (
        from_status,
        to_status,
        agent,
    )
    mail = list(OutboxMessage.objects.filter(reference=rma.rma_number))
    if to_status in MERCHANT_STATUS_EMAILS:
        assert [(m.to, m.language) for m in mail] == [(rma.email, "nl")]
        assert DUTCH_SUBJECTS[to_status] in mail[0].subject
        assert "e-mail in Dutch" in messages_of(response)[0]
    else:
        assert mail == []


@pytest.mark.parametrize(("from_status", "to_status"), FORBIDDEN)
def test_each_forbidden_step_is_refused_and_changes_nothing(
    agent_client, from_status: str, to_status: str
) -> None:
    rma = ReturnFactory(status=from_status)
    before = Return.objects.values().get(pk=rma.pk)

    response = agent_client.post(
        transition_url(rma), {"to_status": to_status, **DETAILS.get(to_status, {})}
    )

    assert response.status_code == 302
    assert "nothing was changed" in messages_of(response)[0]
    assert Return.objects.values().get(pk=rma.pk) == before
    assert not ReturnStatusChange.objects.filter(rma=rma).exists()
    assert not OutboxMessage.objects.exists()


def test_a_rejection_without_reason_is_sent_back_with_the_message_kept(agent_client) -> None:
    rma = ReturnFactory(status=S.SUBMITTED)

    response = agent_client.post(
        transition_url(rma), {"to_status": S.REJECTED, "reason": "  ", "note": "Kept text"}
    )

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    rma.refresh_from_db()
    assert rma.status == S.SUBMITTED
    assert not OutboxMessage.objects.exists()


def test_the_page_offers_only_the_steps_the_workflow_allows(agent_client) -> None:
    rma = ReturnFactory(status=S.AWAITING_DEVICE)

    page = agent_client.get(change_url(rma)).content.decode()

    assert 'value="received"' in page
    assert 'value="cancelled"' in page
    assert 'value="approved"' not in page
    assert 'value="closed"' not in page


def test_a_finished_return_offers_no_step(agent_client) -> None:
    rma = ReturnFactory(status=S.CLOSED)

    page = agent_client.get(change_url(rma))

    assert page.context["transition_forms"] == []
    assert "no further steps" in page.content.decode()


def test_the_page_shows_history_mail_and_the_other_returns_of_the_terminal_and_account(
    agent_client,
) -> None:
    rma = ReturnFactory(status=S.SUBMITTED, account_id="10012345")
    agent_client.post(transition_url(rma), {"to_status": S.APPROVED, "note": "Graag snel."})
    same_terminal = ReturnFactory(status=S.CLOSED, serial_number=rma.serial_number)
    same_account = ReturnFactory(status=S.CANCELLED, account_id="10012345")
    stranger = ReturnFactory()

    page = agent_client.get(change_url(rma)).content.decode()

    assert "Submitted → Approved" in page
    assert "Graag snel." in page
    assert "goedgekeurd" in page  # the Dutch subject of the queued approval mail
    assert same_terminal.rma_number in page
    assert same_account.rma_number in page
    assert stranger.rma_number not in page


def test_an_internal_note_is_saved_with_its_author(agent_client, agent) -> None:
    rma = ReturnFactory()
    data = change_form_data(agent_client, rma)
    data |= {
        "notes-TOTAL_FORMS": "1",
        "notes-INITIAL_FORMS": "0",
        "notes-0-text": "Called the merchant: box is on its way.",
        "_continue": "1",
    }
    data["assignee"] = agent.pk

    response = agent_client.post(change_url(rma), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    note = ReturnNote.objects.get(rma=rma)
    assert (note.text, note.author) == ("Called the merchant: box is on its way.", agent)
    assert "box is on its way" in agent_client.get(change_url(rma)).content.decode()
    track = agent_client.get(reverse("returns:return_track", args=[rma.tracking_token]))
    assert "box is on its way" not in track.content.decode()


@pytest.mark.parametrize(
    ("term", "field"),
    [
        ("p2sn-0000 4242", "serial_number"),
        ("P2SN00004242", "serial_number"),
        ("RMA-777001", "rma_number"),
        ("77700199", "account_id"),
        ("T-98765", "ticket_reference"),
        ("winkel@voorbeeld.nl", "email"),
        ("9999 ZZ", "postcode"),
        ("Joost Hendriks", "contact_name"),
        ("Bakkerij Hendriks", "company_name"),
        ("bakkerij hendr", "company_name"),
    ],
)
def test_support_finds_a_return_by_anything_the_merchant_reads_out(
    agent_client, term: str, field: str
) -> None:
    wanted = ReturnFactory(
        rma_number="RMA-777001",
        serial_number="P2SN00004242",
        account_id="77700199",
        ticket_reference="T-98765",
        email="winkel@voorbeeld.nl",
        postcode="9999 ZZ",
        contact_name="Joost Hendriks",
        company_name="Bakkerij Hendriks",
    )
    ReturnFactory.create_batch(3)

    found = agent_client.get(reverse("admin:returns_return_changelist"), {"q": term})

    assert [r.pk for r in found.context["cl"].result_list] == [wanted.pk]


def test_the_queue_filters_mine_and_unassigned(agent_client, agent) -> None:
    mine = ReturnFactory(assignee=agent)
    colleagues = ReturnFactory(assignee=AgentFactory())
    nobodys = ReturnFactory()
    url = reverse("admin:returns_return_changelist")

    def listed(**query: str) -> set[int]:
        return {r.pk for r in agent_client.get(url, query).context["cl"].result_list}

    assert listed(assignee="mine") == {mine.pk}
    assert listed(assignee="none") == {nobodys.pk}
    assert listed() == {mine.pk, colleagues.pk, nobodys.pk}


def test_a_return_waiting_on_support_too_long_is_highlighted(agent_client) -> None:
    old = ReturnFactory(status_changed_at=timezone.now() - timedelta(days=3))
    fresh = ReturnFactory()
    old_but_merchants_turn = ReturnFactory(
        status=S.NEEDS_INFO, status_changed_at=timezone.now() - timedelta(days=9)
    )

    page = agent_client.get(reverse("admin:returns_return_changelist")).content.decode()
    rows = {
        rma.rma_number: row
        for rma in (old, fresh, old_but_merchants_turn)
        for row in page.split("<tr")
        if rma.rma_number in row
    }

    assert "rma-overdue" in rows[old.rma_number]
    assert "rma-overdue" not in rows[fresh.rma_number]
    assert "rma-overdue" not in rows[old_but_merchants_turn.rma_number]
    assert "style=" not in page.split('id="result_list"')[1]


def run_action(client, action: str, returns: list[Return]):
    return client.post(
        reverse("admin:returns_return_changelist"),
        {"action": action, "_selected_action": [r.pk for r in returns]},
    )


def test_bulk_assign_to_me(agent_client, agent) -> None:
    returns = ReturnFactory.create_batch(3)

    run_action(agent_client, "assign_to_me", returns[:2])

    assert [Return.objects.get(pk=r.pk).assignee for r in returns] == [agent, agent, None]


def test_bulk_approve_approves_what_it_may_and_names_what_it_left(agent_client, agent) -> None:
    waiting = ReturnFactory.create_batch(2, status=S.SUBMITTED)
    closed = ReturnFactory(status=S.CLOSED)

    response = run_action(agent_client, "approve", [*waiting, closed])

    assert [Return.objects.get(pk=r.pk).status for r in waiting] == [S.APPROVED, S.APPROVED]
    assert Return.objects.get(pk=closed.pk).status == S.CLOSED
    assert OutboxMessage.objects.filter(subject__contains="goedgekeurd").count() == 2
    assert ReturnStatusChange.objects.filter(changed_by=agent, to_status=S.APPROVED).count() == 2
    notices = " ".join(messages_of(response))
    assert "2 returns are now “Approved”" in notices
    assert f"{closed.rma_number} (Closed)" in notices


def test_bulk_mark_received_records_the_waiting_step_it_passes(agent_client) -> None:
    approved = ReturnFactory(status=S.APPROVED)
    waiting = ReturnFactory(status=S.AWAITING_DEVICE)
    submitted = ReturnFactory(status=S.SUBMITTED)

    run_action(agent_client, "mark_received", [approved, waiting, submitted])

    assert list(
        ReturnStatusChange.objects.filter(rma=approved).values_list("to_status", flat=True)
    ) == [S.AWAITING_DEVICE, S.RECEIVED]
    assert Return.objects.get(pk=waiting.pk).status == S.RECEIVED
    assert Return.objects.get(pk=submitted.pk).status == S.SUBMITTED
    assert OutboxMessage.objects.filter(subject__contains="ontvangen").count() == 2


def test_export_the_selection_as_csv(agent_client) -> None:
    chosen = ReturnFactory(contact_name="=HYPERLINK(evil)", city="Liège")
    ReturnFactory()

    response = run_action(agent_client, "export_csv", [chosen])

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][0] == "\ufeffRMA number"
    assert len(rows) == 2
    assert rows[1][0] == chosen.rma_number
    assert "'=HYPERLINK(evil)" in rows[1]
    assert "Liège" in rows[1]


@pytest.mark.parametrize(
    ("language", "expected"),
    [("nl", ["Goedkeuren", "Om meer informatie vragen"]), ("fr", ["Approuver", "Refuser"])],
)
def test_the_workflow_buttons_are_translated(language: str, expected: list[str]) -> None:
    # The admin lives at unprefixed URLs and so speaks English; its strings are ready anyway.
    rma = ReturnFactory(status=S.SUBMITTED)
    with translation.override(language):
        actions = [form.action for form in ReturnTransitionForm.for_each_next_step(rma=rma)]

    assert set(expected) <= set(actions)


def test_a_step_has_its_own_page_that_asks_for_what_it_needs(agent_client) -> None:
    rma = ReturnFactory(status=S.RECEIVED)

    page = agent_client.get(transition_url(rma), {"to": S.REPLACEMENT_SHIPPED})
    forbidden = agent_client.get(transition_url(rma), {"to": S.APPROVED})

    assert page.status_code == 200
    assert page.context["form"]["tracking_code"].field.required
    assert "Replacement shipped" in page.content.decode()
    assert forbidden.status_code == 302
    assert "nothing was changed" in messages_of(forbidden)[0]


def test_a_staff_member_outside_the_groups_cannot_move_a_return(client) -> None:
    client.force_login(StaffFactory())
    rma = ReturnFactory(status=S.SUBMITTED)

    response = client.post(transition_url(rma), {"to_status": S.APPROVED})

    assert response.status_code == 403
    assert Return.objects.get(pk=rma.pk).status == S.SUBMITTED
    assert not OutboxMessage.objects.exists()


def test_a_return_can_be_assigned_to_support_staff_only(agent_client, agent) -> None:
    colleague = AgentFactory(username="joost")
    outsider = StaffFactory(username="bert")
    rma = ReturnFactory()

    choices = agent_client.get(change_url(rma)).context["adminform"].form.fields["assignee"]

    assert set(choices.queryset) == {agent, colleague}
    assert outsider not in choices.queryset


def test_changing_a_serial_to_one_with_an_open_return_names_that_return(agent_client):
    holder = ReturnFactory(serial_number="P2SN00001111")
    rma = ReturnFactory(serial_number="P2SN00002222")
    data = change_form_data(agent_client, rma) | {
        "notes-TOTAL_FORMS": "0",
        "notes-INITIAL_FORMS": "0",
    }
    data["serial_number"] = "p2sn-0000 1111"

    response = agent_client.post(change_url(rma), data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["serial_number"]
    assert errors == [
        f"Return {holder.rma_number} is already open for this terminal. Close or cancel it "
        "first, or correct the serial number."
    ]
    rma.refresh_from_db()
    assert rma.serial_number == "P2SN00002222"
