"""Contract versions: a JSON snapshot of the terms, lines and clauses as signed, and the
differences between two snapshots (what an amendment changes)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from tradewind.contracts.models import Contract, ContractLine
from tradewind.core.audit import _plain

# The contract fields a version freezes (and an amendment may change).
TERM_FIELDS = (
    "kind",
    "contract_date",
    "buyer_reference",
    "buyer_name",
    "buyer_address",
    "currency",
    "total_amount",
    "incoterm",
    "named_place",
    "port_of_loading",
    "destination_port",
    "latest_shipment_date",
    "production_lead_time_days",
    "partial_shipment",
    "transhipment",
    "quantity_tolerance_percent",
    "quality_standard",
    "packing",
    "shipping_marks",
    "insured_by",
    "insurance_cover",
    "insurance_percent",
    "inspection_by",
    "inspection_when",
    "inspection_certificate",
    "claims_period_days",
    "arbitration_institution",
    "arbitration_seat",
    "governing_law",
    "payment_terms_text",
    "deposit_amount",
    "deposit_due_date",
    "beneficiary_name",
    "bank_name",
    "bank_address",
    "bank_account",
    "bank_swift",
    "remarks",
)
LINE_FIELDS = ("model", "description", "specification", "hs_code", "quantity", "unit",
               "unit_price", "total")  # fmt: skip


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, Decimal):  # 14820.0000 from the database reads 14820.00
        cents = value.quantize(Decimal("0.01"))
        return f"{cents:f}" if cents == value else f"{value.normalize():f}"
    return str(_plain(value))


def snapshot(contract: Contract) -> dict:
    return {
        "fields": {name: _text(getattr(contract, name)) for name in TERM_FIELDS},
        "payment_schedule": list(contract.payment_schedule or []),
        "lines": [
            {name: _text(getattr(line, name)) for name in LINE_FIELDS}
            for line in contract.lines.all()
        ],
        "clauses": [
            {"key": clause.key, "title": clause.title, "body": clause.body}
            for clause in contract.clauses.all()
        ],
    }


def _label(name: str) -> str:
    return str(Contract._meta.get_field(name).verbose_name).capitalize()


def _line_label(name: str) -> str:
    return str(ContractLine._meta.get_field(name).verbose_name)


def _clause_id(clause: dict) -> str:
    return clause["title"] if clause["key"] == "custom" else clause["key"]


def differences(old: dict, new: dict) -> list[dict]:
    """``[{"field", "label", "old", "new"}]`` for everything changed from ``old`` to ``new``."""
    rows: list[dict] = []
    old_fields, new_fields = old.get("fields", {}), new.get("fields", {})
    for name in TERM_FIELDS:
        before, after = old_fields.get(name, ""), new_fields.get(name, "")
        if before != after:
            rows.append({"field": name, "label": _label(name), "old": before, "new": after})
    old_lines, new_lines = old.get("lines", []), new.get("lines", [])
    for index in range(max(len(old_lines), len(new_lines))):
        before = old_lines[index] if index < len(old_lines) else {}
        after = new_lines[index] if index < len(new_lines) else {}
        for name in LINE_FIELDS:
            if before.get(name, "") != after.get(name, ""):
                rows.append(
                    {
                        "field": f"line{index + 1}.{name}",
                        "label": _("Line %(line)s: %(field)s")
                        % {"line": index + 1, "field": _line_label(name)},
                        "old": before.get(name, ""),
                        "new": after.get(name, ""),
                    }
                )
    old_clauses = {_clause_id(c): c for c in old.get("clauses", [])}
    new_clauses = {_clause_id(c): c for c in new.get("clauses", [])}
    for key in list(old_clauses) + [k for k in new_clauses if k not in old_clauses]:
        before, after = old_clauses.get(key, {}), new_clauses.get(key, {})
        if before.get("body", "") != after.get("body", ""):
            rows.append(
                {
                    "field": f"clause.{key}",
                    "label": _("Clause: %(title)s")
                    % {"title": after.get("title") or before.get("title")},
                    "old": before.get("body", ""),
                    "new": after.get("body", ""),
                }
            )
    return rows
