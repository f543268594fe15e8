"""The form behind support's workflow buttons on a return's admin page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from returns.models import OPEN_STATUS_VALUES, Return, normalise_serial
from returns.services import MERCHANT_STATUS_EMAILS

S = Return.Status

# What the button says, from the agent's side of the desk.
TRANSITION_ACTIONS = {
    S.SUBMITTED: _("Merchant answered: review again"),
    S.APPROVED: _("Approve"),
    S.REJECTED: _("Reject"),
    S.NEEDS_INFO: _("Ask for more information"),
    S.AWAITING_DEVICE: _("Waiting for the terminal"),
    S.RECEIVED: _("Mark terminal received"),
    S.REPLACEMENT_SHIPPED: _("Replacement shipped"),
    S.CLOSED: _("Close"),
    S.CANCELLED: _("Cancel the return"),
}
# The fields each step asks for; the required ones first.
TRANSITION_FIELDS = {
    S.REJECTED: ("reason",),
    S.NEEDS_INFO: ("note",),
    S.REPLACEMENT_SHIPPED: ("tracking_code", "note"),
}
REQUIRED_FIELDS = {
    S.REJECTED: "reason",
    S.NEEDS_INFO: "note",
    S.REPLACEMENT_SHIPPED: "tracking_code",
}


class ReturnTransitionForm(forms.Form):
    to_status = forms.ChoiceField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason for rejecting"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The merchant reads this in the e-mail and on the tracking page."),
    )
    tracking_code = forms.CharField(
        label=_("Tracking code of the replacement"), required=False, max_length=100
    )
    note = forms.CharField(
        label=_("Message to the merchant"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Shown on the tracking page and in any e-mail. Keep internal remarks for the notes."
        ),
    )

    def __init__(self, *args, rma: Return, to_status: str = "", **kwargs) -> None:
        if to_status:
            kwargs.setdefault("auto_id", f"id_{to_status}_%s")
        super().__init__(*args, **kwargs)
        self.rma = rma
        self.fields["to_status"].choices = [
            (value, Return.Status(value).label) for value in rma.allowed_transitions()
        ]
        self.step = self.data.get("to_status", "") if self.is_bound else to_status
        self.fields["to_status"].initial = self.step
        required = REQUIRED_FIELDS.get(self.step)
        if required:
            self.fields[required].required = True
        if self.step == S.NEEDS_INFO:
            self.fields["note"].label = _("Which information do you need?")

    @property
    def action(self) -> str:
        return str(TRANSITION_ACTIONS.get(self.step, self.step))

    @property
    def emails_merchant(self) -> bool:
        return self.step in MERCHANT_STATUS_EMAILS

    @property
    def is_allowed(self) -> bool:
        return self.step in self.rma.allowed_transitions()

    def shown_fields(self) -> list[forms.BoundField]:
        names = TRANSITION_FIELDS.get(self.step, ("note",))
        return [self[name] for name in names]

    @classmethod
    def for_each_next_step(cls, *, rma: Return) -> list[ReturnTransitionForm]:
        """One small unbound form per step the workflow allows from here."""
        return [cls(rma=rma, to_status=value) for value in rma.allowed_transitions()]


class ReturnAdminForm(forms.ModelForm):
    """A return's own fields as support edits them, serial checked against other open returns.

    The status is read-only here, so the database's one-open-return-per-terminal rule is not
    checked by the model's validation: the form says which return holds the serial instead.
    """

    class Meta:
        model = Return
        # The admin's fieldsets decide which fields are shown; this one is checked here.
        fields = ["serial_number"]

    def clean_serial_number(self) -> str:
        serial = normalise_serial(self.cleaned_data["serial_number"])
        if self.instance.status in OPEN_STATUS_VALUES:
            holder = (
                Return.objects.filter(serial_number=serial, status__in=OPEN_STATUS_VALUES)
                .exclude(pk=self.instance.pk)
                .values_list("rma_number", flat=True)
                .first()
            )
            if holder:
                raise forms.ValidationError(
                    _(
                        "Return %(rma_number)s is already open for this terminal. Close or "
                        "cancel it first, or correct the serial number."
                    )
                    % {"rma_number": holder}
                )
        return serial
