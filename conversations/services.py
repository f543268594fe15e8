"""Writing in a conversation: an agent's reply to the merchant, the merchant's reply to support.

Each message, its files, the status it moves the item to and the e-mail it causes are stored
in one transaction: a refused step leaves nothing behind, not even a file on disk.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from conversations.models import Message, MessageAttachment
from conversations.selectors import Item, ItemFacts, item_facts
from outbox.services import outbox_message_queue
from returns.models import Return
from returns.services import MERCHANT_STATUS_EMAILS, return_transition
from support.attachments import CheckedFile, checked_file_store, stored_files_delete
from support.models import SupportRequest

MERCHANT_SUBJECTS = {
    "support": _("New message about your support request %(reference)s"),
    "return": _("New message about your return %(reference)s"),
}


class MessageRefused(Exception):
    """A message that cannot be sent as it is; the text says why, in the reader's language."""


def message_from_agent(*, item: Item, author, body: str, next_status: str = "") -> Message:
    """Support writes to the merchant, who gets it by e-mail with the tracking link.

    ``next_status`` moves the item in the same step; a return takes it through its workflow
    (``returns.services.ReturnTransitionError`` when refused: nothing is saved or sent).
    """
    body = body.strip()
    if not body:
        raise MessageRefused(gettext("Write a message to the merchant or choose a canned reply."))
    with transaction.atomic():
        mailed_by_workflow = False
        if isinstance(item, Return):
            mailed_by_workflow = _return_move(rma=item, to_status=next_status, by=author, body=body)
        elif next_status:
            if next_status not in SupportRequest.Status.values:
                raise MessageRefused(gettext("This is not a status of a support request."))
            SupportRequest.objects.filter(pk=item.pk).update(
                status=next_status, updated_at=timezone.now()
            )
            item.status = next_status
        message = Message(author=author, body=body, language=item.language, **_on(item))
        message.full_clean()
        message.save()
        if not mailed_by_workflow:
            _merchant_mail(facts=item_facts(item=item), message=message)
    return message


def _return_move(*, rma: Return, to_status: str, by, body: str) -> bool:
    """Take the workflow step; True when its own e-mail already carries the message."""
    if not to_status:
        return False
    mails = to_status in MERCHANT_STATUS_EMAILS
    detail = {"reason": body} if to_status == Return.Status.REJECTED else {"note": body}
    return_transition(rma=rma, to_status=to_status, by_user=by, **(detail if mails else {}))
    return mails


def message_from_merchant(
    *,
    item: Item,
    body: str,
    files: list[CheckedFile] | None = None,
    submission_key: str | None = None,
) -> Message:
    """The merchant answers on the tracking page; support hears of it and gets the item back.

    A support request returns to the agents' queue (in progress, at the top); a return that
    waited for information goes back to "submitted". The same submission key twice adds one
    message.
    """
    if submission_key:
        earlier = Message.objects.filter(submission_key=submission_key).first()
        if earlier is not None:
            return earlier
    body = body.strip()
    if not body and not files:
        raise MessageRefused(gettext("Please write a message or add a photo or video."))
    if isinstance(item, Return) and not item.is_open:
        raise MessageRefused(
            gettext("This return is finished and takes no more messages. Please contact support.")
        )
    stored: list[MessageAttachment] = []
    try:
        with transaction.atomic():
            message = Message(
                from_merchant=True,
                body=body,
                language=item.language,
                submission_key=submission_key or None,
                **_on(item),
            )
            message.full_clean()
            message.save()
            for checked in files or []:
                attachment = MessageAttachment(message=message)
                stored.append(attachment)
                checked_file_store(attachment, checked)
                attachment.full_clean(exclude=["message"])
                attachment.save()
            _back_to_support(item=item)
            _support_mail(facts=item_facts(item=item), message=message)
    except BaseException:
        # The rows are rolled back; their files must go too, or they stay on disk unowned.
        stored_files_delete(stored)
        raise
    return message


def _on(item: Item) -> dict[str, Item]:
    return {"rma": item} if isinstance(item, Return) else {"support_request": item}


def _back_to_support(*, item: Item) -> None:
    if isinstance(item, Return):
        if item.status == Return.Status.NEEDS_INFO:
            return_transition(rma=item, to_status=Return.Status.SUBMITTED)
        return
    now = timezone.now()
    status = (
        item.status
        if item.status == SupportRequest.Status.RECEIVED
        else SupportRequest.Status.IN_PROGRESS
    )
    SupportRequest.objects.filter(pk=item.pk).update(status=status, queued_at=now, updated_at=now)
    item.status, item.queued_at = status, now


def _merchant_mail(*, facts: ItemFacts, message: Message) -> None:
    with translation.override(facts.language):
        outbox_message_queue(
            to=facts.email,
            reply_to=settings.SUPPORT_EMAIL,
            subject=str(MERCHANT_SUBJECTS[facts.kind]) % {"reference": facts.reference},
            body_text=render_to_string(
                "conversations/email/to_merchant.txt", {"facts": facts, "message": message}
            ),
            language=facts.language,
            reference=facts.reference,
        )


def _support_mail(*, facts: ItemFacts, message: Message) -> None:
    # Support reads English, whatever the merchant's language.
    with translation.override("en"):
        outbox_message_queue(
            to=settings.SUPPORT_EMAIL,
            reply_to=facts.email,
            subject=f"{facts.reference}: the merchant replied",
            body_text=render_to_string(
                "conversations/email/to_support.txt",
                {"facts": facts, "message": message, "attachments": message.attachments.all()},
            ),
            language="en",
            reference=facts.reference,
        )
