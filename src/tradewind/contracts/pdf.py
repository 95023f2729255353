"""The contract / PI document: one HTML template, shown as the web preview and printed to PDF by
WeasyPrint with the Noto CJK fonts (Debian ``fonts-noto-cjk``), which WeasyPrint embeds.

The document goes to the buyer, so it is in English whatever the reader's language, with the
Chinese wording beside it when the contract asks for a bilingual PDF.
"""

from __future__ import annotations

from pathlib import Path

from django.template.loader import render_to_string
from django.utils import translation

from tradewind.contracts.amount_words import amount_in_words
from tradewind.contracts.clauses import fill, money
from tradewind.contracts.models import Contract
from tradewind.core.models import CompanyProfile

TEMPLATE = "contracts/documents/contract.html"


def _logo(profile: CompanyProfile, *, for_pdf: bool) -> str:
    if not profile.logo:
        return ""
    try:
        return Path(profile.logo.path).as_uri() if for_pdf else profile.logo.url
    except (ValueError, NotImplementedError):
        return ""


def document_context(contract: Contract, *, version=None, for_pdf: bool = False) -> dict:
    profile = CompanyProfile.current()
    bilingual = contract.bilingual_pdf
    clauses = [
        {
            "number": number,
            "title": clause.title,
            "body": fill(clause.body, contract, language="en"),
            "body_zh": fill(clause.body_zh, contract, language="zh-hans") if bilingual else "",
        }
        for number, clause in enumerate(contract.clauses.all(), start=1)
    ]
    lines = list(contract.lines.all())
    return {
        "contract": contract,
        "profile": profile,
        "logo_src": _logo(profile, for_pdf=for_pdf),
        "bilingual": bilingual,
        "lines": lines,
        "total_quantity": sum(line.quantity for line in lines),
        "clauses": clauses,
        "total": money(contract.total_amount),
        "total_words": amount_in_words(contract.total_amount, contract.currency),
        "version": version,
        "is_pi": contract.kind == "PI",
    }


def render_html(contract: Contract, **kwargs) -> str:
    with translation.override("en"):
        return render_to_string(TEMPLATE, document_context(contract, **kwargs))


def render_pdf(contract: Contract, **kwargs) -> bytes:
    from weasyprint import HTML

    html = render_html(contract, for_pdf=True, **kwargs)
    return HTML(string=html).write_pdf()


def filename(contract: Contract) -> str:
    suffix = f"-v{contract.version}" if contract.version > 1 else ""
    return f"{contract.number}{suffix}.pdf"
