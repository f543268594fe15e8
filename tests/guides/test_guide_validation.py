"""A guide is publishable only when every step is reachable and every path ends in an outcome."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from guides.models import Guide, GuideStep
from guides.selectors import guide_problems_for

from .factories import GuideChoiceFactory, GuideFactory, GuideStepFactory

pytestmark = pytest.mark.django_db

Kind = GuideStep.Kind


def sound_guide() -> tuple[Guide, dict[str, GuideStep]]:
    """Question -> instruction -> resolved / support, with a "try again" loop back."""
    guide = GuideFactory(slug="sound")
    steps = {
        "ask": GuideStepFactory(guide=guide, key="ask", position=0),
        "fix": GuideStepFactory(guide=guide, key="fix", position=1, kind=Kind.INSTRUCTION),
        "retry": GuideStepFactory(guide=guide, key="retry", position=2),
        "done": GuideStepFactory(guide=guide, key="done", position=3, kind=Kind.RESOLVED),
        "help": GuideStepFactory(guide=guide, key="help", position=4, kind=Kind.SUPPORT),
    }
    GuideChoiceFactory(step=steps["ask"], label="Red", next_step=steps["fix"])
    GuideChoiceFactory(step=steps["ask"], label="Green", next_step=steps["done"])
    GuideChoiceFactory(step=steps["fix"], label="Fixed", next_step=steps["done"])
    GuideChoiceFactory(step=steps["fix"], label="Not fixed", next_step=steps["retry"])
    GuideChoiceFactory(step=steps["retry"], label="Try again", next_step=steps["ask"])
    GuideChoiceFactory(step=steps["retry"], label="Give up", next_step=steps["help"])
    return guide, steps


def test_a_guide_with_a_try_again_loop_has_no_problems():
    guide, _ = sound_guide()

    assert guide_problems_for(guide=guide) == []


def test_an_unreachable_step_is_named():
    guide, _ = sound_guide()
    GuideStepFactory(guide=guide, key="orphan", position=9, kind=Kind.RESOLVED)

    problems = guide_problems_for(guide=guide)

    assert problems == [
        'Step "orphan" cannot be reached from the first step "ask": no answer leads to it.'
    ]


def test_a_dead_end_question_is_named():
    guide, steps = sound_guide()
    stuck = GuideStepFactory(guide=guide, key="stuck", position=9)
    GuideChoiceFactory(step=steps["ask"], label="Blue", next_step=stuck)

    problems = guide_problems_for(guide=guide)

    assert len(problems) == 1
    assert 'Step "stuck" is a dead end' in problems[0]
    assert "Add answers or make it an outcome" in problems[0]


def test_a_dangling_answer_is_named():
    guide, steps = sound_guide()
    GuideChoiceFactory(step=steps["ask"], label="Blinking", next_step=None)

    assert guide_problems_for(guide=guide) == [
        'The answer "Blinking" of step "ask" does not lead to any step.'
    ]


def test_an_answer_into_another_guide_counts_as_dangling():
    guide, steps = sound_guide()
    other = GuideStepFactory(kind=Kind.RESOLVED)
    GuideChoiceFactory(step=steps["ask"], label="Elsewhere", next_step=other)

    assert guide_problems_for(guide=guide) == [
        'The answer "Elsewhere" of step "ask" does not lead to any step.'
    ]


def test_a_loop_without_a_way_out_is_named():
    guide = GuideFactory()
    first = GuideStepFactory(guide=guide, key="first", position=0)
    second = GuideStepFactory(guide=guide, key="second", position=1)
    GuideChoiceFactory(step=first, label="On", next_step=second)
    GuideChoiceFactory(step=second, label="Back", next_step=first)

    problems = guide_problems_for(guide=guide)

    assert any('From step "first" no path ends in an outcome' in p for p in problems)
    assert any('From step "second" no path ends in an outcome' in p for p in problems)


def test_a_return_without_reason_is_named():
    guide, steps = sound_guide()
    send = GuideStepFactory(guide=guide, key="send", position=9, kind=Kind.RETURN)
    GuideChoiceFactory(step=steps["retry"], label="Send it", next_step=send)

    assert guide_problems_for(guide=guide) == [
        'Step "send" sends the terminal back but has no return reason.'
    ]


def test_the_loader_refuses_a_broken_guide_file_whole(tmp_path: Path):
    (tmp_path / "broken.yaml").write_text(
        """
slug: broken
title: Broken
steps:
  - key: ask
    title: Is it on?
    choices:
      - {label: "Yes", next: done}
      - {label: "No", next: nowhere}
  - key: done
    kind: resolved
    title: Done
  - key: lost
    kind: support
    title: Nobody comes here
""",
        encoding="utf-8",
    )

    with pytest.raises(CommandError) as refused:
        call_command("load_guides", str(tmp_path))

    message = str(refused.value)
    assert 'The answer "No" of step "ask" does not lead to any step.' in message
    assert 'Step "lost" cannot be reached from the first step "ask"' in message
    assert not Guide.objects.filter(slug="broken").exists()


def test_the_admin_shows_problems_in_words_and_refuses_to_publish(admin_client):
    guide, steps = sound_guide()
    GuideStepFactory(guide=guide, key="orphan", position=9, kind=Kind.RESOLVED)
    change_url = reverse("admin:guides_guide_change", args=[guide.pk])

    page = admin_client.get(change_url)

    assert "cannot be reached from the first step" in page.text
    assert "orphan" in page.text

    form = {
        "slug": guide.slug,
        "language": "en",
        "title": "Sound guide",
        "summary": "",
        "keywords": "",
        "position": 0,
        "is_published": "on",
        "steps-TOTAL_FORMS": 0,
        "steps-INITIAL_FORMS": 0,
    }
    saved = admin_client.post(change_url, form, follow=True)

    assert "was saved but not published" in saved.text
    guide.refresh_from_db()
    assert guide.is_published is False
    assert guide.edited_in_admin is True
    # The unpublished guide is gone from the site until it is fixed.
    start_url = reverse("guides:guide_start", args=[guide.slug])
    assert admin_client.get(start_url).status_code == 404


def test_a_steps_answers_can_only_lead_to_steps_of_the_same_guide(admin_client):
    guide, steps = sound_guide()
    stranger = GuideStepFactory(key="stranger", kind=Kind.RESOLVED)

    page = admin_client.get(reverse("admin:guides_guidestep_change", args=[steps["ask"].pk]))

    assert page.status_code == 200
    options = page.context["inline_admin_formsets"][0].formset.forms[0].fields["next_step"]
    offered = set(options.queryset.values_list("key", flat=True))
    assert offered == {"ask", "fix", "retry", "done", "help"}
    assert stranger.key not in offered


def test_fixing_a_step_in_the_admin_shows_on_the_site_at_once(admin_client, client):
    guide, steps = sound_guide()
    client.get(f"/guides/{guide.slug}/")  # the guide is now cached
    step = steps["ask"]
    choices = list(step.choices.all())
    form = {
        "guide": guide.pk,
        "position": 0,
        "key": "ask",
        "kind": "question",
        "title": "Which colour is the icon now?",
        "body": "",
        "article_slug": "",
        "return_reason": "",
        "choices-TOTAL_FORMS": len(choices),
        "choices-INITIAL_FORMS": len(choices),
    }
    for index, choice in enumerate(choices):
        form |= {
            f"choices-{index}-id": choice.pk,
            f"choices-{index}-step": step.pk,
            f"choices-{index}-position": index,
            f"choices-{index}-label": choice.label,
            f"choices-{index}-next_step": choice.next_step_id,
        }

    saved = admin_client.post(reverse("admin:guides_guidestep_change", args=[step.pk]), form)

    assert saved.status_code == 302
    assert "Which colour is the icon now?" in client.get(f"/guides/{guide.slug}/").text


def test_the_loader_names_a_step_key_used_twice(tmp_path: Path):
    (tmp_path / "twice.yaml").write_text(
        "slug: twice\ntitle: Twice\nsteps:\n"
        "  - {key: ask, title: Ask, choices: [{label: 'Yes', next: ask}]}\n"
        "  - {key: ask, kind: resolved, title: Done}\n",
        encoding="utf-8",
    )

    with pytest.raises(CommandError, match="every step needs its own key; 'ask'"):
        call_command("load_guides", str(tmp_path))
