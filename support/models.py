"""Support requests merchants send when a guide or an article did not solve their problem."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guides.models import GuideRun, new_token


class SupportRequest(models.Model):
    # As the merchant understands it; the agents' queue holds the first two.
    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        IN_PROGRESS = "in_progress", _("In progress")
        WAITING = "waiting", _("Waiting for you")
        SOLVED = "solved", _("Solved")

    created_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    public_token = models.CharField(max_length=40, unique=True, default=new_token, editable=False)
    # Given with the form, so a double click or a resent form files one request, not two.
    submission_key = models.CharField(max_length=40, unique=True, default=new_token, editable=False)
    account_id = models.CharField(_("account ID"), max_length=20)
    serial_number = models.CharField(_("terminal serial number"), max_length=40)
    description = models.TextField(_("description of the issue"), blank=True)
    contact_name = models.CharField(_("contact name"), max_length=120)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    language = models.CharField(_("language"), max_length=8, default="en")
    guide_run = models.ForeignKey(
        GuideRun,
        verbose_name=_("guide run"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="support_requests",
    )
    guide_path_text = models.TextField(_("guide path"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.RECEIVED, db_index=True
    )
    # When the request last came (back) to support: a merchant's reply moves it to the top.
    queued_at = models.DateTimeField(_("in the queue since"), default=timezone.now, db_index=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    notes = models.TextField(_("internal notes"), blank=True)

    class Meta:
        verbose_name = _("support request")
        verbose_name_plural = _("support requests")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.reference} {self.contact_name}"

    @property
    def reference(self) -> str:
        return f"SR-{self.pk:06d}" if self.pk else "SR-new"


WAITING_ON_SUPPORT = (SupportRequest.Status.RECEIVED, SupportRequest.Status.IN_PROGRESS)


class StoredAttachment(models.Model):
    """A merchant's photo or video as support/attachments.py checked and stored it."""

    class Kind(models.TextChoices):
        IMAGE = "image", _("Photo")
        VIDEO = "video", _("Video")

    original_name = models.CharField(_("file name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind)
    # Derived by the server from the content (support/attachments.py), never the browser's.
    content_type = models.CharField(_("type"), max_length=60)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    # Pillow wrote this picture itself, so it may be shown in the browser; anything else,
    # including files stored before every photo was re-encoded, is only ever downloaded.
    is_reencoded = models.BooleanField(_("re-encoded picture"), default=False, editable=False)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.original_name


ATTACHMENT_EXTENSIONS = ["jpg", "jpeg", "png", "webp", "heic", "mp4", "mov", "webm"]


class SupportAttachment(StoredAttachment):
    support_request = models.ForeignKey(
        SupportRequest, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(
        _("file"),
        upload_to="support/%Y/%m/",
        validators=[FileExtensionValidator(ATTACHMENT_EXTENSIONS)],
    )
    thumbnail = models.FileField(_("thumbnail"), upload_to="support/%Y/%m/thumbnails/", blank=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
