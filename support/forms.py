from __future__ import annotations

import re

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from guard.forms import GuardedForm
from support.models import SupportAttachment

MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_VIDEO_BYTES = 50 * 1024 * 1024
MAX_FILES = 5
IMAGE_EXTENSIONS = {"jpg", "jpeg", "png", "webp", "heic"}
VIDEO_EXTENSIONS = {"mp4", "mov", "webm"}


def _sniffed_kind(head: bytes) -> str | None:
    """What the first bytes of a file say it is: the name and browser's type can lie."""
    if head.startswith(b"\xff\xd8\xff") or head.startswith(b"\x89PNG\r\n\x1a\n"):
        return SupportAttachment.Kind.IMAGE
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return SupportAttachment.Kind.IMAGE
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in {b"heic", b"heix", b"mif1", b"msf1", b"heim", b"heis"}:
            return SupportAttachment.Kind.IMAGE
        return SupportAttachment.Kind.VIDEO
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return SupportAttachment.Kind.VIDEO
    return None


def attachment_kind(upload: UploadedFile) -> str:
    """ "image" or "video"; raises ValidationError in words a merchant understands."""
    name = upload.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    kind = _sniffed_kind(head)
    expected = (
        SupportAttachment.Kind.IMAGE
        if extension in IMAGE_EXTENSIONS
        else SupportAttachment.Kind.VIDEO
        if extension in VIDEO_EXTENSIONS
        else None
    )
    if kind is None or kind != expected:
        raise forms.ValidationError(
            _(
                "%(name)s is not a photo or video we can open. Please send photos as JPEG, PNG, "
                "WebP or HEIC and videos as MP4, MOV or WebM."
            )
            % {"name": name}
        )
    limit = MAX_IMAGE_BYTES if kind == SupportAttachment.Kind.IMAGE else MAX_VIDEO_BYTES
    if upload.size > limit:
        raise forms.ValidationError(
            _("%(name)s is %(size)s; photos can be up to 10 MB and videos up to 50 MB.")
            % {"name": name, "size": filesizeformat(upload.size)}
        )
    return kind


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


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
        widget=forms.Textarea(attrs={"rows": 5}),
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
    files = MultipleFileField(
        label=_("Photos or a short video (optional)"),
        required=False,
        help_text=_(
            "Up to 5 files. Photos (JPEG, PNG, WebP, HEIC) up to 10 MB each, "
            "videos (MP4, MOV, WebM) up to 50 MB."
        ),
        widget=MultipleFileInput(attrs={"accept": "image/*,video/mp4,video/quicktime,video/webm"}),
    )
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

    def clean_files(self) -> list[tuple[UploadedFile, str]]:
        files = self.cleaned_data["files"]
        if len(files) > MAX_FILES:
            raise forms.ValidationError(_("Please send at most 5 files."))
        errors = []
        checked = []
        for upload in files:
            try:
                checked.append((upload, attachment_kind(upload)))
            except forms.ValidationError as error:
                errors.append(error)
        if errors:
            raise forms.ValidationError(errors)
        return checked
