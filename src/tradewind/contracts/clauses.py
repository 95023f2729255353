"""Clause wording: the company-wide starting templates, and filling a clause's {placeholders}
from its contract.

A clause names contract fields in braces — ``{latest_shipment_date}``, ``{port_of_loading}`` — so
its text always agrees with the contract's fields; the values are filled in whenever the clause
is shown or printed. :data:`PLACEHOLDERS` lists every name a clause may use. Documents go to
buyers in English, so values are written in English (the Chinese wording gets Chinese labels).
"""

from __future__ import annotations

import string
from collections.abc import Callable, Iterable
from decimal import ROUND_HALF_UP, Decimal

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tradewind.contracts.amount_words import amount_in_words
from tradewind.contracts.choices import ClauseKey, InspectionBy, InsuredBy, ShipmentPermission

CENT = Decimal("0.01")
MISSING = "____"


def money(amount: Decimal | None) -> str:
    if amount is None:
        return MISSING
    return f"{amount.quantize(CENT, rounding=ROUND_HALF_UP):,}"


def _label(choices, value: str) -> str:
    return str(dict(choices.choices).get(value, value)) if value else ""


def insurance_amount(contract) -> Decimal | None:
    if contract.total_amount is None or contract.insurance_percent is None:
        return None
    value = contract.total_amount * contract.insurance_percent / Decimal(100)
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def insurance_text(contract) -> str:
    who = contract.insured_by
    if not who:
        return MISSING
    if who == InsuredBy.BUYER and not contract.insurance_cover:
        return _("to be effected by the Buyer at its own cost")
    values = {
        "who": _label(InsuredBy, who),
        "percent": f"{contract.insurance_percent.normalize():f}",
        "currency": contract.currency,
        "amount": money(insurance_amount(contract)),
        "cover": contract.insurance_cover or MISSING,
    }
    return (
        _(
            "to be effected by the %(who)s for %(percent)s%% of the invoice value "
            "(%(currency)s %(amount)s) against %(cover)s"
        )
        % values
    )


def schedule_text(contract) -> str:
    rows = []
    for row in contract.payment_schedule or []:
        due = row.get("due_date") or row.get("due_text", "")
        rows.append(
            f"{row['number']}. {row.get('instrument', '')} {contract.currency} "
            f"{money(Decimal(row['amount']))} — {due}"
        )
    return "\n".join(rows) or MISSING


def _date(value) -> str:
    return value.strftime("%d %B %Y") if value else MISSING


def _plain(value) -> str:
    if value in (None, ""):
        return MISSING
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)


# name → (what it is, how to read it from a contract)
PLACEHOLDERS: dict[str, tuple[object, Callable]] = {
    "contract_number": (gettext_lazy("contract number"), lambda c: c.number),
    "contract_date": (gettext_lazy("contract date"), lambda c: _date(c.contract_date)),
    "buyer_name": (gettext_lazy("buyer"), lambda c: c.buyer_name),
    "quantity_tolerance_percent": (
        gettext_lazy("quantity tolerance ±%"),
        lambda c: _plain(c.quantity_tolerance_percent),
    ),
    "currency": (gettext_lazy("currency"), lambda c: c.currency),
    "total_amount": (gettext_lazy("total"), lambda c: money(c.total_amount)),
    "total_in_words": (
        gettext_lazy("total in words"),
        lambda c: amount_in_words(c.total_amount, c.currency),
    ),
    "incoterm": (gettext_lazy("Incoterm"), lambda c: c.incoterm),
    "named_place": (gettext_lazy("named place"), lambda c: _plain(c.named_place)),
    "quality_standard": (gettext_lazy("quality standard"), lambda c: _plain(c.quality_standard)),
    "packing": (gettext_lazy("packing"), lambda c: _plain(c.packing)),
    "shipping_marks": (gettext_lazy("shipping marks"), lambda c: _plain(c.shipping_marks)),
    "latest_shipment_date": (
        gettext_lazy("latest shipment date"),
        lambda c: _date(c.latest_shipment_date),
    ),
    "port_of_loading": (gettext_lazy("port of loading"), lambda c: _plain(c.port_of_loading)),
    "destination_port": (gettext_lazy("destination"), lambda c: _plain(c.destination_port)),
    "partial_shipment": (
        gettext_lazy("partial shipment"),
        lambda c: _label(ShipmentPermission, c.partial_shipment) or MISSING,
    ),
    "transhipment": (
        gettext_lazy("transhipment"),
        lambda c: _label(ShipmentPermission, c.transhipment) or MISSING,
    ),
    "insurance_text": (gettext_lazy("who insures, cover and amount"), insurance_text),
    "payment_terms_text": (
        gettext_lazy("payment terms"),
        lambda c: _plain(c.payment_terms_text),
    ),
    "payment_schedule": (gettext_lazy("payment schedule"), schedule_text),
    "inspection_by": (
        gettext_lazy("inspection by"),
        lambda c: _label(InspectionBy, c.inspection_by) or MISSING,
    ),
    "inspection_when": (gettext_lazy("inspection when"), lambda c: _plain(c.inspection_when)),
    "inspection_certificate": (
        gettext_lazy("inspection certificate"),
        lambda c: _plain(c.inspection_certificate),
    ),
    "claims_period_days": (
        gettext_lazy("claims period (days)"),
        lambda c: _plain(c.claims_period_days),
    ),
    "arbitration_institution": (
        gettext_lazy("arbitration institution"),
        lambda c: _plain(c.arbitration_institution),
    ),
    "arbitration_seat": (gettext_lazy("seat of arbitration"), lambda c: _plain(c.arbitration_seat)),
    "governing_law": (gettext_lazy("governing law"), lambda c: _plain(c.governing_law)),
    "beneficiary_name": (gettext_lazy("beneficiary"), lambda c: _plain(c.beneficiary_name)),
    "bank_name": (gettext_lazy("bank"), lambda c: _plain(c.bank_name)),
    "bank_address": (gettext_lazy("bank address"), lambda c: _plain(c.bank_address)),
    "bank_account": (gettext_lazy("account number"), lambda c: _plain(c.bank_account)),
    "bank_swift": (gettext_lazy("SWIFT / BIC"), lambda c: _plain(c.bank_swift)),
}


def placeholders_in(text: str) -> list[str]:
    """The {names} a clause text uses, in order; raises ValueError on broken braces."""
    names = []
    for _literal, name, _spec, _conversion in string.Formatter().parse(text or ""):
        if name is not None:
            names.append(name)
    return names


def unknown_placeholders(text: str) -> list[str]:
    try:
        names = placeholders_in(text)
    except ValueError:
        return ["{"]
    return [name for name in names if name not in PLACEHOLDERS]


class _Values(dict):
    def __init__(self, contract):
        super().__init__()
        self.contract = contract

    def __missing__(self, key: str) -> str:
        if key in PLACEHOLDERS:
            value = PLACEHOLDERS[key][1](self.contract)
            return value if value not in (None, "") else MISSING
        return "{" + key + "}"


def fill(text: str, contract, *, language: str = "en") -> str:
    """The clause text with the contract's values; unknown names and broken braces stay as
    typed (the ready-to-sign check lists them)."""
    with translation.override(language):
        try:
            return string.Formatter().vformat(text or "", (), _Values(contract))
        except (ValueError, IndexError, KeyError, AttributeError):
            return text or ""


def placeholder_help() -> list[tuple[str, str]]:
    return [(name, str(label)) for name, (label, _getter) in PLACEHOLDERS.items()]


# The starting templates: (key, title, English, Chinese, defaults).
DEFAULT_TEMPLATES: tuple[tuple[str, str, str, str, dict], ...] = (
    (
        ClauseKey.GOODS,
        "Goods, specification and quantity",
        "Commodity, model, specification and quantity as listed in the table of goods. Quantity "
        "tolerance: ±{quantity_tolerance_percent}% at the Seller's option, settled at the "
        "contract unit price.",
        "品名、型号、规格及数量见货物明细表。数量允许 ±{quantity_tolerance_percent}% 的溢短装，"
        "由卖方决定，按合同单价结算。",
        {"quantity_tolerance_percent": "0"},
    ),
    (
        ClauseKey.PRICE,
        "Unit price and total amount",
        "Unit prices as listed in the table of goods, {incoterm} {named_place} (Incoterms® 2020). "
        "Total contract value: {currency} {total_amount} ({total_in_words}).",
        "单价见货物明细表，{incoterm} {named_place}（《国际贸易术语解释通则® 2020》）。"
        "合同总金额：{currency} {total_amount}（{total_in_words}）。",
        {},
    ),
    (
        ClauseKey.QUALITY,
        "Quality standard",
        "Quality: {quality_standard}.",
        "质量标准：{quality_standard}。",
        {"quality_standard": "As per the approved sample and the specification in this contract"},
    ),
    (
        ClauseKey.PACKING,
        "Packing and shipping marks",
        "Packing: {packing}, suitable for long-distance ocean transport and well protected "
        "against dampness, shock and rough handling.\nShipping marks:\n{shipping_marks}",
        "包装：{packing}，适合远洋运输，防潮、防震、耐粗暴搬运。\n唛头：\n{shipping_marks}",
        {"packing": "Export standard cartons"},
    ),
    (
        ClauseKey.SHIPMENT,
        "Time and port of shipment",
        "Latest date of shipment: {latest_shipment_date}. Port of loading: {port_of_loading}. "
        "Destination: {destination_port}. Partial shipments: {partial_shipment}. "
        "Transhipment: {transhipment}.",
        "最迟装运期：{latest_shipment_date}。装运港：{port_of_loading}。目的地：{destination_port}。"
        "分批装运：{partial_shipment}。转运：{transhipment}。",
        {},
    ),
    (
        ClauseKey.INSURANCE,
        "Insurance",
        "Insurance: {insurance_text}.",
        "保险：{insurance_text}。",
        {},
    ),
    (
        ClauseKey.PAYMENT,
        "Payment",
        "Payment: {payment_terms_text}.\n{payment_schedule}",
        "付款条件：{payment_terms_text}。\n{payment_schedule}",
        {},
    ),
    (
        ClauseKey.INSPECTION,
        "Inspection",
        "Inspection by {inspection_by}, {inspection_when}. Certificate: {inspection_certificate}. "
        "The Buyer may re-inspect the goods at the destination at its own cost.",
        "检验：由{inspection_by}于{inspection_when}进行。证书：{inspection_certificate}。"
        "买方有权在目的地自费复验。",
        {
            "inspection_by": InspectionBy.SELLER_QC,
            "inspection_when": "before shipment, when production is finished and at least 80% "
            "is packed",
            "inspection_certificate": "Certificate of quality and quantity issued by the "
            "Seller's QC",
        },
    ),
    (
        ClauseKey.CLAIMS,
        "Claims",
        "Any claim on quality or quantity shall be made in writing within {claims_period_days} "
        "days after the arrival of the goods at the destination, supported by a survey report "
        "of a recognised independent surveyor. The Seller is not liable for claims within the "
        "responsibility of the insurer, the carrier or the post.",
        "买方如对品质或数量提出异议，须于货到目的地后 {claims_period_days} 天内以书面形式提出，"
        "并提供公认独立检验机构出具的检验报告。属于保险公司、承运人或邮政责任范围的索赔，卖方不予受理。",
        {"claims_period_days": 60},
    ),
    (
        ClauseKey.FORCE_MAJEURE,
        "Force majeure",
        "Neither party is liable for failure or delay in performing this contract caused by "
        "force majeure, such as war, fire, flood, earthquake, epidemic or government action. The "
        "affected party shall notify the other party at once and provide, within 15 days, a "
        "certificate issued by a competent authority. If the force majeure lasts more than 60 "
        "days, either party may cancel the unperformed part of this contract.",
        "因战争、火灾、水灾、地震、疫情或政府行为等不可抗力致使一方不能履行或延迟履行合同的，该方不负责任，"
        "但应立即通知对方，并于 15 天内提供主管机构出具的证明。"
        "不可抗力持续超过 60 天的，任何一方均可解除合同未履行部分。",
        {},
    ),
    (
        ClauseKey.BREACH,
        "Liability for breach",
        "A party that fails to perform this contract shall compensate the other party for the "
        "direct losses caused. If the deposit is not credited by its due date, the Seller may "
        "postpone the shipment date accordingly or cancel this contract. Late shipment caused by "
        "the Seller entitles the Buyer to a penalty of 0.5% of the value of the late goods per "
        "full week, capped at 5%.",
        "任何一方违约，应赔偿对方因此遭受的直接损失。订金未按期到账的，卖方有权相应顺延交货期或解除合同。"
        "因卖方原因延迟装运的，每满一周按延迟货物金额的 0.5% 支付违约金，总额不超过 5%。",
        {},
    ),
    (
        ClauseKey.DISPUTES,
        "Arbitration and governing law",
        "Any dispute arising from or in connection with this contract shall be settled by "
        "friendly negotiation; failing that, it shall be submitted to {arbitration_institution} "
        "for arbitration in {arbitration_seat} under its rules in effect when arbitration is "
        "applied for. The award is final and binding on both parties. This contract is governed "
        "by {governing_law}.",
        "凡因本合同引起的或与本合同有关的争议，应协商解决；协商不成的，提交{arbitration_institution}，"
        "按申请仲裁时该会现行有效的仲裁规则在{arbitration_seat}进行仲裁。仲裁裁决是终局的，对双方均有约束力。"
        "本合同适用{governing_law}。",
        {
            "arbitration_institution": "China International Economic and Trade Arbitration "
            "Commission (CIETAC)",
            "arbitration_seat": "Shanghai",
            "governing_law": "the laws of the People's Republic of China",
        },
    ),
    (
        ClauseKey.BANK,
        "Beneficiary bank details",
        "Beneficiary: {beneficiary_name}\nBank: {bank_name}\nBank address: {bank_address}\n"
        "Account no.: {bank_account}\nSWIFT: {bank_swift}",
        "收款人：{beneficiary_name}\n开户行：{bank_name}\n银行地址：{bank_address}\n"
        "账号：{bank_account}\nSWIFT：{bank_swift}",
        {},
    ),
)

# Contract fields a template may give a company-wide starting value.
DEFAULTABLE_FIELDS = frozenset(
    {
        "quantity_tolerance_percent",
        "quality_standard",
        "packing",
        "inspection_by",
        "inspection_when",
        "inspection_certificate",
        "claims_period_days",
        "arbitration_institution",
        "arbitration_seat",
        "governing_law",
        "insurance_cover",
    }
)


def shipping_marks_for(buyer_name: str, number: str, destination: str) -> str:
    """UN/ECE Rec. 15 marks: consignee initials, reference, destination, package numbers —
    four lines of at most 17 characters."""
    words = [w for w in buyer_name.replace(".", " ").split() if w[:1].isalpha()]
    initials = "".join(w[0] for w in words[:4]).upper() or "BUYER"
    return "\n".join(
        line[:17] for line in (initials, number, (destination or "").upper(), "C/NO. 1-UP")
    )


def required_placeholders(keys: Iterable[str]) -> set[str]:
    names: set[str] = set()
    for key in keys:
        for template in DEFAULT_TEMPLATES:
            if template[0] == key:
                names.update(placeholders_in(template[2]))
    return names
