"""One visit of a request form: were articles suggested, was one opened, was the request sent?"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from returns.models import Return
from support.models import SupportRequest


class SuggestionVisit(models.Model):
    class Form(models.TextChoices):
        SUPPORT = "support", _("Support request")
        RETURN = "return", _("Return")

    # Given with the private form page; the row exists once something was shown or sent.
    token = models.CharField(max_length=40, unique=True)
    form = models.CharField(_("form"), max_length=10, choices=Form)
    language = models.CharField(_("language"), max_length=8)
    created_at = models.DateTimeField(_("started"), default=timezone.now, db_index=True)
    shown_count = models.PositiveIntegerField(_("times suggestions were shown"), default=0)
    opened_count = models.PositiveIntegerField(_("suggestions opened"), default=0)
    opened = models.CharField(_("last suggestion opened"), max_length=120, blank=True)
    # What the merchant searched for before choosing "contact support", if they came that way.
    search_query = models.CharField(_("search before"), max_length=200, blank=True)
    sent_at = models.DateTimeField(_("request sent"), null=True, blank=True)
    support_request = models.ForeignKey(
        SupportRequest, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    return_request = models.ForeignKey(
        Return, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("form visit")
        verbose_name_plural = _("form visits")

    def __str__(self) -> str:
        return f"{self.form} {self.created_at:%Y-%m-%d %H:%M}"
