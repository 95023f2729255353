"""The SOP's checklist of details to confirm before quoting (询盘确认清单).

Each of the nine items is *filled* (the inquiry or every one of its lines carries it), *waived*
(the rep decided to quote without it and said why) or *missing*. A quotation is issued only when
nothing is missing: ``ensure_ready_to_quote`` is the one gate the quotation services call.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from tradewind.core.errors import DomainError
from tradewind.quotes.choices import ChecklistItem

FILLED = "filled"
WAIVED = "waived"
MISSING = "missing"

# Items confirmed per product line: filled only when there is a line and every line has it.
LINE_ITEMS = (ChecklistItem.SPECIFICATION, ChecklistItem.MATERIAL, ChecklistItem.QUANTITY)
# Items that are one field on the inquiry itself (Incoterm is special: term and named place).
INQUIRY_FIELDS = {
    ChecklistItem.PACKING: "packing",
    ChecklistItem.LEAD_TIME: "lead_time",
    ChecklistItem.DESTINATION_PORT: "destination_port",
    ChecklistItem.PAYMENT_TERMS: "payment_terms",
    ChecklistItem.CERTIFICATES: "certificates",
}


@dataclass(frozen=True)
class ChecklistRow:
    item: str  # a ChecklistItem value
    label: str
    state: str  # FILLED, WAIVED or MISSING
    value: str = ""  # what the inquiry says, as shown to the rep ("" when missing)
    waiver_reason: str = ""

    @property
    def is_filled(self) -> bool:
        return self.state == FILLED

    @property
    def is_waived(self) -> bool:
        return self.state == WAIVED

    @property
    def is_missing(self) -> bool:
        return self.state == MISSING


def _lines(inquiry) -> list:
    # Uses a prefetched ``lines`` when the caller prefetched it; one query otherwise.
    return list(inquiry.lines.all())


def _line_value(item: str, line) -> str:
    if item == ChecklistItem.QUANTITY:
        if not line.quantity:
            return ""
        return f"{line.quantity:,} {line.unit}".strip()
    return (getattr(line, item) or "").strip()


def _line_item_value(item: str, lines: list) -> str:
    """The lines' values joined, or "" unless every line has one (and there is a line)."""
    values = [_line_value(item, line) for line in lines]
    if not values or not all(values):
        return ""
    if len(values) == 1:
        return values[0]
    return "; ".join(f"{index}. {value}" for index, value in enumerate(values, start=1))


def _item_value(inquiry, item: str, lines: list) -> str:
    if item in LINE_ITEMS:
        return _line_item_value(item, lines)
    if item == ChecklistItem.INCOTERM:
        term = (inquiry.incoterm or "").strip()
        place = (inquiry.named_place or "").strip()
        return f"{term} {place}" if term and place else ""
    return (getattr(inquiry, INQUIRY_FIELDS[item]) or "").strip()


def checklist(inquiry) -> list[ChecklistRow]:
    """The nine rows in SOP order, each filled, waived or missing."""
    lines = _lines(inquiry)
    waivers = inquiry.waivers if isinstance(inquiry.waivers, dict) else {}
    rows = []
    for item in ChecklistItem:
        value = _item_value(inquiry, item.value, lines)
        reason = str(waivers.get(item.value) or "").strip()
        if value:
            state = FILLED
        elif reason:
            state = WAIVED
        else:
            state = MISSING
        rows.append(
            ChecklistRow(
                item=item.value,
                label=str(item.label),
                state=state,
                value=value,
                waiver_reason=reason if state == WAIVED else "",
            )
        )
    return rows


def missing_items(inquiry) -> list[ChecklistRow]:
    return [row for row in checklist(inquiry) if row.is_missing]


def ensure_ready_to_quote(inquiry) -> None:
    """Raise DomainError naming every detail still missing (neither filled nor waived)."""
    missing = missing_items(inquiry)
    if not missing:
        return
    labels = ", ".join(row.label for row in missing)
    raise DomainError(
        _(
            "Confirm these details with the buyer before quoting, or waive them with a "
            "reason: %(items)s."
        )
        % {"items": labels},
        field="checklist",
        code="checklist_incomplete",
    )
