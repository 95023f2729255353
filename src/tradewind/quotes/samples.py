"""Writes to samples (寄样): request, production, shipping, delivery, feedback and decision.

Each service is atomic, reaches the sample (or its customer) through the visibility rule — a
record the actor cannot see does not exist for them — records an audit event, and moves only
along the lifecycle in :data:`TRANSITIONS`:

    requested → in production → shipped → delivered → feedback received → approved / rejected

A sample from stock may ship straight from "requested"; a sample can be cancelled until it
ships. Shipping moves the customer to the "sample" stage when it was earlier in the SOP and puts
the shipment on the timeline; delivery creates the follow-up "Ask for sample feedback" N working
days later (the handler's working days: their country's weekend and holidays are skipped);
recording the feedback completes that follow-up.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel.core import get_global
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tradewind.catalog.models import Product
from tradewind.core.audit import audit_record, diff, snapshot
from tradewind.core.errors import DomainError, NotFound, PermissionDenied
from tradewind.core.numbering import next_number
from tradewind.customers import services as customer_services
from tradewind.customers.choices import ActivityKind, Direction, Stage
from tradewind.customers.models import Company, Contact, Task, WorkspacePolicy
from tradewind.quotes import couriers
from tradewind.quotes.choices import Courier, CourierPayer, SampleCharge, SampleStatus
from tradewind.quotes.models import Inquiry, Quotation, Sample, SampleItem
from tradewind.trade.calendars import BusinessCalendar, country_calendar
from tradewind.trade.errors import TradeError

S = SampleStatus
TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.REQUESTED: (S.IN_PRODUCTION, S.SHIPPED, S.CANCELLED),
    S.IN_PRODUCTION: (S.SHIPPED, S.CANCELLED),
    S.SHIPPED: (S.DELIVERED,),
    S.DELIVERED: (S.FEEDBACK,),
    S.FEEDBACK: (S.APPROVED, S.REJECTED),
    S.APPROVED: (),
    S.REJECTED: (),
    S.CANCELLED: (),
}
# The lifecycle in order, for the stepper (cancelled is off the main line).
LIFECYCLE = (S.REQUESTED, S.IN_PRODUCTION, S.SHIPPED, S.DELIVERED, S.FEEDBACK)
EDITABLE_ITEMS = (S.REQUESTED, S.IN_PRODUCTION)
# Stages before "sample" in the SOP: shipping a sample moves these customers on.
STAGES_BEFORE_SAMPLE = (Stage.LEAD, Stage.CONTACTED, Stage.INQUIRY, Stage.QUOTED)

SAMPLE_FIELDS = (
    "company",
    "contact",
    "inquiry",
    "quotation",
    "requested_by",
    "status",
    "courier_payer",
    "collect_account",
    "sample_cost_rmb",
    "courier_cost_rmb",
    "feedback_after_days",
    "notes",
)
EDIT_FIELDS = (
    "contact",
    "inquiry",
    "quotation",
    "courier_payer",
    "collect_account",
    "sample_cost_rmb",
    "courier_cost_rmb",
    "feedback_after_days",
    "notes",
)
SHIP_FIELDS = ("status", "courier", "awb_number", "shipped_at", "courier_cost_rmb")
FEEDBACK_FIELDS = (
    "status",
    "feedback_at",
    "quality_rating",
    "appearance_rating",
    "packaging_rating",
    "price_acceptable",
    "changes_requested",
    "feedback_notes",
)
ITEM_FIELDS = ("product", "description", "quantity", "charge", "unit_price", "currency")

MAX_ITEMS = 50
MAX_QUANTITY = 10_000
MAX_COST_RMB = Decimal("1000000")
MAX_UNIT_PRICE = Decimal("1000000")
MAX_FEEDBACK_DAYS = 60
MAX_TEXT = 5000
MAX_REASON = 300
FUTURE_SLACK = dt.timedelta(minutes=5)
CENT = Decimal("0.01")
_CURRENCY = re.compile(r"^[A-Z]{3}$")


# --- Reaching records through the visibility rule ----------------------------------------------


def _visible_company(actor, company_id) -> Company:
    company = (
        Company.objects.visible_to(actor)
        .select_for_update(of=("self",))
        .filter(pk=company_id)
        .first()
    )
    if company is None:
        raise NotFound(_("No such customer."), field="company")
    return company


def _visible_sample(actor, sample_id) -> Sample:
    sample = (
        Sample.objects.visible_to(actor)
        .select_for_update(of=("self",))
        .select_related("company")
        .filter(pk=sample_id)
        .first()
    )
    if sample is None:
        raise NotFound(_("No such sample."))
    # Amounts as they are shown (the column keeps 4 places), so the audit records 0.00 → 265.00.
    sample.sample_cost_rmb = sample.sample_cost_rmb.quantize(CENT)
    sample.courier_cost_rmb = sample.courier_cost_rmb.quantize(CENT)
    return sample


def _linked_inquiry(actor, company: Company, inquiry) -> Inquiry | None:
    inquiry_id = getattr(inquiry, "pk", inquiry)
    if inquiry_id in (None, ""):
        return None
    found = Inquiry.objects.visible_to(actor).filter(pk=inquiry_id).first()
    if found is None:
        raise NotFound(_("No such inquiry."), field="inquiry")
    if found.company_id != company.pk:
        raise DomainError(
            _("That inquiry is from another customer — pick one of %(name)s's inquiries.")
            % {"name": company.name},
            field="inquiry",
        )
    return found


def _linked_quotation(actor, company: Company, quotation) -> Quotation | None:
    quotation_id = getattr(quotation, "pk", quotation)
    if quotation_id in (None, ""):
        return None
    found = Quotation.objects.visible_to(actor).filter(pk=quotation_id).first()
    if found is None:
        raise NotFound(_("No such quotation."), field="quotation")
    if found.company_id != company.pk:
        raise DomainError(
            _("That quotation is for another customer — pick one of %(name)s's quotations.")
            % {"name": company.name},
            field="quotation",
        )
    return found


def _linked_contact(company: Company, contact) -> Contact | None:
    contact_id = getattr(contact, "pk", contact)
    if contact_id in (None, ""):
        return None
    found = Contact.objects.filter(pk=contact_id, company=company).first()
    if found is None:
        raise DomainError(_("That contact works for another company."), field="contact")
    return found


# --- Values --------------------------------------------------------------------------------


def _money(value, *, field: str, maximum: Decimal, allow_zero: bool = True) -> Decimal:
    if value in (None, ""):
        value = Decimal(0)
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise DomainError(_("Enter an amount, e.g. 350.00."), field=field) from None
    if not amount.is_finite():
        raise DomainError(_("Enter an amount, e.g. 350.00."), field=field)
    if amount < 0 or (amount == 0 and not allow_zero):
        raise DomainError(_("The amount must be more than zero."), field=field)
    if amount > maximum:
        raise DomainError(
            _("%(amount)s is more than %(max)s — check the amount.")
            % {"amount": amount, "max": maximum},
            field=field,
        )
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def _text(value, *, field: str, limit: int = MAX_TEXT) -> str:
    text = (value or "").strip()
    if len(text) > limit:
        raise DomainError(
            _("Keep this under %(max)s characters (it has %(count)s).")
            % {"max": limit, "count": len(text)},
            field=field,
        )
    return text


def _moment(value, *, field: str, now: dt.datetime) -> dt.datetime:
    if value is None:
        return now
    if not isinstance(value, dt.datetime) or timezone.is_naive(value):
        raise DomainError(_("Give a date and time with its time zone."), field=field)
    if value > now + FUTURE_SLACK:
        raise DomainError(_("That is in the future — enter when it really happened."), field=field)
    return value


def _feedback_days(value) -> int:
    try:
        days = int(value)
    except (TypeError, ValueError):
        raise DomainError(
            _("Enter a number of working days."), field="feedback_after_days"
        ) from None
    if not 1 <= days <= MAX_FEEDBACK_DAYS:
        raise DomainError(
            _("Ask for feedback 1 to %(max)s working days after delivery.")
            % {"max": MAX_FEEDBACK_DAYS},
            field="feedback_after_days",
        )
    return days


def _check_payer(sample: Sample) -> None:
    if sample.courier_payer not in CourierPayer.values:
        raise DomainError(_("Choose who pays the courier."), field="courier_payer")
    sample.collect_account = couriers.normalise(sample.collect_account)
    if sample.courier_payer == CourierPayer.BUYER:
        if not sample.collect_account:
            raise DomainError(
                _(
                    "The buyer pays the courier: enter their collect account number "
                    "(e.g. their DHL or FedEx account)."
                ),
                field="collect_account",
            )
        if len(sample.collect_account) > 40 or not sample.collect_account.isalnum():
            raise DomainError(
                _("A courier account number has only letters and digits, at most 40."),
                field="collect_account",
            )
    else:
        sample.collect_account = ""


# --- Items ---------------------------------------------------------------------------------


def _build_item(sample: Sample, spec: dict, position: int) -> SampleItem:
    """One item from a dict (product or product_id, description, quantity, charge, unit_price,
    currency); errors name the field as ``items-<position>-<field>`` for forms and the API."""

    def fail(message: str, name: str) -> DomainError:
        return DomainError(message, field=f"items-{position}-{name}")

    product = spec.get("product")
    product_id = spec.get("product_id") if product is None else product.pk
    if product_id not in (None, ""):
        product = Product.objects.filter(pk=product_id).first()
        if product is None:
            raise fail(_("No such product in the catalogue."), "product")
    description = (spec.get("description") or "").strip()
    if not description and product is not None:
        description = f"{product.model} {product.name_en}".strip()
    if not description:
        raise fail(_("Describe the item, or pick it from the catalogue."), "description")
    if len(description) > 300:
        raise fail(_("Keep the description under 300 characters."), "description")
    quantity = spec.get("quantity")
    try:
        quantity = int(quantity)
    except (TypeError, ValueError):
        raise fail(_("Enter how many pieces, e.g. 2."), "quantity") from None
    if not 1 <= quantity <= MAX_QUANTITY:
        raise fail(
            _("A sample is 1 to %(max)s pieces of an item.") % {"max": f"{MAX_QUANTITY:,}"},
            "quantity",
        )
    charge = spec.get("charge") or SampleCharge.FREE
    if charge not in SampleCharge.values:
        raise fail(_("Choose free or charged."), "charge")
    currency = (spec.get("currency") or "USD").strip().upper()
    unit_price = None
    if charge == SampleCharge.CHARGED:
        if spec.get("unit_price") in (None, ""):
            raise fail(_("A charged sample needs its unit price."), "unit_price")
        try:
            unit_price = _money(
                spec["unit_price"], field="unit_price", maximum=MAX_UNIT_PRICE, allow_zero=False
            )
        except DomainError as exc:
            raise fail(exc.message, "unit_price") from None
        if not _CURRENCY.match(currency):
            raise fail(_("A currency is a 3-letter code, e.g. USD."), "currency")
    return SampleItem(
        sample=sample,
        product=product,
        description=description,
        quantity=quantity,
        charge=charge,
        unit_price=unit_price,
        currency=currency if _CURRENCY.match(currency) else "USD",
    )


def _item_record(item: SampleItem) -> dict:
    return snapshot(item, ITEM_FIELDS)


# --- Lifecycle -----------------------------------------------------------------------------


def allowed_next(status: str) -> tuple[str, ...]:
    return TRANSITIONS.get(status, ())


def _check_transition(sample: Sample, to: str) -> None:
    allowed = allowed_next(sample.status)
    if to in allowed:
        return
    current = SampleStatus(sample.status).label
    if not allowed:
        message = _("Sample %(number)s is %(status)s: its lifecycle is over.") % {
            "number": sample.number,
            "status": current,
        }
    else:
        message = _(
            "Sample %(number)s is %(status)s; from there it can only move to: %(allowed)s."
        ) % {
            "number": sample.number,
            "status": current,
            "allowed": ", ".join(str(SampleStatus(step).label) for step in allowed),
        }
    raise DomainError(message, field="status", code="invalid_transition")


def _audit(actor, sample: Sample, before: dict, fields) -> None:
    changes = diff(before, snapshot(sample, fields))
    if changes:
        audit_record(
            actor=actor,
            action="update",
            instance=sample,
            changes=changes,
            company_id=sample.company_id,
        )


def _timeline(actor, sample: Sample, summary: str, *, when, direction=Direction.INTERNAL):
    customer_services.activity_log(
        actor=actor,
        company_id=sample.company_id,
        kind=ActivityKind.NOTE,
        direction=direction,
        summary=summary,
        occurred_at=when,
        contact=sample.contact,
    )


# --- Services ------------------------------------------------------------------------------


@transaction.atomic
def sample_create(
    *,
    actor,
    company_id: int,
    items: list[dict],
    contact=None,
    inquiry=None,
    quotation=None,
    courier_payer: str = CourierPayer.US,
    collect_account: str = "",
    feedback_after_days: int = 5,
    sample_cost_rmb=0,
    courier_cost_rmb=0,
    notes: str = "",
) -> Sample:
    """Request a sample for a visible customer, optionally for one of its inquiries or
    quotations; the actor handles it. At least one item; a charged item needs its price."""
    company = _visible_company(actor, company_id)
    quotation = _linked_quotation(actor, company, quotation)
    inquiry = _linked_inquiry(actor, company, inquiry)
    if inquiry is None and quotation is not None and quotation.inquiry_id:
        inquiry = quotation.inquiry
    sample = Sample(
        company=company,
        contact=_linked_contact(company, contact),
        inquiry=inquiry,
        quotation=quotation,
        requested_by=actor,
        courier_payer=courier_payer,
        collect_account=collect_account or "",
        feedback_after_days=_feedback_days(feedback_after_days),
        sample_cost_rmb=_money(sample_cost_rmb, field="sample_cost_rmb", maximum=MAX_COST_RMB),
        courier_cost_rmb=_money(courier_cost_rmb, field="courier_cost_rmb", maximum=MAX_COST_RMB),
        notes=_text(notes, field="notes"),
    )
    _check_payer(sample)
    specs = [
        (position, spec)
        for position, spec in enumerate(items or [])
        if any(value not in (None, "") for value in spec.values())
    ]
    if not specs:
        raise DomainError(_("Add at least one item: what is the buyer to receive?"), field="items")
    if len(specs) > MAX_ITEMS:
        raise DomainError(
            _("A sample request has at most %(max)s items.") % {"max": MAX_ITEMS}, field="items"
        )
    built = [_build_item(sample, spec, position) for position, spec in specs]
    sample.number = next_number("SMP", timezone.localdate().year)
    sample.save()
    for item in built:
        item.sample = sample
    SampleItem.objects.bulk_create(built)
    audit_record(
        actor=actor,
        action="create",
        instance=sample,
        changes=snapshot(sample, SAMPLE_FIELDS) | {"item_list": [str(item) for item in built]},
        company_id=company.pk,
    )
    return sample


@transaction.atomic
def sample_update(*, actor, sample_id: int, **fields) -> Sample:
    """Change the details of a sample: contact, links, courier payer, costs, feedback delay,
    notes. Costs can be corrected at any stage (the courier's invoice often comes later)."""
    sample = _visible_sample(actor, sample_id)
    unknown = set(fields) - set(EDIT_FIELDS)
    if unknown:
        raise DomainError(f"Unknown sample fields: {', '.join(sorted(unknown))}")
    before = snapshot(sample, EDIT_FIELDS)
    company = sample.company
    if "contact" in fields:
        sample.contact = _linked_contact(company, fields["contact"])
    if "inquiry" in fields:
        sample.inquiry = _linked_inquiry(actor, company, fields["inquiry"])
    if "quotation" in fields:
        sample.quotation = _linked_quotation(actor, company, fields["quotation"])
    if "courier_payer" in fields:
        sample.courier_payer = fields["courier_payer"]
    if "collect_account" in fields:
        sample.collect_account = fields["collect_account"] or ""
    for name in ("sample_cost_rmb", "courier_cost_rmb"):
        if name in fields:
            setattr(sample, name, _money(fields[name], field=name, maximum=MAX_COST_RMB))
    if "feedback_after_days" in fields:
        sample.feedback_after_days = _feedback_days(fields["feedback_after_days"])
    if "notes" in fields:
        sample.notes = _text(fields["notes"], field="notes")
    _check_payer(sample)
    sample.save()
    _audit(actor, sample, before, EDIT_FIELDS)
    return sample


def sample_set_costs(*, actor, sample_id: int, sample_cost_rmb, courier_cost_rmb) -> Sample:
    return sample_update(
        actor=actor,
        sample_id=sample_id,
        sample_cost_rmb=sample_cost_rmb,
        courier_cost_rmb=courier_cost_rmb,
    )


@transaction.atomic
def sample_item_add(*, actor, sample_id: int, **spec) -> SampleItem:
    sample = _visible_sample(actor, sample_id)
    _check_items_editable(sample)
    if sample.items.count() >= MAX_ITEMS:
        raise DomainError(
            _("A sample request has at most %(max)s items.") % {"max": MAX_ITEMS}, field="items"
        )
    item = _build_item(sample, spec, 0)
    item.save()
    audit_record(
        actor=actor,
        action="create",
        instance=item,
        changes=_item_record(item) | {"sample": sample.number},
        company_id=sample.company_id,
    )
    return item


@transaction.atomic
def sample_item_delete(*, actor, item_id: int) -> None:
    item = SampleItem.objects.visible_to(actor).filter(pk=item_id).first()
    if item is None:
        raise NotFound(_("No such sample item."))
    sample = _visible_sample(actor, item.sample_id)
    _check_items_editable(sample)
    if sample.items.count() <= 1:
        raise DomainError(
            _("A sample needs at least one item — add the new one before removing this one."),
            field="items",
        )
    audit_record(
        actor=actor,
        action="delete",
        instance=item,
        changes=_item_record(item) | {"sample": sample.number},
        company_id=sample.company_id,
    )
    item.delete()


def _check_items_editable(sample: Sample) -> None:
    if sample.status not in EDITABLE_ITEMS:
        raise DomainError(
            _("The items of sample %(number)s can no longer change: it is %(status)s.")
            % {"number": sample.number, "status": sample.get_status_display()},
            field="items",
        )


@transaction.atomic
def sample_start_production(*, actor, sample_id: int) -> Sample:
    sample = _visible_sample(actor, sample_id)
    _check_transition(sample, S.IN_PRODUCTION)
    before = snapshot(sample, ("status",))
    sample.status = S.IN_PRODUCTION
    sample.save(update_fields=["status", "updated_at"])
    _audit(actor, sample, before, ("status",))
    return sample


@transaction.atomic
def sample_cancel(*, actor, sample_id: int, reason: str = "") -> Sample:
    """Cancel a sample that has not shipped yet."""
    sample = _visible_sample(actor, sample_id)
    _check_transition(sample, S.CANCELLED)
    before = snapshot(sample, ("status", "decision_reason"))
    sample.status = S.CANCELLED
    sample.decision_reason = _text(reason, field="reason", limit=MAX_REASON)
    sample.save(update_fields=["status", "decision_reason", "updated_at"])
    _audit(actor, sample, before, ("status", "decision_reason"))
    return sample


@transaction.atomic
def sample_ship(
    *,
    actor,
    sample_id: int,
    courier: str,
    awb_number: str,
    shipped_at: dt.datetime | None = None,
    courier_cost_rmb=None,
) -> Sample:
    """Ship: the courier and its AWB number (checked against the carrier's format), when;
    moves the customer to the "sample" stage when earlier, and logs it on the timeline."""
    sample = _visible_sample(actor, sample_id)
    _check_transition(sample, S.SHIPPED)
    now = timezone.now()
    if courier not in Courier.values:
        raise DomainError(_("Choose the courier."), field="courier")
    number = couriers.validate_awb(courier, awb_number)
    _check_awb_unused(actor, sample, courier, number)
    before = snapshot(sample, SHIP_FIELDS)
    sample.status = S.SHIPPED
    sample.courier = courier
    sample.awb_number = number
    sample.shipped_at = _moment(shipped_at, field="shipped_at", now=now)
    if sample.shipped_at < now - dt.timedelta(days=366):
        raise DomainError(_("That is more than a year ago — check the date."), field="shipped_at")
    if courier_cost_rmb not in (None, ""):
        sample.courier_cost_rmb = _money(
            courier_cost_rmb, field="courier_cost_rmb", maximum=MAX_COST_RMB
        )
    sample.save()
    _audit(actor, sample, before, SHIP_FIELDS)
    if sample.company.stage in STAGES_BEFORE_SAMPLE:
        customer_services.company_update(
            actor=actor, company_id=sample.company_id, stage=Stage.SAMPLE
        )
    _timeline(
        actor,
        sample,
        _("Sample %(number)s shipped by %(courier)s, AWB %(awb)s.")
        % {
            "number": sample.number,
            "courier": couriers.carrier_name(courier),
            "awb": number,
        },
        when=sample.shipped_at,
        direction=Direction.OUTBOUND,
    )
    return sample


def _check_awb_unused(actor, sample: Sample, courier: str, number: str) -> None:
    if courier == Courier.OTHER:
        return
    other = (
        Sample.objects.filter(courier=courier, awb_number=number)
        .exclude(pk=sample.pk)
        .only("pk", "number", "company")
        .first()
    )
    if other is None:
        return
    if Sample.objects.visible_to(actor).filter(pk=other.pk).exists():
        message = _("AWB %(awb)s is already on sample %(number)s — check the number.") % {
            "awb": number,
            "number": other.number,
        }
    else:
        message = _("AWB %(awb)s is already on another sample — check the number.") % {
            "awb": number
        }
    raise DomainError(message, field="awb_number", code="duplicate")


@functools.lru_cache(maxsize=32)
def _calendar(country: str) -> BusinessCalendar:
    try:
        return country_calendar(country)
    except TradeError:
        return country_calendar("CN")


def working_calendar(user) -> BusinessCalendar:
    """The handler's working days: the country of their time zone (Asia/Shanghai → CN)."""
    zone = getattr(user, "time_zone", "") or ""
    territories = get_global("zone_territories")
    code = territories.get(zone) or territories.get(get_global("zone_aliases").get(zone, "")) or ""
    return _calendar(code if len(code) == 2 and code != "ZZ" else "CN")


def feedback_due(user, delivered_at: dt.datetime, days: int) -> dt.datetime:
    """``days`` working days of ``user`` after the delivery, at the start of their working
    day (workspace policy), in their time zone."""
    zone = user.zone
    calendar = working_calendar(user)
    day = delivered_at.astimezone(zone).date()
    for _step in range(days):
        day, _skipped = calendar.next_open_day(day + dt.timedelta(days=1))
    start = WorkspacePolicy.current().working_day_start
    return dt.datetime.combine(day, dt.time(min(start, 23), 0), tzinfo=zone)


def _follow_up_owner(actor, sample: Sample):
    """Who asks for the feedback: the handler, if still active; else the customer's owner or
    the actor."""
    handler = sample.requested_by
    if handler.is_active:
        return handler
    return sample.company.owner if sample.company.owner_id else actor


@transaction.atomic
def sample_deliver(*, actor, sample_id: int, delivered_at: dt.datetime | None = None) -> Sample:
    """Delivered: when; creates the follow-up "Ask for sample feedback" for the handler, due
    ``feedback_after_days`` working days later."""
    sample = _visible_sample(actor, sample_id)
    _check_transition(sample, S.DELIVERED)
    now = timezone.now()
    before = snapshot(sample, ("status", "delivered_at"))
    sample.delivered_at = _moment(delivered_at, field="delivered_at", now=now)
    if sample.shipped_at and sample.delivered_at < sample.shipped_at:
        raise DomainError(
            _("Delivery cannot be before shipping (%(shipped)s).")
            % {"shipped": timezone.localtime(sample.shipped_at).strftime("%Y-%m-%d")},
            field="delivered_at",
        )
    sample.status = S.DELIVERED
    assignee = _follow_up_owner(actor, sample)
    title = _("Ask for sample feedback — %(number)s") % {"number": sample.number}
    due_at = feedback_due(assignee, sample.delivered_at, sample.feedback_after_days)
    try:
        task = customer_services.task_create(
            actor=actor,
            company_id=sample.company_id,
            title=title,
            due_at=due_at,
            assignee=assignee,
            contact=sample.contact,
        )
    except PermissionDenied:  # the handler is outside the actor's reach: the actor asks
        task = customer_services.task_create(
            actor=actor,
            company_id=sample.company_id,
            title=title,
            due_at=feedback_due(actor, sample.delivered_at, sample.feedback_after_days),
            assignee=actor,
            contact=sample.contact,
        )
    sample.feedback_task = task
    sample.save()
    _audit(actor, sample, before, ("status", "delivered_at"))
    _timeline(
        actor,
        sample,
        _("Sample %(number)s delivered.") % {"number": sample.number},
        when=sample.delivered_at,
    )
    return sample


def _rating(value, field: str, *, required: bool) -> int | None:
    if value in (None, ""):
        if required:
            raise DomainError(_("Rate it from 1 (poor) to 5 (excellent)."), field=field)
        return None
    try:
        rating = int(value)
    except (TypeError, ValueError):
        raise DomainError(_("Rate it from 1 (poor) to 5 (excellent)."), field=field) from None
    if not 1 <= rating <= 5 or isinstance(value, bool):
        raise DomainError(_("Rate it from 1 (poor) to 5 (excellent)."), field=field)
    return rating


@transaction.atomic
def sample_record_feedback(
    *,
    actor,
    sample_id: int,
    quality_rating,
    appearance_rating=None,
    packaging_rating=None,
    price_acceptable: bool | None = None,
    changes_requested: str = "",
    feedback_notes: str = "",
    feedback_at: dt.datetime | None = None,
) -> Sample:
    """The buyer's feedback in structured form (quality required; appearance and packaging
    1–5; price acceptable yes/no/unknown; changes requested; comments). Completes the feedback
    follow-up. Feedback already recorded can be corrected until the decision."""
    sample = _visible_sample(actor, sample_id)
    if sample.status != S.FEEDBACK:
        _check_transition(sample, S.FEEDBACK)
    now = timezone.now()
    before = snapshot(sample, FEEDBACK_FIELDS)
    first_time = sample.status != S.FEEDBACK
    sample.quality_rating = _rating(quality_rating, "quality_rating", required=True)
    sample.appearance_rating = _rating(appearance_rating, "appearance_rating", required=False)
    sample.packaging_rating = _rating(packaging_rating, "packaging_rating", required=False)
    if price_acceptable not in (None, True, False):
        raise DomainError(_("Say yes, no or not known."), field="price_acceptable")
    sample.price_acceptable = price_acceptable
    sample.changes_requested = _text(changes_requested, field="changes_requested")
    sample.feedback_notes = _text(feedback_notes, field="feedback_notes")
    moment = _moment(feedback_at, field="feedback_at", now=now)
    if sample.delivered_at and moment < sample.delivered_at and feedback_at is not None:
        raise DomainError(_("Feedback cannot come before the delivery."), field="feedback_at")
    sample.feedback_at = moment if first_time or feedback_at else sample.feedback_at
    sample.status = S.FEEDBACK
    sample.save()
    _audit(actor, sample, before, FEEDBACK_FIELDS)
    if sample.feedback_task_id:
        task = Task.objects.filter(pk=sample.feedback_task_id, done_at__isnull=True).first()
        if task is not None:
            customer_services.task_complete(actor=actor, task_id=task.pk)
    if first_time:
        _timeline(
            actor,
            sample,
            feedback_summary(sample),
            when=sample.feedback_at,
            direction=Direction.INBOUND,
        )
    return sample


def feedback_summary(sample: Sample) -> str:
    parts = [_("Feedback on sample %(number)s") % {"number": sample.number}]
    for label, value in (
        (_("quality"), sample.quality_rating),
        (_("appearance"), sample.appearance_rating),
        (_("packaging"), sample.packaging_rating),
    ):
        if value:
            parts.append(f"{label} {value}/5")
    if sample.price_acceptable is not None:
        parts.append(_("price acceptable") if sample.price_acceptable else _("price too high"))
    text = ", ".join(parts) + "."
    if sample.changes_requested:
        text += " " + _("Changes: %(changes)s") % {"changes": sample.changes_requested[:300]}
    return text


@transaction.atomic
def sample_decide(*, actor, sample_id: int, decision: str, reason: str = "") -> Sample:
    """Approved or rejected after the feedback; a rejection needs its reason."""
    sample = _visible_sample(actor, sample_id)
    if decision not in (S.APPROVED, S.REJECTED):
        raise DomainError(_("Choose approved or rejected."), field="decision")
    _check_transition(sample, decision)
    reason = _text(reason, field="reason", limit=MAX_REASON)
    if decision == S.REJECTED and not reason:
        raise DomainError(
            _("Say why the buyer rejected the sample, so the factory can fix it."), field="reason"
        )
    before = snapshot(sample, ("status", "decided_at", "decision_reason"))
    sample.status = decision
    sample.decided_at = timezone.now()
    sample.decision_reason = reason
    sample.save()
    _audit(actor, sample, before, ("status", "decided_at", "decision_reason"))
    label = _("approved") if decision == S.APPROVED else _("rejected")
    summary = _("Sample %(number)s %(decision)s by the buyer.") % {
        "number": sample.number,
        "decision": label,
    }
    if reason:
        summary += " " + reason
    _timeline(actor, sample, summary, when=sample.decided_at)
    return sample
