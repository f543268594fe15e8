"""Read ReadMe-format Markdown files (front matter + body) into articles, topics and messages.

A folder may hold ``_topics.yaml``: a list of ``{slug, title, description, order}`` naming the
topics that articles point at with ``category: <slug>``. The language of a file is its folder
(``en``, ``nl``, ``fr``) unless the front matter says ``language:``. Terminal messages are
declared in the front matter of the article that fixes them, beside optional search keywords::

    keywords: [wifi, wlan]
    terminalMessages:
      - text: "Card not supported"
        code: ""
        aliases: ["card is not supported"]
        cause: "..."
        fix: "..."
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.conf import settings
from django.utils.text import slugify

from troubleshooting import services
from troubleshooting.markdown import Problem
from troubleshooting.models import Article, Topic

LANGUAGES = {code for code, _name in settings.LANGUAGES}
TOPIC_FILES = ("_topics.yaml", "_topics.yml")
FRONT_MATTER_RE = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", re.S)
README_ID_RE = re.compile(r"\A[0-9a-f]{24}\Z")


class ImportFailed(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


@dataclass
class Page:
    path: Path
    language: str
    slug: str
    title: str
    body: str
    body_first_line: int
    category: str = ""
    excerpt: str = ""
    keywords: str = ""
    order: int = 0
    hidden: bool = False
    parent_slug: str = ""
    messages: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass
class FileReport:
    path: Path
    status: str
    url: str = ""
    problems: list[Problem] = field(default_factory=list)


def collect_files(paths: Iterable[str | Path]) -> tuple[list[Path], list[Path], list[FileReport]]:
    """Markdown files and topic files under ``paths``, in a stable order; missing paths reported."""
    pages: list[Path] = []
    topic_files: list[Path] = []
    missing: list[FileReport] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            pages.extend(sorted(p for p in path.rglob("*.md") if not _is_notes(p)))
            topic_files.extend(sorted(p for p in path.rglob("*") if p.name in TOPIC_FILES))
        elif path.is_file() and path.name in TOPIC_FILES:
            topic_files.append(path)
        elif path.is_file():
            pages.append(path)
        else:
            missing.append(
                FileReport(path, "failed", problems=[Problem(0, "no such file or folder")])
            )
    return pages, topic_files, missing


def _is_notes(path: Path) -> bool:
    """A folder's README.md or _notes.md is for the writers, not a help page."""
    return path.name.lower() == "readme.md" or path.name.startswith("_")


def language_of(path: Path, declared: object = None) -> str:
    if isinstance(declared, str) and declared in LANGUAGES:
        return declared
    for part in reversed(path.parent.parts):
        if part in LANGUAGES:
            return part
    return settings.LANGUAGE_CODE


def read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ImportFailed(Problem(0, f"cannot be read ({error.strerror})")) from error
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ImportFailed(
            Problem(line, "is not UTF-8 text: save it as UTF-8 and import it again")
        ) from error


def parse_page(path: Path) -> Page:
    text = read_text(path).replace("\r\n", "\n").replace("\r", "\n")
    meta: dict = {}
    body, first_line = text, 1
    match = FRONT_MATTER_RE.match(text)
    if match:
        try:
            meta = yaml.safe_load(match.group(1)) or {}
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            line = mark.line + 2 if mark is not None else 1
            problem = getattr(error, "problem", None) or "not valid YAML"
            raise ImportFailed(Problem(line, f"front matter: {problem}")) from error
        if not isinstance(meta, dict):
            raise ImportFailed(Problem(2, "front matter must be 'name: value' lines"))
        body = text[match.end() :]
        first_line = text.count("\n", 0, match.end()) + 1
    problems: list[Problem] = []

    slug = slugify(str(meta.get("slug") or path.stem))
    if not slug:
        raise ImportFailed(Problem(1, "the page has no usable slug"))
    if meta.get("slug") and slug != str(meta["slug"]).strip():
        problems.append(Problem(1, f"slug {meta['slug']!r} is not URL-safe; using {slug!r}"))
    title = str(meta.get("title") or "").strip()
    if not title:
        title = slug.replace("-", " ").capitalize()
        problems.append(Problem(1, f"no title in the front matter; using {title!r}"))
    order = meta.get("order", 0)
    if not isinstance(order, int) or isinstance(order, bool):
        problems.append(Problem(1, f"order {order!r} is not a whole number; using 0"))
        order = 0
    hidden = meta.get("hidden", False)
    if not isinstance(hidden, bool):
        hidden = str(hidden).strip().lower() in {"true", "yes", "1"}
    parent = str(meta.get("parentDoc") or "").strip()
    category = str(meta.get("category") or "").strip()
    return Page(
        path=path,
        language=language_of(path, meta.get("language")),
        slug=slug,
        title=title[:200],
        body=body,
        body_first_line=first_line,
        category="" if README_ID_RE.match(category) else slugify(category),
        excerpt=str(meta.get("excerpt") or "").strip()[:500],
        keywords=_keywords(meta.get("keywords")),
        order=order,
        hidden=hidden,
        parent_slug="" if README_ID_RE.match(parent) else slugify(parent),
        messages=_messages(meta.get("terminalMessages"), problems),
        problems=problems,
    )


def _keywords(raw: object) -> str:
    if isinstance(raw, list):
        raw = ", ".join(str(word) for word in raw)
    return str(raw or "").strip()[:500]


def _messages(raw: object, problems: list[Problem]) -> list[dict]:
    if raw in (None, ""):
        return []
    if not isinstance(raw, list):
        problems.append(Problem(1, "terminalMessages must be a list; messages ignored"))
        return []
    messages = []
    for position, item in enumerate(raw, start=1):
        if isinstance(item, str):
            item = {"text": item}
        if not isinstance(item, dict) or not str(item.get("text") or "").strip():
            problems.append(Problem(1, f"terminal message {position} has no text; ignored"))
            continue
        aliases = item.get("aliases") or []
        item["aliases"] = [aliases] if isinstance(aliases, str) else list(aliases)
        messages.append(item)
    return messages


def import_topics(path: Path) -> list[tuple[Topic, str]]:
    text = read_text(path)
    try:
        entries = yaml.safe_load(text) or []
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise ImportFailed(Problem(mark.line + 1 if mark else 1, "not valid YAML")) from error
    if not isinstance(entries, list):
        raise ImportFailed(Problem(1, "must be a list of topics"))
    language = language_of(path)
    results = []
    for position, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or not entry.get("slug") or not entry.get("title"):
            raise ImportFailed(Problem(1, f"topic {position} needs a slug and a title"))
        results.append(
            services.topic_upsert(
                language=language,
                slug=slugify(str(entry["slug"])),
                title=str(entry["title"]),
                description=str(entry.get("description") or ""),
                order=int(entry.get("order", position * 10)),
            )
        )
    return results


def import_paths(paths: Iterable[str | Path]) -> list[FileReport]:
    """Import every file under ``paths``; one report per file, in order."""
    page_paths, topic_paths, reports = collect_files(paths)
    for topic_path in topic_paths:
        try:
            results = import_topics(topic_path)
        except ImportFailed as failure:
            reports.append(FileReport(topic_path, "failed", problems=[failure.problem]))
            continue
        statuses = {status for _topic, status in results}
        status = next(
            (s for s in (services.CREATED, services.UPDATED) if s in statuses), services.UNCHANGED
        )
        reports.append(FileReport(topic_path, status))

    pages: list[Page] = []
    for page_path in page_paths:
        try:
            pages.append(parse_page(page_path))
        except ImportFailed as failure:
            reports.append(FileReport(page_path, "failed", problems=[failure.problem]))

    known: dict[str, set[str]] = {code: set() for code in LANGUAGES}
    for language, slug in Article.objects.values_list("language", "slug"):
        known.setdefault(language, set()).add(slug)
    for page in pages:
        known.setdefault(page.language, set()).add(page.slug)
    topics = {(topic.language, topic.slug): topic for topic in Topic.objects.all()}

    for page in pages:
        topic = _topic_for(page, topics)
        result = services.article_upsert(
            language=page.language,
            slug=page.slug,
            title=page.title,
            source=page.body,
            topic=topic,
            excerpt=page.excerpt,
            keywords=page.keywords,
            order=page.order,
            hidden=page.hidden,
            parent_slug=page.parent_slug,
            source_path=str(page.path),
            known_slugs=known[page.language] | known[settings.LANGUAGE_CODE],
            first_line=page.body_first_line,
            messages=page.messages,
        )
        problems = page.problems + result.problems
        problems += [
            Problem(
                _line_of(page, f"doc:{slug}"),
                f"link to '{slug}', a page that has not been imported; shown as plain text",
            )
            for slug in result.missing_links
        ]
        reports.append(
            FileReport(page.path, result.status, result.article.get_absolute_url(), problems)
        )
    return reports


def _topic_for(page: Page, topics: dict[tuple[str, str], Topic]) -> Topic | None:
    if not page.category:
        return None
    topic = topics.get((page.language, page.category))
    if topic is None:
        topic, _status = services.topic_upsert(
            language=page.language,
            slug=page.category,
            title=page.category.replace("-", " ").capitalize(),
        )
        topics[(page.language, page.category)] = topic
    return topic


def _line_of(page: Page, needle: str) -> int:
    offset = page.body.find(needle)
    if offset < 0:
        return page.body_first_line
    return page.body_first_line + page.body.count("\n", 0, offset)
