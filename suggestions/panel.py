"""What the support and return forms need to show suggestions and record the visit.

Each form page carries a visit token (a hidden field; the pages are private, never cached).
With JavaScript the suggestions appear beside the description as the merchant types, and the
answer sets ``suggestions_checked``, so the form is sent in one step. Without JavaScript the
first valid submission is answered by a "Did one of these solve it?" step instead of being
stored; the merchant sends it with "No, send my request".

Nothing typed or attached is lost through that step: a browser never sends a chosen file
again, so on the support form's first page a browser without JavaScript does not offer the
file field at all (``suggestions/nojs.css``, loaded inside ``<noscript>``, hides it and says
photos come next) and the step asks for them. A first submission that carries files (a browser
with JavaScript that submitted before the suggestions came) skips the step, and everything
typed is kept in the form's fields on the step page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import get_language, gettext

from guides.models import new_token
from suggestions.models import SuggestionVisit
from suggestions.selectors import Suggestion, suggestions_for_text
from suggestions.services import suggestion_visit_sent, suggestion_visit_shown
from troubleshooting.search import clean_query

VISIT_FIELD = "suggestion_visit"
CHECKED_FIELD = "suggestions_checked"
SEARCH_FIELD = "search_query"
TOKEN = re.compile(r"[A-Za-z0-9_-]{16,40}")


def visit_token(value: object) -> str:
    """The visit token sent back, or "" when it is missing or not one of ours."""
    text = str(value or "")
    return text if TOKEN.fullmatch(text) else ""


@dataclass
class SuggestionPanel:
    form: str
    visit: str
    search_query: str
    checked: bool
    offers_files: bool
    step: bool = False
    items: list[Suggestion] = field(default_factory=list)

    @property
    def send_label(self) -> str:
        """The send button's words on the step; empty for the form's own."""
        if not (self.step and self.items):
            return ""
        if self.form == SuggestionVisit.Form.RETURN:
            return gettext("No, send my return")
        return gettext("No, send my request")

    @property
    def url(self) -> str:
        query = urlencode({"form": self.form, "visit": self.visit})
        return f"{reverse('suggestions:suggestion_list')}?{query}"

    def step_needed(self, *, text: str, has_files: bool) -> bool:
        """Whether this valid submission gets the "Did one of these solve it?" step first."""
        if not self.visit or self.checked or has_files:
            return False
        language = get_language() or "en"
        self.items = suggestions_for_text(text=text, language=language)
        if not self.items and not self.offers_files:
            return False
        if self.items:
            suggestion_visit_shown(token=self.visit, form=self.form, language=language)
        self.step = self.checked = True
        return True

    def record_sent(self, **request_or_return) -> None:
        """The request was stored: link it to the visit, and to the search that led here."""
        if self.visit or self.search_query:
            suggestion_visit_sent(
                token=self.visit or new_token(),
                form=self.form,
                language=get_language() or "en",
                search_query=self.search_query,
                **request_or_return,
            )


def suggestion_panel(request: HttpRequest, *, form: str, offers_files: bool) -> SuggestionPanel:
    if request.method == "POST":
        data = request.POST
        visit = visit_token(data.get(VISIT_FIELD))
        search_query = data.get(SEARCH_FIELD, "")
    else:
        # A new form page is a new visit; "q" is the search the merchant came from.
        visit, search_query = new_token(), request.GET.get("q", "")
        data = request.GET
    return SuggestionPanel(
        form=form,
        visit=visit,
        search_query=clean_query(search_query),
        checked=bool(data.get(CHECKED_FIELD)),
        offers_files=offers_files,
    )
