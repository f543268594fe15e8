"""Fill the benchmark database: 5,000 generated articles and 100,000 returns, fast.

Run by bench/run.py after the bundled content is loaded. Rows go in with bulk_create
(thousands per statement); the articles' full-text vectors are computed in one UPDATE
per language, as the importer computes them one by one.
"""

from __future__ import annotations

import os
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.postgres.search import SearchVector  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.html import escape  # noqa: E402

from returns.models import Return, rma_number_for  # noqa: E402
from troubleshooting import fts  # noqa: E402
from troubleshooting.models import Article  # noqa: E402
from troubleshooting.services import SEARCH_CONFIGS  # noqa: E402

ARTICLES = 5_000
RETURNS = 100_000
BATCH = 5_000
FIRST_RETURN_ID = 1_000_000
random.seed(7)

MODELS = ["Sunmi P2 Pro", "P2 Smartpad", "Sunmi V2s", "CTAP counter terminal", "Sunmi T2s"]
SYMPTOMS = [
    "shows a red internet icon",
    "declines contactless cards",
    "restarts during a payment",
    "prints blank receipts",
    "cannot find the Wi-Fi network",
    "shows 1000 card declined",
    "asks for an IPEK key",
    "reports an incorrect API key",
    "shows Attacked! Please contact your service provider",
    "drains its battery within an hour",
    "does not read chip cards",
    "loses the connection after an update",
]
SENTENCES = [
    "Check that the terminal is charged and switched on before you start.",
    "Open Settings and note the serial number shown under About.",
    "Restart the terminal by holding the power button for ten seconds.",
    "Make sure the router is on and other devices reach the internet.",
    "If the internet icon stays red, connect the P2 Smartpad with the network cable.",
    "Sign in to your dashboard and copy the API key of the terminal's website.",
    "Write down the exact message on the screen, including any code.",
    "Contact support with your account ID, the serial number and a photo of the screen.",
    "Do not open the terminal: a broken seal triggers the tampering alarm.",
    "Collect the logs in the Sunmi portal and attach them to your request.",
]


def article_source(number: int) -> tuple[str, str, str, str]:
    title = f"{random.choice(MODELS)} {random.choice(SYMPTOMS)} ({number})"
    paragraphs = [" ".join(random.sample(SENTENCES, 4)) for _ in range(4)]
    source = "\n\n".join(f"## Step {i + 1}\n\n{text}" for i, text in enumerate(paragraphs))
    html = "".join(
        f"<h2>Step {i + 1}</h2><p>{escape(text)}</p>" for i, text in enumerate(paragraphs)
    )
    return title, source, html, " ".join(paragraphs)


def seed_articles() -> None:
    languages = ["en"] * 3 + ["nl", "fr"]
    articles = []
    for number in range(ARTICLES):
        title, source, html, text = article_source(number)
        articles.append(
            Article(
                language=languages[number % len(languages)],
                slug=f"generated-{number}",
                title=title,
                excerpt=text[:200],
                source=source,
                html=html,
                search_text=text,
                order=1000 + number,
            )
        )
    Article.objects.bulk_create(articles, batch_size=BATCH)
    if fts.available():
        fts.article_fts_rebuild()
    if connection.vendor == "postgresql":
        for language, config in SEARCH_CONFIGS.items():
            Article.objects.filter(language=language, slug__startswith="generated-").update(
                search_vector=SearchVector("title", weight="A", config=config)
                + SearchVector("excerpt", weight="B", config=config)
                + SearchVector("search_text", weight="C", config=config)
            )


def seed_returns() -> None:
    now = timezone.now()
    statuses = [choice for choice, _label in Return.Status.choices]
    reasons = [choice for choice, _label in Return.Reason.choices]
    for start in range(0, RETURNS, BATCH):
        batch = []
        for offset in range(BATCH):
            number = start + offset
            pk = FIRST_RETURN_ID + number
            created = now - timedelta(minutes=7 * (RETURNS - number))
            # Most returns are long finished; the newest few thousand are still open.
            status = random.choice(statuses) if number > RETURNS - 3_000 else "closed"
            country = "NL" if number % 3 else "BE"
            batch.append(
                Return(
                    pk=pk,
                    rma_number=rma_number_for(pk),
                    status=status,
                    created_at=created,
                    status_changed_at=created,
                    account_id=f"{10_000_000 + number % 40_000}",
                    serial_number=f"P2B{number:09d}",
                    reason=random.choice(reasons),
                    description="The terminal stopped working during the day.",
                    ticket_reference=f"{100_000 + number}",
                    contact_name="Sanne de Vries",
                    company_name=f"Shop {number}",
                    email=f"shop{number}@example.nl",
                    phone="+31 20 123 4567",
                    street="Prinsengracht",
                    house_number=str(1 + number % 400),
                    postcode="1016 GV" if country == "NL" else "1000",
                    city="Amsterdam" if country == "NL" else "Brussel",
                    country=country,
                    language=random.choice(["en", "nl", "fr"]),
                )
            )
        Return.objects.bulk_create(batch)
    # The rows above chose their own ids; new returns continue after them.
    with connection.cursor() as cursor:
        for statement in sequence_resets():
            cursor.execute(statement)


def sequence_resets() -> list[str]:
    from io import StringIO

    out = StringIO()
    call_command("sqlsequencereset", "returns", stdout=out, no_color=True)
    return [line for line in out.getvalue().splitlines() if line.startswith("SELECT")]


def timed(what: str, step) -> None:
    started = time.monotonic()
    step()
    print(f"{what}: {time.monotonic() - started:.1f} s", flush=True)


def main() -> None:
    with transaction.atomic():
        timed(f"{ARTICLES} articles", seed_articles)
        timed(f"{RETURNS} returns", seed_returns)
        user_model = get_user_model()
        if not user_model.objects.filter(username="bench").exists():
            user_model.objects.create_superuser("bench", "bench@example.com", None)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # As autovacuum leaves a live table: the rows rewritten above (full-text vectors)
            # leave dead versions and unset hint bits that slow the first reads down.
            cursor.execute("VACUUM ANALYZE")
    print(f"seeded {ARTICLES} articles and {RETURNS} returns")


if __name__ == "__main__":
    main()
