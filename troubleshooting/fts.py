"""The SQLite search index: FTS5 over each visible article's search words.

Each article is stored as the words search compares (lower case, accents removed, stop words
dropped, endings cut: ``search.terms``), each tagged with its language (``en_declin``), in two
columns: the title with the keywords, and the excerpt with the text. The FTS5 vocabulary of
the index is the content's vocabulary per language, which the typo and word-start rules
match the merchant's words against; the index then finds the articles holding those words.
PostgreSQL has its own full-text index (``Article.search_vector``) and does not use this.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from django.db import connection

from troubleshooting.models import Article

TABLE = "troubleshooting_article_fts"
VOCABULARY = "troubleshooting_article_fts_words"
# Counted once per indexed article: how many visible articles a language has.
DOCUMENT_WORD = "_article"

CREATE = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5("
    "title, body, tokenize = \"unicode61 remove_diacritics 0 tokenchars '_'\")",
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {VOCABULARY} USING fts5vocab({TABLE}, 'row')",
]
DROP = [f"DROP TABLE IF EXISTS {VOCABULARY}", f"DROP TABLE IF EXISTS {TABLE}"]


# What search shows of an article found; the rest of the row is never read for results.
# In the model's field order, as Article.from_db reads them.
CANDIDATE_COLUMNS = (
    "id",
    "language",
    "slug",
    "topic_id",
    "title",
    "excerpt",
    "keywords",
    '"order"',
)


_FIELDS = [column.strip('"') for column in CANDIDATE_COLUMNS]
_ORDER = _FIELDS.index("order")


class Candidate(NamedTuple):
    values: tuple
    title: str
    body: str

    @property
    def order(self) -> int:
        return self.values[_ORDER]


def available() -> bool:
    return connection.vendor == "sqlite"


def tagged(words: Iterable[str], language: str) -> str:
    return " ".join(f"{language}_{word}" for word in words)


def article_fts_update(*, article: Article) -> None:
    """Index the article's words, or take it out when it is hidden."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE rowid = %s", [article.pk])
        if article.hidden:
            return
        cursor.execute(
            f"INSERT INTO {TABLE} (rowid, title, body) VALUES (%s, %s, %s)",
            [article.pk, *indexed_columns(article)],
        )


def indexed_columns(article: Article) -> tuple[str, str]:
    from troubleshooting.search import terms

    language = article.language
    title = terms(f"{article.title} {article.keywords}", language) + [DOCUMENT_WORD]
    body = terms(f"{article.excerpt} {article.search_text}", language)
    return tagged(title, language), tagged(body, language)


def article_fts_delete(*, article_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE rowid = %s", [article_id])


def article_fts_rebuild() -> None:
    """Index every article again (after rows were written in bulk, without the services)."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")
    fields = ("pk", "language", "title", "keywords", "excerpt", "search_text", "hidden")
    for article in Article.objects.only(*fields).iterator(chunk_size=2000):
        article_fts_update(article=article)


def vocabulary(*, language: str) -> tuple[dict[str, int], int]:
    """Every indexed word of the language with the number of articles holding it, and the
    number of articles."""
    prefix = f"{language}_"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT term, doc FROM {VOCABULARY} WHERE term >= %s AND term < %s",
            [prefix, f"{language}`"],
        )
        words = {term[len(prefix) :]: documents for term, documents in cursor.fetchall()}
    count = words.pop(DOCUMENT_WORD, 0)
    return words, count


def candidates(*, language: str, groups: Iterable[Iterable[str]], limit: int) -> list[Candidate]:
    """Visible articles holding the words of ``groups`` (each group: the words one of the
    merchant's words may mean), at most ``limit``, each with its indexed words.

    Taken tier by tier, so no search ranks every article holding a common word ("card"): titles
    holding a word of every group, then titles holding any word, best first by BM25; then
    pages holding a word of every group, then any. The scoring in search.py ranks them all.
    """
    groups = [sorted(group) for group in groups if group]
    every = " AND ".join(
        "(" + " OR ".join(f'"{language}_{word}"' for word in group) + ")" for group in groups
    )
    any_word = " OR ".join(sorted({f'"{language}_{word}"' for group in groups for word in group}))
    tiers = [
        (f"title : ({every})", True),
        (f"title : ({any_word})", True),
        (every, False),
        (any_word, False),
    ]
    statements, parameters = [], []
    for tier, (expression, ranked) in enumerate(tiers):
        order = f"ORDER BY bm25({TABLE}, 3.0, 1.0)" if ranked else ""
        statements.append(
            f"SELECT * FROM (SELECT rowid AS id, {tier} AS tier FROM {TABLE} "
            f"WHERE {TABLE} MATCH %s {order} LIMIT %s)"
        )
        parameters += [expression, limit]
    found = " UNION ALL ".join(statements)
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH candidate AS (SELECT id, min(tier) AS tier FROM ({found}) GROUP BY id "
            "ORDER BY min(tier) LIMIT %s) "
            f"SELECT {', '.join(f'a.{column}' for column in CANDIDATE_COLUMNS)}, "
            f"{TABLE}.title, {TABLE}.body FROM candidate "
            "JOIN troubleshooting_article a ON a.id = candidate.id "
            f"JOIN {TABLE} ON {TABLE}.rowid = candidate.id WHERE NOT a.hidden",
            [*parameters, limit],
        )
        return [Candidate(row[:-2], *row[-2:]) for row in cursor.fetchall()]


def article(candidate: Candidate) -> Article:
    """The article of a candidate, made only for those shown: 100 models per search cost
    more than scoring them."""
    return Article.from_db(connection.alias, _FIELDS, candidate.values)
