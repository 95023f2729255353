"""Fit reasons as sentences in the reader's language: "+25 target country Germany".

Reasons are stored as codes (``fit.Reason.as_json``); this module turns them into text when a
page or tooltip is rendered. Points use a real minus sign; a criterion that earned nothing shows
"±0". A reason stored as plain text (older data) is shown as it is.
"""

import functools
from dataclasses import dataclass

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tradewind.customers import geo
from tradewind.customers.choices import CompanySize, CustomerType
from tradewind.customers.icp import fit
from tradewind.customers.icp.regions import Region


@dataclass(frozen=True)
class ReasonRow:
    points: int
    points_text: str
    text: str

    @property
    def tone(self) -> str:
        return "plus" if self.points > 0 else "minus" if self.points < 0 else "zero"


def points_text(points: int) -> str:
    if points > 0:
        return f"+{points}"
    if points < 0:
        return f"−{-points}"
    return "±0"


def _label(choices, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _country(code: str) -> str:
    return geo.country_name(code, get_language() or "en")


def _type(value: str) -> dict:
    return {"type": _label(CustomerType, value)}


def _size(value: str) -> dict:
    return {"size": _label(CompanySize, value)}


# rule → (value, region) → sentence; looked up per reason, translated when rendered.
MESSAGES = {
    fit.COUNTRY: lambda v, r: _("target country %(country)s") % {"country": _country(v)},
    fit.REGION: lambda v, r: (
        _("%(country)s, in the target region %(region)s")
        % {"country": _country(v), "region": _label(Region, r)}
    ),
    fit.MARKET_MISS: lambda v, r: (
        _("%(country)s is not a target market") % {"country": _country(v)}
    ),
    fit.MARKET_UNKNOWN: lambda v, r: _("country not recorded"),
    fit.CUSTOMER_TYPE: lambda v, r: _("customer type %(type)s") % _type(v),
    fit.CUSTOMER_TYPE_MISS: lambda v, r: _("customer type %(type)s is not a target") % _type(v),
    fit.CUSTOMER_TYPE_UNKNOWN: lambda v, r: _("customer type not recorded"),
    fit.SIZE: lambda v, r: _("size %(size)s") % _size(v),
    fit.SIZE_MISS: lambda v, r: _("size %(size)s is not a target") % _size(v),
    fit.SIZE_UNKNOWN: lambda v, r: _("size not recorded"),
    fit.PRODUCTS: lambda v, r: _("wants %(products)s") % {"products": v},
    fit.PRODUCTS_MISS: lambda v, r: _("no target product mentioned"),
    fit.KEYWORDS: lambda v, r: _("mentions %(keywords)s") % {"keywords": v},
    fit.KEYWORDS_MISS: lambda v, r: _("no profile keyword mentioned"),
    fit.EXCLUDED: lambda v, r: _("excluded keyword %(keywords)s") % {"keywords": v},
    fit.WEBSITE: lambda v, r: _("own website"),
    fit.WEBSITE_MISSING: lambda v, r: _("no website recorded"),
    fit.COMPANY_EMAIL: lambda v, r: _("company email domain %(domain)s") % {"domain": v},
    fit.FREE_MAIL_ONLY: lambda v, r: _("free-mail address only"),
    fit.NO_EMAIL: lambda v, r: _("no email address yet"),
    fit.DECISION_MAKER: lambda v, r: _("decision-maker contact"),
    fit.DECISION_MAKER_MISSING: lambda v, r: _("no decision-maker contact yet"),
}


def reason_row(reason) -> ReasonRow:
    if not isinstance(reason, dict):
        return ReasonRow(0, "", str(reason))
    try:
        points = int(reason.get("points", 0))
    except (TypeError, ValueError):
        points = 0
    text = _text(
        get_language() or "en",
        str(reason.get("rule", "")),
        str(reason.get("value", "")),
        str(reason.get("region", "")),
    )
    return ReasonRow(points, points_text(points), text)


@functools.lru_cache(maxsize=4096)
def _text(language: str, rule: str, value: str, region: str) -> str:
    """A reason's sentence, cached per language: a list page shows hundreds of reasons, mostly
    the same few sentences, and each gettext call walks the catalogues (~20 µs)."""
    message = MESSAGES.get(rule)
    return message(value, region) if message else rule


def reason_rows(reasons) -> list[ReasonRow]:
    return [reason_row(reason) for reason in reasons or []]


def reasons_summary(reasons) -> str:
    """All reasons on one line, for a tooltip: "+25 target country Germany; ±0 no website"."""
    return "; ".join(
        f"{row.points_text} {row.text}".strip() for row in reason_rows(reasons) if row.text
    )


@dataclass(frozen=True)
class ProfileSummary:
    """A profile's criteria as labels in the reader's language, for the profile list."""

    markets: list[str]
    customer_types: list[str]
    sizes: list[str]
    signals: list[tuple[str, int]]  # (label, points)


def profile_summary(profile) -> ProfileSummary:
    markets = [str(_label(Region, region)) for region in profile.regions]
    markets += [f"{_country(code)} ({code})" for code in profile.countries]
    signals = [
        (str(label), points)
        for checked, label, points in (
            (profile.check_website, _("own website"), profile.weight_website),
            (profile.check_company_email, _("company email domain"), profile.weight_company_email),
            (
                profile.check_decision_maker,
                _("decision-maker contact"),
                profile.weight_decision_maker,
            ),
        )
        if checked
    ]
    return ProfileSummary(
        markets=markets,
        customer_types=[_label(CustomerType, value) for value in profile.customer_types],
        sizes=[_label(CompanySize, value) for value in profile.sizes],
        signals=signals,
    )
