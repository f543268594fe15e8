from __future__ import annotations

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from staff.roles import CONTENT_EDITOR, SUPPORT_AGENT

PASSWORD = "correct horse battery staple 42"


class StaffFactory(factory.django.DjangoModelFactory):
    """A staff user outside every group: may sign in to the admin, may do nothing there."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    first_name = factory.Faker("first_name", locale="nl_NL")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    is_staff = True
    password = factory.django.Password(PASSWORD)

    role = factory.PostGeneration(lambda user, create, extracted, **kw: _join(user, extracted))


def _join(user, role: str | None) -> None:
    if role:
        user.groups.add(Group.objects.get(name=role))


class AgentFactory(StaffFactory):
    username = factory.Sequence(lambda n: f"agent{n}")
    role = factory.PostGeneration(
        lambda user, create, extracted, **kw: _join(user, extracted or SUPPORT_AGENT)
    )


class EditorFactory(StaffFactory):
    username = factory.Sequence(lambda n: f"editor{n}")
    role = factory.PostGeneration(
        lambda user, create, extracted, **kw: _join(user, extracted or CONTENT_EDITOR)
    )
