"""Incoterms® 2020: the 11 rules as data (DOMAIN.md §2).

Each :class:`IncotermRule` says its group, the transport modes it fits, where risk passes, who
pays the main carriage, who must insure and the minimum cover, who clears export and import, who
pays import duty, and which :class:`CostBlock` the seller carries. Pricing builds each term's
price from exactly those cost blocks.

Judgement calls (documented here because the ICC text leaves them to contract or practice):

* **FCA** is read as delivery at the carrier's terminal or the port (the usual case for Chinese
  exports): the seller carries inland transport there and export clearance, but not the origin
  terminal handling, which belongs to the buyer's carrier. FAS and FOB include origin terminal
  / port charges, as Chinese FOB quotations do (THC, port fees, booking).
* **C-rules** leave destination terminal charges with the buyer unless the contract of carriage
  puts them on the seller; the table follows the default.
* **D-rules** impose no duty to insure, but the seller carries the transit risk, so insurance is
  listed among the seller's cost blocks (``insurance`` is ``None``; ``seller_insures_own_risk``
  is true). Pricing insures D-rule prices at the CIP rate.
* **Import clearance fees** are part of ``IMPORT_DUTY_AND_TAXES`` (seller only under DDP).
* Sea-only rules (FAS, FOB, CFR, CIF) are refused with air, rail and road; ICC's advice to use
  FCA / CPT / CIP for container cargo is returned as a warning, not an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from tradewind.trade.errors import IncotermError


class Incoterm(StrEnum):
    EXW = "EXW"
    FCA = "FCA"
    FAS = "FAS"
    FOB = "FOB"
    CPT = "CPT"
    CIP = "CIP"
    CFR = "CFR"
    CIF = "CIF"
    DAP = "DAP"
    DPU = "DPU"
    DDP = "DDP"


class Party(StrEnum):
    SELLER = "seller"
    BUYER = "buyer"


class RuleModes(StrEnum):
    """Which transport modes a rule is written for."""

    ANY = "any"
    SEA_AND_INLAND_WATERWAY = "sea_and_inland_waterway"


class TransportMode(StrEnum):
    """The actual mode of a shipment."""

    SEA = "sea"
    INLAND_WATERWAY = "inland_waterway"
    AIR = "air"
    RAIL = "rail"
    ROAD = "road"
    MULTIMODAL = "multimodal"


WATERBORNE_MODES = frozenset({TransportMode.SEA, TransportMode.INLAND_WATERWAY})


class CostBlock(StrEnum):
    """The cost blocks of an export shipment, in the order the goods meet them."""

    GOODS = "goods"
    EXPORT_CLEARANCE = "export_clearance"
    INLAND_TO_PORT = "inland_to_port"
    ORIGIN_TERMINAL = "origin_terminal"
    MAIN_CARRIAGE = "main_carriage"
    INSURANCE = "insurance"
    DESTINATION_CHARGES = "destination_charges"
    UNLOADING = "unloading"
    IMPORT_DUTY_AND_TAXES = "import_duty_and_taxes"


@dataclass(frozen=True)
class InsuranceDuty:
    """A contractual duty to insure: who, which Institute Cargo Clauses, minimum cover."""

    party: Party
    clauses: str
    minimum_cover_percent: Decimal


@dataclass(frozen=True)
class IncotermRule:
    code: Incoterm
    name: str
    group: str
    modes: RuleModes
    risk_passes: str
    main_carriage_paid_by: Party
    insurance: InsuranceDuty | None
    export_clearance_by: Party
    import_clearance_by: Party
    import_duty_paid_by: Party
    seller_cost_blocks: frozenset[CostBlock]

    @property
    def buyer_cost_blocks(self) -> frozenset[CostBlock]:
        return frozenset(CostBlock) - self.seller_cost_blocks

    @property
    def is_sea_only(self) -> bool:
        return self.modes is RuleModes.SEA_AND_INLAND_WATERWAY

    @property
    def seller_insures_own_risk(self) -> bool:
        """True for D-rules: no duty to insure, but the seller carries the transit risk."""
        return self.insurance is None and CostBlock.INSURANCE in self.seller_cost_blocks

    def seller_pays(self, block: CostBlock) -> bool:
        return block in self.seller_cost_blocks


_B = CostBlock
_TO_GATE = frozenset({_B.GOODS, _B.EXPORT_CLEARANCE, _B.INLAND_TO_PORT})
_ON_BOARD = _TO_GATE | {_B.ORIGIN_TERMINAL}
_CARRIED = _ON_BOARD | {_B.MAIN_CARRIAGE}
_INSURED = _CARRIED | {_B.INSURANCE}
_ARRIVED = _INSURED | {_B.DESTINATION_CHARGES}
_ICC_C = InsuranceDuty(Party.SELLER, "ICC (C)", Decimal(110))
_ICC_A = InsuranceDuty(Party.SELLER, "ICC (A)", Decimal(110))
_S, _BU = Party.SELLER, Party.BUYER
_ANY, _SEA = RuleModes.ANY, RuleModes.SEA_AND_INLAND_WATERWAY


def _rule(code, name, group, modes, risk, carriage, insurance, export, blocks, *, ddp=False):
    importer = _S if ddp else _BU
    return IncotermRule(
        code=code,
        name=name,
        group=group,
        modes=modes,
        risk_passes=risk,
        main_carriage_paid_by=carriage,
        insurance=insurance,
        export_clearance_by=export,
        import_clearance_by=importer,
        import_duty_paid_by=importer,
        seller_cost_blocks=frozenset(blocks),
    )


RULES: dict[Incoterm, IncotermRule] = {
    rule.code: rule
    for rule in (
        _rule(
            Incoterm.EXW, "Ex Works", "E", _ANY,
            "goods placed at the buyer's disposal at the named place, not loaded",
            _BU, None, _BU, {_B.GOODS},
        ),
        _rule(
            Incoterm.FCA, "Free Carrier", "F", _ANY,
            "goods handed to the buyer's carrier (loaded if at the seller's premises, otherwise "
            "on the seller's vehicle ready for unloading)",
            _BU, None, _S, _TO_GATE,
        ),
        _rule(
            Incoterm.FAS, "Free Alongside Ship", "F", _SEA,
            "goods alongside the vessel at the port of shipment", _BU, None, _S, _ON_BOARD,
        ),
        _rule(
            Incoterm.FOB, "Free On Board", "F", _SEA,
            "goods on board the vessel at the port of shipment", _BU, None, _S, _ON_BOARD,
        ),
        _rule(
            Incoterm.CPT, "Carriage Paid To", "C", _ANY,
            "goods handed to the first carrier", _S, None, _S, _CARRIED,
        ),
        _rule(
            Incoterm.CIP, "Carriage and Insurance Paid To", "C", _ANY,
            "goods handed to the first carrier", _S, _ICC_A, _S, _INSURED,
        ),
        _rule(
            Incoterm.CFR, "Cost and Freight", "C", _SEA,
            "goods on board the vessel at the port of shipment", _S, None, _S, _CARRIED,
        ),
        _rule(
            Incoterm.CIF, "Cost, Insurance and Freight", "C", _SEA,
            "goods on board the vessel at the port of shipment", _S, _ICC_C, _S, _INSURED,
        ),
        _rule(
            Incoterm.DAP, "Delivered at Place", "D", _ANY,
            "at the named destination, on the arriving vehicle, ready for unloading",
            _S, None, _S, _ARRIVED,
        ),
        _rule(
            Incoterm.DPU, "Delivered at Place Unloaded", "D", _ANY,
            "once unloaded at the named destination", _S, None, _S, _ARRIVED | {_B.UNLOADING},
        ),
        _rule(
            Incoterm.DDP, "Delivered Duty Paid", "D", _ANY,
            "at the named destination, ready for unloading, import-cleared",
            _S, None, _S, _ARRIVED | {_B.IMPORT_DUTY_AND_TAXES}, ddp=True,
        ),
    )
}  # fmt: skip


def get_rule(code: str | Incoterm, *, field: str = "term") -> IncotermRule:
    """The rule for ``code`` (case-insensitive), or :class:`IncotermError` naming ``field``."""
    if not isinstance(code, str):
        raise TypeError(f"{field}: expected an Incoterm code string, got {type(code).__name__}")
    key = code.strip().upper()
    try:
        return RULES[Incoterm(key)]
    except ValueError:
        known = ", ".join(RULES)
        raise IncotermError(
            f"{field}: {code!r} is not an Incoterms 2020 rule; use one of {known}", field=field
        ) from None


def check_transport_mode(
    code: str | Incoterm,
    mode: str | TransportMode,
    *,
    containerised: bool = False,
) -> tuple[str, ...]:
    """Refuse a sea-only rule with a non-waterborne mode; return ICC's advice as warnings.

    Raises :class:`IncotermError` (field ``transport_mode``) for e.g. FOB by air or CIF by rail.
    """
    rule = get_rule(code)
    try:
        actual = TransportMode(str(mode).strip().lower())
    except ValueError:
        known = ", ".join(m.value for m in TransportMode)
        raise IncotermError(
            f"transport_mode: {mode!r} is not a transport mode; use one of {known}",
            field="transport_mode",
        ) from None
    if rule.is_sea_only and actual not in WATERBORNE_MODES:
        alternative = {"FAS": "FCA", "FOB": "FCA", "CFR": "CPT", "CIF": "CIP"}[rule.code]
        raise IncotermError(
            f"transport_mode: {rule.code} is for sea and inland waterway only and cannot be used "
            f"for {actual.value} transport — use {alternative} instead",
            field="transport_mode",
        )
    warnings: list[str] = []
    if rule.is_sea_only and containerised:
        alternative = {"FAS": "FCA", "FOB": "FCA", "CFR": "CPT", "CIF": "CIP"}[rule.code]
        warnings.append(
            f"ICC advises {alternative} rather than {rule.code} for container cargo: risk under "
            f"{rule.code} passes only on board, after the seller has lost control of the box"
        )
    if rule.code is Incoterm.EXW:
        warnings.append(
            "EXW from China: the seller normally still has to be the declared exporter to claim "
            "the VAT rebate; consider FCA"
        )
    return tuple(warnings)


def terms_for_mode(mode: str | TransportMode) -> tuple[Incoterm, ...]:
    """Rules usable with ``mode``, in the order of the rules table."""
    actual = TransportMode(str(mode).strip().lower())
    return tuple(
        code for code, rule in RULES.items() if not rule.is_sea_only or actual in WATERBORNE_MODES
    )
