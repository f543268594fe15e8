"""Terminal returns (RMA): the record a merchant files, its status history and support's notes."""

from __future__ import annotations

import re
import secrets

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

SERIAL_PATTERN = re.compile(r"[\s\-]+")


def normalise_serial(value: str) -> str:
    """Serial numbers as support searches them: upper case, no spaces or dashes."""
    return SERIAL_PATTERN.sub("", value or "").upper()


# Every status before the end of the road; also used by the database constraint below.
OPEN_STATUS_VALUES = (
    "submitted",
    "needs_info",
    "approved",
    "awaiting_device",
    "received",
    "replacement_shipped",
)


def new_tracking_token() -> str:
    # 32 random bytes: 256 bits, far beyond guessing.
    return secrets.token_urlsafe(32)


class Return(models.Model):
    """A terminal a merchant sends back at support's request (an RMA)."""

    class Reason(models.TextChoices):
        DISPLAY = "display", _("Display broken")
        KEYBOARD = "keyboard", _("Keyboard broken")
        PRINTER = "printer", _("Printer broken")
        SCANNER = "scanner", _("Scanner broken")
        BATTERY = "battery", _("Battery not working / no power")
        PAYMENT = "payment", _("Payment issues (only on support's request)")
        CHIP_READER = "chip_reader", _("Chip reader broken")
        HARDWARE_DAMAGE = "hardware_damage", _("Hardware damage")
        NETWORK = "network", _("Network not working")
        ACCOUNT_CLOSURE = "account_closure", _("Account closure")
        WRONG_TERMINAL = "wrong_terminal", _("Wrong terminal ordered")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        NEEDS_INFO = "needs_info", _("More information needed")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        AWAITING_DEVICE = "awaiting_device", _("Waiting for the terminal")
        RECEIVED = "received", _("Terminal received")
        REPLACEMENT_SHIPPED = "replacement_shipped", _("Replacement shipped")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")

    class Country(models.TextChoices):
        NL = "NL", _("Netherlands")
        BE = "BE", _("Belgium")

    class TerminalModel(models.TextChoices):
        SMARTPOS = "smartpos", _("Sunmi SmartPOS")
        P2_SMARTPAD = "p2_smartpad", _("P2 Smartpad")
        CTAP = "ctap", _("Traditional (CTAP) terminal")

    rma_number = models.CharField(
        _("RMA number"), max_length=20, unique=True, null=True, blank=True, editable=False
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.SUBMITTED, db_index=True
    )
    created_at = models.DateTimeField(_("submitted"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    status_changed_at = models.DateTimeField(_("status changed"), default=timezone.now)

    account_id = models.CharField(
        _("account ID"),
        max_length=12,
        db_index=True,
        validators=[RegexValidator(r"^\d{4,12}$", _("Enter your account ID: 4 to 12 digits."))],
    )
    serial_number = models.CharField(
        _("serial number"),
        max_length=32,
        db_index=True,
        validators=[
            RegexValidator(
                r"^[A-Z0-9]{6,32}$",
                _("Enter the serial number: 6 to 32 letters and digits."),
            )
        ],
    )
    terminal_model = models.CharField(
        _("terminal model"), max_length=20, choices=TerminalModel, blank=True
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason, db_index=True)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    ticket_reference = models.CharField(
        _("support ticket reference"),
        max_length=20,
        db_index=True,
        validators=[
            RegexValidator(
                r"^[A-Za-z0-9-]{3,20}$",
                _("Enter the ticket reference from support's e-mail, for example 172349."),
            )
        ],
    )
    contact_name = models.CharField(_("contact name"), max_length=100)
    company_name = models.CharField(_("company name"), max_length=150)
    email = models.EmailField(_("e-mail address"))
    phone = models.CharField(
        _("phone number"),
        max_length=20,
        blank=True,
        validators=[
            RegexValidator(
                r"^\+?[0-9 ()/\-]{8,19}$",
                _("Enter a phone number with 8 to 15 digits, for example +31 20 123 4567."),
            )
        ],
    )
    street = models.CharField(_("street"), max_length=150)
    house_number = models.CharField(
        _("house number"),
        max_length=20,
        validators=[
            RegexValidator(
                r"^[0-9]{1,5}[A-Za-z0-9 /\-.]{0,15}$",
                _("Enter the house number with any addition or box, for example 12A or 12 bus 3."),
            )
        ],
    )
    postcode = models.CharField(_("postcode"), max_length=7, db_index=True)
    city = models.CharField(_("city"), max_length=100)
    country = models.CharField(_("country"), max_length=2, choices=Country, db_index=True)

    language = models.CharField(
        _("merchant's language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    tracking_token = models.CharField(
        max_length=64, unique=True, default=new_tracking_token, editable=False
    )
    # One per rendered form, so a repeated submission finds the return it already made.
    idempotency_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_returns",
    )
    replacement_tracking_code = models.CharField(
        _("replacement tracking code"), max_length=100, blank=True
    )

    class Meta:
        verbose_name = _("return")
        verbose_name_plural = _("returns")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "created_at"], name="returns_queue_idx"),
            # The admin list's filters, each in its default order, newest first (the order
            # alone is served by created_at's own index).
            models.Index(fields=["reason", "-created_at"], name="returns_reason_idx"),
            models.Index(fields=["country", "-created_at"], name="returns_country_idx"),
        ]
        constraints = [
            # The database, not only the form, refuses a second open return for a terminal.
            models.UniqueConstraint(
                fields=["serial_number"],
                condition=Q(status__in=OPEN_STATUS_VALUES),
                name="returns_one_open_return_per_serial",
                violation_error_message=_("An open return already exists for this serial number."),
            ),
        ]

    def __str__(self) -> str:
        return self.rma_number or str(_("New return"))

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def allowed_transitions(self) -> list[str]:
        return list(ALLOWED_TRANSITIONS.get(self.status, ()))


S = Return.Status
OPEN_STATUSES = frozenset(S(value) for value in OPEN_STATUS_VALUES)
# The workflow: status -> the statuses it may move to. Anything else is refused.
ALLOWED_TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.SUBMITTED: (S.APPROVED, S.REJECTED, S.NEEDS_INFO, S.CANCELLED),
    S.NEEDS_INFO: (S.SUBMITTED, S.CANCELLED),
    S.APPROVED: (S.AWAITING_DEVICE, S.CANCELLED),
    S.AWAITING_DEVICE: (S.RECEIVED, S.CANCELLED),
    S.RECEIVED: (S.REPLACEMENT_SHIPPED, S.CANCELLED),
    S.REPLACEMENT_SHIPPED: (S.CLOSED, S.CANCELLED),
    S.REJECTED: (),
    S.CLOSED: (),
    S.CANCELLED: (),
}
del S


def rma_number_for(pk: int) -> str:
    return f"RMA-{pk:06d}"


class ReturnStatusChange(models.Model):
    """One step of a return's history; the merchant sees these on the tracking page."""

    rma = models.ForeignKey(
        Return, verbose_name=_("return"), on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(_("from"), max_length=20, choices=Return.Status, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Return.Status)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("when"), default=timezone.now)
    note = models.TextField(
        _("message to the merchant"),
        blank=True,
        help_text=_("Shown on the tracking page and in the e-mail. Use internal notes otherwise."),
    )
    reason = models.TextField(_("reason"), blank=True)
    tracking_code = models.CharField(_("tracking code"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} → {self.to_status}"


class ReturnNote(models.Model):
    """An internal note by support; never shown to the merchant."""

    rma = models.ForeignKey(
        Return, verbose_name=_("return"), on_delete=models.CASCADE, related_name="notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    text = models.TextField(_("note"), max_length=5000)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]
