"""The pure fit score: each criterion's points and reason, best of several profiles, bounds."""

import pycountry
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tradewind.customers.icp import fit
from tradewind.customers.icp.fit import CompanyFacts, ProfileSpec, Reason, Weights
from tradewind.customers.icp.regions import REGION_COUNTRIES, Region, region_of

FREE = {"gmail.com", "qq.com", "163.com"}.__contains__


def facts(**kwargs) -> CompanyFacts:
    kwargs.setdefault("is_free_mail", FREE)
    return fit.company_facts(**kwargs)


def only(spec: ProfileSpec, company: CompanyFacts) -> Reason:
    result = fit.score_profile(spec, company)
    assert result is not None
    return result.reasons[0]


def test_a_target_country_earns_the_market_points_with_its_reason():
    spec = ProfileSpec(name="EU", countries=frozenset({"DE"}))
    assert only(spec, facts(country="de")) == Reason(25, fit.COUNTRY, "DE")


def test_a_country_in_a_target_region_names_the_region():
    spec = ProfileSpec(name="EU", regions=(("eu", REGION_COUNTRIES["eu"]),))
    assert only(spec, facts(country="FR")) == Reason(25, fit.REGION, "FR", "eu")


def test_another_country_or_none_earns_nothing_but_is_listed():
    spec = ProfileSpec(name="EU", countries=frozenset({"DE"}))
    assert only(spec, facts(country="BR")) == Reason(0, fit.MARKET_MISS, "BR")
    assert only(spec, facts(country="")) == Reason(0, fit.MARKET_UNKNOWN)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("importer", Reason(10, fit.CUSTOMER_TYPE, "importer")),
        ("retailer", Reason(0, fit.CUSTOMER_TYPE_MISS, "retailer")),
        ("", Reason(0, fit.CUSTOMER_TYPE_UNKNOWN)),
    ],
)
def test_customer_type_match_miss_and_unknown(value, expected):
    spec = ProfileSpec(name="x", customer_types=frozenset({"importer", "wholesaler"}))
    assert only(spec, facts(customer_type=value)) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("medium", Reason(10, fit.SIZE, "medium")),
        ("micro", Reason(0, fit.SIZE_MISS, "micro")),
        ("", Reason(0, fit.SIZE_UNKNOWN)),
    ],
)
def test_size_match_miss_and_unknown(value, expected):
    spec = ProfileSpec(name="x", sizes=frozenset({"medium", "large"}))
    assert only(spec, facts(size=value)) == expected


def test_product_keywords_are_found_in_products_notes_tags_and_name():
    spec = ProfileSpec(name="x", product_keywords=("LED panel", "downlight", "灯具"))
    for where in ("products_of_interest", "notes", "name"):
        reason = only(spec, facts(**{where: "Looking for LED Panels 600x600"}))
        assert reason == Reason(20, fit.PRODUCTS, "LED panel")
    assert only(spec, facts(tags=["Downlight"])) == Reason(20, fit.PRODUCTS, "downlight")
    assert only(spec, facts(notes="采购LED灯具")) == Reason(20, fit.PRODUCTS, "灯具")
    assert only(spec, facts(notes="tables and chairs")) == Reason(0, fit.PRODUCTS_MISS)


def test_keywords_match_whole_words_plurals_and_full_width_letters():
    found = fit.matched_terms
    assert found(fit.fold("We sell LEDs"), ["LED"]) == ["LED"]
    assert found(fit.fold("sled dogs, bled"), ["LED"]) == []
    assert found(fit.fold("ＬＥＤ ｐａｎｅｌ"), ["led panel"]) == ["led panel"]
    assert found(fit.fold("Café supplies"), ["cafe"]) == []
    assert found(fit.fold("café supplies"), ["Café"]) == ["Café"]
    # Overlapping keywords are each found, in the profile's order, without repeats.
    assert found(fit.fold("LED panel"), ["LED panel", "LED", "led"]) == ["LED panel", "LED"]


def test_hostile_keywords_are_matched_literally():
    assert fit.matched_terms(fit.fold("price (USD)"), ["(usd)", ".*", "[a-z"]) == ["(usd)"]
    assert fit.matched_terms(fit.fold("anything"), ["", "   "]) == []


def test_other_keywords_earn_their_own_points():
    spec = ProfileSpec(name="x", keywords=("distributor",))
    assert only(spec, facts(notes="national distributors")) == Reason(
        5, fit.KEYWORDS, "distributor"
    )
    assert only(spec, facts(notes="shop")) == Reason(0, fit.KEYWORDS_MISS)


def test_an_excluded_keyword_takes_points_off_once():
    spec = ProfileSpec(
        name="x", countries=frozenset({"DE"}), excluded_keywords=("dropshipping", "sample only")
    )
    result = fit.score_profile(spec, facts(country="DE", notes="dropshipping, sample only"))
    assert result.reasons[-1] == Reason(-20, fit.EXCLUDED, "dropshipping, sample only")
    assert result.points == 5 and result.possible == 25 and result.score == 20


def test_website_signal():
    spec = ProfileSpec(name="x", check_website=True)
    assert only(spec, facts(website_domain="nordlicht.de")) == Reason(10, fit.WEBSITE)
    assert only(spec, facts(website_domain="")) == Reason(0, fit.WEBSITE_MISSING)


def test_company_email_signal_rewards_a_company_domain_and_penalises_free_mail_only():
    spec = ProfileSpec(name="x", check_company_email=True, weights=Weights(company_email=15))
    mixed = facts(emails=["a@gmail.com", "b@Nordlicht.de"])
    assert only(spec, mixed) == Reason(15, fit.COMPANY_EMAIL, "nordlicht.de")
    assert only(spec, facts(emails=["a@gmail.com", "b@qq.com"])) == Reason(-15, fit.FREE_MAIL_ONLY)
    assert only(spec, facts(emails=[])) == Reason(0, fit.NO_EMAIL)
    assert only(spec, facts(emails=["not-an-email", "@x.com"])) == Reason(0, fit.NO_EMAIL)


def test_decision_maker_signal():
    spec = ProfileSpec(name="x", check_decision_maker=True)
    assert only(spec, facts(has_decision_maker=True)) == Reason(10, fit.DECISION_MAKER)
    assert only(spec, facts()) == Reason(0, fit.DECISION_MAKER_MISSING)


def full_profile(**kwargs) -> ProfileSpec:
    defaults = {
        "name": "EU LED importers",
        "countries": frozenset({"DE"}),
        "customer_types": frozenset({"importer"}),
        "sizes": frozenset({"medium"}),
        "product_keywords": ("LED panel",),
        "keywords": ("distributor",),
        "check_website": True,
        "check_company_email": True,
        "check_decision_maker": True,
    }
    return ProfileSpec(**(defaults | kwargs))


def test_with_default_weights_and_every_criterion_the_reasons_add_up_to_the_score():
    company = facts(
        country="DE",
        customer_type="importer",
        size="small",
        products_of_interest="LED panels",
        notes="regional distributor",
        website_domain="nordlicht.de",
        emails=["anna@gmail.com"],
    )
    result = fit.score_profile(full_profile(), company)
    assert result.possible == 100
    assert [r.points for r in result.reasons] == [25, 10, 0, 20, 5, 10, -10, 0]
    assert result.score == sum(r.points for r in result.reasons) == 60


def test_the_score_is_the_share_of_the_points_possible_rounded_half_up():
    spec = ProfileSpec(
        name="x",
        countries=frozenset({"DE"}),
        check_website=True,
        weights=Weights(market=2, website=1),
    )
    assert fit.score_profile(spec, facts(country="DE")).score == 67  # 2 of 3
    assert fit.score_profile(spec, facts(website_domain="a.de")).score == 33  # 1 of 3


def test_a_score_never_goes_below_zero():
    spec = ProfileSpec(name="x", check_company_email=True, excluded_keywords=("scam",))
    result = fit.score_profile(spec, facts(emails=["x@gmail.com"], notes="scam"))
    assert result.points == -30 and result.score == 0


def test_a_profile_without_criteria_gives_no_score_and_no_profiles_gives_none():
    assert fit.score_profile(ProfileSpec(name="empty", excluded_keywords=("x",)), facts()) is None
    assert fit.best_fit([], facts(country="DE")) is None


def test_the_best_of_several_profiles_wins_and_keeps_its_name_and_reasons():
    eu = ProfileSpec(name="EU", profile_id=1, countries=frozenset({"DE"}))
    us = ProfileSpec(name="US", profile_id=2, countries=frozenset({"US"}), check_website=True)
    result = fit.best_fit([eu, us], facts(country="US", website_domain="acme.com"))
    assert (result.profile, result.profile_id, result.score) == ("US", 2, 100)
    assert result.reasons_json()[0] == {
        "points": 25,
        "rule": "country",
        "value": "US",
        "profile": "US",
    }


def test_on_a_tie_the_first_profile_wins():
    a = ProfileSpec(name="A", countries=frozenset({"DE"}))
    b = ProfileSpec(name="B", countries=frozenset({"DE"}))
    assert fit.best_fit([a, b], facts(country="DE")).profile == "A"


def test_only_the_first_part_of_a_huge_text_is_searched():
    huge = "x " * fit.TEXT_LIMIT + "LED panel"
    spec = ProfileSpec(name="x", product_keywords=("LED panel",))
    assert only(spec, facts(notes=huge)) == Reason(0, fit.PRODUCTS_MISS)


def test_regions_hold_real_country_codes_and_never_overlap():
    seen = {}
    for region, codes in REGION_COUNTRIES.items():
        assert region in Region.values
        for code in codes:
            assert pycountry.countries.get(alpha_2=code), code
            assert code not in seen, f"{code} is in {seen.get(code)} and {region}"
            seen[code] = region
    assert set(REGION_COUNTRIES) == set(Region.values)
    assert region_of("DE") == "eu" and region_of("MX") == "latin_america" and region_of("") == ""


weights = st.builds(Weights, *[st.integers(0, 100)] * 9)
words = st.text(min_size=0, max_size=30)
specs = st.builds(
    ProfileSpec,
    name=st.just("p"),
    countries=st.frozensets(st.sampled_from(["DE", "US", "CN", "BR"])),
    regions=st.lists(st.sampled_from(sorted(REGION_COUNTRIES.items())), max_size=3).map(tuple),
    customer_types=st.frozensets(st.sampled_from(["importer", "retailer"])),
    sizes=st.frozensets(st.sampled_from(["micro", "large"])),
    product_keywords=st.lists(words, max_size=4).map(tuple),
    keywords=st.lists(words, max_size=4).map(tuple),
    excluded_keywords=st.lists(words, max_size=4).map(tuple),
    check_website=st.booleans(),
    check_company_email=st.booleans(),
    check_decision_maker=st.booleans(),
    weights=weights,
)
company_facts = st.builds(
    fit.company_facts,
    name=st.text(max_size=60),
    country=st.sampled_from(["", "DE", "us", "ZZ", "BR"]),
    customer_type=st.sampled_from(["", "importer", "retailer", "bogus"]),
    size=st.sampled_from(["", "micro", "large"]),
    website_domain=st.text(max_size=20),
    products_of_interest=st.text(max_size=80),
    notes=st.text(max_size=200),
    tags=st.lists(st.text(max_size=10), max_size=3),
    emails=st.lists(st.emails() | st.text(max_size=20), max_size=3),
    has_decision_maker=st.booleans(),
    is_free_mail=st.just(FREE),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(specs, max_size=3), company_facts)
def test_the_score_is_between_0_and_100_whatever_the_input(profiles, company):
    result = fit.best_fit(profiles, company)
    if result is None:
        assert all(fit.score_profile(p, company) is None for p in profiles)
        return
    assert 0 <= result.score <= 100
    assert result.points <= result.possible
    assert all(isinstance(reason.points, int) for reason in result.reasons)
