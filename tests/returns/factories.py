from __future__ import annotations

import factory

from returns.models import Return


class ReturnFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Return

    rma_number = factory.Sequence(lambda n: f"RMA-9{n:05d}")
    account_id = factory.Sequence(lambda n: f"{10_000_000 + n}")
    serial_number = factory.Sequence(lambda n: f"P2SN{n:08d}")
    reason = Return.Reason.DISPLAY
    ticket_reference = "172349"
    contact_name = factory.Faker("name", locale="nl_NL")
    company_name = factory.Faker("company", locale="nl_NL")
    email = factory.Sequence(lambda n: f"merchant{n}@example.nl")
    street = "Damrak"
    house_number = "1"
    postcode = "1012 LG"
    city = "Amsterdam"
    country = Return.Country.NL
    language = "nl"
