"""What the benchmark sends: shared by the load generator and the probe."""

from __future__ import annotations

# A return as a merchant fills it in; the load generator posts the same with fresh serials.
RETURN = {
    "account_id": "10234567",
    "ticket_reference": "482913",
    "reason": "display",
    "description": "The screen stays black after the terminal starts.",
    "contact_name": "Sanne de Vries",
    "company_name": "Bakkerij De Molen",
    "email": "sanne@example.nl",
    "phone": "+31 20 123 4567",
    "street": "Prinsengracht",
    "house_number": "263",
    "postcode": "1016 GV",
    "city": "Amsterdam",
    "country": "NL",
}
