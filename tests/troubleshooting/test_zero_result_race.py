"""The same search with no result, submitted by many shops at the same moment."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from troubleshooting import services
from troubleshooting.models import ZeroResultSearch

pytestmark = pytest.mark.django_db(transaction=True)


def test_many_shops_searching_the_same_missing_words_at_once_are_all_counted():
    # Several processes found no row and inserted it: the later ones were answered with 503.
    shops = 8
    start = threading.Barrier(shops)
    failures = []

    def search_once() -> None:
        try:
            start.wait()
            services.zero_result_search_record(language="en", query="blue screen of doom")
        except Exception as error:  # any failure at all is what the test reports
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=search_once) for _ in range(shops)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert ZeroResultSearch.objects.get(query="blue screen of doom").count == shops
