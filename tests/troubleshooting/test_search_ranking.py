"""What comes first for what a merchant types: each rule of the ranking, on small content.

Runs on whichever database DATABASE_URL points at; every test here passes on SQLite and on
PostgreSQL, and on SQLite both with its FTS5 index and as on a SQLite built without FTS5.
Each one fails when the rule it names is broken (see docs/testing-mutation.md).
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.troubleshooting.factories import ArticleFactory, TerminalMessageFactory
from tests.troubleshooting.test_views import HTMX, results
from troubleshooting import fts
from troubleshooting.search import search

pytestmark = pytest.mark.django_db

ATTACKED = "Attacked! Please contact your service provider"


@pytest.fixture(autouse=True, params=["index", "no FTS5"])
def _sqlite_with_and_without_fts5(request, monkeypatch):
    if request.param == "no FTS5":
        if connection.vendor != "sqlite":
            pytest.skip("only SQLite can be built without FTS5")
        # Python's SQLite here always has FTS5: the search is told it has none.
        monkeypatch.setattr(fts, "available", lambda: False)


def slugs(query: str, language: str = "en") -> list[str]:
    return [hit.article.slug for hit in search(query=query, language=language).hits]


def test_a_withdrawn_article_never_comes_up_for_its_terminal_message():
    withdrawn = ArticleFactory(slug="old-tamper-advice", title="Old advice", hidden=True)
    TerminalMessageFactory(article=withdrawn, text=ATTACKED)
    ArticleFactory(slug="tampering-alarm", title="Tampering alarm: attacked terminal")

    hits = search(query=ATTACKED, language="en").hits

    assert "old-tamper-advice" not in [hit.article.slug for hit in hits]
    assert all(hit.message is None for hit in hits)


def test_the_search_page_lists_ten_results_and_the_live_list_five(client):
    for number in range(12):
        ArticleFactory(slug=f"receipt-{number:02}", title=f"Receipt problem {number}")

    page = client.get("/search/", {"q": "receipt"}).content.decode()
    live = client.get("/search/", {"q": "receipt"}, HTTP_HX_TARGET="search-live", **HTMX)

    assert len(results(page)) == 10
    assert len(results(live.content.decode())) == 5


def test_a_terminal_message_typed_with_words_left_out_is_still_recognised():
    # 0.85 alike to the message: close enough to be the message on the merchant's screen.
    TerminalMessageFactory(article=ArticleFactory(slug="tampering-alarm"), text=ATTACKED)

    first = search(query="attacked contact service provider", language="en").hits[0]

    assert first.article.slug == "tampering-alarm"
    assert first.message is not None
    assert first.message.text == ATTACKED


def test_a_message_that_only_looks_alike_is_not_taken_for_the_one_on_the_screen():
    # "card not accepted" is 0.74 alike to "Card not supported": another message altogether.
    TerminalMessageFactory(
        article=ArticleFactory(slug="unsupported-card", title="Unsupported cards"),
        text="Card not supported",
    )

    hits = search(query="card not accepted", language="en").hits

    assert all(hit.message is None for hit in hits)


def test_a_title_holding_the_words_comes_before_a_page_that_only_mentions_them():
    ArticleFactory(
        slug="mentions", title="Paper roll sizes", source="The receipt printer takes them. " * 5
    )
    ArticleFactory(
        slug="titled", title="Receipt printer jams", source="Open the cover and lift the roll."
    )

    assert slugs("receipt printer")[:2] == ["titled", "mentions"]


def test_the_message_on_the_screen_comes_before_titles_holding_its_words():
    TerminalMessageFactory(
        article=ArticleFactory(slug="cover-alarm", title="Cover alarm", source="Close it."),
        text="Printer cover open",
    )
    ArticleFactory(slug="cover-titled", title="Printer cover open or closed", source="Check.")

    first = search(query="Printer cover open", language="en").hits[0]

    assert first.article.slug == "cover-alarm"
    assert first.message.text == "Printer cover open"


def test_the_rarer_word_of_a_query_decides_which_title_comes_first():
    # "paper" is on many pages, "thermal" on one: the thermal page answers "thermal paper".
    ArticleFactory(slug="paper-rolls", title="Paper roll sizes", source="Sizes.", order=1)
    ArticleFactory(slug="thermal-head", title="Thermal head cleaning", source="Wipe.", order=2)
    for number in range(5):
        ArticleFactory(title=f"Topic {number}", source=f"Load the paper, step {number}.")

    assert slugs("thermal paper")[0] == "thermal-head"


def test_a_query_of_stop_words_only_still_finds_the_pages_about_them():
    ArticleFactory(slug="several", title="Connecting several terminals", source="One by one.")

    assert "several" in slugs("my terminal")


@pytest.mark.parametrize(
    "query",
    [
        *["'", "&|!:*", "a & b | !c", "(((", "_", ":*", "%", "<script>"],
        # Named: ids pytest escapes are not found again by name where mutmut runs the tests.
        pytest.param("\\", id="backslash"),
        pytest.param("’", id="curly-apostrophe"),
    ],
)
def test_query_syntax_characters_are_plain_text(query):
    # Around a real word they change nothing; alone they find nothing and break nothing.
    ArticleFactory(slug="tampering-alarm", title="Tampering alarm", source="Tampering.")

    assert slugs(f"{query} tampering {query}") == slugs("tampering") == ["tampering-alarm"]
    assert slugs(query) == []


def test_a_withdrawn_article_never_comes_up_for_its_own_title():
    ArticleFactory(slug="old-receipt-advice", title="Receipt printer jams", hidden=True)
    ArticleFactory(slug="receipt-printer", title="Receipt printer jams", source="Lift the roll.")

    assert slugs("receipt printer jams") == ["receipt-printer"]


def test_an_article_in_another_language_never_comes_up():
    ArticleFactory(slug="bonprinter", language="nl", title="Receipt printer", source="Bon.")
    ArticleFactory(slug="receipt-printer", title="Receipt printer", source="Lift the roll.")

    assert slugs("receipt printer") == ["receipt-printer"]
    assert slugs("receipt printer", language="nl") == ["bonprinter"]


def test_a_word_in_another_form_in_a_pages_text_counts_as_the_word_itself():
    # Only "payment" of the three words is in the content, and only in the text, as
    # "payments": that is the page.
    ArticleFactory(slug="refused", title="Card troubles", source="The bank refused the payments.")

    assert slugs("payment keeps failing") == ["refused"]


def test_a_typo_in_a_one_word_search_still_finds_the_title():
    ArticleFactory(slug="tampering-alarm", title="Tampering alarm", source="Call support.")
    ArticleFactory(slug="receipt-printer", title="Receipt printer jams", source="Lift the roll.")

    assert slugs("tamperng") == ["tampering-alarm"]


def test_a_page_holding_only_one_of_three_searched_words_is_left_out():
    ArticleFactory(slug="jams", title="Receipt printer jams", source="Lift the roll.")
    ArticleFactory(slug="drivers", title="Printer drivers", source="Install them.")

    assert slugs("receipt printer jams") == ["jams"]


def test_a_word_typed_half_way_finds_the_page_holding_it_in_its_text():
    # The live list searches while the merchant types.
    ArticleFactory(slug="jams", title="Receipt printer jams", source="Lift the cover first.")

    assert slugs("cove") == ["jams"]


def test_a_long_message_typed_so_far_is_already_recognised():
    # The live list, while the merchant is still typing the words on the screen.
    TerminalMessageFactory(article=ArticleFactory(slug="tampering-alarm"), text=ATTACKED)

    first = search(query="Attacked! Please cont", language="en").hits[0]

    assert first.article.slug == "tampering-alarm"
    assert first.message.text == ATTACKED


def test_two_words_typed_half_way_find_the_page_holding_both():
    # Each word half typed only counts for half: two of them together are enough.
    ArticleFactory(slug="developer-mode", title="Developer mode", source="Turn it on on screen.")
    ArticleFactory(slug="receipt-printer", title="Receipt printer jams", source="Lift the roll.")

    assert slugs("develo scre") == ["developer-mode"]


def test_a_page_that_keeps_using_the_word_comes_before_one_that_mentions_it_once():
    ArticleFactory(
        slug="in-passing",
        title="Paper jams",
        source="Load the roll with the paper coming from below, then check the router.",
        order=1,
    )
    ArticleFactory(
        slug="all-about-it",
        title="Connection lights",
        source="Restart the router. If the router light stays red, plug the router in again.",
        order=2,
    )

    assert slugs("router") == ["all-about-it", "in-passing"]


def test_a_search_page_reads_the_same_few_queries_however_many_pages_match(client):
    def queries_for(query: str) -> int:
        client.get("/search/", {"q": "warm up"})  # the messages and words kept per process
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/search/", {"q": query}).status_code == 200
        return len(captured)

    for number in range(2):
        ArticleFactory(slug=f"router-{number}", title=f"Router {number}", source="Router port.")
    few = queries_for("router")
    for number in range(2, 9):
        ArticleFactory(slug=f"router-{number}", title=f"Router {number}", source="Router port.")

    # One query finds the articles with every field shown; the terminal messages and the
    # index's words are kept in the process until the content changes.
    assert few == 1
    assert queries_for("router port") == few


def test_a_look_alike_counts_for_half_a_word_not_for_two():
    # Four words searched: one of them and a look-alike of another is not enough.
    ArticleFactory(slug="jams", title="Receipt printer jams", source="Open the paper roll cover.")
    ArticleFactory(slug="drivers", title="Printer drivers", source="Clean the rollers.")

    assert slugs("receipt printer paper roll") == ["jams"]


def test_the_message_closest_to_what_was_typed_comes_first():
    TerminalMessageFactory(article=ArticleFactory(slug="declined"), text="Card declined")
    TerminalMessageFactory(article=ArticleFactory(slug="declined-1000"), text="Card declined 1000")

    hits = search(query="card declined 1000", language="en").hits

    assert [(hit.article.slug, hit.message.text) for hit in hits[:2]] == [
        ("declined-1000", "Card declined 1000"),
        ("declined", "Card declined"),
    ]


def test_a_page_with_two_matching_messages_shows_the_one_on_the_screen():
    article = ArticleFactory(slug="declined")
    TerminalMessageFactory(article=article, text="Card declined")
    TerminalMessageFactory(article=article, text="Card declined 1000")

    first = search(query="card declined 1000", language="en").hits[0]

    assert (first.article.slug, first.message.text) == ("declined", "Card declined 1000")


def test_a_message_in_another_language_is_only_an_english_fallback():
    TerminalMessageFactory(article=ArticleFactory(slug="declined"), text="Card declined 1000")

    result = search(query="card declined 1000", language="fr")

    # Nothing in French holds it: the English page comes up, said to be English.
    assert [hit.article.slug for hit in result.hits] == ["declined"]
    assert result.fallback_language == "en"
