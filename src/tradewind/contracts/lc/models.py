"""Letters of credit received under a contract, their amendments, checks and reminders.

Everything hangs off the contract's customer and applies the one visibility rule through
``visible_to(user)``.

``LetterOfCredit.terms_version`` counts the versions of the credit's terms: 1 as received, +1 for
each edit of the terms and each accepted amendment. A check (``LcCheck``) records the version it
checked, so a check of older terms is "outdated" and production waits for a new one
(``status.lc_checked``).
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from tradewind.contracts.lc.choices import (
    AmendmentStatus,
    AvailableBy,
    Confirmation,
    LcStatus,
    ReminderKind,
    Severity,
    ShipmentPermission,
)
from tradewind.core.models import TimeStampedModel
from tradewind.customers.models import VisibleQuerySet
from tradewind.quotes.models import money_field, percent_field

USER = settings.AUTH_USER_MODEL

# The MT700 tag of each term, in the order of the message (pages group fields by it).
TERM_TAGS: dict[str, str] = {
    "number": "20",
    "form_of_credit": "40A",
    "issue_date": "31C",
    "applicable_rules": "40E",
    "expiry_date": "31D",
    "expiry_place": "31D",
    "expiry_country": "31D",
    "applicant": "50",
    "beneficiary": "59",
    "issuing_bank": "52a",
    "currency": "32B",
    "amount": "32B",
    "tolerance_plus_percent": "39A",
    "tolerance_minus_percent": "39A",
    "available_with": "41a",
    "available_by": "41a",
    "drafts_at": "42C",
    "drawee": "42a",
    "partial_shipments": "43P",
    "transhipment": "43T",
    "place_of_receipt": "44A",
    "port_of_loading": "44E",
    "port_of_discharge": "44F",
    "final_destination": "44B",
    "latest_shipment_date": "44C",
    "shipment_period": "44D",
    "goods_description": "45A",
    "documents_required": "46A",
    "additional_conditions": "47A",
    "charges": "71D",
    "presentation_period_days": "48",
    "presentation_period_text": "48",
    "confirmation": "49",
}
TERM_FIELDS: tuple[str, ...] = tuple(TERM_TAGS)
NARRATIVE_MAX_CHARS = 10_000


class LetterOfCreditQuerySet(VisibleQuerySet):
    customer_path = "contract__company"

    def open(self):
        return self.filter(status=LcStatus.OPEN)


class LetterOfCredit(TimeStampedModel):
    """A documentary credit received under a contract (SWIFT MT700), with its terms as amended."""

    contract = models.ForeignKey(
        "contracts.Contract",
        verbose_name=_("contract"),
        on_delete=models.CASCADE,
        related_name="letters_of_credit",
    )
    handler = models.ForeignKey(
        USER, verbose_name=_("handled by"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=6, choices=LcStatus.choices, default=LcStatus.OPEN, db_index=True
    )
    closed_reason = models.CharField(_("why closed"), max_length=200, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    terms_version = models.PositiveIntegerField(_("terms version"), default=1, editable=False)
    received_on = models.DateField(_("received on"))
    on_board_date = models.DateField(_("shipped on board"), null=True, blank=True)

    number = models.CharField(_("L/C number"), max_length=35)
    form_of_credit = models.CharField(_("form of credit"), max_length=60, blank=True)
    issue_date = models.DateField(_("date of issue"), null=True, blank=True)
    applicable_rules = models.CharField(_("applicable rules"), max_length=60, blank=True)
    expiry_date = models.DateField(_("expiry date"))
    expiry_place = models.CharField(_("place of expiry"), max_length=120, blank=True)
    expiry_country = models.CharField(_("country of expiry"), max_length=2, default="CN")
    applicant = models.TextField(_("applicant"), max_length=400, blank=True)
    beneficiary = models.TextField(_("beneficiary"), max_length=400, blank=True)
    issuing_bank = models.CharField(_("issuing bank"), max_length=200, blank=True)
    currency = models.CharField(_("currency"), max_length=3)
    amount = money_field(_("amount"), validators=[MinValueValidator(Decimal("0.01"))])
    tolerance_plus_percent = percent_field(
        _("tolerance + %"),
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(50))],
    )
    tolerance_minus_percent = percent_field(
        _("tolerance − %"),
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(50))],
    )
    available_with = models.CharField(_("available with"), max_length=200, blank=True)
    available_by = models.CharField(
        _("available by"), max_length=16, choices=AvailableBy.choices, blank=True
    )
    drafts_at = models.CharField(_("drafts at"), max_length=120, blank=True)
    drawee = models.CharField(_("drawee"), max_length=120, blank=True)
    partial_shipments = models.CharField(
        _("partial shipments"),
        max_length=12,
        choices=ShipmentPermission.choices,
        default=ShipmentPermission.ALLOWED,
    )
    transhipment = models.CharField(
        _("transhipment"),
        max_length=12,
        choices=ShipmentPermission.choices,
        default=ShipmentPermission.ALLOWED,
    )
    place_of_receipt = models.CharField(_("place of receipt"), max_length=120, blank=True)
    port_of_loading = models.CharField(_("port of loading"), max_length=120, blank=True)
    port_of_discharge = models.CharField(_("port of discharge"), max_length=120, blank=True)
    final_destination = models.CharField(_("final destination"), max_length=120, blank=True)
    latest_shipment_date = models.DateField(_("latest shipment date"), null=True, blank=True)
    shipment_period = models.CharField(_("shipment period"), max_length=400, blank=True)
    goods_description = models.TextField(
        _("description of goods"), max_length=NARRATIVE_MAX_CHARS, blank=True
    )
    documents_required = models.TextField(
        _("documents required"), max_length=NARRATIVE_MAX_CHARS, blank=True
    )
    additional_conditions = models.TextField(
        _("additional conditions"), max_length=NARRATIVE_MAX_CHARS, blank=True
    )
    charges = models.CharField(_("charges"), max_length=400, blank=True)
    presentation_period_days = models.PositiveSmallIntegerField(
        _("presentation period (days)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("Leave empty when field 48 is silent: UCP 600 then allows 21 days."),
    )
    presentation_period_text = models.CharField(
        _("presentation period as written"), max_length=200, blank=True
    )
    confirmation = models.CharField(
        _("confirmation"),
        max_length=8,
        choices=Confirmation.choices,
        default=Confirmation.WITHOUT,
    )
    raw_mt700 = models.TextField(_("MT700 as received"), blank=True)
    created_by = models.ForeignKey(
        USER, verbose_name=_("recorded by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

    objects = LetterOfCreditQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("letter of credit")
        verbose_name_plural = _("letters of credit")
        indexes = [
            models.Index(fields=["status", "expiry_date"], name="lc_status_expiry_idx"),
            models.Index(fields=["handler", "status"], name="lc_handler_status_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "number"], name="lc_number_once_per_contract"
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="lc_amount_positive",
                violation_error_message=_("The amount must be more than zero."),
            ),
            models.CheckConstraint(
                condition=Q(issue_date__isnull=True) | Q(expiry_date__gte=F("issue_date")),
                name="lc_expiry_after_issue",
                violation_error_message=_("The expiry date is before the date of issue."),
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def clean(self):
        errors = {}
        if self.issue_date and self.expiry_date and self.expiry_date < self.issue_date:
            errors["expiry_date"] = _("The expiry date is before the date of issue.")
        if (
            self.issue_date
            and self.latest_shipment_date
            and self.latest_shipment_date < self.issue_date
        ):
            errors["latest_shipment_date"] = _(
                "The latest shipment date is before the date of issue."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def is_open(self) -> bool:
        return self.status == LcStatus.OPEN


class LcAmendmentQuerySet(VisibleQuerySet):
    customer_path = "lc__contract__company"


class LcAmendment(models.Model):
    """An amendment to the credit (SWIFT MT707). Under UCP 600 art. 10 it binds us only once we
    accept it; until then the credit's terms stay as they were."""

    lc = models.ForeignKey(
        LetterOfCredit,
        verbose_name=_("letter of credit"),
        on_delete=models.CASCADE,
        related_name="amendments",
    )
    number = models.PositiveSmallIntegerField(_("amendment number"))
    amendment_date = models.DateField(_("date of amendment"), null=True, blank=True)
    # [{"field": "amount", "old": "45000.0000", "new": "48600.00"}, …] in JSON-friendly strings
    changes = models.JSONField(_("changes"), default=list)
    raw_text = models.TextField(_("MT707 as received"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=AmendmentStatus.choices,
        default=AmendmentStatus.PENDING,
        db_index=True,
    )
    decided_by = models.ForeignKey(
        USER, verbose_name=_("decided by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.CharField(_("note"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        USER, verbose_name=_("recorded by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = LcAmendmentQuerySet.as_manager()

    class Meta:
        ordering = ["lc", "number"]
        verbose_name = _("L/C amendment")
        verbose_name_plural = _("L/C amendments")
        constraints = [
            models.UniqueConstraint(fields=["lc", "number"], name="lc_amendment_number_once")
        ]

    def __str__(self) -> str:
        return f"{self.lc.number} / {self.number}"


class LcCheckQuerySet(VisibleQuerySet):
    customer_path = "lc__contract__company"


class LcCheck(models.Model):
    """One check of the credit's terms (at ``terms_version``) against the contract."""

    lc = models.ForeignKey(
        LetterOfCredit,
        verbose_name=_("letter of credit"),
        on_delete=models.CASCADE,
        related_name="checks",
    )
    terms_version = models.PositiveIntegerField(_("terms version"))
    contract_version = models.PositiveSmallIntegerField(_("contract version"))
    checked_on = models.DateField(_("checked against the date"))
    checked_at = models.DateTimeField(_("checked"), auto_now_add=True)
    checked_by = models.ForeignKey(
        USER, verbose_name=_("checked by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    blocking_count = models.PositiveSmallIntegerField(_("blocking"), default=0)
    warning_count = models.PositiveSmallIntegerField(_("warnings"), default=0)

    objects = LcCheckQuerySet.as_manager()

    class Meta:
        ordering = ["lc", "-checked_at", "-id"]
        get_latest_by = ["checked_at", "id"]
        verbose_name = _("L/C check")
        verbose_name_plural = _("L/C checks")

    def __str__(self) -> str:
        return f"{self.lc.number} check {self.checked_at:%Y-%m-%d %H:%M}"


class LcDiscrepancyQuerySet(VisibleQuerySet):
    customer_path = "lc_check__lc__contract__company"


class LcDiscrepancy(models.Model):
    """One mismatch found by a check: the field, both sides, and what to ask for."""

    lc_check = models.ForeignKey(
        LcCheck, verbose_name=_("check"), on_delete=models.CASCADE, related_name="discrepancies"
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    code = models.CharField(_("kind"), max_length=40)
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices)
    tag = models.CharField(_("field"), max_length=4)
    lc_says = models.TextField(_("the L/C says"))
    contract_says = models.TextField(_("the contract says"))
    ask_for = models.TextField(_("ask for in an amendment"))
    message = models.TextField(_("why it matters"))
    # The figures of the message, so pages word it in the reader's language (lc/wording.py).
    params = models.JSONField(default=dict, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        USER, verbose_name=_("accepted by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    acceptance_reason = models.CharField(_("why accepted"), max_length=500, blank=True)

    objects = LcDiscrepancyQuerySet.as_manager()

    class Meta:
        ordering = ["lc_check", "position", "id"]
        verbose_name = _("L/C discrepancy")
        verbose_name_plural = _("L/C discrepancies")

    def __str__(self) -> str:
        return f"{self.tag}: {self.message}"

    @property
    def is_blocking(self) -> bool:
        return self.severity == Severity.BLOCKING

    @property
    def display_message(self) -> str:
        """Why it matters, in the active language."""
        from tradewind.contracts.lc.wording import discrepancy_message

        return discrepancy_message(self.code, self.params, self.message)

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None


class LcReminder(models.Model):
    """A reminder of an L/C date to its handler, made and emailed once per
    (L/C, kind, date, days ahead) — a date moved by an amendment gets reminders of its own."""

    lc = models.ForeignKey(LetterOfCredit, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(_("date"), max_length=20, choices=ReminderKind.choices)
    deadline = models.DateField(_("due on"))
    days_before = models.PositiveSmallIntegerField(_("days ahead"))
    handler = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField()
    # The email goes out after the row is committed: claimed (with a lease), then marked sent.
    email_claimed_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("L/C reminder")
        verbose_name_plural = _("L/C reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["lc", "kind", "deadline", "days_before"], name="lc_reminder_once"
            )
        ]
        indexes = [models.Index(fields=["emailed_at", "handler"], name="lc_reminder_unsent_idx")]

    def __str__(self) -> str:
        return f"{self.lc.number} {self.kind} {self.deadline} (−{self.days_before} d)"
