"""Inquiries (询盘), quotations with their revisions and cost working, margin approvals, and
samples. Everything here belongs to a customer, so every queryset applies the one visibility
rule through ``visible_to(user)``.

A quotation keeps its number for life; what is sent is a revision (Rev. A, B, …). A revision is
frozen once sent: its terms, lines and computed prices are never changed again, and a change of
offer is a new revision.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tradewind.core.models import TimeStampedModel
from tradewind.customers.models import VisibleQuerySet
from tradewind.quotes.choices import (
    ApprovalStatus,
    ChargeAllocation,
    ContainerChoice,
    Convention,
    Courier,
    CourierPayer,
    FreightBasis,
    IncotermChoice,
    InquirySource,
    InquiryStatus,
    MarginBasis,
    QuotationStatus,
    RevisionStatus,
    SampleCharge,
    SampleStatus,
    TransportMode,
)

USER = settings.AUTH_USER_MODEL


def money_field(verbose_name, **kwargs):
    kwargs.setdefault("max_digits", 16)
    kwargs.setdefault("decimal_places", 4)
    return models.DecimalField(verbose_name, **kwargs)


def percent_field(verbose_name, **kwargs):
    kwargs.setdefault("max_digits", 6)
    kwargs.setdefault("decimal_places", 3)
    return models.DecimalField(verbose_name, **kwargs)


class InquiryQuerySet(VisibleQuerySet):
    customer_path = "company"


class Inquiry(TimeStampedModel):
    company = models.ForeignKey(
        "customers.Company",
        verbose_name=_("customer"),
        on_delete=models.CASCADE,
        related_name="inquiries",
    )
    contact = models.ForeignKey(
        "customers.Contact",
        verbose_name=_("contact"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inquiries",
    )
    assignee = models.ForeignKey(
        USER, verbose_name=_("handled by"), on_delete=models.PROTECT, related_name="inquiries"
    )
    inbound_message = models.OneToOneField(
        "outreach.InboundMessage",
        verbose_name=_("from the email"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inquiry",
    )
    source = models.CharField(
        _("source"), max_length=12, choices=InquirySource.choices, default=InquirySource.EMAIL
    )
    subject = models.CharField(_("subject"), max_length=300)
    message = models.TextField(_("what the buyer wrote"), blank=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    first_response_due_at = models.DateTimeField(_("first reply due"), db_index=True)
    first_responded_at = models.DateTimeField(_("first reply sent"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=InquiryStatus.choices,
        default=InquiryStatus.OPEN,
        db_index=True,
    )
    closed_reason = models.CharField(_("reason"), max_length=300, blank=True)

    # The details to confirm before quoting (line-level ones are on the lines).
    packing = models.CharField(_("packing"), max_length=300, blank=True)
    lead_time = models.CharField(_("lead time"), max_length=120, blank=True)
    destination_port = models.CharField(_("destination port"), max_length=120, blank=True)
    incoterm = models.CharField(
        _("Incoterm"), max_length=3, choices=IncotermChoice.choices, blank=True
    )
    named_place = models.CharField(_("named place"), max_length=120, blank=True)
    payment_terms = models.CharField(_("payment terms"), max_length=200, blank=True)
    certificates = models.CharField(_("certificates"), max_length=300, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    # {checklist item: reason} for details the rep decided to quote without.
    waivers = models.JSONField(_("waived details"), default=dict, blank=True)

    objects = InquiryQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        indexes = [
            models.Index(
                fields=["assignee", "first_responded_at", "first_response_due_at"],
                name="inquiry_response_due_idx",
            )
        ]

    def __str__(self) -> str:
        return self.subject


class InquiryLineQuerySet(VisibleQuerySet):
    customer_path = "inquiry__company"


class InquiryLine(models.Model):
    inquiry = models.ForeignKey(
        Inquiry, verbose_name=_("inquiry"), on_delete=models.CASCADE, related_name="lines"
    )
    position = models.PositiveSmallIntegerField(_("line"), default=0)
    product = models.ForeignKey(
        "catalog.Product",
        verbose_name=_("product"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inquiry_lines",
    )
    description = models.CharField(_("description"), max_length=300)
    specification = models.TextField(_("specification"), blank=True)
    material = models.CharField(_("material"), max_length=200, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=12, default="pc")
    target_price = money_field(_("target price"), null=True, blank=True)

    objects = InquiryLineQuerySet.as_manager()

    class Meta:
        ordering = ["inquiry", "position", "id"]
        verbose_name = _("inquiry line")
        verbose_name_plural = _("inquiry lines")

    def __str__(self) -> str:
        return self.description


class QuotationQuerySet(VisibleQuerySet):
    customer_path = "company"


class Quotation(TimeStampedModel):
    number = models.CharField(_("number"), max_length=20, unique=True)
    company = models.ForeignKey(
        "customers.Company",
        verbose_name=_("customer"),
        on_delete=models.CASCADE,
        related_name="quotations",
    )
    contact = models.ForeignKey(
        "customers.Contact",
        verbose_name=_("contact"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="quotations",
    )
    inquiry = models.ForeignKey(
        Inquiry,
        verbose_name=_("inquiry"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="quotations",
    )
    owner = models.ForeignKey(
        USER, verbose_name=_("prepared by"), on_delete=models.PROTECT, related_name="quotations"
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=QuotationStatus.choices,
        default=QuotationStatus.DRAFT,
        db_index=True,
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_reason = models.CharField(_("reason"), max_length=300, blank=True)
    accepted_revision = models.ForeignKey(
        "QuotationRevision",
        verbose_name=_("accepted revision"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = QuotationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("quotation")
        verbose_name_plural = _("quotations")

    def __str__(self) -> str:
        return self.number


class RevisionQuerySet(VisibleQuerySet):
    customer_path = "quotation__company"


class QuotationRevision(TimeStampedModel):
    """One version of the offer: its terms, the pricing inputs and, once computed, the prices."""

    quotation = models.ForeignKey(
        Quotation, verbose_name=_("quotation"), on_delete=models.CASCADE, related_name="revisions"
    )
    letter = models.CharField(_("revision"), max_length=2)  # A, B, … Z, AA, …
    status = models.CharField(
        _("status"), max_length=10, choices=RevisionStatus.choices, default=RevisionStatus.DRAFT
    )
    approval_status = models.CharField(
        _("margin approval"),
        max_length=12,
        choices=ApprovalStatus.choices,
        default=ApprovalStatus.NOT_REQUIRED,
    )

    # Commercial terms
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    incoterm = models.CharField(
        _("Incoterm"), max_length=3, choices=IncotermChoice.choices, default=IncotermChoice.FOB
    )
    named_place = models.CharField(_("named place"), max_length=120)
    port_of_loading = models.CharField(_("port of loading"), max_length=120, blank=True)
    destination_port = models.CharField(_("destination port"), max_length=120, blank=True)
    payment_terms = models.CharField(_("payment terms"), max_length=200)
    lead_time_days = models.PositiveSmallIntegerField(_("lead time (days)"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"))
    packing = models.CharField(_("packing"), max_length=300, blank=True)
    remarks = models.TextField(_("remarks"), blank=True)

    # Pricing inputs
    transport_mode = models.CharField(
        _("transport"), max_length=8, choices=TransportMode.choices, default=TransportMode.SEA
    )
    freight_basis = models.CharField(
        _("freight"), max_length=10, choices=FreightBasis.choices, default=FreightBasis.NONE
    )
    container_type = models.CharField(
        _("container"), max_length=4, choices=ContainerChoice.choices, blank=True
    )
    freight_rate = money_field(
        _("freight rate"),
        null=True,
        blank=True,
        help_text=_("In the quotation currency: per container, per freight ton (LCL) or per unit."),
    )
    insurance_rate_percent = percent_field(_("insurance rate %"), null=True, blank=True)
    insurance_markup_percent = percent_field(_("insured value %"), default=Decimal(110))
    commission_percent = percent_field(_("commission %"), null=True, blank=True)
    margin_percent = percent_field(
        _("margin %"), validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(95))]
    )
    margin_basis = models.CharField(
        _("margin basis"), max_length=5, choices=MarginBasis.choices, default=MarginBasis.PRICE
    )
    convention = models.CharField(
        _("pricing convention"), max_length=8, choices=Convention.choices, default=Convention.ADDON
    )
    fx_rate = models.ForeignKey(
        "core.FxRate",
        verbose_name=_("exchange rate"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    fx_rmb_per_unit = models.DecimalField(
        _("RMB per unit (bank buying)"), max_digits=12, decimal_places=6
    )
    fx_buffer_percent = percent_field(_("FX buffer %"), default=Decimal(0))
    # [{"label": …, "amount_rmb": "…", "basis": "per_shipment" | "per_unit", "block": …}]
    domestic_charges = models.JSONField(_("domestic charges"), default=list, blank=True)
    charge_allocation = models.CharField(
        _("allocate shipment charges"),
        max_length=6,
        choices=ChargeAllocation.choices,
        default=ChargeAllocation.VOLUME,
    )

    # Results, written when the revision is priced; frozen when sent.
    total_amount = money_field(_("total"), null=True, blank=True)
    lowest_margin_percent = percent_field(_("lowest line margin %"), null=True, blank=True)
    working = models.JSONField(_("working"), default=dict, blank=True)
    priced_at = models.DateTimeField(_("priced"), null=True, blank=True)

    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    sent_by = models.ForeignKey(
        USER, verbose_name=_("sent by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    outbound_message = models.ForeignKey(
        "outreach.OutboundMessage",
        verbose_name=_("email"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        USER, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

    objects = RevisionQuerySet.as_manager()

    class Meta:
        ordering = ["quotation", "created_at", "id"]
        verbose_name = _("quotation revision")
        verbose_name_plural = _("quotation revisions")
        constraints = [
            models.UniqueConstraint(fields=["quotation", "letter"], name="revision_letter_once")
        ]

    def __str__(self) -> str:
        return f"{self.quotation.number} Rev. {self.letter}"

    @property
    def is_frozen(self) -> bool:
        return self.status != RevisionStatus.DRAFT

    @property
    def is_expired(self) -> bool:
        return self.valid_until < timezone.localdate()


class LineQuerySet(VisibleQuerySet):
    customer_path = "revision__quotation__company"


class QuotationLine(models.Model):
    """One product on a revision, with a copy of what the price was built from."""

    revision = models.ForeignKey(
        QuotationRevision,
        verbose_name=_("revision"),
        on_delete=models.CASCADE,
        related_name="lines",
    )
    position = models.PositiveSmallIntegerField(_("line"), default=0)
    product = models.ForeignKey(
        "catalog.Product",
        verbose_name=_("product"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="quotation_lines",
    )
    model = models.CharField(_("model / item no."), max_length=60, blank=True)
    description = models.CharField(_("description"), max_length=300)
    description_zh = models.CharField(_("description (Chinese)"), max_length=300, blank=True)
    specification = models.TextField(_("specification"), blank=True)
    hs_code = models.CharField(_("HS code"), max_length=10, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    unit = models.CharField(_("unit"), max_length=12, default="pc")

    cost_basis = models.CharField(_("cost basis"), max_length=20, default="purchase_incl_vat")
    unit_cost_rmb = money_field(_("purchase price / factory cost (RMB)"))
    vat_percent = percent_field(_("VAT %"), default=Decimal(13))
    rebate_percent = percent_field(_("export rebate %"), default=Decimal(0))
    margin_percent = percent_field(
        _("margin %"),
        null=True,
        blank=True,
        help_text=_("Leave empty to use the quotation's margin."),
    )

    pcs_per_carton = models.PositiveIntegerField(_("pieces per carton"), null=True, blank=True)
    carton_length_cm = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    carton_width_cm = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    carton_height_cm = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    carton_gross_weight_kg = models.DecimalField(
        max_digits=9, decimal_places=3, null=True, blank=True
    )
    carton_net_weight_kg = models.DecimalField(
        max_digits=9, decimal_places=3, null=True, blank=True
    )
    photo = models.CharField(max_length=300, blank=True)  # storage name of the product photo

    # Results
    unit_price = money_field(_("unit price"), null=True, blank=True)
    total = money_field(_("amount"), null=True, blank=True)
    units_per_container = models.PositiveIntegerField(null=True, blank=True)
    swap_cost = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    profit_rate_percent = percent_field(_("profit rate %"), null=True, blank=True)
    working = models.JSONField(default=dict, blank=True)

    objects = LineQuerySet.as_manager()

    class Meta:
        ordering = ["revision", "position", "id"]
        verbose_name = _("quotation line")
        verbose_name_plural = _("quotation lines")

    def __str__(self) -> str:
        return self.description


class ApprovalQuerySet(VisibleQuerySet):
    customer_path = "revision__quotation__company"


class MarginApproval(models.Model):
    """A request to send a revision whose margin is below the team's minimum, and its answer."""

    revision = models.ForeignKey(
        QuotationRevision,
        verbose_name=_("revision"),
        on_delete=models.CASCADE,
        related_name="approvals",
    )
    requested_by = models.ForeignKey(
        USER, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    request_comment = models.TextField(_("why"), blank=True)
    margin_percent = percent_field(_("margin %"))
    minimum_percent = percent_field(_("minimum %"))
    approver = models.ForeignKey(
        USER,
        verbose_name=_("approver"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="approvals_to_decide",
    )
    decided_by = models.ForeignKey(
        USER, verbose_name=_("decided by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision = models.CharField(
        _("decision"), max_length=12, choices=ApprovalStatus.choices, default=ApprovalStatus.PENDING
    )
    decision_comment = models.TextField(_("comment"), blank=True)

    objects = ApprovalQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("margin approval")
        verbose_name_plural = _("margin approvals")

    def __str__(self) -> str:
        return f"{self.revision} · {self.get_decision_display()}"


class SampleQuerySet(VisibleQuerySet):
    customer_path = "company"


class Sample(TimeStampedModel):
    number = models.CharField(_("number"), max_length=20, unique=True)
    company = models.ForeignKey(
        "customers.Company",
        verbose_name=_("customer"),
        on_delete=models.CASCADE,
        related_name="samples",
    )
    contact = models.ForeignKey(
        "customers.Contact",
        verbose_name=_("contact"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="samples",
    )
    inquiry = models.ForeignKey(
        Inquiry,
        verbose_name=_("inquiry"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="samples",
    )
    quotation = models.ForeignKey(
        Quotation,
        verbose_name=_("quotation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="samples",
    )
    requested_by = models.ForeignKey(
        USER, verbose_name=_("handled by"), on_delete=models.PROTECT, related_name="samples"
    )
    status = models.CharField(
        _("status"),
        max_length=14,
        choices=SampleStatus.choices,
        default=SampleStatus.REQUESTED,
        db_index=True,
    )
    courier = models.CharField(_("courier"), max_length=6, choices=Courier.choices, blank=True)
    awb_number = models.CharField(_("AWB / tracking number"), max_length=40, blank=True)
    courier_payer = models.CharField(
        _("courier paid by"), max_length=6, choices=CourierPayer.choices, default=CourierPayer.US
    )
    collect_account = models.CharField(_("buyer's courier account"), max_length=40, blank=True)
    courier_cost_rmb = money_field(_("courier cost (RMB)"), default=Decimal(0))
    sample_cost_rmb = money_field(_("sample cost (RMB)"), default=Decimal(0))
    shipped_at = models.DateTimeField(_("shipped"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    feedback_after_days = models.PositiveSmallIntegerField(
        _("ask for feedback after (days)"), default=5
    )
    feedback_task = models.ForeignKey(
        "customers.Task",
        verbose_name=_("feedback follow-up"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # Structured feedback
    feedback_at = models.DateTimeField(_("feedback received"), null=True, blank=True)
    quality_rating = models.PositiveSmallIntegerField(
        _("quality (1–5)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    appearance_rating = models.PositiveSmallIntegerField(
        _("appearance (1–5)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    packaging_rating = models.PositiveSmallIntegerField(
        _("packaging (1–5)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    price_acceptable = models.BooleanField(_("price acceptable"), null=True, blank=True)
    changes_requested = models.TextField(_("changes requested"), blank=True)
    feedback_notes = models.TextField(_("buyer's comments"), blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_reason = models.CharField(_("reason"), max_length=300, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    objects = SampleQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("sample")
        verbose_name_plural = _("samples")

    def __str__(self) -> str:
        return self.number


class SampleItemQuerySet(VisibleQuerySet):
    customer_path = "sample__company"


class SampleItem(models.Model):
    sample = models.ForeignKey(
        Sample, verbose_name=_("sample"), on_delete=models.CASCADE, related_name="items"
    )
    product = models.ForeignKey(
        "catalog.Product",
        verbose_name=_("product"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sample_items",
    )
    description = models.CharField(_("description"), max_length=300)
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    charge = models.CharField(
        _("charge"), max_length=8, choices=SampleCharge.choices, default=SampleCharge.FREE
    )
    unit_price = money_field(_("unit price"), null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="USD")

    objects = SampleItemQuerySet.as_manager()

    class Meta:
        ordering = ["sample", "id"]
        verbose_name = _("sample item")
        verbose_name_plural = _("sample items")

    def __str__(self) -> str:
        return self.description
