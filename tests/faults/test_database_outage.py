"""PostgreSQL goes away under load: merchants get a friendly page, nothing half-saved."""

from __future__ import annotations

import itertools
import subprocess
import sys
import threading
from collections import Counter

import psycopg
import pytest
from django.db import connection

from tests.faults.conftest import PORTAL_ENV, REPO, Merchant, start_portal, wait_for
from tests.faults.test_mail_faults import details

pytestmark = [pytest.mark.faults, pytest.mark.slow]


@pytest.mark.skipif(
    connection.vendor == "postgresql",
    reason="brings its own PostgreSQL, so it runs once per `make test`: in the SQLite pass",
)
def test_postgresql_restart_under_load_gives_a_friendly_503_and_recovers_by_itself(
    private_postgres, processes, subprocess_env
):
    env = subprocess_env(**PORTAL_ENV, DATABASE_URL=private_postgres.url, EMAIL_URL="dummy:")
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=REPO,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    portal = start_portal(processes, env)
    answers: list[tuple[str, int, str, str]] = []  # (phase, status, final URL, text)
    phase = "before"
    stop = threading.Event()
    numbers = itertools.count()

    def merchant_keeps_filing() -> None:
        while not stop.is_set():
            answer = Merchant(portal).file_return(details(next(numbers)))
            answers.append((phase, answer.status, answer.url, answer.text))

    def answered(wanted_phase: str, wanted_status: int) -> int:
        return sum(
            1 for p, status, _u, _t in list(answers) if (p, status) == (wanted_phase, wanted_status)
        )

    merchants = [threading.Thread(target=merchant_keeps_filing) for _ in range(4)]
    for merchant in merchants:
        merchant.start()
    try:
        wait_for(lambda: answered("before", 200) >= 4, 120, "returns filed before the outage")
        phase = "outage"
        private_postgres.stop()
        wait_for(lambda: answered("outage", 503) >= 4, 120, "503 answers during the outage")
        private_postgres.start()
        phase = "after"
        wait_for(lambda: answered("after", 200) >= 4, 120, "returns filed after the restart")
    finally:
        stop.set()
        for merchant in merchants:
            merchant.join(timeout=60)

    by_phase = Counter((phase, status) for phase, status, _url, _text in answers)
    assert {status for _phase, status in by_phase} <= {200, 503}, by_phase
    assert by_phase[("before", 200)] > 0
    assert by_phase[("outage", 503)] > 0, "requests during the outage get the 503 page"
    assert by_phase[("after", 200)] > 0, "the portal recovered without a restart"
    for _phase, status, _url, text in answers:
        if status == 503:
            assert "briefly unavailable" in text
            assert "Traceback" not in text
    confirmed = {url for _phase, status, url, _text in answers if "/submitted/" in url}

    # Every stored return is whole: its two e-mails were stored with it, and every
    # merchant who saw a confirmation has a stored return.
    with psycopg.connect(private_postgres.url.replace("postgres://", "postgresql://")) as db:
        returns = db.execute("SELECT id, rma_number, tracking_token FROM returns_return").fetchall()
        mail = Counter(
            reference for (reference,) in db.execute("SELECT reference FROM outbox_outboxmessage")
        )
    assert len(returns) >= len(confirmed) > 0
    for _id, rma_number, _token in returns:
        assert rma_number, "a return without its RMA number was stored"
        assert mail[rma_number] == 2, f"{rma_number} has {mail[rma_number]} e-mails, not 2"
    stored_tokens = {token for _id, _rma, token in returns}
    assert all(url.rstrip("/").rsplit("/", 1)[-1] in stored_tokens for url in confirmed)
