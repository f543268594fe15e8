from __future__ import annotations

import re

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from guard.forms import GuardedForm
from support.attachments import MAX_FILES, CheckedFile, attachment_check

DESCRIPTION_MAX_LENGTH = 2000


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        # Each file is checked by its content in the form's clean_files, with its name in
        # every message; here only that something was sent when something must be.
        files = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        if self.required and not files:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return files


def attachments_field() -> MultipleFileField:
    """The photos-or-video field of every merchant form; see ``checked_uploads``."""
    return MultipleFileField(
        label=_("Photos or a short video (optional)"),
        required=False,
        help_text=_(
            "Up to 5 files. Photos (JPEG, PNG, WebP, HEIC) up to 10 MB each, "
            "videos (MP4, MOV, WebM) up to 50 MB."
        ),
        widget=MultipleFileInput(attrs={"accept": "image/*,video/mp4,video/quicktime,video/webm"}),
    )


class SupportRequestForm(GuardedForm):
    account_id = forms.CharField(
        label=_("MultiSafepay account ID"),
        max_length=20,
        help_text=_("The number at the top right of your MultiSafepay dashboard."),
    )
    serial_number = forms.CharField(
        label=_("Terminal serial number"),
        max_length=40,
        help_text=_("On the label on the back or under the battery, also under Settings > About."),
    )
    description = forms.CharField(
        label=_("Description of the issue"),
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": DESCRIPTION_MAX_LENGTH}),
        max_length=DESCRIPTION_MAX_LENGTH,
        required=False,
        help_text=_("What happens, since when, and what the screen shows."),
    )
    contact_name = forms.CharField(label=_("Your name"), max_length=120)
    email = forms.EmailField(label=_("E-mail address"), help_text=_("We answer you here."))
    phone = forms.CharField(
        label=_("Phone (optional)"),
        max_length=30,
        required=False,
        widget=forms.TelInput(attrs={"autocomplete": "tel"}),
    )
    files = attachments_field()
    run = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, has_guide_path: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.label_suffix = ""
        # A merchant who came through a guide already told us most of it.
        self.has_guide_path = has_guide_path
        if has_guide_path:
            self.fields["description"].label = format_lazy(
                "{} ({})", self.fields["description"].label, _("optional")
            )
        # Django points aria-describedby at the help text of the fields that have one.
        self.fields["account_id"].widget.attrs.update(inputmode="numeric", autocomplete="off")
        self.fields["contact_name"].widget.attrs.update(autocomplete="name")
        self.fields["email"].widget.attrs.update(autocomplete="email")

    def clean_account_id(self) -> str:
        value = re.sub(r"\s", "", self.cleaned_data["account_id"])
        if not value.isdigit():
            raise forms.ValidationError(
                _("An account ID is a number, for example 10012345. You find it in your dashboard.")
            )
        return value

    def clean_serial_number(self) -> str:
        value = re.sub(r"\s", "", self.cleaned_data["serial_number"]).upper()
        if not re.fullmatch(r"[A-Z0-9-]{4,40}", value):
            raise forms.ValidationError(
                _("A serial number has letters and digits only, for example PB0123456789.")
            )
        return value

    def clean_description(self) -> str:
        value = self.cleaned_data["description"].strip()
        if not value and not self.has_guide_path:
            raise forms.ValidationError(_("Please tell us what goes wrong."))
        return value

    def clean_files(self) -> list[CheckedFile]:
        return checked_uploads(self.cleaned_data["files"])


def checked_uploads(files: list) -> list[CheckedFile]:
    """Every upload checked by its content, each refusal naming its file."""
    if len(files) > MAX_FILES:
        raise forms.ValidationError(_("Please send at most 5 files."))
    errors = []
    checked = []
    for upload in files:
        try:
            checked.append(attachment_check(upload))
        except forms.ValidationError as error:
            errors.append(error)
    if errors:
        raise forms.ValidationError(errors)
    return checked
