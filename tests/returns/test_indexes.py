from __future__ import annotations

import pytest
from django.db import connection

from returns.models import Return
from tests.returns.factories import ReturnFactory

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes are PostgreSQL's")
@pytest.mark.parametrize(
    "field", ["serial_number", "account_id", "email", "postcode", "company_name"]
)
def test_searching_part_of_a_detail_can_use_an_index_on_postgresql(field):
    ReturnFactory.create_batch(3)
    # The admin's search is icontains; the planner must have an index for that exact SQL.
    query = Return.objects.filter(**{f"{field}__icontains": "1234"}).only("pk")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = query.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert f"returns_{field}_trgm" in plan
