"""Recording a form visit: suggestions shown, a suggestion opened, the request still sent."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from returns.models import Return
from suggestions.models import SuggestionVisit
from support.models import SupportRequest


def suggestion_visit_shown(*, token: str, form: str, language: str) -> None:
    """Count one showing of suggestions; the visit's row is made the first time."""
    if SuggestionVisit.objects.filter(token=token).update(shown_count=F("shown_count") + 1):
        return
    try:
        with transaction.atomic():
            SuggestionVisit.objects.create(token=token, form=form, language=language, shown_count=1)
    except IntegrityError:
        # Two showings of a new visit at once: the other one made the row.
        SuggestionVisit.objects.filter(token=token).update(shown_count=F("shown_count") + 1)


def suggestion_visit_opened(*, token: str, opened: str) -> None:
    """A suggestion was opened; only for a visit that was shown suggestions."""
    SuggestionVisit.objects.filter(token=token).update(
        opened_count=F("opened_count") + 1, opened=opened[:120]
    )


def suggestion_visit_sent(
    *,
    token: str,
    form: str,
    language: str,
    search_query: str = "",
    support_request: SupportRequest | None = None,
    return_request: Return | None = None,
) -> None:
    """The merchant still sent the request: link it to the visit."""
    values = {
        "sent_at": timezone.now(),
        "support_request": support_request,
        "return_request": return_request,
    }
    if search_query:
        values["search_query"] = search_query[:200]
    SuggestionVisit.objects.update_or_create(
        token=token, defaults=values, create_defaults={**values, "form": form, "language": language}
    )
