"""Loading the bundled guide files (content/guides/*.yaml) into the database."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from guides.models import Guide, GuideChoice, GuideStep
from guides.selectors import (
    ChoiceNode,
    GuideGraph,
    StepNode,
    guide_problems,
)

# Labels of an instruction's two answers, translated when a guide file is loaded.
FIXED_LABEL = gettext_noop("This fixed it")
NOT_FIXED_LABEL = gettext_noop("Still not working")


class GuideFileError(ValueError):
    pass


@dataclass(frozen=True)
class LoadResult:
    slug: str
    language: str
    action: str  # "created", "updated", "unchanged" or "kept admin edits"


def _text(value: Any, language: str, where: str) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dict):
        text = value.get(language) or value.get("en")
        if text is None:
            raise GuideFileError(f"{where}: no text for language {language!r}")
        return str(text).strip()
    raise GuideFileError(f"{where}: expected text or a mapping of languages, got {value!r}")


def _guide_spec(data: dict[str, Any], language: str) -> tuple[dict[str, Any], list[dict]]:
    """The guide's fields and its steps (with answers) in one language, from a guide file."""
    slug = data.get("slug")
    if not slug or not isinstance(data.get("steps"), list):
        raise GuideFileError("a guide file needs a 'slug' and a list of 'steps'")
    fields = {
        "title": _text(data.get("title"), language, f"{slug}: title"),
        "summary": _text(data.get("summary"), language, f"{slug}: summary"),
        "keywords": _text(data.get("keywords"), language, f"{slug}: keywords"),
        "position": int(data.get("position", 0)),
    }
    steps = []
    keys = [raw.get("key") for raw in data["steps"]]
    for key in keys:
        if not key or keys.count(key) > 1:
            raise GuideFileError(
                f"{slug}: every step needs its own key; {key!r} is missing or twice"
            )
    with translation.override(language):
        for raw in data["steps"]:
            key = raw.get("key")
            where = f"{slug}/{key}"
            kind = raw.get("kind", "question")
            if kind not in GuideStep.Kind.values:
                raise GuideFileError(f"{where}: unknown kind {kind!r}")
            choices = [
                {"label": _text(choice.get("label"), language, where), "next": choice.get("next")}
                for choice in raw.get("choices", [])
            ]
            if kind == GuideStep.Kind.INSTRUCTION:
                # An instruction may name its two answers ("It worked"), else the usual ones.
                choices = [
                    {
                        "label": _text(raw.get("fixed_label"), language, where) or _(FIXED_LABEL),
                        "next": raw.get("fixed"),
                    },
                    {
                        "label": _text(raw.get("not_fixed_label"), language, where)
                        or _(NOT_FIXED_LABEL),
                        "next": raw.get("not_fixed"),
                    },
                ]
            steps.append(
                {
                    "key": key,
                    "kind": kind,
                    "title": _text(raw.get("title"), language, f"{where}: title"),
                    "body": _text(raw.get("body"), language, f"{where}: body"),
                    "article_slug": raw.get("article", ""),
                    "return_reason": raw.get("return_reason", ""),
                    "choices": choices,
                }
            )
    return fields, steps


def _graph_of_spec(slug: str, language: str, steps: list[dict]) -> GuideGraph:
    return GuideGraph(
        pk=None,
        slug=slug,
        language=language,
        title="",
        steps={
            step["key"]: StepNode(
                key=step["key"],
                kind=step["kind"],
                title=step["title"],
                body=step["body"],
                return_reason=step["return_reason"],
                choices=tuple(
                    ChoiceNode(id=index, label=choice["label"], next_key=choice["next"])
                    for index, choice in enumerate(step["choices"])
                ),
            )
            for step in steps
        },
        start_key=steps[0]["key"] if steps else None,
    )


def guide_load_file(*, path: Path, force: bool = False) -> list[LoadResult]:
    """Load one guide file in every language, keeping edits made in the admin unless forced.

    A file is only loaded when it changed since the last load, so running the loader again
    changes nothing; a file with problems is refused whole, before anything is written.
    """
    raw = path.read_bytes()
    checksum = hashlib.sha256(raw).hexdigest()
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as error:
        raise GuideFileError(f"{path.name}: not valid YAML: {error}") from error
    if not isinstance(data, dict):
        raise GuideFileError(f"{path.name}: expected a mapping at the top")
    specs = {}
    for language, _name in settings.LANGUAGES:
        fields, steps = _guide_spec(data, language)
        problems = guide_problems(_graph_of_spec(data["slug"], language, steps))
        if problems:
            raise GuideFileError(f"{path.name} ({language}): " + " ".join(problems))
        specs[language] = (fields, steps)
    results = []
    with transaction.atomic():
        for language, (fields, steps) in specs.items():
            guide = Guide.objects.filter(slug=data["slug"], language=language).first()
            if guide is not None and guide.source_checksum == checksum and not force:
                results.append(LoadResult(guide.slug, language, "unchanged"))
                continue
            if guide is not None and guide.edited_in_admin and not force:
                results.append(LoadResult(guide.slug, language, "kept admin edits"))
                continue
            action = "updated" if guide else "created"
            guide = guide or Guide(slug=data["slug"], language=language)
            for name, value in fields.items():
                setattr(guide, name, value)
            guide.source_checksum = checksum
            guide.edited_in_admin = False
            guide.is_published = True
            guide.full_clean()
            guide.save()
            _guide_replace_steps(guide=guide, steps=steps)
            results.append(LoadResult(guide.slug, language, action))
    return results


def _guide_replace_steps(*, guide: Guide, steps: list[dict]) -> None:
    guide.steps.all().delete()
    saved: dict[str, GuideStep] = {}
    for position, spec in enumerate(steps):
        step = GuideStep(
            guide=guide,
            key=spec["key"],
            position=position,
            kind=spec["kind"],
            title=spec["title"],
            body=spec["body"],
            article_slug=spec["article_slug"],
            return_reason=spec["return_reason"],
        )
        step.full_clean(exclude=["guide"])
        step.save()
        saved[step.key] = step
    for spec in steps:
        for position, choice_spec in enumerate(spec["choices"]):
            choice = GuideChoice(
                step=saved[spec["key"]],
                label=choice_spec["label"],
                next_step=saved[choice_spec["next"]],
                position=position,
            )
            choice.full_clean()
            choice.save()


def guides_load_directory(*, directory: Path, force: bool = False) -> list[LoadResult]:
    results = []
    for path in sorted(directory.glob("*.yaml")):
        results.extend(guide_load_file(path=path, force=force))
    return results
