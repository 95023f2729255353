"""The SOP checklist before quoting: each of the nine details is filled, waived or missing,
and a quotation waits until none is missing."""

import pytest

from tests.quotes.inquiry_data import FULL_DETAILS, FULL_LINE, make_inquiry, ready_inquiry
from tradewind.core.errors import DomainError
from tradewind.quotes import inquiries
from tradewind.quotes.checklist import FILLED, MISSING, WAIVED, checklist, ensure_ready_to_quote
from tradewind.quotes.choices import ChecklistItem


def states(inquiry) -> dict[str, str]:
    inquiry.refresh_from_db()
    return {row.item: row.state for row in checklist(inquiry)}


def test_the_rows_follow_the_sop_order_with_their_labels(rep, company):
    rows = checklist(make_inquiry(rep, company))
    assert [row.item for row in rows] == list(ChecklistItem.values)
    assert rows[6].label == "Incoterm and named place"


def test_a_new_inquiry_without_details_misses_everything(rep, company):
    inquiry = make_inquiry(rep, company)
    assert set(states(inquiry).values()) == {MISSING}
    with pytest.raises(DomainError) as caught:
        ensure_ready_to_quote(inquiry)
    for item in ChecklistItem:
        assert str(item.label) in caught.value.message
    assert caught.value.code == "checklist_incomplete"


def test_a_complete_inquiry_is_ready_and_shows_the_values(rep, company):
    inquiry = ready_inquiry(rep, company)
    ensure_ready_to_quote(inquiry)
    rows = {row.item: row for row in checklist(inquiry)}
    assert all(row.state == FILLED for row in rows.values())
    assert rows["incoterm"].value == "FOB Ningbo"
    assert rows["quantity"].value == "2,000 pc"
    assert rows["destination_port"].value == "Hamburg"


def test_line_details_need_at_least_one_line(rep, company):
    inquiry = make_inquiry(rep, company, **FULL_DETAILS)
    got = states(inquiry)
    assert [got[i] for i in ("specification", "material", "quantity")] == [MISSING] * 3
    assert all(got[i] == FILLED for i in FULL_DETAILS if i != "named_place" and i in got)


@pytest.mark.parametrize("item", ["specification", "material", "quantity"])
def test_a_line_detail_is_filled_only_when_every_line_has_it(rep, company, item):
    blank = {"specification": "", "material": "", "quantity": None}[item]
    second = FULL_LINE | {"description": "LED panel 300x1200", item: blank}
    inquiry = make_inquiry(rep, company, lines=[dict(FULL_LINE), second])
    assert states(inquiry)[item] == MISSING
    line = inquiry.lines.get(position=2)
    inquiries.inquiry_line_update(actor=rep, line_id=line.pk, **{item: FULL_LINE[item]})
    assert states(inquiry)[item] == FILLED


def test_several_lines_are_numbered_in_the_value(rep, company):
    inquiry = make_inquiry(
        rep, company, lines=[dict(FULL_LINE), FULL_LINE | {"quantity": 500, "unit": "set"}]
    )
    row = next(r for r in checklist(inquiry) if r.item == "quantity")
    assert row.value == "1. 2,000 pc; 2. 500 set"


@pytest.mark.parametrize(
    ("incoterm", "place", "state"),
    [("FOB", "Ningbo", FILLED), ("FOB", "", MISSING), ("", "Ningbo", MISSING), ("", "", MISSING)],
)
def test_the_incoterm_needs_the_term_and_the_named_place(rep, company, incoterm, place, state):
    inquiry = make_inquiry(rep, company, incoterm=incoterm, named_place=place)
    assert states(inquiry)["incoterm"] == state


def test_whitespace_does_not_fill_a_detail(rep, company):
    inquiry = make_inquiry(rep, company, packing="   ", lines=[FULL_LINE | {"material": "  "}])
    got = states(inquiry)
    assert (got["packing"], got["material"]) == (MISSING, MISSING)


def test_a_waived_detail_no_longer_blocks_the_quotation(rep, company):
    inquiry = ready_inquiry(rep, company, certificates="")
    with pytest.raises(DomainError, match="Certificates"):
        ensure_ready_to_quote(inquiry)
    inquiries.inquiry_waive(
        actor=rep, inquiry_id=inquiry.pk, item="certificates", reason="Buyer needs none"
    )
    inquiry.refresh_from_db()
    ensure_ready_to_quote(inquiry)
    row = next(r for r in checklist(inquiry) if r.item == "certificates")
    assert (row.state, row.waiver_reason, row.value) == (WAIVED, "Buyer needs none", "")


def test_the_error_names_only_what_is_missing(rep, company):
    inquiry = ready_inquiry(rep, company, lead_time="", destination_port="")
    with pytest.raises(DomainError) as caught:
        ensure_ready_to_quote(inquiry)
    assert "Lead time" in caught.value.message
    assert "Destination port" in caught.value.message
    assert "Packing" not in caught.value.message


def test_a_filled_detail_stays_filled_even_with_an_old_waiver(rep, company):
    inquiry = make_inquiry(rep, company)
    inquiries.inquiry_waive(actor=rep, inquiry_id=inquiry.pk, item="packing", reason="Bulk")
    inquiries.inquiry_update(actor=rep, inquiry_id=inquiry.pk, packing="Cartons")
    inquiry.refresh_from_db()
    row = next(r for r in checklist(inquiry) if r.item == "packing")
    assert (row.state, row.waiver_reason) == (FILLED, "")


def test_unknown_or_broken_waivers_are_ignored(rep, company):
    inquiry = make_inquiry(rep, company)
    inquiry.waivers = {"colour": "whatever", "packing": ""}
    assert states_of(inquiry)["packing"] == MISSING
    inquiry.waivers = ["not", "a", "dict"]
    assert states_of(inquiry)["packing"] == MISSING


def states_of(inquiry) -> dict[str, str]:
    return {row.item: row.state for row in checklist(inquiry)}


def test_the_error_is_in_the_users_language(rep, company):
    from django.utils import translation

    inquiry = make_inquiry(rep, company)
    with translation.override("zh-hans"), pytest.raises(DomainError) as caught:
        ensure_ready_to_quote(inquiry)
    assert caught.value.message
