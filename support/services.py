"""Filing a support request: stored with its attachments, e-mailed to support and the merchant."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from guides.models import GuideRun, new_token
from guides.selectors import guide_run_path_text
from outbox.services import outbox_message_queue
from support.attachments import CheckedFile, checked_file_store, stored_files_delete
from support.models import SupportAttachment, SupportRequest


def support_request_create(
    *,
    account_id: str,
    serial_number: str,
    description: str,
    contact_name: str,
    email: str,
    phone: str = "",
    language: str,
    guide_run: GuideRun | None = None,
    attachments: list[CheckedFile] | None = None,
    submission_key: str | None = None,
) -> SupportRequest:
    """Store a request and queue the e-mails to support and to the merchant, all or nothing.

    A form sent twice with the same submission key returns the request filed the first time.
    """
    if submission_key:
        earlier = SupportRequest.objects.filter(submission_key=submission_key).first()
        if earlier is not None:
            return earlier
    with translation.override("en"):
        path_text = guide_run_path_text(run=guide_run)
    request = SupportRequest(
        account_id=account_id,
        serial_number=serial_number,
        description=description,
        contact_name=contact_name,
        email=email,
        phone=phone,
        language=language,
        guide_run=guide_run,
        guide_path_text=path_text,
        submission_key=submission_key or new_token(),
    )
    request.full_clean()
    stored: list[SupportAttachment] = []
    try:
        with transaction.atomic():
            request.save()
            support_attachments_store(support_request=request, files=attachments or [], into=stored)
            _support_request_queue_mail(request=request)
    except BaseException:
        # The rows are rolled back; their files must go too, or they stay on disk unowned.
        support_attachment_files_delete(attachments=stored)
        raise
    return request


def support_attachments_store(
    *, support_request: SupportRequest, files: list[CheckedFile], into: list[SupportAttachment]
) -> None:
    """Write each checked file under a random name and store its row; appends to ``into``.

    Call inside the transaction that stores what the files belong to, and on failure hand
    ``into`` to ``support_attachment_files_delete``.
    """
    for checked in files:
        attachment = SupportAttachment(support_request=support_request)
        into.append(attachment)
        checked_file_store(attachment, checked)
        attachment.full_clean(exclude=["support_request"])
        attachment.save()


def support_attachment_files_delete(*, attachments: list[SupportAttachment]) -> None:
    stored_files_delete(attachments)


def _support_request_queue_mail(*, request: SupportRequest) -> None:
    attachments = list(request.attachments.all())
    admin_url = settings.SITE_URL + reverse(
        "admin:support_supportrequest_change", args=[request.pk]
    )
    # Support reads English; the merchant reads the language they used.
    with translation.override("en"):
        outbox_message_queue(
            to=settings.SUPPORT_EMAIL,
            reply_to=request.email,
            subject=_("Support request %(reference)s: terminal %(serial)s, account %(account)s")
            % {
                "reference": request.reference,
                "serial": request.serial_number,
                "account": request.account_id,
            },
            body_text=render_to_string(
                "support/email/to_support.txt",
                {"request": request, "attachments": attachments, "admin_url": admin_url},
            ),
            language="en",
            reference=request.reference,
        )
    with translation.override(request.language):
        outbox_message_queue(
            to=request.email,
            reply_to=settings.SUPPORT_EMAIL,
            subject=_("We received your support request %(reference)s")
            % {"reference": request.reference},
            body_text=render_to_string(
                "support/email/to_merchant.txt",
                {
                    "request": request,
                    "attachments": attachments,
                    "track_url": settings.SITE_URL
                    + reverse(
                        "support:support_request_track", kwargs={"token": request.public_token}
                    ),
                },
            ),
            language=request.language,
            reference=request.reference,
        )
