from __future__ import annotations

import factory

from conversations.models import CannedReply
from support.models import SupportRequest


class SupportRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupportRequest

    account_id = factory.Sequence(lambda n: f"{10_000_000 + n}")
    serial_number = factory.Sequence(lambda n: f"PB{n:010d}")
    description = "The terminal shows “Attacked!” since this morning."
    contact_name = factory.Faker("name", locale="nl_NL")
    email = factory.Sequence(lambda n: f"shop{n}@example.nl")
    language = "en"


class CannedReplyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CannedReply

    title = factory.Sequence(lambda n: f"Reply {n}")
    language = "en"
    body = "Please send us a photo of the screen."
