from __future__ import annotations

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from localflavor.be.forms import BEPostalCodeField
from localflavor.nl.forms import NLZipCodeField

from guard.forms import GuardedForm
from returns.models import Return, normalise_serial

# Reasons that a guide often solves: the form shows the guide before the return goes ahead.
GUIDE_FOR_REASON = {
    Return.Reason.NETWORK: "no-connection",
    Return.Reason.PAYMENT: "payment-declined",
}
POSTCODE_FIELDS = {Return.Country.NL: NLZipCodeField, Return.Country.BE: BEPostalCodeField}
POSTCODE_ERRORS = {
    Return.Country.NL: _("Enter a Dutch postcode: four digits and two letters, like 1234 AB."),
    Return.Country.BE: _("Enter a Belgian postcode: four digits, like 1000."),
}
POSTCODE_ANY_ERROR = _("Enter a Dutch postcode like 1234 AB or a Belgian one like 1000.")


def guide_url(slug: str) -> str:
    try:
        return reverse("guides:guide_start", kwargs={"slug": slug})
    except NoReverseMatch:
        # Until the guides are installed: the same address, built by hand.
        language = translation.get_language() or "en"
        prefix = "" if language == "en" else f"/{language}"
        return f"{prefix}/guides/{slug}/"


class ReturnForm(forms.ModelForm, GuardedForm):
    guide_checked = forms.BooleanField(
        label=_("I followed the guide and the problem is still there"), required=False
    )
    postcode = forms.CharField(
        label=_("Postcode"),
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
    )

    class Meta:
        model = Return
        fields = [
            "account_id",
            "serial_number",
            "terminal_model",
            "ticket_reference",
            "reason",
            "description",
            "contact_name",
            "company_name",
            "email",
            "phone",
            "street",
            "house_number",
            "postcode",
            "city",
            "country",
        ]
        help_texts = {
            "account_id": _("Your MultiSafepay account ID, shown at the top of your dashboard."),
            "serial_number": _("On the sticker under the terminal or in Settings > About."),
            "ticket_reference": _(
                "Only return a terminal when support asked you to. Their e-mail gives this "
                "number, for example 172349."
            ),
            "description": _("What happens, since when, and any message on the screen."),
            "phone": _("For the courier delivering your new terminal."),
            "house_number": _("With any addition or box, for example 12A or 12 bus 3."),
        }
        labels = {"company_name": _("Company name"), "email": _("E-mail address")}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5, "maxlength": 2000}),
            "country": forms.RadioSelect,
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TelInput(attrs={"autocomplete": "tel"}),
            "contact_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "company_name": forms.TextInput(attrs={"autocomplete": "organization"}),
            "street": forms.TextInput(attrs={"autocomplete": "address-line1"}),
            "city": forms.TextInput(attrs={"autocomplete": "address-level2"}),
            "account_id": forms.TextInput(attrs={"inputmode": "numeric"}),
        }

    # The fields checked one by one through htmx as the merchant leaves them.
    inline_fields = frozenset(Meta.fields)

    def __init__(self, *args, validate_url: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = [("", _("Choose a reason")), *Return.Reason.choices]
        self.fields["terminal_model"].choices = [
            ("", _("I am not sure")),
            *Return.TerminalModel.choices,
        ]
        self.fields["country"].choices = Return.Country.choices
        self.label_suffix = ""
        for name in ("terminal_model", "description", "phone"):
            field = self.fields[name]
            if not field.required:
                field.label = format_lazy("{} ({})", field.label, _("optional"))
        # Typed with spaces or dashes, a serial is longer than it is once normalised.
        self.fields["serial_number"].max_length = 64
        self.fields["serial_number"].validators = [
            validator
            for validator in self.fields["serial_number"].validators
            if not isinstance(validator, MaxLengthValidator)
        ]
        self.fields["serial_number"].widget.attrs["maxlength"] = 64
        if validate_url:
            for name in self.inline_fields:
                self.fields[name].widget.attrs |= {
                    "hx-post": validate_url,
                    "hx-trigger": "blur changed" if name != "country" else "change",
                    "hx-target": "closest .field",
                    "hx-swap": "outerHTML",
                    "hx-include": "closest form",
                }
            self.fields["reason"].widget.attrs["hx-trigger"] = "change"

    def clean_account_id(self) -> str:
        return "".join(self.cleaned_data["account_id"].split())

    def clean_serial_number(self) -> str:
        return normalise_serial(self.cleaned_data["serial_number"])

    def clean_ticket_reference(self) -> str:
        return "".join(self.cleaned_data["ticket_reference"].split()).lstrip("#")

    def clean_phone(self) -> str:
        return " ".join(self.cleaned_data["phone"].split())

    def clean_idempotency_key(self) -> uuid.UUID | None:
        try:
            return uuid.UUID(self.cleaned_data["idempotency_key"])
        except ValueError:
            return None

    def clean(self) -> dict:
        cleaned = super().clean()
        # One-line details stay on one line wherever they are shown or sent.
        for name in ("contact_name", "company_name", "street", "house_number", "city"):
            if isinstance(cleaned.get(name), str):
                cleaned[name] = " ".join(cleaned[name].split())
        country, postcode = cleaned.get("country"), cleaned.get("postcode")
        if postcode:
            self._clean_postcode(country, postcode)
        if cleaned.get("reason") in GUIDE_FOR_REASON and not cleaned.get("guide_checked"):
            self.add_error(
                "guide_checked",
                _("Please try the guide first. If the problem is still there, tick this box."),
            )
        return cleaned

    def _clean_postcode(self, country: str | None, postcode: str) -> None:
        # Before a country is chosen, a postcode of either country is fine for now.
        countries = [country] if country in POSTCODE_FIELDS else list(POSTCODE_FIELDS)
        for candidate in countries:
            try:
                self.cleaned_data["postcode"] = POSTCODE_FIELDS[candidate]().clean(postcode.upper())
                return
            except ValidationError:
                continue
        self.add_error(
            "postcode",
            POSTCODE_ERRORS.get(country, POSTCODE_ANY_ERROR),
        )

    def validate_unique(self) -> None:
        # returns.services decides on duplicates, where concurrent submissions meet.
        pass

    def guide(self) -> dict[str, str] | None:
        """The guide to show for the chosen reason, if any."""
        reason = self["reason"].value()
        if reason not in GUIDE_FOR_REASON:
            return None
        return {"url": guide_url(GUIDE_FOR_REASON[reason]), "reason": reason}


class ReturnCancelForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes, cancel this return. I will not send the terminal."),
        error_messages={"required": _("Tick the box to confirm that you want to cancel.")},
    )
