from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from outbox.models import OutboxMessage
from returns.models import Return
from support.models import SupportRequest
from tests.returns.factories import ReturnFactory
from tests.staff.factories import EditorFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("support_settings")]

S = Return.Status


def make_support_request(**fields) -> SupportRequest:
    return SupportRequest.objects.create(
        account_id="10012345",
        serial_number="P2SN0001",
        contact_name="Sanne de Vries",
        email="sanne@example.nl",
        **fields,
    )


def test_the_home_shows_what_waits_on_support(agent_client, agent) -> None:
    oldest = ReturnFactory(status=S.SUBMITTED, status_changed_at=timezone.now() - timedelta(days=5))
    ReturnFactory(status=S.SUBMITTED)
    ReturnFactory(status=S.RECEIVED)
    ReturnFactory(status=S.CLOSED)
    make_support_request()
    make_support_request(assignee=agent)
    make_support_request(status=SupportRequest.Status.SOLVED)
    OutboxMessage.objects.create(
        to="gone@example.nl", subject="Your return RMA-000009", body_text="…", status="failed"
    )

    page = agent_client.get(reverse("admin:index")).content.decode()

    assert "3 open returns" in page
    assert "2 open support requests" in page
    assert "1 e-mail failed to send" in page
    assert "gone@example.nl" in page
    waiting = page.split("Waiting longest on support")[1]
    assert waiting.index(oldest.rma_number) < waiting.index("</section>")
    assert 'class="summary-alert"' in waiting.split(oldest.rma_number)[1].split("</li>")[0]


def test_a_content_editor_sees_no_queue_on_the_home(client) -> None:
    client.force_login(EditorFactory())
    ReturnFactory()

    page = client.get(reverse("admin:index")).content.decode()

    assert "open returns" not in page
    assert "failed to send" not in page


def test_support_requests_filter_mine_and_close_in_bulk(agent_client, agent) -> None:
    mine = make_support_request(assignee=agent)
    nobodys = make_support_request()
    url = reverse("admin:support_supportrequest_changelist")

    listed = agent_client.get(url, {"assignee": "none"}).context["cl"].result_list
    agent_client.post(url, {"action": "assign_to_me", "_selected_action": [nobodys.pk]})
    agent_client.post(url, {"action": "mark_solved", "_selected_action": [mine.pk]})

    assert [r.pk for r in listed] == [nobodys.pk]
    assert SupportRequest.objects.get(pk=nobodys.pk).assignee == agent
    assert SupportRequest.objects.get(pk=mine.pk).status == SupportRequest.Status.SOLVED


def test_a_support_agent_cannot_delete_a_support_request(agent_client) -> None:
    request = make_support_request()
    url = reverse("admin:support_supportrequest_delete", args=[request.pk])

    assert agent_client.post(url, {"post": "yes"}).status_code == 403
    assert SupportRequest.objects.filter(pk=request.pk).exists()


def test_the_support_request_list_needs_the_same_queries_for_3_requests_as_for_23(
    agent_client,
) -> None:
    url = reverse("admin:support_supportrequest_changelist")
    for _ in range(3):
        make_support_request()
    agent_client.get(url)  # the first page of a session also stores it
    with CaptureQueriesContext(connection) as few:
        agent_client.get(url)
    for _ in range(20):
        make_support_request()
    with CaptureQueriesContext(connection) as many:
        page = agent_client.get(url)

    assert len(few) == len(many)
    assert len(re.findall(r'name="form-\d+-assignee"', page.content.decode())) == 23
