"""Changes to merchants' runs through a guide: each answer, and starting over."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from guides.models import GuideRun, GuideStep
from guides.selectors import ChoiceNode, GuideGraph, StepNode

OUTCOME_OF_KIND = {
    GuideStep.Kind.RESOLVED: GuideRun.Outcome.RESOLVED,
    GuideStep.Kind.SUPPORT: GuideRun.Outcome.ESCALATED,
    GuideStep.Kind.RETURN: GuideRun.Outcome.ESCALATED,
}


def guide_run_record_answer(
    *,
    graph: GuideGraph,
    step: StepNode,
    choice: ChoiceNode,
    run_token: str,
    may_start_run: Callable[[], bool] = lambda: True,
) -> GuideRun | None:
    """Append one answer to the merchant's run (starting a run on the first answer).

    None when there is no run to continue and ``may_start_run`` says no new one may start
    (one client starting runs without end): the merchant walks on, unrecorded.

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
            if not may_start_run():
                return None
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
