"""Changes to returns: filing one, and moving it through support's workflow.

Every change and the e-mails it causes are stored in one transaction, so a merchant
never gets a message about a change that was rolled back, and no change goes unannounced.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from outbox.services import outbox_message_queue
from returns.models import (
    ALLOWED_TRANSITIONS,
    OPEN_STATUS_VALUES,
    Return,
    ReturnNote,
    ReturnStatusChange,
    normalise_serial,
    rma_number_for,
)

# The statuses a merchant hears about by e-mail: the template that tells them, and its subject.
MERCHANT_STATUS_EMAILS = {
    Return.Status.APPROVED: (
        "returns/email/status_approved.txt",
        _("Your return %(rma_number)s is approved: how to send the terminal"),
    ),
    Return.Status.NEEDS_INFO: (
        "returns/email/status_needs_info.txt",
        _("Your return %(rma_number)s: we need more information"),
    ),
    Return.Status.REJECTED: (
        "returns/email/status_rejected.txt",
        _("Your return %(rma_number)s was not approved"),
    ),
    Return.Status.RECEIVED: (
        "returns/email/status_received.txt",
        _("Your return %(rma_number)s: we received your terminal"),
    ),
    Return.Status.REPLACEMENT_SHIPPED: (
        "returns/email/status_replacement_shipped.txt",
        _("Your return %(rma_number)s: your replacement terminal is on its way"),
    ),
    Return.Status.CANCELLED: (
        "returns/email/status_cancelled.txt",
        _("Your return %(rma_number)s is cancelled"),
    ),
}


class ReturnDuplicate(Exception):
    """The terminal already has an open return; only its RMA number may be told."""

    def __init__(self, rma_number: str) -> None:
        self.rma_number = rma_number
        super().__init__(f"An open return already exists for this terminal: {rma_number}.")


class ReturnTransitionError(Exception):
    """A status change that the workflow does not allow or that lacks a detail."""


class ReturnTransitionNotAllowed(ReturnTransitionError):
    pass


class ReturnTransitionIncomplete(ReturnTransitionError):
    pass


def tracking_url(*, rma: Return) -> str:
    with translation.override(rma.language):
        path = reverse("returns:return_track", kwargs={"token": rma.tracking_token})
    return f"{settings.SITE_URL}{path}"


def admin_url(*, rma: Return) -> str:
    return f"{settings.SITE_URL}{reverse('admin:returns_return_change', args=[rma.pk])}"


def _merchant_message(
    *, rma: Return, template: str, subject: str | Promise, **context: object
) -> None:
    with translation.override(rma.language):
        body = render_to_string(
            template, {"rma": rma, "tracking_url": tracking_url(rma=rma), **context}
        )
        outbox_message_queue(
            to=rma.email,
            subject=str(subject) % {"rma_number": rma.rma_number},
            body_text=body,
            reply_to=settings.SUPPORT_EMAIL,
            language=rma.language,
            reference=rma.rma_number,
        )


def _support_message(*, rma: Return) -> None:
    # Support works in English whatever the merchant's language.
    with translation.override("en"):
        body = render_to_string(
            "returns/email/support_submitted.txt",
            {"rma": rma, "admin_url": admin_url(rma=rma), "tracking_url": tracking_url(rma=rma)},
        )
        outbox_message_queue(
            to=settings.SUPPORT_EMAIL,
            subject=f"New return {rma.rma_number}: {rma.get_reason_display()}, "
            f"serial {rma.serial_number}",
            body_text=body,
            reply_to=rma.email,
            language="en",
            reference=rma.rma_number,
        )


def _existing_for(*, idempotency_key: uuid.UUID | None, serial_number: str) -> Return | None:
    """The return this submission already made; raise if another one holds the terminal."""
    if idempotency_key is not None:
        existing = Return.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
    open_rma = Return.objects.filter(
        serial_number=serial_number, status__in=OPEN_STATUS_VALUES
    ).first()
    if open_rma is None:
        return None
    # A twin sent at the same moment may have committed between the two reads above.
    if idempotency_key is not None and open_rma.idempotency_key == idempotency_key:
        return open_rma
    raise ReturnDuplicate(open_rma.rma_number)


def return_create(
    *,
    account_id: str,
    serial_number: str,
    reason: str,
    ticket_reference: str,
    contact_name: str,
    company_name: str,
    email: str,
    street: str,
    house_number: str,
    postcode: str,
    city: str,
    country: str,
    description: str = "",
    terminal_model: str = "",
    phone: str = "",
    language: str = "en",
    idempotency_key: uuid.UUID | None = None,
) -> tuple[Return, bool]:
    """File a return and queue both e-mails. Returns (return, created).

    A repeated submission with the same idempotency key gives back the first return;
    a second open return for the same terminal raises ReturnDuplicate.
    """
    serial_number = normalise_serial(serial_number)
    existing = _existing_for(idempotency_key=idempotency_key, serial_number=serial_number)
    if existing is not None:
        return existing, False
    rma = Return(
        account_id=account_id,
        serial_number=serial_number,
        terminal_model=terminal_model,
        reason=reason,
        description=description,
        ticket_reference=ticket_reference,
        contact_name=contact_name,
        company_name=company_name,
        email=email,
        phone=phone,
        street=street,
        house_number=house_number,
        postcode=postcode,
        city=city,
        country=country,
        language=language,
        idempotency_key=idempotency_key,
    )
    # Uniqueness is the database's job below, where two requests cannot both pass.
    rma.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            rma.save()
            rma.rma_number = rma_number_for(rma.pk)
            Return.objects.filter(pk=rma.pk).update(rma_number=rma.rma_number)
            ReturnStatusChange.objects.create(
                rma=rma, from_status="", to_status=rma.status, changed_at=rma.created_at
            )
            _support_message(rma=rma)
            _merchant_message(
                rma=rma,
                template="returns/email/merchant_submitted.txt",
                subject=_("Your return %(rma_number)s has been received"),
            )
    except IntegrityError:
        # A concurrent twin won the race: answer as if we had arrived second.
        existing = _existing_for(idempotency_key=idempotency_key, serial_number=serial_number)
        if existing is None:
            raise
        return existing, False
    return rma, True


def return_transition(
    *,
    rma: Return,
    to_status: str,
    by_user=None,
    note: str = "",
    tracking_code: str = "",
    reason: str = "",
) -> ReturnStatusChange:
    """Move a return to its next status, record it, and tell the merchant where it matters.

    Raises ReturnTransitionNotAllowed (nothing changes) when the workflow forbids the
    step, and ReturnTransitionIncomplete when a rejection lacks its reason or a shipped
    replacement its tracking code.
    """
    note, reason, tracking_code = note.strip(), reason.strip(), " ".join(tracking_code.split())
    if to_status == Return.Status.REJECTED and not reason:
        raise ReturnTransitionIncomplete(gettext("Give the merchant the reason for rejecting."))
    if to_status == Return.Status.REPLACEMENT_SHIPPED and not tracking_code:
        raise ReturnTransitionIncomplete(gettext("Give the tracking code of the replacement."))
    if to_status == Return.Status.NEEDS_INFO and not note:
        raise ReturnTransitionIncomplete(gettext("Tell the merchant which information you need."))
    with transaction.atomic():
        # Locked, so two agents acting at once cannot both move it from the same status.
        current = Return.objects.select_for_update().get(pk=rma.pk)
        if to_status not in ALLOWED_TRANSITIONS.get(current.status, ()):
            raise ReturnTransitionNotAllowed(
                gettext("A return cannot go from “%(from)s” to “%(to)s”.")
                % {
                    "from": current.get_status_display(),
                    "to": Return.Status(to_status).label
                    if to_status in Return.Status.values
                    else to_status,
                }
            )
        now = timezone.now()
        change = ReturnStatusChange(
            rma=current,
            from_status=current.status,
            to_status=to_status,
            changed_by=by_user,
            changed_at=now,
            note=note,
            reason=reason,
            tracking_code=tracking_code,
        )
        change.full_clean()
        change.save()
        current.status = to_status
        current.status_changed_at = now
        update_fields = ["status", "status_changed_at", "updated_at"]
        if tracking_code:
            current.replacement_tracking_code = tracking_code
            update_fields.append("replacement_tracking_code")
        current.save(update_fields=update_fields)
        if to_status in MERCHANT_STATUS_EMAILS:
            template, subject = MERCHANT_STATUS_EMAILS[to_status]
            _merchant_message(
                rma=current,
                template=template,
                subject=subject,
                change=change,
                ship_to=settings.RETURNS_SHIP_TO,
            )
    for field in ("status", "status_changed_at", "replacement_tracking_code", "updated_at"):
        setattr(rma, field, getattr(current, field))
    return change


def return_note_add(*, rma: Return, author=None, text: str) -> ReturnNote:
    note = ReturnNote(rma=rma, author=author, text=text.strip())
    note.full_clean()
    note.save()
    return note


# Until the terminal is in support's hands, the merchant may call the return off.
MERCHANT_CANCELLABLE = frozenset(
    {
        Return.Status.SUBMITTED,
        Return.Status.NEEDS_INFO,
        Return.Status.APPROVED,
        Return.Status.AWAITING_DEVICE,
    }
)


def _support_update(*, rma: Return, subject: str, text: str) -> None:
    with translation.override("en"):
        outbox_message_queue(
            to=settings.SUPPORT_EMAIL,
            subject=f"{rma.rma_number}: {subject}",
            body_text=f"{text}\n\nOpen in the admin: {admin_url(rma=rma)}\n",
            reply_to=rma.email,
            language="en",
            reference=rma.rma_number,
        )


def return_merchant_cancel(*, rma: Return) -> ReturnStatusChange:
    with transaction.atomic():
        status = Return.objects.select_for_update().values_list("status", flat=True).get(pk=rma.pk)
        if status not in MERCHANT_CANCELLABLE:
            raise ReturnTransitionNotAllowed(
                gettext("This return can no longer be cancelled here. Please contact support.")
            )
        change = return_transition(rma=rma, to_status=Return.Status.CANCELLED)
        _support_update(
            rma=rma,
            subject="the merchant cancelled the return",
            text=f"{rma.contact_name} ({rma.company_name}) cancelled return {rma.rma_number}.",
        )
    return change
