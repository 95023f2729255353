"""Quotation pages: list, create (blank and from an inquiry), the cost sheet with its working and
alternatives, terms and line forms, compare, approvals; bad input keeps what was typed."""

import pytest
from django.urls import reverse

from tests.quotes.quotation_helpers import current, make_quotation

pytestmark = pytest.mark.django_db


def test_the_cost_sheet_shows_prices_working_and_alternatives(client_of, rep, company):
    revision = current(make_quotation(rep, company))
    response = client_of(rep).get(reverse("quotations:revision-detail", args=[revision.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "16.72" in body and "167,200.00" in body
    assert "Swap cost" in body and "6.3897" in body
    assert "Export VAT rebate" in body
    for key in ("EXW", "FOB", "CFR", "CIF", "CIP"):
        assert f">{key}<" in body
    assert "10000" in body  # units per 40HQ
