"""Guides and support requests moved out of the knowledge base app: a live database keeps them."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from guides.models import Guide, GuideChoice, GuideRun, GuideStep
from staff.roles import CONTENT_EDITOR, SUPPORT_AGENT
from support.models import SupportAttachment, SupportRequest

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE_THE_MOVE = [
    ("troubleshooting", "0005_guide_steps_use_the_return_reasons"),
    ("guides", None),
    ("support", None),
]
MOVED_TABLES = {
    "guide",
    "guidestep",
    "guidechoice",
    "guiderun",
    "supportrequest",
    "supportattachment",
}


def _migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection)


def _fill_the_old_layout(apps) -> dict[str, int]:
    """What a running portal held before the move, written through the old models."""
    Guide = apps.get_model("troubleshooting", "Guide")
    GuideStep = apps.get_model("troubleshooting", "GuideStep")
    GuideChoice = apps.get_model("troubleshooting", "GuideChoice")
    GuideRun = apps.get_model("troubleshooting", "GuideRun")
    SupportRequest = apps.get_model("troubleshooting", "SupportRequest")
    SupportAttachment = apps.get_model("troubleshooting", "SupportAttachment")

    guide = Guide.objects.create(slug="no-connection", language="nl", title="Geen verbinding")
    start = GuideStep.objects.create(guide=guide, key="start", title="Ziet u het icoon?")
    done = GuideStep.objects.create(guide=guide, key="done", kind="support", title="Support")
    GuideChoice.objects.create(step=start, label="Nee", next_step=done)
    run = GuideRun.objects.create(
        token="run-token-kept",
        guide=guide,
        guide_slug="no-connection",
        language="nl",
        path=[{"step": "start", "answer": "Nee", "next": "done"}],
        outcome="escalated",
    )
    request = SupportRequest.objects.create(
        public_token="request-token-kept",
        submission_key="submission-key-kept",
        account_id="10012345",
        serial_number="PB0123456789",
        contact_name="Sanne de Vries",
        email="sanne@example.nl",
        language="nl",
        guide_run=run,
        guide_path_text="Ziet u het icoon? → Nee",
    )
    SupportAttachment.objects.create(
        support_request=request,
        file="support/2026/11/screen.jpg",
        original_name="screen.jpg",
        kind="image",
        content_type="image/jpeg",
        size=1234,
    )
    return {"guide": guide.pk, "step": start.pk, "run": run.pk, "request": request.pk}


def _grant_the_roles_as_they_were(apps) -> None:
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")

    def permission(model: str, action: str):
        content_type, _created = ContentType.objects.get_or_create(
            app_label="troubleshooting", model=model
        )
        found, _created = Permission.objects.get_or_create(
            content_type=content_type,
            codename=f"{action}_{model}",
            defaults={"name": f"Can {action} {model}"},
        )
        return found

    agent = Group.objects.get(name=SUPPORT_AGENT)
    agent.permissions.add(
        permission("supportrequest", "view"),
        permission("supportrequest", "change"),
        permission("supportattachment", "view"),
    )
    editor = Group.objects.get(name=CONTENT_EDITOR)
    editor.permissions.add(permission("guide", "change"), permission("guiderun", "view"))


def _granted(group: str) -> set[str]:
    return {
        f"{app_label}.{codename}"
        for app_label, codename in Permission.objects.filter(group__name=group).values_list(
            "content_type__app_label", "codename"
        )
    }


def test_guides_runs_requests_and_attachments_survive_the_move_with_the_roles_grants() -> None:
    executor = _migrate(BEFORE_THE_MOVE)
    try:
        old_apps = executor._create_project_state(with_applied_migrations=True).apps
        assert "troubleshooting_guide" in connection.introspection.table_names()
        ids = _fill_the_old_layout(old_apps)
        _grant_the_roles_as_they_were(old_apps)
    finally:
        executor = _migrate(executor.loader.graph.leaf_nodes())
        ContentType.objects.clear_cache()

    tables = set(connection.introspection.table_names())
    assert {f"guides_{name}" for name in MOVED_TABLES if name.startswith("guide")} <= tables
    assert {"support_supportrequest", "support_supportattachment"} <= tables
    assert not {f"troubleshooting_{name}" for name in MOVED_TABLES} & tables

    guide = Guide.objects.get(pk=ids["guide"])
    assert (guide.slug, guide.language, guide.title) == ("no-connection", "nl", "Geen verbinding")
    step = GuideStep.objects.get(pk=ids["step"], guide=guide)
    assert [choice.next_step.key for choice in GuideChoice.objects.filter(step=step)] == ["done"]
    run = GuideRun.objects.get(pk=ids["run"])
    assert (run.token, run.guide, run.outcome) == ("run-token-kept", guide, "escalated")
    request = SupportRequest.objects.get(pk=ids["request"])
    assert (request.public_token, request.guide_run, request.email) == (
        "request-token-kept",
        run,
        "sanne@example.nl",
    )
    attachment = SupportAttachment.objects.get(support_request=request)
    assert (attachment.file.name, attachment.original_name) == (
        "support/2026/11/screen.jpg",
        "screen.jpg",
    )
    # New rows still get identifiers after the rename (sequences followed the tables).
    assert Guide.objects.create(slug="later", language="en", title="Later").pk > guide.pk

    assert {
        "support.view_supportrequest",
        "support.change_supportrequest",
        "support.view_supportattachment",
    } <= _granted(SUPPORT_AGENT)
    assert {"guides.change_guide", "guides.view_guiderun"} <= _granted(CONTENT_EDITOR)
    assert not ContentType.objects.filter(app_label="troubleshooting", model__in=MOVED_TABLES)
    assert Group.objects.filter(name=SUPPORT_AGENT).exists()
