"""The support team's roles: which admin group may do what, defined here and nowhere else.

The groups are created by a data migration (portal/migrations/0001_roles.py); their
permissions are set again after every ``migrate``, so a model added later (or a
permission a migration created) is granted or withheld without a new migration.
Whatever a group holds that is not listed here is taken away.
"""

from __future__ import annotations

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db.models import Q

SUPPORT_AGENT = "Support agent"
CONTENT_EDITOR = "Content editor"

EDIT = ("view", "add", "change", "delete")

# group -> {"app_label.model": actions}. Models that are not installed are skipped.
ROLES: dict[str, dict[str, tuple[str, ...]]] = {
    SUPPORT_AGENT: {
        "returns.return": ("view", "change"),
        "returns.returnnote": ("view", "add"),
        "returns.returnstatuschange": ("view",),
        "support.supportrequest": ("view", "change"),
        "support.supportattachment": ("view",),
        "outbox.outboxmessage": ("view",),
        # Agents pick canned replies and open the merchants' files in conversations.
        "conversations.cannedreply": ("view",),
        "conversations.messageattachment": ("view",),
        # Deflection and searches that still ended in a request tell support what to fix.
        "reports.report": ("view",),
    },
    CONTENT_EDITOR: {
        "troubleshooting.topic": EDIT,
        "troubleshooting.article": EDIT,
        "troubleshooting.terminalmessage": EDIT,
        "guides.guide": EDIT,
        "guides.guidestep": EDIT,
        "guides.guidechoice": EDIT,
        "guides.guiderun": ("view",),
        # Merchants write these; editors read them and clear what they dealt with.
        "troubleshooting.articlefeedback": ("view", "delete"),
        "troubleshooting.zeroresultsearch": ("view", "delete"),
        # The wording support sends in three languages is kept like the articles' wording.
        "conversations.cannedreply": EDIT,
        # Guide give-up steps and searches without results are the editors' to-do list.
        "reports.report": ("view",),
    },
}


def role_permissions(role: str) -> Q:
    """A filter on Permission matching exactly what ``role`` may do."""
    wanted = Q(pk__in=[])
    for label, actions in ROLES[role].items():
        app_label, model = label.split(".")
        wanted |= Q(
            content_type__app_label=app_label,
            content_type__model=model,
            codename__in=[f"{action}_{model}" for action in actions],
        )
    return wanted


def roles_sync(*, using: str = "default") -> None:
    """Give every role group exactly the permissions ROLES lists."""
    # post_migrate reaches apps in INSTALLED_APPS order; make sure every app's
    # permissions exist before they are handed out.
    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    for role in ROLES:
        group, _created = Group.objects.using(using).get_or_create(name=role)
        group.permissions.set(Permission.objects.using(using).filter(role_permissions(role)))


def roles_sync_after_migrate(sender, using: str = "default", **kwargs) -> None:
    # post_migrate is sent once per app with models: act on the
    # last one, when every app's tables and permissions are in place.
    with_models = [config for config in global_apps.get_app_configs() if config.models_module]
    if sender is with_models[-1]:
        roles_sync(using=using)
