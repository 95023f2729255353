"""The documents pages: preview, PDF and Excel downloads, the revision page's buttons, and
another rep's revision (404 whatever the method)."""

# ruff: noqa: F811 — the fixtures imported from documents_data are used as arguments.

import io

import openpyxl
import pytest
from django.urls import reverse

from tests.factories import CompanyFactory
from tests.quotes.documents_data import (  # noqa: F401
    PRODUCT_ZH,
    add_line,
    buyer,
    make_photo,
    make_quotation,
    make_revision,
    media,
    priced_revision,
    profile,
)

HOSTILE = '<script>alert("x")</script>'


@pytest.fixture
def revision(rep, buyer, media, profile):
    company, contact = buyer
    photo = make_photo(media, "catalog/photos/panel.jpg")
    revision = priced_revision(rep, company, contact, lines=2, photo=photo, remarks=HOSTILE)
    add_line(revision, 3, description=HOSTILE)
    return revision


def test_the_preview_shows_the_document_in_a_sandboxed_frame(client_of, rep, revision):
    response = client_of(rep).get(reverse("quotations:revision-preview", args=[revision.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'sandbox="allow-same-origin"' in html
    frame = response.context["document_html"]
    assert PRODUCT_ZH in frame and "data:image/jpeg;base64," in frame
    assert "<script>alert" not in frame and "&lt;script&gt;alert" in frame
    # In the page, the frame's whole HTML is escaped once more inside srcdoc="…", so the
    # buyer's text is escaped twice there and the frame's markup never leaks into the page.
    assert "<script>alert" not in html and "&lt;script&gt;alert" not in html
    assert "&amp;lt;script&amp;gt;alert" in html
    assert 'srcdoc="&lt;!doctype html&gt;' in html and 'data-reference="' not in html
    assert reverse("quotations:revision-pdf", args=[revision.pk]) in html
    assert reverse("quotations:revision-send", args=[revision.pk]) in html


def test_the_preview_is_in_the_users_language_around_an_english_document(client_of, rep,
                                                                         revision):  # fmt: skip
    rep.language = "zh-hans"
    rep.save()
    response = client_of(rep).get(reverse("quotations:revision-preview", args=[revision.pk]))
    assert response.status_code == 200
    assert "QUOTATION" in response.context["document_html"]
    assert "Payment terms" in response.context["document_html"]


def test_the_pdf_download(client_of, rep, revision):
    response = client_of(rep).get(reverse("quotations:revision-pdf", args=[revision.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    number = revision.quotation.number
    assert response["Content-Disposition"] == f'attachment; filename="{number}-A.pdf"'
    assert response.content.startswith(b"%PDF-")


def test_the_xlsx_download(client_of, rep, revision):
    response = client_of(rep).get(reverse("quotations:revision-xlsx", args=[revision.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-A.xlsx"')
    book = openpyxl.load_workbook(io.BytesIO(response.content), data_only=True)
    assert book.active.title == "Quotation"


def test_an_unpriced_revision_cannot_be_downloaded_and_says_why(client_of, rep, buyer, media):
    company, contact = buyer
    revision = make_revision(make_quotation(rep, company, contact))
    add_line(revision, 1, priced=False)
    client = client_of(rep)
    response = client.get(reverse("quotations:revision-pdf", args=[revision.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "quotations:revision-preview", args=[revision.pk]
    )
    assert "not priced yet" in response.content.decode()


@pytest.mark.parametrize("name", ["revision-preview", "revision-pdf", "revision-xlsx",
                                  "revision-send"])  # fmt: skip
def test_another_reps_revision_is_404_for_every_method(client_of, rep, other_rep, media, name):
    theirs = priced_revision(other_rep, CompanyFactory(owner=other_rep))
    client = client_of(rep)
    url = reverse(f"quotations:{name}", args=[theirs.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"subject": "x", "message": "x", "contact": "other"}).status_code == 404


def test_downloads_answer_only_get(client_of, rep, revision):
    client = client_of(rep)
    for name in ("revision-preview", "revision-pdf", "revision-xlsx"):
        assert client.post(reverse(f"quotations:{name}", args=[revision.pk])).status_code == 405


def test_a_teammates_manager_sees_the_document(client_of, manager, revision):
    response = client_of(manager).get(reverse("quotations:revision-pdf", args=[revision.pk]))
    assert response.status_code == 200
