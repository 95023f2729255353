"""Proforma invoices and sales contracts, their clauses, versions, payment-term approvals and
deposits, plus the company-wide clause templates, country-risk classes and buyer credit limits.

Everything that belongs to a customer applies the one visibility rule through
``visible_to(user)``.

Two numbers count changes on a contract:

* ``version`` is the contract's version as signed with the buyer: 1 for the original, 2 after the
  first amendment, … Each version is kept as a :class:`ContractVersion` snapshot.
* ``lock_version`` counts every saved edit. Each edit is an ``UPDATE … WHERE lock_version = n``
  (optimistic locking), so of two users saving the same form at once one wins and the other is
  told, instead of silently overwriting.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tradewind.contracts.choices import (
    EDITABLE_STATUSES,
    ApprovalDecision,
    ClauseKey,
    ContractKind,
    ContractStatus,
    InspectionBy,
    InsuredBy,
    ShipmentPermission,
    VersionStatus,
)
from tradewind.core.models import TimeStampedModel
from tradewind.customers.models import VisibleQuerySet
from tradewind.quotes.choices import IncotermChoice
from tradewind.quotes.models import money_field, percent_field

USER = settings.AUTH_USER_MODEL


class ContractQuerySet(VisibleQuerySet):
    customer_path = "company"


class Contract(TimeStampedModel):
    """A PI (PI-YYYY-NNNN) or sales contract (SC-YYYY-NNNN) made from an accepted quotation."""

    kind = models.CharField(_("kind"), max_length=2, choices=ContractKind.choices)
    number = models.CharField(_("number"), max_length=20, unique=True)
    company = models.ForeignKey(
        "customers.Company",
        verbose_name=_("customer"),
        on_delete=models.CASCADE,
        related_name="contracts",
    )
    contact = models.ForeignKey(
        "customers.Contact",
        verbose_name=_("contact"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contracts",
    )
    quotation = models.ForeignKey(
        "quotes.Quotation",
        verbose_name=_("quotation"),
        on_delete=models.RESTRICT,
        related_name="contracts",
    )
    quotation_revision = models.ForeignKey(
        "quotes.QuotationRevision",
        verbose_name=_("accepted revision"),
        on_delete=models.RESTRICT,
        related_name="contracts",
    )
    owner = models.ForeignKey(
        USER, verbose_name=_("prepared by"), on_delete=models.PROTECT, related_name="contracts"
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ContractStatus.choices,
        default=ContractStatus.DRAFT,
        db_index=True,
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    lock_version = models.PositiveIntegerField(default=0, editable=False)
    contract_date = models.DateField(_("contract date"))
    buyer_reference = models.CharField(_("buyer's order no."), max_length=60, blank=True)

    # Parties as printed (copied when the contract is made; editable per contract).
    buyer_name = models.CharField(_("buyer"), max_length=200)
    buyer_address = models.TextField(_("buyer's address"), blank=True)
    beneficiary_name = models.CharField(_("beneficiary"), max_length=200, blank=True)
    bank_name = models.CharField(_("bank"), max_length=200, blank=True)
    bank_address = models.TextField(_("bank address"), blank=True)
    bank_account = models.CharField(_("account number"), max_length=60, blank=True)
    bank_swift = models.CharField(_("SWIFT / BIC"), max_length=11, blank=True)

    # Money
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    total_amount = money_field(_("total"), default=Decimal(0))

    # Delivery
    incoterm = models.CharField(_("Incoterm"), max_length=3, choices=IncotermChoice.choices)
    named_place = models.CharField(_("named place"), max_length=120)
    port_of_loading = models.CharField(_("port of loading"), max_length=120, blank=True)
    destination_port = models.CharField(_("destination"), max_length=120, blank=True)
    latest_shipment_date = models.DateField(_("latest shipment date"), null=True, blank=True)
    production_lead_time_days = models.PositiveSmallIntegerField(
        _("production lead time (days)"), null=True, blank=True
    )
    partial_shipment = models.CharField(
        _("partial shipment"),
        max_length=10,
        choices=ShipmentPermission.choices,
        default=ShipmentPermission.PROHIBITED,
    )
    transhipment = models.CharField(
        _("transhipment"),
        max_length=10,
        choices=ShipmentPermission.choices,
        default=ShipmentPermission.ALLOWED,
    )
    quantity_tolerance_percent = percent_field(
        _("quantity tolerance ±%"),
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(10))],
    )

    # Quality, packing, marks
    quality_standard = models.CharField(_("quality standard"), max_length=300, blank=True)
    packing = models.CharField(_("packing"), max_length=300, blank=True)
    shipping_marks = models.TextField(_("shipping marks"), blank=True)

    # Insurance
    insured_by = models.CharField(
        _("insured by"), max_length=6, choices=InsuredBy.choices, blank=True
    )
    insurance_cover = models.CharField(_("insurance cover"), max_length=200, blank=True)
    insurance_percent = percent_field(_("insured amount (% of invoice)"), default=Decimal(110))

    # Inspection
    inspection_by = models.CharField(
        _("inspection by"), max_length=12, choices=InspectionBy.choices, blank=True
    )
    inspection_when = models.CharField(_("inspection when"), max_length=200, blank=True)
    inspection_certificate = models.CharField(
        _("inspection certificate"), max_length=200, blank=True
    )

    # Claims, disputes
    claims_period_days = models.PositiveSmallIntegerField(
        _("claims period (days after arrival)"), null=True, blank=True
    )
    arbitration_institution = models.CharField(
        _("arbitration institution"), max_length=200, blank=True
    )
    arbitration_seat = models.CharField(_("seat of arbitration"), max_length=120, blank=True)
    governing_law = models.CharField(_("governing law"), max_length=120, blank=True)

    # Payment: the chosen terms (tradewind.trade.payment_terms) and the schedule built from them.
    payment_terms_code = models.CharField(_("payment terms"), max_length=40, blank=True)
    # [{"share_percent": "30", "instrument": "T/T", "due": "order", "days": 0, "confirmed": false}]
    payment_terms = models.JSONField(_("payment instalments"), default=list, blank=True)
    payment_terms_text = models.CharField(_("payment terms"), max_length=300, blank=True)
    # [{"number": 1, "amount": "…", "due_text": "…", "due_date": "…" | null, "instrument": "…"}]
    payment_schedule = models.JSONField(_("payment schedule"), default=list, blank=True)
    # The credit assessment of the chosen terms when they were chosen (status, reasons).
    payment_assessment = models.JSONField(_("credit assessment"), default=dict, blank=True)
    deposit_amount = money_field(_("deposit"), null=True, blank=True)
    deposit_due_date = models.DateField(_("deposit due"), null=True, blank=True)

    bilingual_pdf = models.BooleanField(_("English and Chinese PDF"), default=False)
    remarks = models.TextField(_("remarks"), blank=True)

    ready_at = models.DateTimeField(_("ready to sign"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    signed_at = models.DateTimeField(_("signed"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    production_started_at = models.DateTimeField(_("production started"), null=True, blank=True)
    created_by = models.ForeignKey(
        USER, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

    objects = ContractQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        indexes = [models.Index(fields=["company", "status"], name="contract_company_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(total_amount__gte=0), name="contract_total_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def is_signed(self) -> bool:
        return self.status == ContractStatus.SIGNED

    @property
    def amendment_number(self) -> int:
        return self.version - 1


class ContractLineQuerySet(VisibleQuerySet):
    customer_path = "contract__company"


class ContractLine(models.Model):
    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.CASCADE, related_name="lines"
    )
    position = models.PositiveSmallIntegerField(_("line"), default=0)
    quotation_line = models.ForeignKey(
        "quotes.QuotationLine",
        verbose_name=_("quotation line"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    product = models.ForeignKey(
        "catalog.Product",
        verbose_name=_("product"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contract_lines",
    )
    model = models.CharField(_("model / item no."), max_length=60, blank=True)
    description = models.CharField(_("description"), max_length=300)
    description_zh = models.CharField(_("description (Chinese)"), max_length=300, blank=True)
    specification = models.TextField(_("specification"), blank=True)
    hs_code = models.CharField(_("HS code"), max_length=10, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    unit = models.CharField(_("unit"), max_length=12, default="pc")
    unit_price = money_field(_("unit price"))
    total = money_field(_("amount"))

    objects = ContractLineQuerySet.as_manager()

    class Meta:
        ordering = ["contract", "position", "id"]
        verbose_name = _("contract line")
        verbose_name_plural = _("contract lines")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(unit_price__gte=0), name="contract_line_price_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.description


class ClauseTemplate(models.Model):
    """The company-wide wording of one clause; admins edit it, contracts copy it.

    The text may name contract fields in braces ({latest_shipment_date}, {port_of_loading}, …);
    they are filled in from the contract whenever it is shown or printed."""

    key = models.CharField(_("clause"), max_length=16, choices=ClauseKey.choices)
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("wording (English)"))
    body_zh = models.TextField(_("wording (Chinese)"), blank=True)
    # Company-wide starting values of the contract fields this clause is about, e.g.
    # {"arbitration_institution": "CIETAC", "claims_period_days": 60}; contracts may change them.
    defaults = models.JSONField(_("default values"), default=dict, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("used for new contracts"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        USER, verbose_name=_("updated by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("clause template")
        verbose_name_plural = _("clause templates")
        constraints = [
            models.UniqueConstraint(
                fields=["key"],
                condition=~models.Q(key="custom"),
                name="clause_template_key_once",
            )
        ]

    def __str__(self) -> str:
        return self.title


class ClauseQuerySet(VisibleQuerySet):
    customer_path = "contract__company"


class Clause(models.Model):
    """One clause of one contract, copied from its template and changeable for this contract."""

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.CASCADE, related_name="clauses"
    )
    key = models.CharField(_("clause"), max_length=16, choices=ClauseKey.choices)
    template = models.ForeignKey(
        ClauseTemplate,
        verbose_name=_("template"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("wording (English)"), blank=True)
    body_zh = models.TextField(_("wording (Chinese)"), blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    is_customised = models.BooleanField(_("changed for this contract"), default=False)

    objects = ClauseQuerySet.as_manager()

    class Meta:
        ordering = ["contract", "position", "id"]
        verbose_name = _("clause")
        verbose_name_plural = _("clauses")
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "key"],
                condition=~models.Q(key="custom"),
                name="contract_clause_key_once",
            )
        ]

    def __str__(self) -> str:
        return self.title


class ContractVersionQuerySet(VisibleQuerySet):
    customer_path = "contract__company"


def countersigned_upload_to(instance: "ContractVersion", filename: str) -> str:
    return f"contracts/{instance.contract_id}/v{instance.number}-countersigned.pdf"


class ContractVersion(models.Model):
    """One version of a contract as agreed: the original (1) or an amendment (2, 3, …).

    ``snapshot`` freezes the terms, lines and clauses when the version is signed; ``changes``
    lists what differs from the version before it."""

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=8, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    reason = models.TextField(_("reason for the amendment"), blank=True)
    snapshot = models.JSONField(_("terms as signed"), default=dict, blank=True)
    # [{"field": "…", "label": "…", "old": "…", "new": "…"}]
    changes = models.JSONField(_("changes"), default=list, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        USER, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    signed_at = models.DateTimeField(_("signed"), null=True, blank=True)
    signed_recorded_by = models.ForeignKey(
        USER, verbose_name=_("signature recorded by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    countersigned_pdf = models.FileField(
        _("countersigned PDF"), upload_to=countersigned_upload_to, blank=True
    )
    countersigned_sha256 = models.CharField(max_length=64, blank=True)

    objects = ContractVersionQuerySet.as_manager()

    class Meta:
        ordering = ["contract", "number"]
        verbose_name = _("contract version")
        verbose_name_plural = _("contract versions")
        constraints = [
            models.UniqueConstraint(fields=["contract", "number"], name="contract_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.contract.number} v{self.number}"


class CountryRisk(models.Model):
    """The risk class (0 = lowest … 7) a manager gives a buyer's country."""

    country = models.CharField(_("country"), max_length=2, unique=True)
    risk_class = models.PositiveSmallIntegerField(
        _("risk class (0–7)"), validators=[MaxValueValidator(7)]
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        USER, verbose_name=_("updated by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

    class Meta:
        ordering = ["country"]
        verbose_name = _("country risk")
        verbose_name_plural = _("country risks")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(risk_class__lte=7), name="country_risk_class_0_to_7"
            )
        ]

    def __str__(self) -> str:
        return f"{self.country}: {self.risk_class}"


class BuyerCreditQuerySet(VisibleQuerySet):
    customer_path = "company"


class BuyerCredit(models.Model):
    """A buyer's credit-insurance limit (e.g. Sinosure 中信保): amount, terms and validity."""

    company = models.OneToOneField(
        "customers.Company",
        verbose_name=_("customer"),
        on_delete=models.CASCADE,
        related_name="credit",
    )
    insurer = models.CharField(_("insurer"), max_length=80, default="Sinosure")
    buyer_code = models.CharField(_("insurer's buyer code"), max_length=40, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    limit_amount = money_field(
        _("approved limit"), validators=[MinValueValidator(Decimal(0))], default=Decimal(0)
    )
    approved_credit_days = models.PositiveSmallIntegerField(
        _("approved credit period (days)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(360)],
    )
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    notes = models.CharField(_("notes"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        USER, verbose_name=_("updated by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

    objects = BuyerCreditQuerySet.as_manager()

    class Meta:
        verbose_name = _("buyer credit limit")
        verbose_name_plural = _("buyer credit limits")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(limit_amount__gte=0), name="buyer_credit_limit_not_negative"
            )
        ]

    def __str__(self) -> str:
        return f"{self.insurer} {self.currency} {self.limit_amount}"


class PaymentTermApprovalQuerySet(VisibleQuerySet):
    customer_path = "contract__company"


class PaymentTermApproval(models.Model):
    """A manager's decision on D/A or O/A terms beyond the buyer's credit-insurance limit."""

    contract = models.ForeignKey(
        Contract,
        verbose_name=_("contract"),
        on_delete=models.CASCADE,
        related_name="term_approvals",
    )
    version = models.PositiveSmallIntegerField(_("contract version"), default=1)
    terms_code = models.CharField(_("payment terms"), max_length=40)
    terms_text = models.CharField(_("payment terms"), max_length=300)
    amount = money_field(_("contract total"))
    currency = models.CharField(_("currency"), max_length=3)
    limit_amount = money_field(_("credit-insurance limit"), null=True, blank=True)
    exposure = money_field(_("current exposure"), default=Decimal(0))
    reasons = models.JSONField(_("why it needs approval"), default=list, blank=True)
    requested_by = models.ForeignKey(
        USER, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    request_comment = models.TextField(_("why"), blank=True)
    approver = models.ForeignKey(
        USER,
        verbose_name=_("approver"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="term_approvals_to_decide",
    )
    decision = models.CharField(
        _("decision"),
        max_length=10,
        choices=ApprovalDecision.choices,
        default=ApprovalDecision.PENDING,
        db_index=True,
    )
    decided_by = models.ForeignKey(
        USER, verbose_name=_("decided by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_comment = models.TextField(_("comment"), blank=True)

    objects = PaymentTermApprovalQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("payment-term approval")
        verbose_name_plural = _("payment-term approvals")

    def __str__(self) -> str:
        return f"{self.contract.number} · {self.terms_text}"


class DepositQuerySet(VisibleQuerySet):
    customer_path = "contract__company"


class Deposit(models.Model):
    """A payment the buyer owes under the schedule (normally the deposit) and when it arrived.

    A bank slip (水单) is only the buyer's word that money was sent: it is recorded, but only
    ``credited_at`` — the money on our account — counts as paid."""

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.CASCADE, related_name="deposits"
    )
    instalment_number = models.PositiveSmallIntegerField(_("instalment"), default=1)
    currency = models.CharField(_("currency"), max_length=3)
    amount_due = money_field(_("amount due"), validators=[MinValueValidator(Decimal(0))])
    due_date = models.DateField(_("due"), null=True, blank=True, db_index=True)
    slip_received_at = models.DateTimeField(_("bank slip received"), null=True, blank=True)
    slip_reference = models.CharField(_("bank slip reference"), max_length=80, blank=True)
    credited_at = models.DateTimeField(_("credited"), null=True, blank=True)
    credited_on = models.DateField(_("value date"), null=True, blank=True)
    amount_credited = money_field(_("amount credited"), null=True, blank=True)
    bank_reference = models.CharField(_("bank reference"), max_length=80, blank=True)
    recorded_by = models.ForeignKey(
        USER, verbose_name=_("recorded by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = DepositQuerySet.as_manager()

    class Meta:
        ordering = ["contract", "instalment_number", "id"]
        verbose_name = _("deposit")
        verbose_name_plural = _("deposits")
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "instalment_number"], name="deposit_per_instalment"
            ),
            models.CheckConstraint(
                condition=models.Q(amount_due__gte=0), name="deposit_amount_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contract.number} #{self.instalment_number}"

    @property
    def is_credited(self) -> bool:
        return self.credited_at is not None
