"""Search that finds the fix from a symptom or from the words on the terminal's screen.

Ranking, on every database: an exact or near-exact terminal message first, then articles whose
title matches, then articles whose text matches. Typos and word forms are tolerated.

- Terminal messages are a short, curated list per language: they are matched in Python
  (one query) against the text and every alias, so "atacked please contact" still finds
  "Attacked! Please contact your service provider".
- Articles on PostgreSQL: full-text search with the language's stemmer (GIN index on
  ``search_vector``) OR trigram word similarity on the title and the text (pg_trgm GIN
  indexes), scored in the database.
- Articles on other databases (SQLite in development): the visible articles of the language
  are scored in Python with the same tiers (stemmed and fuzzy word matches, title over body).
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher, get_close_matches

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.core.cache import cache
from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, F, FloatField, Q, Value
from django.db.models.functions import Cast, Greatest

from pagecache.version import content_version
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
RESULTS_SECONDS = 3600
# The articles the SQLite index hands to the scoring, best first by BM25.
SQLITE_CANDIDATES = 100

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
        scored = _articles_sqlite(query, language)
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
    candidates = (
        TerminalMessage.objects.filter(language=language, article__hidden=False)
        .select_related("article")
        .defer(
            "article__source",
            "article__html",
            "article__search_text",
            "article__search_vector",
            "article__toc",
        )
    )
    wanted = normalize(query)
    matches = []
    for message in candidates:
        best = max(
            _phrase_similarity(wanted, normalize(phrase))
            for phrase in [message.text, message.code, *message.aliases]
            if normalize(phrase)
        )
        if best >= MESSAGE_THRESHOLD:
            matches.append((message, best))
    matches.sort(key=lambda pair: -pair[1])
    return matches


def _phrase_similarity(query: str, phrase: str) -> float:
    if query == phrase:
        return 1.0
    ratio = SequenceMatcher(None, query, phrase).ratio()
    # The whole message typed inside a longer question ("what does card not supported mean").
    if len(phrase) >= 8 and f" {phrase} " in f" {query} ":
        ratio = max(ratio, 0.95)
    # The start of a long message, as typed so far ("attacked please cont").
    if len(query) >= 12 and phrase.startswith(query):
        ratio = max(ratio, 0.9)
    return ratio


def _articles_postgresql(query: str, language: str, limit: int) -> list[tuple[Article, float]]:
    config = SEARCH_CONFIGS.get(language, "simple")
    # Letters and digits only: nothing a merchant types can break the tsquery syntax.
    words = re.findall(r"[^\W_]+", query.lower())[:MAX_WORDS]
    if not words:
        return []
    text_query = SearchQuery(
        " | ".join(f"{word}:*" for word in words), search_type="raw", config=config
    )
    # Per word: the word itself (any form, thanks to the stemmer), or only a word starting so.
    per_word = {}
    for position, word in enumerate(words):
        for kind, raw in (("exact", word), ("prefix", f"{word}:*")):
            per_word[f"{kind}_{position}"] = ExpressionWrapper(
                Q(search_vector=SearchQuery(raw, search_type="raw", config=config)),
                output_field=BooleanField(),
            )
    rank = SearchRank(F("search_vector"), text_query, normalization=Value(1))
    articles = list(
        Article.objects.filter(language=language, hidden=False)
        # Typos are forgiven in titles (short, trigram-indexed); body text goes through the
        # full-text index only: a trigram comparison with every article's whole text made one
        # search take seconds with 5,000 articles.
        .filter(Q(search_vector=text_query) | Q(title__trigram_word_similar=query))
        .annotate(
            title_similarity=TrigramWordSimilarity(Value(query), "title"),
            rank=Cast(rank, FloatField()),
            **per_word,
        )
        .annotate(
            score=F("rank") * 10
            + Greatest(F("title_similarity") - 0.3, Value(0.0)) * TITLE_WEIGHT * 3
        )
        .defer("source", "html", "search_text", "search_vector", "toc", "keywords")
        .order_by("-score", "order")[:limit]
    )
    positions = range(len(words))
    known = sum(
        1 for n in positions if any(getattr(article, f"prefix_{n}") for article in articles)
    )
    scored = []
    for article in articles:
        strong = sum(1 for n in positions if getattr(article, f"exact_{n}"))
        weak = sum(
            1
            for n in positions
            if getattr(article, f"prefix_{n}") and not getattr(article, f"exact_{n}")
        )
        # The same rule as the Python ranking below; a close trigram match stands on its own.
        trigram = article.title_similarity >= TRIGRAM_THRESHOLD
        if trigram or _enough(strong=strong, weak=weak, known=known, wanted=len(words)):
            scored.append((article, float(article.score)))
    return scored


def _articles_sqlite(query: str, language: str) -> list[tuple[Article, float]]:
    """The same scoring as on other databases, over the articles the FTS5 index finds."""
    wanted = terms(query, language)
    known_words, count, by_trigram = _sqlite_vocabulary(language)
    matches = {
        term: _fuzzy_matches(term, _sharing_a_trigram(term, by_trigram)) for term in set(wanted)
    }
    words = {word for found in matches.values() for word in found}
    if not words:
        return []
    found = fts.candidates(language=language, words=words, limit=SQLITE_CANDIDATES)
    prefix = len(language) + 1
    documents = [
        (
            article,
            Counter(word[prefix:] for word in article.fts_title.split()),
            Counter(word[prefix:] for word in article.fts_body.split()),
        )
        for article in found
    ]
    # Every article holding a word is a candidate unless there were too many: then the
    # index's own counts stand in.
    frequency = None
    if len(found) == SQLITE_CANDIDATES:
        frequency = Counter(
            {term: max((known_words[w] for w in matches[term]), default=0) for term in wanted}
        )
    return _scored(documents, wanted, matches, count, frequency)


_vocabularies: dict[str, object] = {}


def _sqlite_vocabulary(language: str) -> tuple[dict[str, int], int, dict[str, set[str]]]:
    """The index's words, their article counts, the article count, and the words by trigram.

    Kept in the process for the current content version: it is read again after a change.
    """
    version = content_version()
    if _vocabularies.get("version") != version:
        _vocabularies.clear()
        _vocabularies["version"] = version
    found = _vocabularies.get(language)
    if found is None:
        words, count = fts.vocabulary(language=language)
        by_trigram: dict[str, set[str]] = {}
        for word in words:
            for trigram in _trigrams(word):
                by_trigram.setdefault(trigram, set()).add(word)
        found = _vocabularies[language] = (words, count, by_trigram)
    return found


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
            in_title = _best(matches[term], title, saturate=True)
            in_body = _best(matches[term], body, saturate=False)
            title_score += weights[term] * in_title
            body_score += weights[term] * in_body
            certainty = max(
                (sure for word, sure in matches[term].items() if word in title or word in body),
                default=0.0,
            )
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


def _best(matches: dict[str, float], words: Counter[str], *, saturate: bool) -> float:
    best = 0.0
    for word, certainty in matches.items():
        if word in words:
            frequency = 1 if saturate else min(words[word], 5)
            best = max(best, certainty * (1 + math.log(frequency) / 2))
    return best
