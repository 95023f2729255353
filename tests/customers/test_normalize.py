"""Canonical forms used for storage and duplicate keys (pure functions, no database)."""

from datetime import UTC, datetime

import pytest

from tradewind.customers import geo
from tradewind.customers.normalize import normalize_company_name, website_domain


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("Müller Licht GmbH & Co. KG", "muller licht"),
        ("ACME LIGHTING, LLC.", "acme lighting"),
        ("Sol Iluminación S.A. de C.V.", "sol iluminacion"),
        ("宁波光明照明有限公司", "宁波光明照明"),
        ("Nordic Home Oy", "nordic home"),
        ("Ltd", "ltd"),  # a name made only of legal words keeps them
        ("  ", ""),
    ],
)
def test_company_names_normalise_case_accents_punctuation_and_legal_forms(raw, normalized):
    assert normalize_company_name(raw) == normalized


@pytest.mark.parametrize(
    ("raw", "domain"),
    [
        ("https://www.Nordlicht.de/en/kontakt", "nordlicht.de"),
        ("nordlicht.de", "nordlicht.de"),
        ("http://shop.nordlicht.de:8080", "shop.nordlicht.de"),
        ("WWW.example.co.uk.", "example.co.uk"),
        ("", ""),
    ],
)
def test_website_domain_drops_scheme_www_port_and_path(raw, domain):
    assert website_domain(raw) == domain


@pytest.mark.parametrize(
    ("country", "zone"),
    [
        ("DE", "Europe/Berlin"),
        ("US", "America/New_York"),
        ("BR", "America/Sao_Paulo"),
        ("AE", "Asia/Dubai"),
        ("IN", "Asia/Kolkata"),
        ("XX", ""),
        ("", ""),
    ],
)
def test_country_main_time_zone(country, zone):
    assert geo.country_time_zone(country) == zone


def test_local_now_converts_and_tolerates_unknown_zones():
    noon_utc = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
    assert geo.local_now("Asia/Shanghai", noon_utc).hour == 20
    assert geo.local_now("Nowhere/City", noon_utc) is None


def test_country_names_in_both_languages():
    assert geo.country_name("DE", "zh-hans") == "德国"
    assert geo.country_name("DE", "en") == "Germany"
    codes = [code for code, _ in geo.country_choices("en")]
    assert len(codes) == len(set(codes)) >= 249


def test_buyer_time_zone_falls_back_from_company_to_country_to_phone():
    from types import SimpleNamespace as Row

    phone_only = Row(time_zone="", country="")
    assert geo.buyer_time_zone(phone_only, [Row(phone="+81312345678")]) == "Asia/Tokyo"
    assert geo.buyer_time_zone(Row(time_zone="", country="FR"), []) == "Europe/Paris"
    assert geo.buyer_time_zone(Row(time_zone="Asia/Dubai", country="FR"), []) == "Asia/Dubai"
    # US numbers span several zones: no guess.
    assert geo.buyer_time_zone(phone_only, [Row(phone="+12125550100")]) in ("", "America/New_York")
    assert geo.buyer_time_zone(phone_only, []) == ""
