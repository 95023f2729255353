"""Countries (ISO 3166 alpha-2) with names in the user's language, and their main time zone."""

import functools
import zoneinfo
from datetime import datetime

import pycountry
from babel import Locale

from tradewind.trade.errors import TradeError
from tradewind.trade.sendtime import zone_for_country


def _babel_locale(language: str) -> Locale:
    return Locale.parse("zh_Hans" if language.lower().startswith("zh") else "en")


@functools.cache
def country_choices(language: str = "en") -> list[tuple[str, str]]:
    """(code, name) for every ISO country, sorted by name in ``language``."""
    names = _babel_locale(language).territories
    pairs = [(c.alpha_2, names.get(c.alpha_2, c.name)) for c in pycountry.countries]
    return sorted(pairs, key=lambda pair: pair[1])


def country_name(code: str, language: str = "en") -> str:
    if not code:
        return ""
    return _babel_locale(language).territories.get(code.upper(), code.upper())


def is_country(code: str) -> bool:
    return bool(code) and pycountry.countries.get(alpha_2=code.upper()) is not None


def country_time_zone(code: str) -> str:
    """The main IANA time zone of a country (the trade core's table), or '' when unknown."""
    if not code:
        return ""
    try:
        return zone_for_country(code)[0]
    except TradeError:
        return ""


def local_now(zone_name: str, now: datetime) -> datetime | None:
    """``now`` (aware) in the named zone, or None when the zone is unknown."""
    try:
        return now.astimezone(zoneinfo.ZoneInfo(zone_name))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def phone_time_zone(e164: str) -> str:
    """The time zone of a phone number when its number range has exactly one; else ''."""
    import phonenumbers
    from phonenumbers import timezone as phone_timezones

    try:
        zones = phone_timezones.time_zones_for_number(phonenumbers.parse(e164))
    except phonenumbers.NumberParseException:
        return ""
    return zones[0] if len(zones) == 1 and zones[0] != "Etc/Unknown" else ""


def buyer_time_zone(company, contacts) -> str:
    """The buyer's zone: set on the company, else its country's, else its contacts' phones'."""
    if company.time_zone:
        return company.time_zone
    if company.country:
        return country_time_zone(company.country)
    for contact in contacts:
        zone = phone_time_zone(contact.phone) if contact.phone else ""
        if zone:
            return zone
    return ""
