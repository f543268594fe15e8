"""The return queue stays as fast with a year of returns as with a day's."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from returns.admin import ReturnAdmin
from returns.models import Return
from tests.returns.factories import ReturnFactory
from tests.staff.factories import AgentFactory

pytestmark = pytest.mark.django_db

STATUSES = list(Return.Status.values)
QUEUE_URL = reverse("admin:returns_return_changelist")


def add_returns(count: int, *, assignees: list) -> None:
    """Returns straight into the table: the factory's fake names would take minutes here."""
    offset = Return.objects.count()
    Return.objects.bulk_create(
        (
            Return(
                rma_number=f"RMA-B{offset + index:07d}",
                status=STATUSES[index % len(STATUSES)],
                assignee=assignees[index % len(assignees)],
                # Each open return needs a terminal of its own (one open return per serial).
                serial_number=f"BULK{offset + index:010d}",
                account_id=f"{20_000_000 + (offset + index) // 3}",
                reason=Return.Reason.DISPLAY,
                ticket_reference=f"T{index:06d}",
                contact_name=f"Merchant {index}",
                company_name=f"Shop {index}",
                email=f"shop{offset + index}@example.nl",
                street="Damrak",
                house_number="1",
                postcode="1012 LG",
                city="Amsterdam",
                country=Return.Country.NL,
                tracking_token=f"bulk-token-{offset + index}",
            )
            for index in range(count)
        ),
        batch_size=5000,
    )


def queries_for(client, **query: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(QUEUE_URL, query)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"q": "BULK0000000"},
        {"assignee": "mine", "queue": "open"},
        {"status__exact": "received"},
    ],
)
def test_the_queue_needs_the_same_queries_for_50_returns_as_for_600(agent_client, agent, query):
    assignees = [agent, AgentFactory(), None]
    add_returns(50, assignees=assignees)
    with_50 = queries_for(agent_client, **query)

    add_returns(550, assignees=[*assignees, AgentFactory(), AgentFactory()])
    with_600 = queries_for(agent_client, **query)

    assert with_50 == with_600
    assert with_600 <= 14


def test_a_return_page_needs_the_same_queries_with_a_long_history(agent_client) -> None:
    rma = ReturnFactory(status=Return.Status.SUBMITTED)
    url = reverse("admin:returns_return_change", args=[rma.pk])
    queries_for_url(agent_client, url)  # the first page of a session also stores it
    short = queries_for_url(agent_client, url)
    for step in ["approved", "awaiting_device", "received"]:
        agent_client.post(
            reverse("admin:returns_return_transition", args=[rma.pk]), {"to_status": step}
        )
    queries_for_url(agent_client, url)  # shows, and so removes, the last step's notice
    ReturnFactory.create_batch(5, account_id=rma.account_id, status=Return.Status.CLOSED)

    assert queries_for_url(agent_client, url) == short


def queries_for_url(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def serial_search_plan(agent, term: str) -> tuple[str, list[str]]:
    request = RequestFactory().get(QUEUE_URL)
    request.user = agent
    model_admin = ReturnAdmin(Return, admin_site=None)
    found, _duplicates = model_admin.get_search_results(request, Return.objects.all(), term)
    return found.explain(), [r.serial_number for r in found]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's query plan")
def test_searching_by_serial_uses_an_index_on_postgresql(agent) -> None:
    add_returns(20_000, assignees=[None])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE returns_return")

    plan, found = serial_search_plan(agent, "bulk-0000 012345")

    assert "returns_return_serial_number" in plan, plan
    assert "Seq Scan" not in plan, plan
    assert found == ["BULK0000012345"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL-sized load")
def test_the_queue_of_100000_returns_opens_quickly_with_the_same_queries(agent_client, agent):
    add_returns(50, assignees=[agent, None])
    small = queries_for(agent_client)
    add_returns(99_950, assignees=[agent, None, AgentFactory()])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE returns_return")

    with CaptureQueriesContext(connection) as listed:
        big = queries_for(agent_client)
    searched = queries_for(agent_client, q="BULK0000099")
    plan, found = serial_search_plan(agent, "BULK0000054321")

    assert big == small
    assert searched <= big + 1
    assert "returns_return_serial_number" in plan, plan
    assert "Seq Scan" not in plan, plan
    assert found == ["BULK0000054321"]
    # The newest returns come straight from the date index, newest first, and the whole
    # table is not counted: the page count is PostgreSQL's estimate.
    page_query = next(q["sql"] for q in listed if "LIMIT 50" in q["sql"])
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {page_query}")
        page_plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Index Scan Backward using returns_return_created_at" in page_plan, page_plan
    assert "Seq Scan on returns_return" not in page_plan, page_plan
    assert not [q for q in listed if q["sql"].startswith('SELECT COUNT(*) AS "__count"')]


def test_each_queued_return_has_the_checkbox_the_actions_read(agent_client) -> None:
    queued = ReturnFactory.create_batch(2)

    page = agent_client.get(QUEUE_URL).content.decode()

    for rma in queued:
        assert (
            f'<input type="checkbox" name="_selected_action" value="{rma.pk}" '
            f'class="action-select" aria-label="Select this object for an action - {rma}">'
        ) in page


def test_each_queued_return_shows_its_status_reason_and_country_in_words(agent_client) -> None:
    rma = ReturnFactory(
        status=Return.Status.NEEDS_INFO, reason=Return.Reason.BATTERY, country=Return.Country.BE
    )
    # A value no longer offered (an old reason) still shows, as stored.
    Return.objects.filter(pk=ReturnFactory(reason=Return.Reason.NETWORK).pk).update(
        reason="retired-reason"
    )

    page = agent_client.get(QUEUE_URL).content.decode()
    by_reason = agent_client.get(QUEUE_URL, {"o": "4"})

    row = page[page.index(rma.rma_number) :].split("</tr>")[0]
    assert f'<span class="rma-status rma-status-needs_info">{Return.Status.NEEDS_INFO.label}' in row
    assert f">{Return.Reason.BATTERY.label}</td>" in row
    assert f">{Return.Country.BE.label}</td>" in row
    assert ">retired-reason</td>" in page
    assert by_reason.status_code == 200
    assert list(by_reason.context["cl"].result_list) == sorted(
        by_reason.context["cl"].result_list, key=lambda r: r.reason
    )
