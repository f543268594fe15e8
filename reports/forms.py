from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reports.selectors import Period

MAX_DAYS = 366
DEFAULT_DAYS = 28
# Before this there is no data; far earlier dates would also take the previous period out of
# the calendar.
EARLIEST = date(2000, 1, 1)
INVALID = _("Enter a date like 2026-03-31.")


class ReportPeriodForm(forms.Form):
    start = forms.DateField(
        label=_("From"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": INVALID, "required": _("Choose the first day.")},
    )
    end = forms.DateField(
        label=_("Until (included)"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": INVALID, "required": _("Choose the last day.")},
    )

    @staticmethod
    def default_period() -> Period:
        today = timezone.localdate()
        return Period(today - timedelta(days=DEFAULT_DAYS - 1), today)

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        latest = timezone.localdate() + timedelta(days=MAX_DAYS)
        for name, value in (("start", start), ("end", end)):
            if value is not None and not EARLIEST <= value <= latest:
                self.add_error(name, _("Choose a date between 2000 and next year."))
                return cleaned
        if start and end:
            if end < start:
                self.add_error(
                    "end", _("The last day is before the first day: swap them or pick another.")
                )
            elif (end - start).days + 1 > MAX_DAYS:
                self.add_error(
                    "end",
                    _("Choose at most %(days)d days, so the previous period fits beside it.")
                    % {"days": MAX_DAYS},
                )
        return cleaned

    def period(self) -> Period:
        return Period(self.cleaned_data["start"], self.cleaned_data["end"])
