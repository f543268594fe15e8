from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Count, Q
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from troubleshooting import services
from troubleshooting.models import (
    Article,
    ArticleFeedback,
    TerminalMessage,
    Topic,
    ZeroResultSearch,
)


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["title", "language", "slug", "order", "hidden", "article_count"]
    list_filter = ["language", "hidden"]
    list_editable = ["order", "hidden"]
    search_fields = ["title", "slug", "description"]
    prepopulated_fields = {"slug": ["title"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_total=Count("articles"))

    @admin.display(description=_("articles"), ordering="article_total")
    def article_count(self, topic: Topic) -> int:
        return topic.article_total


class TerminalMessageInline(admin.TabularInline):
    model = TerminalMessage
    extra = 0
    fields = ["text", "code", "aliases", "cause", "fix", "order"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = [
        "title", "language", "topic", "order", "hidden", "updated_at", "helpful_yes", "helpful_no",
    ]  # fmt: skip
    list_filter = ["language", "hidden", "topic"]
    list_select_related = ["topic"]
    search_fields = ["title", "slug", "excerpt", "source"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["preview", "updated_at", "created_at", "source_path"]
    inlines = [TerminalMessageInline]

    class Media:
        css = {"all": ["troubleshooting/css/admin-preview.css"]}

    fieldsets = [
        (None, {"fields": ["language", "title", "slug", "topic", "order", "hidden"]}),
        (_("Search"), {"fields": ["excerpt", "keywords"]}),
        (_("Content"), {"fields": ["source", "preview"]}),
        (_("Details"), {"fields": ["parent_slug", "source_path", "created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                yes_total=Count("feedback", filter=Q(feedback__helpful=True)),
                no_total=Count("feedback", filter=Q(feedback__helpful=False)),
            )
        )

    @admin.display(description=_("helpful"), ordering="yes_total")
    def helpful_yes(self, article: Article) -> int:
        return article.yes_total

    @admin.display(description=_("not helpful"), ordering="no_total")
    def helpful_no(self, article: Article) -> int:
        return article.no_total

    @admin.display(description=_("preview (as merchants see it, after saving)"))
    def preview(self, article: Article) -> str:
        if not article.html:
            return _("Save the article to see the preview.")
        # The stored HTML went through the allow-list sanitiser when it was rendered.
        return format_html('<div class="kb-preview">{}</div>', mark_safe(article.html))

    def save_model(self, request, obj: Article, form, change) -> None:
        result = services.article_save(article=obj)
        for problem in result.problems:
            self.message_user(request, str(problem), messages.WARNING)
        for slug in result.missing_links:
            self.message_user(
                request,
                _("The link to '%(slug)s' points at no article; it is shown as plain text.")
                % {"slug": slug},
                messages.WARNING,
            )

    def save_formset(self, request, form, formset, change) -> None:
        # A terminal message is in the language of the article it belongs to.
        for message_form in formset.forms:
            if hasattr(message_form, "instance") and form.instance.pk:
                message_form.instance.language = form.instance.language
        super().save_formset(request, form, formset, change)


@admin.register(TerminalMessage)
class TerminalMessageAdmin(admin.ModelAdmin):
    list_display = ["text", "code", "language", "article", "order"]
    list_filter = ["language"]
    list_editable = ["order"]
    list_select_related = ["article"]
    search_fields = ["text", "code", "cause", "fix"]
    autocomplete_fields = ["article"]
    exclude = ["language"]

    def save_model(self, request, obj: TerminalMessage, form, change) -> None:
        obj.language = obj.article.language
        super().save_model(request, obj, form, change)


@admin.register(ArticleFeedback)
class ArticleFeedbackAdmin(admin.ModelAdmin):
    list_display = ["article", "language", "helpful", "reason", "updated_at"]
    list_filter = ["helpful", "language"]
    list_select_related = ["article"]
    search_fields = ["reason", "article__title"]
    readonly_fields = ["article", "language", "helpful", "reason", "created_at", "updated_at"]
    exclude = ["voter"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(ZeroResultSearch)
class ZeroResultSearchAdmin(admin.ModelAdmin):
    list_display = ["query", "language", "count", "first_searched_at", "last_searched_at"]
    list_filter = ["language"]
    search_fields = ["query"]
    readonly_fields = ["query", "language", "count", "first_searched_at", "last_searched_at"]

    def has_add_permission(self, request) -> bool:
        return False
