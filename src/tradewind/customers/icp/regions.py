"""Market regions a profile can target, each a fixed set of ISO 3166 alpha-2 country codes.

Judgement calls, made the way Chinese export teams usually divide their markets:
- Mexico and the Caribbean belong to Latin America, not North America.
- Turkey and the Gulf states are the Middle East; Egypt and the Maghreb are Africa.
- Russia, Belarus and the former Soviet states of Central Asia and the Caucasus are "Russia and
  CIS"; the rest of non-EU Europe (UK, Norway, Switzerland, the Balkans, Ukraine…) is
  "Europe outside the EU".
- No country is in two regions, so a reason names one region.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.TextChoices):
    EU = "eu", _("European Union")
    EUROPE_OTHER = "europe_other", _("Europe outside the EU")
    NORTH_AMERICA = "north_america", _("North America")
    LATIN_AMERICA = "latin_america", _("Latin America")
    MIDDLE_EAST = "middle_east", _("Middle East")
    AFRICA = "africa", _("Africa")
    RUSSIA_CIS = "russia_cis", _("Russia and CIS")
    SOUTH_ASIA = "south_asia", _("South Asia")
    SOUTHEAST_ASIA = "southeast_asia", _("Southeast Asia")
    EAST_ASIA = "east_asia", _("East Asia")
    OCEANIA = "oceania", _("Oceania")


def _codes(text: str) -> frozenset[str]:
    return frozenset(text.split())


REGION_COUNTRIES: dict[str, frozenset[str]] = {
    Region.EU: _codes(
        "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE"
    ),
    Region.EUROPE_OTHER: _codes("GB NO CH IS LI UA RS BA ME MK AL AD MC SM VA GI FO GG JE IM"),
    Region.NORTH_AMERICA: _codes("US CA GL BM PM"),
    Region.LATIN_AMERICA: _codes(
        "MX GT BZ SV HN NI CR PA CU DO HT JM PR TT BS BB AG DM GD KN LC VC AW CW KY TC VG VI "
        "AR BO BR CL CO EC GY PY PE SR UY VE"
    ),
    Region.MIDDLE_EAST: _codes("AE SA QA KW BH OM YE IQ IR IL JO LB SY PS TR"),
    Region.AFRICA: _codes(
        "DZ AO BJ BW BF BI CV CM CF TD KM CG CD CI DJ EG GQ ER SZ ET GA GM GH GN GW KE LS LR "
        "LY MG MW ML MR MU MA MZ NA NE NG RW ST SN SC SL SO ZA SS SD TZ TG TN UG ZM ZW RE YT"
    ),
    Region.RUSSIA_CIS: _codes("RU BY MD KZ KG TJ TM UZ AM AZ GE"),
    Region.SOUTH_ASIA: _codes("IN PK BD LK NP BT MV AF"),
    Region.SOUTHEAST_ASIA: _codes("BN KH ID LA MY MM PH SG TH VN TL"),
    Region.EAST_ASIA: _codes("CN HK MO TW JP KR KP MN"),
    Region.OCEANIA: _codes("AU NZ FJ PG SB VU NC PF WS TO KI FM MH NR PW TV"),
}


def region_of(country: str) -> str:
    """The region a country belongs to, or '' for one in no region."""
    for region, countries in REGION_COUNTRIES.items():
        if country in countries:
            return str(region)
    return ""
