"""Writes to quotations: create (blank or from an inquiry), terms, lines, revisions, cancel.

Each service is atomic, takes ``actor=``, finds its records through the visibility rule (another
rep's quotation does not exist for them), records an audit event and re-prices the draft it
changed. A revision that was sent (or superseded) is frozen: every change is refused with a
DomainError, and a changed offer is a new revision (Rev. A, B, … Z, AA, …).

Numbers (``QT-2026-0042``) come from :func:`tradewind.core.numbering.next_number` inside the
transaction that saves the quotation, so they are gapless per year even when two reps save at
the same moment, and a save that fails gives its number back.
"""

from __future__ import annotations

import contextlib
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tradewind.catalog.models import Product
from tradewind.core.audit import audit_record, diff, snapshot
from tradewind.core.errors import DomainError, NotFound
from tradewind.core.models import CompanyProfile, FxRate
from tradewind.core.numbering import next_number
from tradewind.customers.models import Company, Contact
from tradewind.quotes import pricing, shipment_costs
from tradewind.quotes.approvals import ensure_sendable, reset_after_change
from tradewind.quotes.choices import QuotationStatus, RevisionStatus
from tradewind.quotes.models import (
    Inquiry,
    Quotation,
    QuotationLine,
    QuotationRevision,
)
from tradewind.quotes.quotation_compare import revision_compare
from tradewind.trade.errors import MoneyError
from tradewind.trade.money import normalise_currency

__all__ = [
    "ensure_sendable",
    "line_add",
    "line_remove",
    "line_update",
    "next_letter",
    "quotation_cancel",
    "quotation_create",
    "quotation_create_from_inquiry",
    "revision_compare",
    "revision_new",
    "revision_price",
    "revision_update",
]

DEFAULT_VALIDITY_DAYS = 30
DEFAULT_MARGIN = Decimal(15)
DEFAULT_PAYMENT_TERMS = "30% T/T deposit, 70% before shipment"
HOME_CURRENCY = "CNY"
MAX_LINES = 500

# Terms a rep sets on a draft revision (the rest are results or bookkeeping).
TERMS = (
    "currency", "incoterm", "named_place", "port_of_loading", "destination_port",
    "payment_terms", "lead_time_days", "valid_until", "packing", "remarks", "transport_mode",
    "freight_basis", "container_type", "freight_rate", "insurance_rate_percent",
    "insurance_markup_percent", "commission_percent", "margin_percent", "margin_basis",
    "convention", "fx_rmb_per_unit", "fx_buffer_percent", "domestic_charges",
    "charge_allocation",
)  # fmt: skip
LINE_INPUTS = (
    "model", "description", "description_zh", "specification", "hs_code", "quantity", "unit",
    "cost_basis", "unit_cost_rmb", "vat_percent", "rebate_percent", "margin_percent",
    "pcs_per_carton", "carton_length_cm", "carton_width_cm", "carton_height_cm",
    "carton_gross_weight_kg", "carton_net_weight_kg", "photo",
)  # fmt: skip
SNAPSHOT = ("product", *LINE_INPUTS)


# --- Lookups --------------------------------------------------------------------------------


def _visible(model, actor, pk: int, *related: str, message: str):
    row = (
        model.objects.visible_to(actor)
        .select_for_update(of=("self",))
        .select_related(*related)
        .filter(pk=pk)
        .first()
    )
    if row is None:
        raise NotFound(message)
    return row


def _company(actor, company_id: int) -> Company:
    return _visible(Company, actor, company_id, message=_("No such customer."))


def _quotation(actor, quotation_id: int) -> Quotation:
    return _visible(
        Quotation,
        actor,
        quotation_id,
        "company",
        "owner__team",
        message=_("No such quotation."),
    )


def _draft(actor, revision_id: int) -> QuotationRevision:
    revision = _visible(
        QuotationRevision,
        actor,
        revision_id,
        "quotation",
        "quotation__company",
        "quotation__owner__team",
        message=_("No such quotation."),
    )
    ensure_editable(revision)
    return revision


def ensure_editable(revision: QuotationRevision) -> None:
    if revision.is_frozen:
        raise DomainError(
            _(
                "Rev. %(letter)s is frozen (%(status)s): it cannot change. Make a new revision "
                "to change the offer."
            )
            % {"letter": revision.letter, "status": revision.get_status_display()},
            code="frozen",
        )
    if revision.quotation.status in (QuotationStatus.CANCELLED, QuotationStatus.ACCEPTED):
        raise DomainError(
            _("The quotation is %(status)s: it cannot change any more.")
            % {"status": revision.quotation.get_status_display().lower()},
            code="closed",
        )


def _line(actor, line_id: int) -> QuotationLine:
    line = _visible(
        QuotationLine,
        actor,
        line_id,
        "revision__quotation__company",
        "revision__quotation__owner__team",
        message=_("No such quotation line."),
    )
    ensure_editable(line.revision)
    return line


# --- FX -------------------------------------------------------------------------------------


def fx_rate_on(currency: str, day: date) -> FxRate:
    """The bank buying rate for ``currency``: the latest on or before ``day``."""
    try:
        from tradewind.core.fx import rate_on
    except ImportError:  # the FX module is not there yet: same rule, straight from the table
        rate = FxRate.objects.filter(currency=currency, date__lte=day).order_by("-date").first()
        if rate is None:
            raise DomainError(
                _(
                    "There is no %(currency)s exchange rate on or before %(day)s — add the "
                    "bank's buying rate under exchange rates, or type the rate here."
                )
                % {"currency": currency, "day": day.isoformat()},
                field="fx_rmb_per_unit",
            ) from None
        return rate
    try:
        return rate_on(currency, day)
    except DomainError as exc:
        raise DomainError(exc.message, field="fx_rmb_per_unit") from None


def _currency(value: str) -> str:
    try:
        return normalise_currency(value or "")
    except (MoneyError, TypeError):
        raise DomainError(
            _("“%(code)s” is not a known currency code — use e.g. USD, EUR or GBP.")
            % {"code": value},
            field="currency",
        ) from None


def _set_fx(revision: QuotationRevision, manual: Decimal | None) -> None:
    """A typed rate wins; otherwise the table's latest rate on or before today."""
    if manual is not None:
        if manual <= 0 or manual > 1000:
            raise DomainError(
                _("The exchange rate must be RMB per unit of currency, above 0 (e.g. 7.1)."),
                field="fx_rmb_per_unit",
            )
        revision.fx_rate = None
        revision.fx_rmb_per_unit = manual
        return
    if revision.currency == HOME_CURRENCY:
        revision.fx_rate, revision.fx_rmb_per_unit = None, Decimal(1)
        return
    rate = fx_rate_on(revision.currency, timezone.localdate())
    revision.fx_rate = rate
    revision.fx_rmb_per_unit = rate.rmb_per_unit


# --- Validation -----------------------------------------------------------------------------


def _as_domain(exc: ValidationError) -> DomainError:
    if hasattr(exc, "error_dict"):
        field, errors = next(iter(exc.error_dict.items()))
        return DomainError(errors[0].messages[0], field=None if field == "__all__" else field)
    return DomainError(exc.messages[0])


def _clean_revision(revision: QuotationRevision, *, new: bool = False) -> None:
    revision.currency = _currency(revision.currency)
    for name in ("named_place", "port_of_loading", "destination_port", "payment_terms"):
        setattr(revision, name, (getattr(revision, name) or "").strip())
    if not revision.named_place:
        raise DomainError(
            _("Enter the named place of the Incoterm (e.g. Ningbo for FOB Ningbo)."),
            field="named_place",
        )
    if not revision.payment_terms:
        raise DomainError(_("Enter the payment terms."), field="payment_terms")
    if revision.valid_until is None:
        raise DomainError(_("Enter the date the offer is valid until."), field="valid_until")
    if revision.valid_until < timezone.localdate() and new:
        raise DomainError(_("The validity date cannot be in the past."), field="valid_until")
    if revision.valid_until > timezone.localdate() + timedelta(days=366):
        raise DomainError(_("Keep the validity within a year."), field="valid_until")
    margin = revision.margin_percent
    if margin is None or margin < 0 or margin >= 100:
        raise DomainError(
            _("The margin must be at least 0 % and below 100 %."), field="margin_percent"
        )
    revision.domestic_charges = shipment_costs.parse_charges(revision.domestic_charges)
    for name, upper in (
        ("insurance_rate_percent", 10),
        ("commission_percent", 50),
        ("fx_buffer_percent", 20),
    ):
        value = getattr(revision, name)
        if value is not None and (value < 0 or value > upper):
            raise DomainError(
                _("Enter a percentage between 0 and %(upper)s.") % {"upper": upper}, field=name
            )
    if revision.freight_rate is not None and revision.freight_rate < 0:
        raise DomainError(_("The freight rate cannot be negative."), field="freight_rate")
    try:
        revision.full_clean(exclude=["quotation", "letter"])
    except ValidationError as exc:
        raise _as_domain(exc) from exc


def _clean_line(line: QuotationLine) -> None:
    for name in ("model", "description", "description_zh", "hs_code", "unit"):
        setattr(line, name, (getattr(line, name) or "").strip())
    if not line.description:
        raise DomainError(_("Describe the product."), field="description")
    if line.quantity is None or line.quantity < 1:
        raise DomainError(_("The quantity must be at least 1."), field="quantity")
    if line.quantity > 1_000_000_000:
        raise DomainError(_("That quantity is too large — check the figure."), field="quantity")
    if line.unit_cost_rmb is None or line.unit_cost_rmb < 0:
        raise DomainError(
            _("Enter the purchase price or factory cost (RMB), 0 or more."),
            field="unit_cost_rmb",
        )
    if line.margin_percent is not None and not (0 <= line.margin_percent < 100):
        raise DomainError(
            _("The margin must be at least 0 % and below 100 %."), field="margin_percent"
        )
    if line.vat_percent is None or not (0 <= line.vat_percent < 100):
        raise DomainError(_("Enter a VAT rate between 0 and 99 %."), field="vat_percent")
    if line.rebate_percent is None or not (0 <= line.rebate_percent <= line.vat_percent):
        raise DomainError(
            _("The export rebate must be between 0 % and the VAT rate."),
            field="rebate_percent",
        )
    if line.hs_code and not (line.hs_code.isdigit() and len(line.hs_code) == 10):
        raise DomainError(_("An HS code here is the 10-digit Chinese code."), field="hs_code")
    for name in (
        "pcs_per_carton",
        "carton_length_cm",
        "carton_width_cm",
        "carton_height_cm",
        "carton_gross_weight_kg",
        "carton_net_weight_kg",
    ):
        value = getattr(line, name)
        if value is not None and value <= 0:
            raise DomainError(_("Packing figures must be above 0 (or left empty)."), field=name)
    net, gross = line.carton_net_weight_kg, line.carton_gross_weight_kg
    if net is not None and gross is not None and net > gross:
        raise DomainError(
            _("The net weight cannot be above the gross weight."), field="carton_net_weight_kg"
        )
    try:
        line.full_clean(exclude=["revision"])
    except ValidationError as exc:
        raise _as_domain(exc) from exc


def product_snapshot(product: Product) -> dict:
    """What a line copies from its product: names, cost, VAT and rebate (from the HS code),
    packing and the first photo."""
    hs = product.hs_code
    photo = product.photos.order_by("position", "id").first()
    return {
        "product": product,
        "model": product.model,
        "description": product.name_en,
        "description_zh": product.name_zh,
        "specification": product.specification,
        "hs_code": hs.code if hs else "",
        "unit": product.unit or "pc",
        "cost_basis": product.cost_basis,
        "unit_cost_rmb": product.unit_cost_rmb,
        "vat_percent": hs.vat_percent if hs else Decimal(13),
        "rebate_percent": hs.rebate_percent if hs else Decimal(0),
        "pcs_per_carton": product.pcs_per_carton,
        "carton_length_cm": product.carton_length_cm,
        "carton_width_cm": product.carton_width_cm,
        "carton_height_cm": product.carton_height_cm,
        "carton_gross_weight_kg": product.carton_gross_weight_kg,
        "carton_net_weight_kg": product.carton_net_weight_kg,
        "photo": photo.image.name if photo else "",
    }


def _product(product) -> Product | None:
    if product is None or product == "":
        return None
    if isinstance(product, Product):
        return product
    found = Product.objects.select_related("hs_code").filter(pk=product).first()
    if found is None:
        raise DomainError(_("No such product in the catalogue."), field="product")
    return found


# --- Re-pricing after a change --------------------------------------------------------------


def refresh_prices(revision: QuotationRevision, *, actor) -> DomainError | None:
    """Price the draft again after a change; when it no longer prices, forget the old prices
    (and any approval) and return the reason, which the cost sheet shows."""
    try:
        with transaction.atomic():
            pricing.price_revision(revision, actor=actor, record=False)
    except DomainError as exc:
        pricing.clear_prices(revision)
        reset_after_change(revision, actor=actor)
        revision.save(
            update_fields=[
                "total_amount",
                "lowest_margin_percent",
                "working",
                "priced_at",
                "approval_status",
                "updated_at",
            ]
        )
        return exc
    return None


@transaction.atomic
def revision_price(*, actor, revision_id: int) -> pricing.RevisionPricing:
    """Price a draft revision on request (the Price button, the API)."""
    revision = _draft(actor, revision_id)
    return pricing.price_revision(revision, actor=actor)


# --- Create ---------------------------------------------------------------------------------


def _contact(company: Company, contact) -> Contact | None:
    if contact in (None, ""):
        return None
    if not isinstance(contact, Contact):
        contact = Contact.objects.filter(pk=contact).first()
    if contact is None or contact.company_id != company.pk:
        raise DomainError(_("That contact works for another company."), field="contact")
    return contact


def _default_margin(actor) -> Decimal:
    team = getattr(actor, "team", None)
    minimum = team.min_margin_percent if team is not None else Decimal(0)
    return max(DEFAULT_MARGIN, minimum)


def _new_revision(quotation: Quotation, actor, terms: dict) -> QuotationRevision:
    fx = terms.pop("fx_rmb_per_unit", None)
    unknown = set(terms) - set(TERMS)
    if unknown:
        raise DomainError(f"Unknown quotation terms: {', '.join(sorted(unknown))}")
    terms = {name: value for name, value in terms.items() if value not in (None, "")}
    profile = CompanyProfile.current()
    terms.setdefault("named_place", profile.default_port_of_loading)
    terms.setdefault("port_of_loading", profile.default_port_of_loading)
    terms.setdefault("payment_terms", DEFAULT_PAYMENT_TERMS)
    terms.setdefault("valid_until", timezone.localdate() + timedelta(days=DEFAULT_VALIDITY_DAYS))
    terms.setdefault("margin_percent", _default_margin(quotation.owner))
    revision = QuotationRevision(quotation=quotation, letter="A", created_by=actor, **terms)
    revision.currency = _currency(revision.currency)
    _set_fx(revision, fx)
    _clean_revision(revision, new=True)
    revision.save()
    return revision


@transaction.atomic
def quotation_create(
    *, actor, company_id: int, contact=None, lines=(), inquiry: Inquiry | None = None, **terms
) -> Quotation:
    """A new quotation numbered ``QT-<year>-NNNN`` with a draft Rev. A for a visible customer.

    ``terms`` are revision fields (currency, incoterm, named_place, payment_terms, margin …);
    ``lines`` an iterable of dicts for :func:`line_add` (``product`` pre-fills the snapshot)."""
    company = _company(actor, company_id)
    contact = _contact(company, contact)
    quotation = Quotation(
        number=next_number("QT", timezone.localdate().year),
        company=company,
        contact=contact,
        inquiry=inquiry,
        owner=handling_rep(actor, company, inquiry),
    )
    quotation.save()
    revision = _new_revision(quotation, actor, dict(terms))
    for position, data in enumerate(lines, start=1):
        _add_line(revision, dict(data), position=position)
    audit_record(
        actor=actor,
        action="create",
        instance=quotation,
        changes={
            "number": quotation.number,
            "inquiry": str(inquiry or ""),
            "contact": str(contact or ""),
        }
        | snapshot(revision, TERMS),
        company_id=company.pk,
    )
    refresh_prices(revision, actor=actor)
    return quotation


def handling_rep(actor, company: Company, inquiry: Inquiry | None):
    """Whose quotation it is (and whose team's minimum margin applies): the inquiry's
    handler, else the customer's owner, else whoever creates it (a pool customer)."""
    if inquiry is not None:
        return inquiry.assignee
    return company.owner or actor


def _match_product(inquiry_line) -> Product | None:
    if inquiry_line.product_id:
        return inquiry_line.product
    text = inquiry_line.description.strip()
    if not text:
        return None
    return (
        Product.objects.filter(is_active=True)
        .filter(Q(model__iexact=text) | Q(name_en__iexact=text) | Q(name_zh=text))
        .select_related("hs_code")
        .order_by("model")
        .first()
    )


def _lead_days(text: str) -> int | None:
    digits = "".join(ch if ch.isdigit() else " " for ch in text or "").split()
    if not digits:
        return None
    days = int(digits[0])
    if "week" in text.lower() or "周" in text:
        days *= 7
    return days if 0 < days < 1000 else None


def inquiry_terms(inquiry: Inquiry) -> dict:
    terms = {"currency": inquiry.currency or "USD", "packing": inquiry.packing[:300]}
    if inquiry.incoterm:
        terms["incoterm"] = inquiry.incoterm
    if inquiry.named_place:
        terms["named_place"] = inquiry.named_place
    if inquiry.destination_port:
        terms["destination_port"] = inquiry.destination_port
    if inquiry.payment_terms:
        terms["payment_terms"] = inquiry.payment_terms
    lead = _lead_days(inquiry.lead_time)
    if lead:
        terms["lead_time_days"] = lead
    return terms


def inquiry_lines(inquiry: Inquiry) -> list[dict]:
    rows = []
    for line in inquiry.lines.select_related("product__hs_code").order_by("position", "id"):
        product = _match_product(line)
        quantity = line.quantity or (product.moq if product and product.moq else 1)
        if product is not None:  # our offer: the catalogue's names, cost and packing
            rows.append({"product": product, "quantity": quantity})
            continue
        rows.append(
            {
                "description": line.description,
                "specification": line.specification,
                "quantity": quantity,
                "unit": line.unit or "pc",
                "unit_cost_rmb": Decimal(0),  # to fill in: pricing names the line
            }
        )
    return rows


@transaction.atomic
def quotation_create_from_inquiry(*, actor, inquiry_id: int, **terms) -> Quotation:
    """A quotation from an inquiry whose checklist is complete: its terms and lines copied,
    catalogue products matched by model or name."""
    from tradewind.quotes.checklist import ensure_ready_to_quote

    inquiry = _visible(
        Inquiry, actor, inquiry_id, "company", "contact", message=_("No such inquiry.")
    )
    ensure_ready_to_quote(inquiry)
    merged = inquiry_terms(inquiry) | {k: v for k, v in terms.items() if v not in (None, "")}
    return quotation_create(
        actor=actor,
        company_id=inquiry.company_id,
        contact=inquiry.contact,
        inquiry=inquiry,
        lines=inquiry_lines(inquiry),
        **merged,
    )


# --- Terms ----------------------------------------------------------------------------------


@transaction.atomic
def revision_update(*, actor, revision_id: int, refresh_fx: bool = False, **fields):
    """Change a draft's terms; a new currency (or ``refresh_fx``) takes the table's FX rate,
    a typed ``fx_rmb_per_unit`` overrides it. Returns ``(revision, pricing problem or None)``."""
    revision = _draft(actor, revision_id)
    before = snapshot(revision, TERMS)
    unknown = set(fields) - set(TERMS)
    if unknown:
        raise DomainError(f"Unknown quotation terms: {', '.join(sorted(unknown))}")
    manual_fx = fields.pop("fx_rmb_per_unit", None)
    old_currency = revision.currency
    for name, value in fields.items():
        setattr(revision, name, value)
    revision.currency = _currency(revision.currency)
    if manual_fx is not None:
        _set_fx(revision, Decimal(manual_fx))
    elif refresh_fx or revision.currency != old_currency:
        _set_fx(revision, None)
    _clean_revision(revision)
    revision.save()
    changes = diff(before, snapshot(revision, TERMS))
    if changes:
        audit_record(
            actor=actor,
            action="update",
            instance=revision,
            changes=changes,
            company_id=revision.quotation.company_id,
        )
    return revision, refresh_prices(revision, actor=actor)


# --- Lines ----------------------------------------------------------------------------------


def _add_line(revision: QuotationRevision, data: dict, *, position: int) -> QuotationLine:
    product = _product(data.pop("product", None))
    unknown = set(data) - set(LINE_INPUTS)
    if unknown:
        raise DomainError(f"Unknown line fields: {', '.join(sorted(unknown))}")
    values = product_snapshot(product) if product else {}
    values.update({name: value for name, value in data.items() if value not in (None, "")})
    line = QuotationLine(revision=revision, position=position, **values)
    if line.unit_cost_rmb is None and product is None:
        raise DomainError(
            _("Pick a catalogue product or enter the purchase price (RMB)."),
            field="unit_cost_rmb",
        )
    _clean_line(line)
    line.save()
    return line


def _renumber(revision: QuotationRevision) -> None:
    lines = list(revision.lines.order_by("position", "id"))
    for position, line in enumerate(lines, start=1):
        line.position = position
    QuotationLine.objects.bulk_update(lines, ["position"])


@transaction.atomic
def line_add(*, actor, revision_id: int, product=None, **fields):
    """Add a line to a draft; ``product`` pre-fills cost, VAT/rebate, packing and photo, and
    the given fields override them. Returns ``(line, pricing problem or None)``."""
    revision = _draft(actor, revision_id)
    count = revision.lines.count()
    if count >= MAX_LINES:
        raise DomainError(
            _("A quotation holds at most %(max)s lines.") % {"max": MAX_LINES}, field="product"
        )
    line = _add_line(revision, {"product": product, **fields}, position=count + 1)
    audit_record(
        actor=actor,
        action="create",
        instance=line,
        changes=snapshot(line, SNAPSHOT),
        company_id=revision.quotation.company_id,
    )
    return line, refresh_prices(revision, actor=actor)


@transaction.atomic
def line_update(*, actor, line_id: int, product=..., **fields):
    """Change a draft's line. A different ``product`` copies its snapshot first; the given
    fields override it. Returns ``(line, pricing problem or None)``."""
    line = _line(actor, line_id)
    before = snapshot(line, SNAPSHOT)
    unknown = set(fields) - set(LINE_INPUTS)
    if unknown:
        raise DomainError(f"Unknown line fields: {', '.join(sorted(unknown))}")
    if product is not ...:
        new_product = _product(product)
        if new_product is not None and new_product.pk != line.product_id:
            for name, value in product_snapshot(new_product).items():
                setattr(line, name, value)
        elif new_product is None:
            line.product = None
    for name, value in fields.items():
        setattr(line, name, value)
    _clean_line(line)
    line.save()
    changes = diff(before, snapshot(line, SNAPSHOT))
    revision = line.revision
    if changes:
        audit_record(
            actor=actor,
            action="update",
            instance=line,
            changes=changes,
            company_id=revision.quotation.company_id,
        )
    return line, refresh_prices(revision, actor=actor)


@transaction.atomic
def line_remove(*, actor, line_id: int):
    """Remove a line from a draft. Returns ``(revision, pricing problem or None)``."""
    line = _line(actor, line_id)
    revision = line.revision
    audit_record(
        actor=actor,
        action="delete",
        instance=line,
        changes=snapshot(line, SNAPSHOT),
        company_id=revision.quotation.company_id,
    )
    line.delete()
    _renumber(revision)
    return revision, refresh_prices(revision, actor=actor)


# --- Revisions ------------------------------------------------------------------------------


def next_letter(letter: str) -> str:
    """A → B, Z → AA, AZ → BA, ZZ → refused (two letters at most)."""
    letters = [ord(ch) - ord("A") for ch in letter]
    index = 0
    for digit in letters:
        index = index * 26 + digit + 1
    index += 1
    result = ""
    while index:
        index, rest = divmod(index - 1, 26)
        result = chr(ord("A") + rest) + result
    if len(result) > 2:
        raise DomainError(_("A quotation can have at most 702 revisions (A … ZZ)."))
    return result


def latest_revision(quotation: Quotation) -> QuotationRevision | None:
    return quotation.revisions.order_by("-created_at", "-id").first()


@transaction.atomic
def revision_new(*, actor, quotation_id: int, force: bool = False) -> QuotationRevision:
    """The next revision, a copy of the latest with its lines. Made when the latest was sent;
    while the latest is a draft only on explicit request (``force``), which freezes that
    draft as superseded — two drafts never coexist."""
    quotation = _quotation(actor, quotation_id)
    if quotation.status in (QuotationStatus.CANCELLED, QuotationStatus.ACCEPTED):
        raise DomainError(
            _("The quotation is %(status)s: it takes no new revision.")
            % {"status": quotation.get_status_display().lower()}
        )
    latest = (
        QuotationRevision.objects.select_for_update(of=("self",))
        .filter(quotation=quotation)
        .order_by("-created_at", "-id")
        .first()
    )
    if latest.status == RevisionStatus.DRAFT:
        if not force:
            raise DomainError(
                _(
                    "Rev. %(letter)s is still a draft: change it, or confirm that you want to "
                    "keep it as it is and start a new revision."
                )
                % {"letter": latest.letter},
                code="draft_exists",
            )
        latest.status = RevisionStatus.SUPERSEDED
        latest.save(update_fields=["status", "updated_at"])
    revision = _copy_revision(latest, actor)
    audit_record(
        actor=actor,
        action="create",
        instance=revision,
        changes={"copied_from": str(latest), "superseded": latest.status == "superseded"},
        company_id=quotation.company_id,
    )
    refresh_prices(revision, actor=actor)
    return revision


def _copy_revision(latest: QuotationRevision, actor) -> QuotationRevision:
    terms = {name: getattr(latest, name) for name in TERMS}
    revision = QuotationRevision(
        quotation=latest.quotation,
        letter=next_letter(latest.letter),
        created_by=actor,
        fx_rate_id=latest.fx_rate_id,
        **terms,
    )
    if latest.fx_rate_id is not None:  # a table rate: take today's
        with contextlib.suppress(DomainError):  # no rate today: keep the earlier one
            _set_fx(revision, None)
    today = timezone.localdate()
    if revision.valid_until < today + timedelta(days=7):
        revision.valid_until = today + timedelta(days=DEFAULT_VALIDITY_DAYS)
    revision.save()
    copies = []
    for line in latest.lines.order_by("position", "id"):
        values = {name: getattr(line, name) for name in LINE_INPUTS}
        copies.append(
            QuotationLine(
                revision=revision, position=line.position, product_id=line.product_id, **values
            )
        )
    QuotationLine.objects.bulk_create(copies)
    return revision


@transaction.atomic
def quotation_cancel(*, actor, quotation_id: int, reason: str) -> Quotation:
    """Cancel a draft or sent quotation, with the reason (e.g. the buyer bought elsewhere)."""
    quotation = _quotation(actor, quotation_id)
    if quotation.status not in (QuotationStatus.DRAFT, QuotationStatus.SENT):
        raise DomainError(
            _("The quotation is %(status)s: it cannot be cancelled.")
            % {"status": quotation.get_status_display().lower()}
        )
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why the quotation is cancelled."), field="reason")
    if len(reason) > 300:
        raise DomainError(_("Keep the reason under 300 characters."), field="reason")
    old = quotation.status
    quotation.status = QuotationStatus.CANCELLED
    quotation.decided_at = timezone.now()
    quotation.decision_reason = reason
    quotation.save(update_fields=["status", "decided_at", "decision_reason", "updated_at"])
    audit_record(
        actor=actor,
        action="cancel",
        instance=quotation,
        changes={"status": [old, quotation.status], "reason": reason},
        company_id=quotation.company_id,
    )
    return quotation
