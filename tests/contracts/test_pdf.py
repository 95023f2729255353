"""The contract PDF (WeasyPrint): every clause, totals in figures and words, and the fonts
embedded — Noto CJK for the Chinese of a bilingual contract."""

import subprocess

from tradewind.contracts import pdf
from tradewind.contracts.models import Contract


def _text(content: bytes, tmp_path) -> str:
    path = tmp_path / "contract.pdf"
    path.write_bytes(content)
    result = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True)
    return result.stdout


def _fonts(content: bytes, tmp_path) -> list[list[str]]:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(content)
    result = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    return [line.split() for line in result.stdout.splitlines()[2:]]


def test_the_pdf_has_every_clause_and_the_amount_in_words(contract, tmp_path):
    text = _text(pdf.render_pdf(contract), tmp_path)
    assert "PROFORMAINVOICE" in "".join(text.split()) and contract.number in text
    for clause in contract.clauses.all():
        assert clause.title in text
    assert "TWELVE THOUSAND THREE HUNDRED AND FIFTY" in " ".join(text.split())
    assert "BKCHCNBJ92A" in text


def test_fonts_are_embedded_and_a_bilingual_pdf_embeds_noto_cjk(contract, tmp_path):
    Contract.objects.filter(pk=contract.pk).update(bilingual_pdf=True)
    contract.refresh_from_db()
    content = pdf.render_pdf(contract)
    rows = _fonts(content, tmp_path)
    assert rows, "the PDF names no fonts"
    assert all(row[-5] == "yes" for row in rows), rows  # the "emb" column
    assert any("Noto-Sans-CJK" in row[0] for row in rows), rows
    assert "销售合同" in _text(content, tmp_path) or "形式发票" in _text(content, tmp_path)


def test_a_sales_contract_is_titled_as_such(contract, tmp_path):
    Contract.objects.filter(pk=contract.pk).update(kind="SC")
    contract.refresh_from_db()
    text = "".join(_text(pdf.render_pdf(contract), tmp_path).split())
    assert "SALESCONTRACT" in text and "PROFORMA" not in text


def test_hostile_text_is_escaped_in_the_document(contract):
    Contract.objects.filter(pk=contract.pk).update(buyer_name="<img src=x onerror=alert(1)>")
    contract.refresh_from_db()
    html = pdf.render_html(contract)
    assert "<img src=x" not in html and "&lt;img src=x" in html
