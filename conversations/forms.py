from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from conversations.models import BODY_MAX_LENGTH, CannedReply
from guard.forms import GuardedForm
from returns.models import Return
from support.attachments import CheckedFile
from support.forms import attachments_field, checked_uploads
from support.models import SupportRequest


class MerchantReplyForm(GuardedForm):
    """The merchant's answer on a tracking page: text, photos or a video, under the support
    form's upload rules."""

    body = forms.CharField(
        label=_("Your message to support"),
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": BODY_MAX_LENGTH}),
        max_length=BODY_MAX_LENGTH,
        required=False,
    )
    files = attachments_field()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.label_suffix = ""

    def clean_files(self) -> list[CheckedFile]:
        return checked_uploads(self.cleaned_data["files"])

    def clean(self) -> dict:
        cleaned = super().clean()
        if not (cleaned.get("body") or "").strip() and not cleaned.get("files") and not self.errors:
            raise forms.ValidationError(_("Please write a message or add a photo or video."))
        return cleaned


class AgentReplyForm(forms.Form):
    """An agent's message to the merchant, from the item's admin page.

    Without JavaScript a chosen canned reply is understood here: its text is used when the
    message is left empty, and its next status when none is chosen.
    """

    canned_reply = forms.ModelChoiceField(
        label=_("Canned reply"), queryset=CannedReply.objects.none(), required=False
    )
    body = forms.CharField(
        label=_("Message to the merchant"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=BODY_MAX_LENGTH,
        required=False,
        help_text=_("E-mailed to the merchant with the link to the tracking page."),
    )
    next_status = forms.ChoiceField(label=_("Then set the status to"), required=False)

    def __init__(self, *args, item: SupportRequest | Return, **kwargs) -> None:
        kwargs.setdefault("prefix", "reply")
        super().__init__(*args, **kwargs)
        self.item = item
        self.is_return = isinstance(item, Return)
        self.fields["canned_reply"].queryset = CannedReply.objects.filter(
            language=item.language
        ).order_by("title")
        if self.is_return:
            steps = [(value, Return.Status(value).label) for value in item.allowed_transitions()]
            unchanged, every = _("Keep the status as it is"), Return.Status.choices
        else:
            steps = list(SupportRequest.Status.choices)
            unchanged, every = _("As usual: waiting for the merchant"), steps
        # Any status is taken, only the allowed ones offered: a step that is no longer
        # allowed (the return moved on meanwhile) is refused by the workflow, in its words.
        field = self.fields["next_status"]
        field.choices = [("", unchanged), *every]
        field.widget.choices = [("", unchanged), *steps]

    def canned_replies(self) -> list[dict[str, str]]:
        """The choices with their text and next status, for the script that fills the form."""
        return [
            {
                "pk": str(reply.pk),
                "title": reply.title,
                "body": reply.body,
                "next_status": self._canned_status(reply),
                "selected": str(reply.pk) == str(self["canned_reply"].value() or ""),
            }
            for reply in self.fields["canned_reply"].queryset
        ]

    def _canned_status(self, reply: CannedReply) -> str:
        return reply.return_status if self.is_return else reply.support_status

    def clean(self) -> dict:
        cleaned = super().clean()
        canned = cleaned.get("canned_reply")
        if canned is not None:
            if not (cleaned.get("body") or "").strip():
                cleaned["body"] = canned.body
            if not cleaned.get("next_status"):
                cleaned["next_status"] = self._canned_status(canned)
        if not self.is_return and not cleaned.get("next_status"):
            # Once support answered, a request waits for the merchant.
            cleaned["next_status"] = SupportRequest.Status.WAITING
        if not (cleaned.get("body") or "").strip() and "body" not in self.errors:
            self.add_error("body", _("Write a message to the merchant or choose a canned reply."))
        return cleaned
