"""Search that finds the fix from a symptom or from the words on the terminal's screen.

Ranking, on every database: an exact or near-exact terminal message first, then articles whose
title matches, then articles whose text matches. Typos and word forms are tolerated.

- Terminal messages (a short list per language) are matched in Python against the text and
  every alias, so "atacked please contact" still finds "Attacked! Please contact your ...".
- Articles on PostgreSQL: at most 50 candidates from the indexes (``_postgresql_candidates``),
  ranked in one prepared statement by full-text rank plus the title's similarity.
- Articles on SQLite: at most 50 candidates from the FTS5 index (fts.py), scored in Python with
  the same tiers (stemmed and fuzzy word matches, title over body, rarer words weighing more);
  without FTS5, every visible article of the language is scored so.
"""

from __future__ import annotations

import hashlib
import math
import re
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher, get_close_matches

import psycopg
from django.core.cache import cache
from django.db import connection

from pagecache.version import content_version, kept_for_version
from troubleshooting import fts
from troubleshooting.models import Article, TerminalMessage
from troubleshooting.services import FALLBACK_LANGUAGE, SEARCH_CONFIGS

MAX_QUERY_LENGTH = 200
MESSAGE_TIER = 100.0
TITLE_WEIGHT = 3.0
# A message this similar to the query is taken as the one on the merchant's screen.
MESSAGE_THRESHOLD = 0.78
TRIGRAM_THRESHOLD = 0.6  # pg_trgm's own word_similarity_threshold
MAX_WORDS = 12
MAX_KEPT_WORDS = 20_000  # the words' matches a process keeps (SQLite; _word_matches)
RESULTS_SECONDS = 3600
# The articles the SQLite index hands to the scoring, best kinds first (fts.candidates): the
# words of each are counted in Python, which with 100 took a third of a search's time.
SQLITE_CANDIDATES = 50
# The articles the PostgreSQL indexes hand to the ranking (see _postgresql_candidates).
PG_CANDIDATES = 50
# What a ranked article shows on PostgreSQL: the model's fields but the long texts.
LONG_FIELDS = {"keywords", "source", "html", "toc", "search_text", "search_vector"}
PG_SHOWN = tuple(f.attname for f in Article._meta.concrete_fields if f.attname not in LONG_FIELDS)
# Titles and keywords in the article's language: the expression of the full-text index on them
# (migration troubleshooting/0008), word for word, or PostgreSQL will not use that index.
TITLE_DOCUMENT = (
    "to_tsvector(CASE language WHEN 'nl' THEN 'dutch'::regconfig "
    "WHEN 'fr' THEN 'french'::regconfig ELSE 'english'::regconfig END, "
    "title || ' ' || keywords)"
)

STOP_WORDS = {
    "en": "a an and are as at be but by can do does for from has have how i if in is it its "
    "me my no not of on or our so that the their there this to was what when where which "
    "while why will with you your terminal device",
    "nl": "de het een en van is in op te dat die voor met zijn er niet aan om ook als bij "
    "of wat hoe mijn ik u uw je jouw kan wordt werd geen nog naar dan terminal apparaat",
    "fr": "le la les un une des du de d l et est en dans pour que qui sur pas ne au aux ce "
    "cette mon ma mes je j vous votre vos il elle comment quoi terminal appareil",
}
STOP_WORDS_BY_LANGUAGE = {code: set(words.split()) for code, words in STOP_WORDS.items()}
# Enough of each language's endings for "declined"/"decline", "betalingen"/"betaling",
# "refusée"/"refuse" to meet; the PostgreSQL stemmer does this properly.
SUFFIXES = {
    "en": ("ing", "ed", "es", "s", "ly", "e"),
    "nl": ("heden", "ingen", "en", "s", "e", "t"),
    "fr": ("ements", "ement", "ées", "ée", "és", "es", "er", "ez", "e", "s"),
}


@dataclass
class SearchHit:
    article: Article
    score: float
    message: TerminalMessage | None = None


@dataclass
class SearchResult:
    query: str
    hits: list[SearchHit] = field(default_factory=list)
    # Set when nothing matched in the merchant's language and these hits are English pages.
    fallback_language: str = ""


def normalize(text: str) -> str:
    """Lower case, accents removed, punctuation to spaces: "Attacked!" -> "attacked"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(re.findall(r"[a-z0-9]+", plain))


def stem(word: str, language: str) -> str:
    for suffix in SUFFIXES.get(language, ()):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def terms(text: str, language: str) -> list[str]:
    stop = STOP_WORDS_BY_LANGUAGE.get(language, set())
    words = normalize(text).split()
    kept = [stem(word, language) for word in words if word not in stop]
    # A query of stop words only ("my terminal") still searches for something.
    return kept or [stem(word, language) for word in words]


def clean_query(query: str) -> str:
    """What the merchant typed, without control characters (NUL and friends), trimmed."""
    printable = "".join(
        " " if unicodedata.category(char).startswith("C") else char for char in query
    )
    return " ".join(printable.split())[:MAX_QUERY_LENGTH]


def search(*, query: str, language: str, limit: int = 10) -> SearchResult:
    """Ranked hits in ``language``; when there are none, in English (merchants mix languages).

    Results are kept per normalised query and language under the content version: in an
    outage hundreds of merchants type the same message, and content changes rarely.
    """
    query = clean_query(query)
    result = SearchResult(query)
    wanted = normalize(query)
    if not wanted:
        return result
    key = (
        f"search:{content_version()}:{language}:{limit}:{hashlib.md5(wanted.encode()).hexdigest()}"
    )
    found = cache.get(key)
    if found is None:
        found = _ranked(query, language, limit), ""
        if not found[0] and language != FALLBACK_LANGUAGE:
            english = _ranked(query, FALLBACK_LANGUAGE, limit)
            found = english, FALLBACK_LANGUAGE if english else ""
        cache.set(key, found, RESULTS_SECONDS)
    result.hits, result.fallback_language = found
    return result


def _ranked(query: str, language: str, limit: int) -> list[SearchHit]:
    messages = _message_matches(query, language)
    if connection.vendor == "postgresql":
        scored = _articles_postgresql(query, language, limit * 2)
    elif fts.available():
        scored = _articles_sqlite(query, language, limit)
    else:
        scored = _articles_python(query, language)
    hits: dict[int, SearchHit] = {}
    for article, score in scored:
        hits[article.pk] = SearchHit(article, score)
    for message, similarity in messages:
        hit = hits.get(message.article_id) or SearchHit(message.article, 0.0)
        if hit.message is None:
            hit.message = message
            hit.score += MESSAGE_TIER * similarity
        hits[message.article_id] = hit
    ordered = sorted(hits.values(), key=lambda hit: (-hit.score, hit.article.order))
    return ordered[:limit]


def _message_matches(query: str, language: str) -> list[tuple[TerminalMessage, float]]:
    wanted = normalize(query)
    matches = []
    for message, phrases in _messages(language):
        best = max(_phrase_similarity(wanted, phrase) for phrase in phrases)
        if best >= MESSAGE_THRESHOLD:
            matches.append((message, best))
    matches.sort(key=lambda pair: -pair[1])
    return matches


def _messages(language: str) -> list[tuple[TerminalMessage, list[str]]]:
    """The language's terminal messages of visible articles, each with its text, code and
    aliases normalised; kept in the process for the current content version."""
    return kept_for_version(f"messages:{language}", lambda: _read_messages(language))


def _read_messages(language: str) -> list[tuple[TerminalMessage, list[str]]]:
    candidates = (
        TerminalMessage.objects.filter(language=language, article__hidden=False)
        .select_related("article")
        .defer(*(f"article__{name}" for name in LONG_FIELDS - {"keywords"}))
    )
    found = []
    for message in candidates:
        phrases = [normalize(phrase) for phrase in [message.text, message.code, *message.aliases]]
        if any(phrases):
            found.append((message, [phrase for phrase in phrases if phrase]))
    return found


def _phrase_similarity(query: str, phrase: str) -> float:
    if query == phrase:
        return 1.0
    # Most messages are nothing like the query: two cheap upper bounds of the ratio say so
    # before the full comparison, which is the slow part of matching every message.
    matcher = SequenceMatcher(None, query, phrase)
    close = matcher.real_quick_ratio() >= MESSAGE_THRESHOLD and (
        matcher.quick_ratio() >= MESSAGE_THRESHOLD
    )
    ratio = matcher.ratio() if close else 0.0
    # The whole message typed inside a longer question ("what does card not supported mean").
    if len(phrase) >= 8 and f" {phrase} " in f" {query} ":
        ratio = max(ratio, 0.95)
    # The start of a long message, as typed so far ("attacked please cont").
    if len(query) >= 12 and phrase.startswith(query):
        ratio = max(ratio, 0.9)
    return ratio


def _articles_postgresql(query: str, language: str, limit: int) -> list[tuple[Article, float]]:
    """Candidates from the indexes, ranked by the full-text rank (title over summary over
    text) plus the title's trigram similarity, in one statement: the ORM's building of it
    cost as much as the database's answer."""
    config = SEARCH_CONFIGS.get(language, "simple")
    # Letters and digits only: nothing a merchant types can break the tsquery syntax.
    words = re.findall(r"[^\W_]+", query.lower())[:MAX_WORDS]
    if not words:
        return []
    candidates, parameters = _postgresql_candidates(query, words, language, config)
    any_word = " | ".join(f"{word}:*" for word in words)
    # Per word: the word itself (any form, thanks to the stemmer), or only a word starting so.
    # Asked of the best few only: six text matches per candidate cost more than ranking it.
    holds = ", ".join(["a.search_vector @@ to_tsquery(%s::regconfig, %s)"] * len(words))
    sql = f"""
        WITH candidate AS ({candidates}),
        ranked AS (
            SELECT a.id, a."order",
                word_similarity(%s, a.title) AS title_similarity,
                coalesce(ts_rank(a.search_vector, to_tsquery(%s::regconfig, %s), 1), 0) * 10
                    + GREATEST(word_similarity(%s, a.title) - 0.3, 0) * %s * 3 AS score
            FROM troubleshooting_article a
            WHERE a.id IN (SELECT id FROM candidate)
            ORDER BY score DESC, a."order" LIMIT %s
        )
        SELECT {", ".join(f'a."{name}"' for name in PG_SHOWN)},
            r.title_similarity, r.score,
            ARRAY[{holds}] AS exact, ARRAY[{holds}] AS prefix
        FROM ranked r JOIN troubleshooting_article a ON a.id = r.id
        ORDER BY r.score DESC, r."order"
    """
    parameters += [query, config, any_word, query, TITLE_WEIGHT, limit]
    parameters += [
        value for form in ("{}", "{}:*") for w in words for value in (config, form.format(w))
    ]
    articles = []
    for row in _prepared_rows(sql, parameters):
        article = Article.from_db(connection.alias, PG_SHOWN, row[: len(PG_SHOWN)])
        article.title_similarity, article.score, article.exact, article.prefix = row[-4:]
        articles.append(article)
    positions = range(len(words))
    known = sum(1 for n in positions if any(article.prefix[n] for article in articles))
    scored = []
    for article in articles:
        strong = sum(1 for n in positions if article.exact[n])
        weak = sum(1 for n in positions if article.prefix[n] and not article.exact[n])
        # The same rule as the Python ranking below; a close trigram match stands on its own.
        trigram = article.title_similarity >= TRIGRAM_THRESHOLD
        if trigram or _enough(strong=strong, weak=weak, known=known, wanted=len(words)):
            scored.append((article, float(article.score)))
    return scored


def _prepared_rows(sql: str, parameters: list[object]) -> list[tuple]:
    """Rows of a statement PostgreSQL plans once per connection: Django's cursors bind on the
    client, so each search was planned anew (2 to 5 ms of 13). A psycopg cursor of the same
    connection binds on the server and keeps it prepared; errors are Django's, and it is
    logged where Django logs its own statements."""
    connection.ensure_connection()
    started = time.perf_counter()
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, parameters, prepare=True)
        rows = cursor.fetchall()
    if connection.queries_logged:
        elapsed = time.perf_counter() - started
        connection.queries_log.append({"sql": sql, "time": f"{elapsed:.3f}"})
    return rows


def _postgresql_candidates(
    query: str, words: list[str], language: str, config: str
) -> tuple[str, list[object]]:
    """The articles worth ranking, found through the indexes alone, best kinds first: the
    statement and its parameters.

    Ranking reads each article's whole text vector: every match of a common word ("card")
    ranked made one search take 150 ms with 5,000 articles. So at most ``PG_CANDIDATES`` go
    to the ranking, tier by tier: titles close to the whole query (typos forgiven: titles are
    short and trigram-indexed), titles (with keywords) holding every word, pages holding every
    word, titles holding one of them (or a word starting so), pages holding one. Body text
    goes through the full-text index only: a trigram comparison with every article's whole
    text made one search take seconds. The tiers are read in order until ``PG_CANDIDATES``
    rows are found (an article found by two tiers counts twice). Comparing titles by
    trigrams was the dearest part of a search, so it is done only when a word of the query
    is on no visible page of the language (a typo: "declned"); a query of known words finds
    its titles through the words themselves.
    """
    every_word = " & ".join(words)
    any_word = " | ".join(f"{word}:*" for word in words)
    in_titles = f"{TITLE_DOCUMENT} @@ to_tsquery(%s::regconfig, %s)"
    in_pages = "search_vector @@ to_tsquery(%s::regconfig, %s)"
    visible = "FROM troubleshooting_article WHERE language = %s AND NOT hidden"
    unknown = " OR ".join([f"NOT EXISTS (SELECT 1 {visible} AND {in_pages})"] * len(words))
    each_word = [value for word in words for value in (language, config, f"{word}:*")]
    tiers = [
        (f"({unknown}) AND title %%> %s", [*each_word, query]),
        (in_titles, [config, every_word]),
        (in_pages, [config, every_word]),
        (in_titles, [config, any_word]),
        (in_pages, [config, any_word]),
    ]
    statements, parameters = [], []
    for tier, (condition, values) in enumerate(tiers):
        statements.append(f"(SELECT id, {tier} AS tier {visible} AND ({condition}) LIMIT %s)")
        parameters += [language, *values, PG_CANDIDATES]
    found = " UNION ALL ".join(statements)
    return f"SELECT id FROM ({found}) AS found LIMIT %s", [*parameters, PG_CANDIDATES]


def _articles_sqlite(query: str, language: str, limit: int) -> list[tuple[Article, float]]:
    """The same scoring as on other databases, over the articles the FTS5 index finds."""
    wanted = terms(query, language)
    known_words, count, by_trigram = _sqlite_vocabulary(language)
    matches = {term: _word_matches(term, language, by_trigram) for term in set(wanted)}
    words = {word for found in matches.values() for word in found}
    if not words:
        return []
    groups = [matches[term] for term in dict.fromkeys(wanted)]
    found = fts.candidates(language=language, groups=groups, limit=SQLITE_CANDIDATES)
    tag = f" {language}_"
    documents = [
        (
            candidate,
            # Untagged by one replace and counted in C: the slow part of scoring otherwise.
            Counter(f" {candidate.title}".replace(tag, " ").split()),
            Counter(f" {candidate.body}".replace(tag, " ").split()),
        )
        for candidate in found
    ]
    # Every article holding a word is a candidate unless there were too many: then the
    # index's own counts stand in.
    frequency = None
    if len(found) == SQLITE_CANDIDATES:
        frequency = Counter(
            {term: max((known_words[w] for w in matches[term]), default=0) for term in wanted}
        )
    scored = _scored(documents, wanted, matches, count, frequency)
    best = sorted(scored, key=lambda pair: (-pair[1], pair[0].order))[: limit * 2]
    return [(fts.article(candidate), score) for candidate, score in best]


def _sqlite_vocabulary(language: str) -> tuple[dict[str, int], int, dict[str, set[str]]]:
    """The index's words, their article counts, the article count, and the words by trigram.

    Kept in the process for the current content version: it is read again after a change.
    """
    return kept_for_version(f"vocabulary:{language}", lambda: _read_vocabulary(language))


def _read_vocabulary(language: str) -> tuple[dict[str, int], int, dict[str, set[str]]]:
    words, count = fts.vocabulary(language=language)
    by_trigram: dict[str, set[str]] = {}
    for word in words:
        for trigram in _trigrams(word):
            by_trigram.setdefault(trigram, set()).add(word)
    return words, count, by_trigram


def _word_matches(term: str, language: str, by_trigram: dict[str, set[str]]) -> dict[str, float]:
    """``_fuzzy_matches`` of the term in the index's vocabulary, kept for the content version:
    merchants use the same words again, and finding look-alikes is slow."""
    kept: dict[str, dict[str, float]] = kept_for_version(f"matches:{language}", dict)
    if len(kept) > MAX_KEPT_WORDS:
        kept.clear()
    if term not in kept:
        kept[term] = _fuzzy_matches(term, _sharing_a_trigram(term, by_trigram))
    return kept[term]


def _trigrams(word: str) -> set[str]:
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def _sharing_a_trigram(term: str, by_trigram: dict[str, set[str]]) -> set[str]:
    """The words a typo or a word start of ``term`` can be: those sharing a trigram with it
    (as pg_trgm finds them), so the closer comparison reads a few words, not all."""
    return set().union(*(by_trigram.get(trigram, ()) for trigram in _trigrams(term)))


def _articles_python(query: str, language: str) -> list[tuple[Article, float]]:
    wanted = terms(query, language)
    articles = list(
        Article.objects.filter(language=language, hidden=False).only(
            "slug", "title", "keywords", "excerpt", "search_text", "language", "order", "topic_id"
        )
    )
    documents = []
    vocabulary: set[str] = set()
    for article in articles:
        title = Counter(terms(f"{article.title} {article.keywords}", language))
        body = Counter(terms(f"{article.excerpt} {article.search_text}", language))
        documents.append((article, title, body))
        vocabulary.update(title, body)
    matches = {term: _fuzzy_matches(term, vocabulary) for term in set(wanted)}
    return _scored(documents, wanted, matches, len(documents), None)


def _scored(
    documents: list[tuple[Article, Counter[str], Counter[str]]],
    wanted: list[str],
    matches: dict[str, dict[str, float]],
    count: int,
    frequency: Counter[str] | None,
) -> list[tuple[Article, float]]:
    document_frequency = frequency or Counter(
        term
        for _article, title, body in documents
        for term in wanted
        if any(word in title or word in body for word in matches[term])
    )
    count = count or 1
    weights = {term: math.log(1 + count / (1 + document_frequency[term])) for term in set(wanted)}
    total = sum(weights[term] for term in wanted) or 1.0
    known = sum(1 for term in wanted if matches[term])
    scored = []
    for article, title, body in documents:
        title_score = body_score = 0.0
        strong = weak = 0
        for term in wanted:
            # The best of the words the term may mean: in the title once is enough, in the
            # text more uses count (up to five); how sure we are that the page has the term.
            in_title = in_body = certainty = 0.0
            for word, sure in matches[term].items():
                uses_in_title, uses_in_body = title.get(word), body.get(word)
                if uses_in_title:
                    in_title = max(in_title, sure)
                if uses_in_body:
                    in_body = max(in_body, sure * (1 + math.log(min(uses_in_body, 5)) / 2))
                if uses_in_title or uses_in_body:
                    certainty = max(certainty, sure)
            title_score += weights[term] * in_title
            body_score += weights[term] * in_body
            strong += certainty >= 0.9
            weak += 0 < certainty < 0.9
        if not _enough(strong=strong, weak=weak, known=known, wanted=len(wanted)):
            continue
        score = TITLE_WEIGHT * title_score / total + body_score / total
        if score > 0:
            scored.append((article, score))
    return scored


def _enough(*, strong: int, weak: int, known: int, wanted: int) -> bool:
    """Does a page match enough of the query's words to be shown?

    Words the content never uses ("keeps dropping") do not count against a page. Of the rest,
    half must be there, a look-alike or word start counting for half; and one look-alike alone
    ("mode" for "modellen" in "developer mode") is not enough.
    """
    return strong + weak / 2 >= known / 2 and bool(strong or weak >= 2 or wanted == 1)


def _fuzzy_matches(term: str, vocabulary: set[str]) -> dict[str, float]:
    """Words of the content that ``term`` may mean, with how sure we are."""
    found = {term: 1.0} if term in vocabulary else {}
    if len(term) >= 3:
        for word in vocabulary:
            if word != term and word.startswith(term):
                found.setdefault(word, 0.8)
    if len(term) >= 4:
        cutoff = 0.75 if len(term) >= 6 else 0.8
        for word in get_close_matches(term, vocabulary, n=5, cutoff=cutoff):
            found.setdefault(word, 0.7)
    return found
