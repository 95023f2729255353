"""Two revisions of one quotation side by side: the terms that differ and, line by line, the
quantity and price changes (lines matched by product, else model, else description)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from tradewind.core.errors import DomainError
from tradewind.quotes.models import QuotationLine, QuotationRevision


@dataclass(frozen=True)
class TermRow:
    label: str
    old: object
    new: object

    @property
    def changed(self) -> bool:
        return self.old != self.new


@dataclass(frozen=True)
class LineRow:
    label: str
    old: QuotationLine | None
    new: QuotationLine | None

    @property
    def state(self) -> str:
        if self.old is None:
            return "added"
        if self.new is None:
            return "removed"
        return "changed" if self.changed_fields else "same"

    @property
    def changed_fields(self) -> list[str]:
        if self.old is None or self.new is None:
            return []
        names = ("quantity", "unit_price", "total", "unit_cost_rmb", "margin_percent")
        return [name for name in names if getattr(self.old, name) != getattr(self.new, name)]

    def _difference(self, name: str):
        if self.old is None or self.new is None:
            return None
        old, new = getattr(self.old, name), getattr(self.new, name)
        if old is None or new is None:
            return None
        return new - old

    @property
    def quantity_change(self):
        return self._difference("quantity")

    @property
    def unit_price_change(self):
        return self._difference("unit_price")

    @property
    def total_change(self):
        return self._difference("total")


@dataclass(frozen=True)
class Comparison:
    old: QuotationRevision
    new: QuotationRevision
    terms: list[TermRow]
    lines: list[LineRow]

    @property
    def changed_terms(self) -> list[TermRow]:
        return [row for row in self.terms if row.changed]

    @property
    def total_change(self):
        if self.old.total_amount is None or self.new.total_amount is None:
            return None
        return self.new.total_amount - self.old.total_amount


COMPARED_TERMS = (
    "currency", "incoterm", "named_place", "port_of_loading", "destination_port",
    "payment_terms", "lead_time_days", "valid_until", "packing", "transport_mode",
    "freight_basis", "container_type", "freight_rate", "insurance_rate_percent",
    "commission_percent", "margin_percent", "margin_basis", "convention", "fx_rmb_per_unit",
    "fx_buffer_percent", "total_amount", "lowest_margin_percent",
)  # fmt: skip


def _display(revision: QuotationRevision, name: str):
    value = getattr(revision, name)
    if name == "total_amount" and value is not None:
        return f"{revision.currency} {value:,.2f}"
    if isinstance(value, Decimal):
        return value.normalize()
    getter = getattr(revision, f"get_{name}_display", None)
    return getter() if getter and value not in (None, "") else value


def _line_key(line: QuotationLine):
    if line.product_id:
        return ("product", line.product_id)
    if line.model:
        return ("model", line.model.lower())
    return ("description", line.description.lower())


def revision_compare(old: QuotationRevision, new: QuotationRevision) -> Comparison:
    """Two revisions of one quotation side by side: the terms that differ and each line's
    quantity and price change (lines matched by product, else model, else description)."""
    if old.quotation_id != new.quotation_id:
        raise DomainError(_("Only revisions of the same quotation can be compared."))
    if (old.created_at, old.pk) > (new.created_at, new.pk):
        old, new = new, old
    terms = [
        TermRow(
            str(QuotationRevision._meta.get_field(name).verbose_name),
            _display(old, name),
            _display(new, name),
        )
        for name in COMPARED_TERMS
    ]
    old_lines = {_line_key(line): line for line in old.lines.order_by("position", "id")}
    rows = []
    for line in new.lines.order_by("position", "id"):
        previous = old_lines.pop(_line_key(line), None)
        rows.append(LineRow(line.model or line.description, previous, line))
    rows.extend(LineRow(line.model or line.description, line, None) for line in old_lines.values())
    return Comparison(old=old, new=new, terms=terms, lines=rows)
