"""Support requests stored under the old statuses read as the merchant's four after migrating."""

from __future__ import annotations

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone

from support.models import SupportRequest
from tests.conversations.factories import SupportRequestFactory

pytestmark = pytest.mark.django_db

# Run on today's models: rebuilding the old schema on SQLite trips over the tables the
# guides app once moved, which has nothing to do with these statuses.
migration = importlib.import_module("support.migrations.0005_merchant_statuses_data")


def test_old_statuses_become_the_merchants_and_the_queue_keeps_its_order(agent) -> None:
    week_ago = timezone.now() - timedelta(days=7)
    made = {
        key: SupportRequestFactory(created_at=week_ago, assignee=agent if key[1] else None).pk
        for key in [("open", False), ("open", True), ("answered", False), ("closed", False)]
    }
    for (old, _assigned), pk in made.items():
        SupportRequest.objects.filter(pk=pk).update(status=old)

    migration.statuses_forward(apps, None)

    def status(key) -> str:
        return SupportRequest.objects.get(pk=made[key]).status

    assert status(("open", False)) == SupportRequest.Status.RECEIVED
    assert status(("open", True)) == SupportRequest.Status.IN_PROGRESS
    assert status(("answered", False)) == SupportRequest.Status.WAITING
    assert status(("closed", False)) == SupportRequest.Status.SOLVED
    assert SupportRequest.objects.get(pk=made[("closed", False)]).queued_at == week_ago

    migration.statuses_backward(apps, None)

    assert status(("open", True)) == "open"
    assert status(("answered", False)) == "answered"
