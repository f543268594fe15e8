from __future__ import annotations

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from photosearch.ocr import UnreadablePhoto, prepared
from support.attachments import MAX_IMAGE_BYTES

NOT_A_PHOTO = _(
    "We could not open this file as a photo. Please take a photo of the terminal's screen "
    "(JPEG, PNG, WebP or HEIC) and try again."
)
TOO_LARGE = _("This photo is %(size)s; a photo can be up to 10 MB. Please take it again.")


class PhotoForm(forms.Form):
    photo = forms.FileField(
        label=_("Photo of the terminal's screen"),
        error_messages={
            "required": _("Choose or take a photo of the terminal's screen."),
            "empty": _("This photo is empty (0 bytes). Please take the photo again."),
            "invalid": NOT_A_PHOTO,
        },
    )

    def clean_photo(self):
        """The photo decoded and prepared for reading; the upload itself is not kept."""
        upload = self.cleaned_data["photo"]
        if upload.size > MAX_IMAGE_BYTES:
            raise forms.ValidationError(TOO_LARGE % {"size": filesizeformat(upload.size)})
        try:
            return prepared(upload)
        except UnreadablePhoto:
            raise forms.ValidationError(NOT_A_PHOTO) from None
