"""One mechanism against robots and repeats for every public form that sends e-mail.

A form inherits ``GuardedForm`` (a honeypot, an idempotency key, and a signed stamp of when
the form was shown, bound to that key), and its view asks the form's ``FormGuard`` before it
stores anything: a filled honeypot, a form sent back too fast or after too long, a stamp
taken from another form, and too many submissions from one client are each refused with a
message a merchant understands, keeping everything they typed.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core import signing
from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import is_ratelimited

from guard.client import ratelimit_key

STAMP_SALT = "guard.form.shown"


def form_stamp(*, key: str, now: float | None = None) -> str:
    """When the form with this idempotency key was shown, signed so it cannot be forged."""
    shown = int(time.time() if now is None else now)
    return signing.dumps({"key": key, "shown": shown}, salt=STAMP_SALT)


def stamp_age(stamp: str, *, key: str) -> float | None:
    """Seconds since the form was shown; None when the stamp is missing, forged or not its own."""
    try:
        data = signing.loads(stamp, salt=STAMP_SALT)
        if data["key"] != key:
            return None
        return time.time() - int(data["shown"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


class GuardedForm(forms.Form):
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    idempotency_key = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
    started = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)

    GUARD_FIELDS = frozenset({"website", "idempotency_key", "started"})

    @staticmethod
    def guard_initial() -> dict[str, str]:
        """The hidden values of a newly shown form."""
        key = str(uuid.uuid4())
        return {"idempotency_key": key, "started": form_stamp(key=key)}

    @property
    def honeypot_filled(self) -> bool:
        return bool(self.data.get("website"))

    def stamp_age(self) -> float | None:
        return stamp_age(
            str(self.data.get("started", "")), key=str(self.data.get("idempotency_key", ""))
        )

    def restamp(self) -> None:
        """Shown again after a refusal: a fresh stamp, so sending it once more goes through."""
        data = self.data.copy()
        # Only a key this portal could have made is signed again: any other text would be
        # stamped as valid and reach the stores, which keep keys of a fixed form.
        try:
            key = str(uuid.UUID(str(data.get("idempotency_key") or "")))
        except ValueError:
            key = str(uuid.uuid4())
        data["idempotency_key"] = key
        data["started"] = form_stamp(key=key)
        self.data = data


@dataclass(frozen=True)
class Refusal:
    status: int
    notice: str | Promise


HONEYPOT_NOTICE = _(
    "Your form could not be sent. Please leave the field “Leave this field empty” empty and "
    "send the form again."
)
TOO_QUICK_NOTICE = _(
    "That was quicker than we expected. Please check your details and send the form again."
)
TOO_OLD_NOTICE = _(
    "This form was open for a long time. Please check your details and send the form again."
)


@dataclass(frozen=True)
class FormGuard:
    """The protection of one public form: its rate-limit scope, its limit and what it says.

    Used as a decorator on the form's view, it also lets ``RequestSizeLimitMiddleware`` count
    a refused oversize upload against the same limit.
    """

    scope: str
    rate_setting: str
    limited_notice: str | Promise

    def __call__(self, view: Callable) -> Callable:
        view.form_guard = self
        return view

    def count(self, request: HttpRequest) -> bool:
        """Count one submission from this client; True when it is over the limit."""
        rate = getattr(settings, self.rate_setting)
        return is_ratelimited(
            request, group=self.scope, key=ratelimit_key, rate=rate, increment=True
        )

    def refusal(self, request: HttpRequest, form: GuardedForm) -> Refusal | None:
        """Why this submission is refused, or None when it may be stored.

        Robots are refused before the form is validated, so they learn nothing from its
        errors. Refused submissions count against the limit like stored ones; a form that
        only needs correcting does not.
        """
        robot = _robot_refusal(form)
        if robot is not None:
            return Refusal(429, self.limited_notice) if self.count(request) else robot
        if form.is_valid() and self.count(request):
            return Refusal(429, self.limited_notice)
        return None


def _robot_refusal(form: GuardedForm) -> Refusal | None:
    if form.honeypot_filled:
        return Refusal(400, HONEYPOT_NOTICE)
    age = form.stamp_age()
    if age is None or age < settings.FORM_MIN_FILL_SECONDS:
        form.restamp()
        return Refusal(400, TOO_QUICK_NOTICE)
    if age > settings.FORM_MAX_AGE_SECONDS:
        form.restamp()
        return Refusal(400, TOO_OLD_NOTICE)
    return None
