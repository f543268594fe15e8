"""What support and a merchant write to each other about a support request or a return.

Internal notes are not here: they stay on the request (``SupportRequest.notes``) and the
return (``ReturnNote``), so nothing in this app is ever hidden from the merchant.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from returns.models import Return
from support.models import ATTACHMENT_EXTENSIONS, StoredAttachment, SupportRequest

BODY_MAX_LENGTH = 5000


class Message(models.Model):
    """One message in the conversation on a support request or on a return, never both."""

    support_request = models.ForeignKey(
        SupportRequest,
        verbose_name=_("support request"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="messages",
    )
    rma = models.ForeignKey(
        Return,
        verbose_name=_("return"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="messages",
    )
    from_merchant = models.BooleanField(_("from the merchant"), default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    body = models.TextField(_("message"), max_length=BODY_MAX_LENGTH, blank=True)
    language = models.CharField(_("language"), max_length=8, default="en")
    created_at = models.DateTimeField(_("sent"), default=timezone.now, db_index=True)
    # Given with the merchant's form, so a double click or a resent form adds one message.
    submission_key = models.CharField(
        max_length=64, unique=True, null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(support_request__isnull=False) & Q(rma__isnull=True))
                | (Q(support_request__isnull=True) & Q(rma__isnull=False)),
                name="conversations_message_on_one_item",
                violation_error_message=_(
                    "A message belongs to a support request or to a return, not both."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.body[:60]


class MessageAttachment(StoredAttachment):
    message = models.ForeignKey(
        Message, verbose_name=_("message"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(
        _("file"),
        upload_to="conversations/%Y/%m/",
        validators=[FileExtensionValidator(ATTACHMENT_EXTENSIONS)],
    )
    thumbnail = models.FileField(
        _("thumbnail"), upload_to="conversations/%Y/%m/thumbnails/", blank=True
    )

    class Meta:
        verbose_name = _("message attachment")
        verbose_name_plural = _("message attachments")
        ordering = ["pk"]


class CannedReply(models.Model):
    """A reusable message in one language; it may also move the item to its next status."""

    title = models.CharField(_("title"), max_length=120)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    body = models.TextField(_("message"), max_length=BODY_MAX_LENGTH)
    support_status = models.CharField(
        _("next status of a support request"),
        max_length=20,
        choices=SupportRequest.Status,
        blank=True,
    )
    return_status = models.CharField(
        _("next status of a return"), max_length=20, choices=Return.Status, blank=True
    )

    class Meta:
        verbose_name = _("canned reply")
        verbose_name_plural = _("canned replies")
        ordering = ["language", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["language", "title"], name="conversations_canned_reply_title"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.language})"
