"""Reads of conversations: a thread in order, the canned replies an agent may pick."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import translation

from conversations.models import CannedReply, Message, MessageAttachment
from returns.models import Return
from support.models import SupportRequest

type Item = SupportRequest | Return


@dataclass(frozen=True)
class ItemFacts:
    """What a message needs to know about the request or return it belongs to."""

    kind: str  # "support" or "return"
    reference: str
    email: str
    name: str
    language: str
    tracking_path: str
    admin_path: str

    @property
    def tracking_url(self) -> str:
        return settings.SITE_URL + self.tracking_path

    @property
    def admin_url(self) -> str:
        return settings.SITE_URL + self.admin_path


def item_facts(*, item: Item) -> ItemFacts:
    # The tracking link opens in the merchant's language.
    with translation.override(item.language):
        if isinstance(item, Return):
            tracking = reverse("returns:return_track", kwargs={"token": item.tracking_token})
        else:
            tracking = reverse("support:support_request_track", kwargs={"token": item.public_token})
    if isinstance(item, Return):
        return ItemFacts(
            kind="return",
            reference=item.rma_number or "",
            email=item.email,
            name=item.contact_name,
            language=item.language,
            tracking_path=tracking,
            admin_path=reverse("admin:returns_return_change", args=[item.pk]),
        )
    return ItemFacts(
        kind="support",
        reference=item.reference,
        email=item.email,
        name=item.contact_name,
        language=item.language,
        tracking_path=tracking,
        admin_path=reverse("admin:support_supportrequest_change", args=[item.pk]),
    )


def item_filter(*, item: Item) -> dict[str, Item]:
    return {"rma": item} if isinstance(item, Return) else {"support_request": item}


def message_thread(*, item: Item) -> list[Message]:
    """Every message on the item, oldest first, with its files and author."""
    return list(
        Message.objects.filter(**item_filter(item=item))
        .select_related("author")
        .prefetch_related("attachments")
        .order_by("created_at", "pk")
    )


def message_attachment_for_item(*, item: Item, pk: int) -> MessageAttachment | None:
    """One of the item's files, or None: a token never opens another item's files."""
    owner = {f"message__{name}": value for name, value in item_filter(item=item).items()}
    return MessageAttachment.objects.filter(pk=pk, **owner).first()


def canned_replies_for(*, language: str) -> QuerySet[CannedReply]:
    return CannedReply.objects.filter(language=language).order_by("title")
