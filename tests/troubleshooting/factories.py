from __future__ import annotations

import factory

from troubleshooting import services
from troubleshooting.models import Article, TerminalMessage, Topic


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ["language", "slug"]

    language = "en"
    slug = factory.Sequence(lambda n: f"topic-{n}")
    title = factory.Faker("sentence", nb_words=2)
    description = factory.Faker("sentence")


class ArticleFactory(factory.django.DjangoModelFactory):
    """An article saved through the service, so its HTML is rendered like an imported one."""

    class Meta:
        model = Article

    language = "en"
    slug = factory.Sequence(lambda n: f"article-{n}")
    title = factory.Faker("sentence", nb_words=4)
    topic = factory.SubFactory(TopicFactory, language=factory.SelfAttribute("..language"))
    source = factory.Faker("paragraph")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        article = model_class(*args, **kwargs)
        services.article_save(article=article)
        return article


class TerminalMessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TerminalMessage

    article = factory.SubFactory(ArticleFactory)
    language = factory.SelfAttribute("article.language")
    text = factory.Sequence(lambda n: f"Error {n} on the screen")
    fix = "Restart the terminal."
