"""AWB formats, check digits and tracking links (pure functions: no database)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tradewind.core.errors import DomainError
from tradewind.quotes import couriers
from tradewind.quotes.couriers import (
    AwbError,
    is_valid_awb,
    normalise,
    s10_check_digit,
    tracking_url,
    ups_check_digit,
    validate_awb,
)

DIGITS = "0123456789"
ALNUM = DIGITS + "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def ups_number(body: str) -> str:
    return f"1Z{body}{ups_check_digit(body)}"


def s10_number(service: str, serial: str, country: str) -> str:
    return f"{service}{serial}{s10_check_digit(serial)}{country}"


# --- Known numbers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("courier", "raw", "expected"),
    [
        ("dhl", "1234567890", "1234567890"),
        ("dhl", "12 3456 7890", "1234567890"),
        ("dhl", "１２３４５６７８９０", "1234567890"),  # full-width digits from a Chinese IME
        ("fedex", "7946-1234-5678", "794612345678"),
        ("fedex", "123456789012345", "123456789012345"),
        ("fedex", "12345678901234567890", "12345678901234567890"),
        ("ups", "1Z 220 348 034 249 5730", "1Z2203480342495730"),
        ("ups", "1z2203480342495730", "1Z2203480342495730"),
        ("tnt", "123 456 789", "123456789"),
        ("sf", "SF1234567890123", "SF1234567890123"),
        ("sf", "sf 1234 5678 90123", "SF1234567890123"),
        ("sf", "123456789012", "123456789012"),
        ("ems", "EA123456785CN", "EA123456785CN"),
        ("ems", "ea 123 456 785 cn", "EA123456785CN"),
        ("ems", "EE–123456785–CN", "EE123456785CN"),  # en dashes pasted from a document
        ("other", "abc-123", "ABC123"),
    ],
)
def test_valid_numbers_are_accepted_and_normalised(courier, raw, expected):
    assert validate_awb(courier, raw) == expected


def test_the_upu_example_has_check_digit_5():
    # Weights 8 6 4 2 3 5 9 7 on 12345678: 204; 204 mod 11 = 6; 11 − 6 = 5.
    assert s10_check_digit("12345678") == 5


@pytest.mark.parametrize(
    ("serial", "check"),
    [("00000000", 5), ("00000001", 4), ("00000008", 0)],
)
def test_s10_check_digit_special_cases(serial, check):
    # 0 → 11 − 0 = 11 → 5; a remainder of 1 → 10 → 0.
    assert s10_check_digit(serial) == check


def test_ups_check_digit_of_a_real_label():
    assert ups_check_digit("220348034249573") == 0


@pytest.mark.parametrize(
    ("courier", "raw", "words"),
    [
        ("dhl", "12345", ["DHL Express", "10 digits", "12345"]),
        ("dhl", "12345678901", ["DHL Express", "10 digits"]),
        ("fedex", "1234567890", ["FedEx", "12 digits"]),
        ("ups", "1Z22034803424957", ["UPS", "1Z followed by 16"]),
        ("ups", "2Z2203480342495730", ["UPS", "1Z"]),
        ("tnt", "12345678", ["TNT", "9-digit"]),
        ("sf", "SF123", ["SF Express", "SF followed by 13"]),
        ("ems", "123456785CN", ["EMS", "2 letters, 9 digits"]),
        ("ems", "EA12345678CN", ["EMS"]),
    ],
)
def test_a_wrong_format_names_the_carrier_and_the_expected_format(courier, raw, words):
    with pytest.raises(AwbError) as caught:
        validate_awb(courier, raw)
    assert caught.value.field == "awb_number"
    for word in words:
        assert word in caught.value.message


def test_a_wrong_ups_check_digit_is_refused_with_the_right_digit():
    with pytest.raises(AwbError) as caught:
        validate_awb("ups", "1Z2203480342495731")
    assert "check digit would be 0" in caught.value.message
    assert "UPS" in caught.value.message


def test_a_wrong_s10_check_digit_is_refused_with_the_right_digit():
    with pytest.raises(AwbError) as caught:
        validate_awb("ems", "EA123456784CN")
    assert "check digit would be 5" in caught.value.message


@pytest.mark.parametrize(
    "raw",
    ["", "   ", "--", "<script>alert(1)</script>", "12345'; DROP TABLE", "1234567890\x00"],
)
def test_empty_and_hostile_input_is_refused_with_a_message(raw):
    with pytest.raises(AwbError) as caught:
        validate_awb("dhl", raw)
    assert caught.value.message


def test_an_oversized_number_is_refused():
    with pytest.raises(AwbError) as caught:
        validate_awb("other", "9" * 41)
    assert "40" in caught.value.message


def test_an_unknown_courier_is_refused_on_the_courier_field():
    with pytest.raises(DomainError) as caught:
        validate_awb("pigeon", "1234567890")
    assert caught.value.field == "courier"


# --- Tracking links ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("courier", "number", "start"),
    [
        ("dhl", "1234567890", "https://www.dhl.com/"),
        ("fedex", "794612345678", "https://www.fedex.com/fedextrack/?trknbr=794612345678"),
        ("ups", "1Z2203480342495730", "https://www.ups.com/track?"),
        ("tnt", "123456789", "https://www.tnt.com/"),
        ("sf", "SF1234567890123", "https://www.sf-express.com/"),
        ("ems", "EA123456785CN", "https://www.ems.com.cn/"),
    ],
)
def test_each_known_carrier_has_an_official_tracking_link_with_the_number(courier, number, start):
    url = tracking_url(courier, number)
    assert url.startswith(start)
    assert number in url


def test_no_tracking_link_for_other_couriers_or_without_a_number():
    assert tracking_url("other", "ABC123") is None
    assert tracking_url("dhl", "") is None
    assert tracking_url("pigeon", "123") is None


def test_a_tracking_link_cannot_be_bent_by_the_number():
    url = tracking_url("dhl", "12&x=<y>")
    assert "&x=" not in url and "<" not in url


# --- Properties ----------------------------------------------------------------------------------


@given(st.text(alphabet=ALNUM, min_size=15, max_size=15))
def test_every_ups_number_with_its_check_digit_is_valid(body):
    assert validate_awb("ups", ups_number(body)) == ups_number(body)


@given(
    st.text(alphabet=ALNUM, min_size=15, max_size=15),
    st.integers(min_value=0, max_value=14),
    st.sampled_from(ALNUM),
)
def test_changing_one_ups_character_is_caught(body, index, char):
    typo = body[:index] + char + body[index + 1 :]
    if ups_check_digit(typo) == ups_check_digit(body):
        return  # letters that fold to the same value (A and K both count 2) are not caught
    assert not is_valid_awb("ups", f"1Z{typo}{ups_check_digit(body)}")


@given(
    st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=2),
    st.text(alphabet=DIGITS, min_size=8, max_size=8),
    st.sampled_from(["CN", "HK", "DE", "US"]),
)
def test_every_s10_number_with_its_check_digit_is_valid(service, serial, country):
    number = s10_number(service, serial, country)
    assert validate_awb("ems", number.lower()) == number


@given(
    st.text(alphabet=DIGITS, min_size=8, max_size=8),
    st.integers(min_value=0, max_value=7),
    st.sampled_from(DIGITS),
)
def test_changing_one_s10_digit_is_caught(serial, index, digit):
    typo = serial[:index] + digit + serial[index + 1 :]
    if typo == serial:
        return
    number = f"EA{typo}{s10_check_digit(serial)}CN"
    # Weights and 11 are coprime, so one wrong digit always changes the remainder — except when
    # two remainders fold to the same check digit (10 → 0 and 0 → 5 never collide with others).
    assert is_valid_awb("ems", number) == (s10_check_digit(typo) == s10_check_digit(serial))


@given(st.text(max_size=80))
def test_any_text_is_either_a_number_or_an_awb_error(raw):
    for courier in couriers.FORMATS:
        try:
            number = validate_awb(courier, raw)
        except AwbError:
            continue
        assert number == normalise(number)
        assert number.isascii() and number.isalnum() and len(number) <= couriers.MAX_LENGTH


@given(st.text(max_size=60))
def test_normalising_twice_changes_nothing(raw):
    assert normalise(normalise(raw)) == normalise(raw)
