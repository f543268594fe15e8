from __future__ import annotations

import factory

from guides.models import Guide, GuideChoice, GuideRun, GuideStep


class GuideFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Guide

    slug = factory.Sequence(lambda n: f"guide-{n}")
    language = "en"
    title = factory.Faker("sentence", nb_words=4)
    is_published = True


class GuideStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GuideStep

    guide = factory.SubFactory(GuideFactory)
    key = factory.Sequence(lambda n: f"step-{n}")
    position = factory.Sequence(lambda n: n)
    kind = GuideStep.Kind.QUESTION
    title = factory.Faker("sentence", nb_words=5)


class GuideChoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GuideChoice

    step = factory.SubFactory(GuideStepFactory)
    label = factory.Faker("word")
    next_step = None


class GuideRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GuideRun

    guide_slug = "no-connection"
    language = "en"
    current_step_key = "icon"
