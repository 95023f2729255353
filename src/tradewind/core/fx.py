"""Exchange rates: the bank's buying rate (现汇买入价), RMB received for one unit of a foreign
currency, one rate per currency and day. Quotations take the latest rate on or before their date
(:func:`rate_on`).

Rules and judgement calls:
- Managers and admins enter rates (``actor=None`` is the console, trusted); everyone reads them.
- Setting a rate for a day that has one replaces it (audited old → new): a corrected figure, not
  a second rate.
- Codes are ISO 4217 (babel's list), never CNY; a rate is positive, at most 6 decimal places and
  below 100,000.
- A rate more than 10 times (or less than a tenth of) the currency's previous rate is refused:
  banks such as the Bank of China quote per 100 units (710.12 for USD), so it is almost always a
  rate typed per 100.
- A rate may not be dated after today in the workspace's time zone (rates are published for
  days that have come); a day later is tolerated for colleagues in other zones.
"""

from __future__ import annotations

import zoneinfo
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from babel.numbers import list_currencies
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from tradewind.core.audit import audit_record, diff, snapshot
from tradewind.core.errors import DomainError, PermissionDenied
from tradewind.core.models import FxRate

FX_FIELDS = ("currency", "date", "rmb_per_unit", "source")
MAX_RATE = Decimal(100_000)
JUMP_FACTOR = Decimal(10)
COMMON_CURRENCIES = ("USD", "EUR", "GBP", "JPY", "AUD", "CAD", "HKD", "AED", "SGD", "CHF")


def workspace_today() -> date:
    name = getattr(settings, "TRADEWIND_WORKSPACE_TIME_ZONE", "") or settings.DEFAULT_USER_TIME_ZONE
    return timezone.localdate(timezone=zoneinfo.ZoneInfo(name))


def can_set_rates(user) -> bool:
    return user is None or (user.is_active and (user.is_manager or user.is_workspace_admin))


def normalise_currency(value) -> str:
    code = str(value or "").strip().upper()
    if code == "CNY" or code == "RMB":
        raise DomainError(
            _("Rates are RMB per unit of a foreign currency; RMB itself needs none."),
            field="currency",
        )
    if len(code) != 3 or code not in list_currencies():
        raise DomainError(
            _("“%(code)s” is not a currency code; use the three letters, e.g. USD, EUR, GBP.")
            % {"code": str(value or "")[:10]},
            field="currency",
        )
    return code


def _rate(value) -> Decimal:
    try:
        if isinstance(value, float | bool):
            raise InvalidOperation
        rate = value if isinstance(value, Decimal) else Decimal(str(value).strip())
        if not rate.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        raise DomainError(
            _("Give the rate as a number, e.g. 7.1012 (RMB for 1 unit)."), field="rmb_per_unit"
        ) from None
    if rate <= 0 or rate >= MAX_RATE:
        raise DomainError(
            _("A rate is more than 0 and below 100,000 RMB per unit."), field="rmb_per_unit"
        )
    if -rate.normalize().as_tuple().exponent > 6:
        raise DomainError(_("Give the rate with at most 6 decimal places."), field="rmb_per_unit")
    return rate.quantize(Decimal("0.000001"))


def _day(value) -> date:
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            raise DomainError(
                _("Give the date as YYYY-MM-DD, e.g. 2026-03-02."), field="date"
            ) from None
    if not isinstance(value, date):
        raise DomainError(_("Give the date as YYYY-MM-DD, e.g. 2026-03-02."), field="date")
    if value > workspace_today() + timedelta(days=1):
        raise DomainError(
            _("%(day)s is in the future; a bank rate is entered for a day that has come.")
            % {"day": value.isoformat()},
            field="date",
        )
    if value.year < 2000:
        raise DomainError(_("Give a date from the year 2000 on."), field="date")
    return value


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _check_jump(currency: str, day: date, rate: Decimal) -> None:
    previous = (
        FxRate.objects.filter(currency=currency, date__lte=day)
        .exclude(date=day)
        .order_by("-date")
        .first()
    ) or FxRate.objects.filter(currency=currency).exclude(date=day).order_by("date").first()
    if previous is None:
        return
    ratio = rate / previous.rmb_per_unit
    if ratio > JUMP_FACTOR or ratio < 1 / JUMP_FACTOR:
        raise DomainError(
            _(
                "%(rate)s is far from the %(currency)s rate of %(day)s (%(previous)s). Banks often "
                "quote per 100 units: enter the rate for 1 %(currency)s."
            )
            % {
                "rate": _plain(rate),
                "currency": currency,
                "day": previous.date.isoformat(),
                "previous": _plain(previous.rmb_per_unit),
            },
            field="rmb_per_unit",
        )


def fx_rate_set(*, actor, currency, date, rmb_per_unit, source: str = "") -> FxRate:
    """Enter (or correct) the bank buying rate of ``currency`` on ``date``."""
    if not can_set_rates(actor):
        raise PermissionDenied(_("Only a manager or an admin can enter exchange rates."))
    code = normalise_currency(currency)
    day = _day(date)
    rate = _rate(rmb_per_unit)
    source = " ".join(str(source or "").split())[:80]
    try:
        return _save(actor, code, day, rate, source)
    except IntegrityError:
        # Two people entered the same day at once: the later one corrects the earlier.
        return _save(actor, code, day, rate, source)


@transaction.atomic
def _save(actor, code: str, day: date, rate: Decimal, source: str) -> FxRate:
    _check_jump(code, day, rate)
    existing = FxRate.objects.select_for_update().filter(currency=code, date=day).first()
    if existing is None:
        with transaction.atomic():
            fx = FxRate.objects.create(
                currency=code, date=day, rmb_per_unit=rate, source=source, created_by=actor
            )
        audit_record(actor=actor, action="create", instance=fx, changes=snapshot(fx, FX_FIELDS))
        return fx
    before = snapshot(existing, FX_FIELDS)
    existing.rmb_per_unit, existing.source = rate, source
    changes = diff(before, snapshot(existing, FX_FIELDS))
    if changes:
        existing.save(update_fields=["rmb_per_unit", "source"])
        audit_record(actor=actor, action="update", instance=existing, changes=changes)
    return existing


# --- Reads --------------------------------------------------------------------------------


def rate_on(currency: str, day: date) -> FxRate:
    """The latest rate of ``currency`` on or before ``day``; a ``DomainError`` that says how to
    add one when there is none."""
    code = normalise_currency(currency)
    fx = FxRate.objects.filter(currency=code, date__lte=day).order_by("-date").first()
    if fx is None:
        raise DomainError(
            _(
                "There is no %(currency)s exchange rate on or before %(day)s. A manager adds one "
                "under Settings → Exchange rates, or on the console: tradewind fx set "
                "%(currency)s 7.1012 --date %(day)s"
            )
            % {"currency": code, "day": day.isoformat()},
            field="fx_rate",
            code="no_fx_rate",
        )
    return fx


def latest_rates() -> list[FxRate]:
    """The newest rate of each currency, by currency code."""
    newest = FxRate.objects.filter(currency=OuterRef("currency")).order_by("-date").values("pk")
    return list(
        FxRate.objects.filter(pk=Subquery(newest[:1]))
        .select_related("created_by")
        .order_by("currency")
    )


def rate_history(currency: str, *, limit: int = 60) -> list[FxRate]:
    return list(
        FxRate.objects.filter(currency=currency)
        .select_related("created_by")
        .order_by("-date")[:limit]
    )


def rate_text(rate: Decimal) -> str:
    """A rate as banks print it: at least 4 decimals, trailing zeros beyond them dropped."""
    shown = max(4, -rate.normalize().as_tuple().exponent)
    return f"{rate:.{shown}f}"


def rate_list(*, currency: str = "", limit: int = 100) -> list[FxRate]:
    qs = FxRate.objects.select_related("created_by").order_by("currency", "-date")
    if currency:
        qs = qs.filter(currency=normalise_currency(currency))
    return list(qs[:limit])
