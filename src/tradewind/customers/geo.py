"""Countries (ISO 3166 alpha-2) with names in the user's language, and their main time zone."""

import functools
import zoneinfo
from datetime import datetime

import pycountry
from babel import Locale
from babel.core import get_global

# Countries spanning several zones: the zone where most of its business happens.
MAIN_ZONE = {
    "US": "America/New_York", "CA": "America/Toronto", "MX": "America/Mexico_City",
    "BR": "America/Sao_Paulo", "AR": "America/Argentina/Buenos_Aires", "CL": "America/Santiago",
    "EC": "America/Guayaquil", "AU": "Australia/Sydney", "NZ": "Pacific/Auckland",
    "RU": "Europe/Moscow", "UA": "Europe/Kyiv", "KZ": "Asia/Almaty", "ID": "Asia/Jakarta",
    "MY": "Asia/Kuala_Lumpur", "CN": "Asia/Shanghai", "DE": "Europe/Berlin", "ES": "Europe/Madrid",
    "PT": "Europe/Lisbon", "CD": "Africa/Kinshasa", "MN": "Asia/Ulaanbaatar", "UZ": "Asia/Tashkent",
    "PG": "Pacific/Port_Moresby", "FM": "Pacific/Pohnpei", "KI": "Pacific/Tarawa",
    "PF": "Pacific/Tahiti", "GL": "America/Nuuk", "CY": "Asia/Nicosia",
}  # fmt: skip


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
    """The main IANA time zone of a country, or '' when unknown."""
    code = code.upper()
    if code in MAIN_ZONE:
        return MAIN_ZONE[code]
    zones = get_global("territory_zones").get(code) or []
    return zones[0] if zones else ""


def local_now(zone_name: str, now: datetime) -> datetime | None:
    """``now`` (aware) in the named zone, or None when the zone is unknown."""
    try:
        return now.astimezone(zoneinfo.ZoneInfo(zone_name))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None
