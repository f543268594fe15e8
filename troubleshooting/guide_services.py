"""Changes for guided troubleshooting: recording runs, loading bundled guides, support requests."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from outbox.services import outbox_message_queue
from troubleshooting.guide_models import (
    Guide,
    GuideChoice,
    GuideRun,
    GuideStep,
    SupportAttachment,
    SupportRequest,
    new_token,
)
from troubleshooting.guide_selectors import (
    ChoiceNode,
    GuideGraph,
    StepNode,
    guide_problems,
    guide_run_path_text,
    guide_suggestion_index_forget,
)

# Labels of an instruction's two answers, translated when a guide file is loaded.
FIXED_LABEL = gettext_noop("This fixed it")
NOT_FIXED_LABEL = gettext_noop("Still not working")
OUTCOME_OF_KIND = {
    GuideStep.Kind.RESOLVED: GuideRun.Outcome.RESOLVED,
    GuideStep.Kind.SUPPORT: GuideRun.Outcome.ESCALATED,
    GuideStep.Kind.RETURN: GuideRun.Outcome.ESCALATED,
}


def guide_run_record_answer(
    *, graph: GuideGraph, step: StepNode, choice: ChoiceNode, run_token: str
) -> GuideRun:
    """Append one answer to the merchant's run (starting a run on the first answer).

    Answering a step already on the path again means the merchant went back: the answers
    after it are dropped, so the path support sees is the one actually followed.
    """
    next_step = graph.steps[choice.next_key] if choice.next_key else None
    now = timezone.now()
    with transaction.atomic():
        run = (
            GuideRun.objects.select_for_update().filter(token=run_token, guide_id=graph.pk).first()
            if run_token
            else None
        )
        if run is None:
            run = GuideRun(guide_id=graph.pk, guide_slug=graph.slug, language=graph.language)
        path = list(run.path)
        earlier = [index for index, entry in enumerate(path) if entry["step"] == step.key]
        if earlier and path[-1]["next"] != step.key:
            path = path[: earlier[-1]]
        path.append(
            {
                "step": step.key,
                "kind": step.kind,
                "title": step.title,
                "answer": choice.label,
                "next": choice.next_key,
                "at": now.isoformat(timespec="seconds"),
            }
        )
        run.path = path
        run.current_step_key = choice.next_key or step.key
        run.updated_at = now
        if next_step is not None and next_step.is_outcome:
            run.outcome = OUTCOME_OF_KIND[next_step.kind]
            run.outcome_kind = next_step.kind
            run.finished_at = now
        else:
            run.outcome = GuideRun.Outcome.IN_PROGRESS
            run.outcome_kind = ""
            run.finished_at = None
        run.full_clean()
        run.save()
    return run


def guide_run_abandon(*, run_token: str) -> None:
    """ "Start over": an unfinished run ends as abandoned where the merchant stopped."""
    GuideRun.objects.filter(token=run_token, outcome=GuideRun.Outcome.IN_PROGRESS).update(
        outcome=GuideRun.Outcome.ABANDONED, finished_at=timezone.now()
    )


# --- loading bundled guides -------------------------------------------------------------


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
    guide_suggestion_index_forget()
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


# --- support requests -------------------------------------------------------------------


def support_request_create(
    *,
    account_id: str,
    serial_number: str,
    description: str,
    contact_name: str,
    email: str,
    phone: str = "",
    language: str,
    guide_run: GuideRun | None = None,
    attachments: list[tuple[UploadedFile, str]] | None = None,
    submission_key: str | None = None,
) -> SupportRequest:
    """Store a request and queue the e-mails to support and to the merchant, all or nothing.

    A form sent twice with the same submission key returns the request filed the first time.
    """
    if submission_key:
        earlier = SupportRequest.objects.filter(submission_key=submission_key).first()
        if earlier is not None:
            return earlier
    with translation.override("en"):
        path_text = guide_run_path_text(run=guide_run)
    request = SupportRequest(
        account_id=account_id,
        serial_number=serial_number,
        description=description,
        contact_name=contact_name,
        email=email,
        phone=phone,
        language=language,
        guide_run=guide_run,
        guide_path_text=path_text,
        submission_key=submission_key or new_token(),
    )
    request.full_clean()
    with transaction.atomic():
        request.save()
        for upload, kind in attachments or []:
            attachment = SupportAttachment(
                support_request=request,
                file=upload,
                original_name=upload.name[:200],
                kind=kind,
                content_type=upload.content_type or "",
                size=upload.size,
            )
            attachment.full_clean(exclude=["support_request"])
            attachment.save()
        _support_request_queue_mail(request=request)
    return request


def _support_request_queue_mail(*, request: SupportRequest) -> None:
    attachments = list(request.attachments.all())
    admin_url = settings.SITE_URL + f"/admin/troubleshooting/supportrequest/{request.pk}/change/"
    # Support reads English; the merchant reads the language they used.
    with translation.override("en"):
        outbox_message_queue(
            to=settings.SUPPORT_EMAIL,
            reply_to=request.email,
            subject=_("Support request %(reference)s: terminal %(serial)s, account %(account)s")
            % {
                "reference": request.reference,
                "serial": request.serial_number,
                "account": request.account_id,
            },
            body_text=render_to_string(
                "troubleshooting/support_email_to_support.txt",
                {"request": request, "attachments": attachments, "admin_url": admin_url},
            ),
            language="en",
            reference=request.reference,
        )
    with translation.override(request.language):
        outbox_message_queue(
            to=request.email,
            reply_to=settings.SUPPORT_EMAIL,
            subject=_("We received your support request %(reference)s")
            % {"reference": request.reference},
            body_text=render_to_string(
                "troubleshooting/support_email_to_merchant.txt",
                {"request": request, "attachments": attachments},
            ),
            language=request.language,
            reference=request.reference,
        )
