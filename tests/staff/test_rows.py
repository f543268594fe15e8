"""The queues' rows (staff/rows.py) are the very HTML Django's admin makes, only sooner."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.admin.templatetags.admin_list import results
from django.urls import reverse
from django.utils import timezone

from returns.models import Return
from staff.rows import queue_rows
from tests.conversations.factories import SupportRequestFactory
from tests.returns.factories import ReturnFactory

pytestmark = pytest.mark.django_db

QUEUE_URL = reverse("admin:returns_return_changelist")


def rows_both_ways(page) -> tuple[list[list[str]], list[list[str]]]:
    changelist = page.context["cl"]
    quick = queue_rows(changelist)
    assert quick is not None, "the return queue is made by staff.rows"
    return [list(row) for row in results(changelist)], [list(row) for row in quick]


@pytest.mark.parametrize(
    "query",
    [{}, {"o": "-4"}, {"status__exact": "needs_info", "q": "Zaak"}, {"country__exact": "BE"}],
    ids=["default", "sorted", "filtered-and-searched", "by-country"],
)
def test_the_queue_rows_are_exactly_the_admins_own(agent_client, agent, query):
    ReturnFactory(
        company_name='Zaak <b>"Bakker" & Zn</b>',
        status=Return.Status.NEEDS_INFO,
        assignee=agent,
        account_id="",
    )
    ReturnFactory(country=Return.Country.BE, ticket_reference="", reason=Return.Reason.BATTERY)
    old = ReturnFactory(company_name="Zaak Oud")
    Return.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(days=9), reason="retired-reason"
    )

    page = agent_client.get(QUEUE_URL, query)
    django_rows, quick_rows = rows_both_ways(page)

    assert page.status_code == 200
    assert quick_rows and quick_rows == django_rows
    html = page.content.decode()
    for row in quick_rows:
        assert "".join(row) in html  # the page shows these very rows
    if "country__exact" not in query:  # the name is shown as text, never as markup
        assert "&lt;b&gt;&quot;Bakker&quot; &amp; Zn&lt;/b&gt;" in html


def test_a_queue_edited_in_place_keeps_the_admins_own_rows(admin_client):
    SupportRequestFactory.create_batch(2)

    page = admin_client.get(reverse("admin:support_supportrequest_changelist"))

    assert page.status_code == 200
    assert queue_rows(page.context["cl"]) is None  # its status and assignee menus: Django's
    assert 'name="form-0-status"' in page.content.decode()
