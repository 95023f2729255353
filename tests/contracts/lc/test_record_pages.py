"""Recording a credit on the page: paste the MT700, read it into the form (nothing stored), save;
bad, oversized, duplicate and hostile input get a clear error and lose nothing."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.trade.lc_samples import mt700
from tradewind.contracts.lc.models import LetterOfCredit
from tradewind.trade.mt700 import MAX_TEXT_CHARS, read_mt700

CREATE = reverse("lcdesk:lc-create")


def form_data(contract, rep, text="", **values):
    data = {"contract": contract.pk, "handler": rep.pk, "received_on": timezone.localdate()}
    data["raw_mt700"] = text
    for name, value in values.items():
        data[name] = "" if value is None else value
    return data


def reading_data(contract, rep, text):
    values = read_mt700(text).values
    return form_data(contract, rep, text, **values)


def test_the_record_page_offers_only_contracts_i_can_see(client_of, rep, contract):
    response = client_of(rep).get(CREATE, {"contract": contract.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert contract.number in html
    assert response.context["form"].initial["contract"] == contract.pk


def test_reading_the_mt700_fills_the_form_and_stores_nothing(client_of, rep, contract):
    text = mt700(timezone.localdate())
    response = client_of(rep).post(
        CREATE, form_data(contract, rep, text, number="typed-before") | {"action": "read"}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert not form.is_bound
    assert form.initial["number"] == "HH26LC0417"  # the text wins over what was typed
    assert form.initial["amount"] == Decimal("48600.00")
    assert form.initial["contract"] == contract
    assert "goods_description" in form.read_values
    html = response.content.decode()
    assert "fields were filled from the text" in html
    assert "LED PANEL LIGHT 600X600MM" in html
    assert not LetterOfCredit.objects.exists()


def test_saving_the_read_form_records_the_credit(client_of, rep, contract):
    text = mt700(timezone.localdate())
    response = client_of(rep).post(CREATE, reading_data(contract, rep, text) | {"action": "save"})
    lc = LetterOfCredit.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("lcdesk:lc-detail", args=[lc.pk])
    assert (lc.number, lc.amount, lc.currency) == ("HH26LC0417", Decimal("48600.0000"), "USD")
    assert lc.raw_mt700.startswith("{1:F01")
    assert lc.handler == rep and lc.created_by == rep
    detail = client_of(rep).get(response["Location"])
    assert detail.status_code == 200
    assert "Not checked yet" in detail.content.decode()


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("Dear Sir, please find our L/C attached.", "no MT700 fields found"),
        ("x" * (MAX_TEXT_CHARS + 10), "characters long"),
        (":20:LC1\x00\x01", "control characters"),
    ],
)
def test_unreadable_text_is_explained_and_typed_fields_are_kept(
    client_of, rep, contract, text, fragment
):
    data = form_data(contract, rep, text, number="MY-TYPED-NO", port_of_loading="NINGBO")
    response = client_of(rep).post(CREATE, data | {"action": "read"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "The text could not be read." in html and fragment in html
    assert response.context["form"].initial["number"] == "MY-TYPED-NO"
    assert response.context["form"].initial["port_of_loading"] == "NINGBO"
    assert not LetterOfCredit.objects.exists()


def test_fields_the_text_gets_wrong_are_listed_by_tag(client_of, rep, contract):
    text = ":20:LC1\n:31D:261340CHINA\n:32B:USD12,3456\n:39A:FIVE\n"
    response = client_of(rep).post(CREATE, form_data(contract, rep, text) | {"action": "read"})
    html = response.content.decode()
    assert "31D: &#x27;261340&#x27; is not a real date" in html
    assert "32B:" in html and "39A:" in html
    assert response.context["form"].initial["number"] == "LC1"


def test_hostile_text_is_shown_escaped_and_stored_as_plain_text(client_of, rep, contract):
    text = mt700(timezone.localdate()).replace(
        ":47A:+ALL DOCUMENTS", ':47A:+<script>alert("pwned")</script> ALL DOCUMENTS'
    )
    client = client_of(rep)
    response = client.post(CREATE, form_data(contract, rep, text) | {"action": "read"})
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html
    assert "SWIFT does not carry" in html
    client.post(CREATE, reading_data(contract, rep, text) | {"action": "save"})
    lc = LetterOfCredit.objects.get()
    assert '<script>alert("pwned")</script>' in lc.additional_conditions
    detail = client.get(reverse("lcdesk:lc-detail", args=[lc.pk])).content.decode()
    assert "<script>alert" not in detail


def test_missing_required_terms_are_errors_on_their_fields(client_of, rep, contract):
    response = client_of(rep).post(
        CREATE, form_data(contract, rep, number="", currency="USD") | {"action": "save"}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"number", "expiry_date", "amount"} <= set(errors)
    assert "Nothing you typed has been lost" in response.content.decode()
    assert not LetterOfCredit.objects.exists()


@pytest.mark.parametrize(
    ("values", "field", "fragment"),
    [
        ({"currency": "XYZ"}, "currency", "not a currency code"),
        ({"expiry_country": "ZZ"}, "expiry_country", "not a two-letter country code"),
        ({"amount": "-5"}, "amount", ""),
        ({"tolerance_plus_percent": "80"}, "tolerance_plus_percent", ""),
        ({"issue_date": "2099-01-01"}, "expiry_date", "before the date of issue"),
        ({"goods_description": "X" * 10_001}, "goods_description", "10000"),
        ({"presentation_period_days": "0"}, "presentation_period_days", ""),
    ],
)
def test_wrong_values_are_refused_on_their_field(client_of, rep, contract, values, field, fragment):
    data = reading_data(contract, rep, mt700(timezone.localdate())) | values
    response = client_of(rep).post(CREATE, data | {"action": "save"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert fragment in " ".join(errors[field])
    assert not LetterOfCredit.objects.exists()


def test_the_same_number_twice_on_a_contract_is_refused(client_of, rep, contract):
    client = client_of(rep)
    data = reading_data(contract, rep, mt700(timezone.localdate())) | {"action": "save"}
    client.post(CREATE, data)
    response = client.post(CREATE, data | {"number": "hh26lc0417"})
    assert "already recorded on this contract" in " ".join(
        response.context["form"].errors["number"]
    )
    assert LetterOfCredit.objects.count() == 1


def test_enter_in_a_field_saves_rather_than_rereading(client_of, rep, contract):
    html = client_of(rep).get(CREATE).content.decode()
    form = html.index('<form method="post" action="" novalidate')
    first_submit = html.index('type="submit"', form)
    assert 'value="save"' in html[first_submit : first_submit + 80]


def test_edit_corrects_the_terms_and_records_the_on_board_date(client_of, rep, clean_lc):
    url = reverse("lcdesk:lc-edit", args=[clean_lc.pk])
    client = client_of(rep)
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data |= {"port_of_discharge": "HAMBURG PORT", "on_board_date": timezone.localdate()}
    response = client.post(url, data | {"action": "save"})
    assert response.status_code == 302, response.context["form"].errors
    clean_lc.refresh_from_db()
    assert clean_lc.port_of_discharge == "HAMBURG PORT"
    assert clean_lc.on_board_date == timezone.localdate()
    assert clean_lc.terms_version == 2


def test_a_cancelled_contract_takes_no_credit(client_of, rep, contract):
    from tradewind.contracts.models import Contract

    data = reading_data(contract, rep, mt700(timezone.localdate())) | {"action": "save"}
    Contract.objects.filter(pk=contract.pk).update(status="cancelled")
    response = client_of(rep).post(CREATE, data)
    assert "contract" in response.context["form"].errors
    assert not LetterOfCredit.objects.exists()
