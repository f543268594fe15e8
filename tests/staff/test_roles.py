from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from staff.roles import CONTENT_EDITOR, ROLES, SUPPORT_AGENT, roles_sync
from tests.returns.factories import ReturnFactory
from tests.staff.factories import EditorFactory, StaffFactory

pytestmark = pytest.mark.django_db


def codenames(role: str) -> set[str]:
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Group.objects.get(name=role).permissions.select_related("content_type")
    }


def test_the_migration_made_both_groups_with_exactly_their_permissions() -> None:
    agent = codenames(SUPPORT_AGENT)
    assert {
        "returns.view_return",
        "returns.change_return",
        "returns.add_returnnote",
        "support.view_supportrequest",
        "support.change_supportrequest",
        "outbox.view_outboxmessage",
    } <= agent
    assert not [name for name in agent if ".delete_" in name]
    assert "returns.add_return" not in agent
    assert not [name for name in agent if name.split("_", 1)[-1] in {"article", "topic", "guide"}]
    editor = codenames(CONTENT_EDITOR)
    assert {"troubleshooting.change_article", "guides.add_guide"} <= editor
    assert not [name for name in editor if name.startswith(("returns.", "outbox."))]


def test_every_listed_permission_exists_so_no_role_silently_lacks_one() -> None:
    listed = sum(len(actions) for role in ROLES.values() for actions in role.values())
    assert len(codenames(SUPPORT_AGENT)) + len(codenames(CONTENT_EDITOR)) == listed


def test_sync_takes_back_a_permission_granted_by_hand() -> None:
    group = Group.objects.get(name=SUPPORT_AGENT)
    group.permissions.add(Permission.objects.get(codename="delete_return"))

    roles_sync()

    assert "returns.delete_return" not in codenames(SUPPORT_AGENT)


def test_a_support_agent_cannot_delete_a_return(agent_client) -> None:
    rma = ReturnFactory()

    page = agent_client.get(reverse("admin:returns_return_changelist"))
    refused = agent_client.post(
        reverse("admin:returns_return_delete", args=[rma.pk]), {"post": "yes"}
    )

    assert b"delete_selected" not in page.content
    assert refused.status_code == 403
    assert rma.__class__.objects.filter(pk=rma.pk).exists()


@pytest.mark.parametrize(
    "url_name", ["admin:troubleshooting_article_add", "admin:troubleshooting_topic_add"]
)
def test_a_support_agent_cannot_edit_content(agent_client, url_name: str) -> None:
    assert agent_client.get(reverse(url_name)).status_code == 403


def test_a_support_agent_cannot_file_a_return_in_the_admin(agent_client) -> None:
    assert agent_client.get(reverse("admin:returns_return_add")).status_code == 403


def test_staff_outside_the_groups_sees_no_app_and_no_return(client) -> None:
    client.force_login(StaffFactory())
    rma = ReturnFactory()

    home = client.get(reverse("admin:index"))

    assert home.status_code == 200
    assert home.context["app_list"] == []
    assert b"RMA-" not in home.content
    assert client.get(reverse("admin:returns_return_changelist")).status_code == 403
    assert client.get(reverse("admin:returns_return_change", args=[rma.pk])).status_code == 403
    assert client.get(reverse("admin:outbox_outboxmessage_changelist")).status_code == 403


def test_a_content_editor_edits_articles_but_never_sees_returns(client) -> None:
    client.force_login(EditorFactory())

    assert client.get(reverse("admin:troubleshooting_article_changelist")).status_code == 200
    assert client.get(reverse("admin:returns_return_changelist")).status_code == 403
