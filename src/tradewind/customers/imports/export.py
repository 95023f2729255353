"""Export of companies and their contacts, with the customer list's filters and the one visibility
rule (``customers.selectors.company_queryset``).

Shape: one line per contact, the company's columns repeated; a company without contacts gets one
line. The headers are in the user's language and are the names the importer recognises, so an
export can be imported again. Companies are read ``EXPORT_CHUNK`` at a time with their owners,
contacts and tags (three queries per chunk), so a list of 100k customers is never in memory at
once; CSV is streamed, XLSX is written row by row to a temporary file (sheets.py).
"""

from __future__ import annotations

from collections.abc import Iterator

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tradewind.customers import geo
from tradewind.customers.selectors import CompanyFilters, company_queryset

EXPORT_CHUNK = 1000


def export_header() -> list[str]:
    return [
        _("Company name"),
        _("Country"),
        _("Website"),
        _("Customer type"),
        _("Source"),
        _("Stage"),
        _("Grade"),
        _("Owner"),
        _("Tags"),
        _("Products of interest"),
        _("Address"),
        _("Notes"),
        _("Contact name"),
        _("Job title"),
        _("Email"),
        _("Phone"),
        _("WhatsApp"),
        _("LinkedIn"),
        _("Added"),
    ]


def export_queryset(user, filters: CompanyFilters):
    return (
        company_queryset(user, filters).select_related("owner").prefetch_related("contacts", "tags")
    )


def export_rows(user, filters: CompanyFilters, language: str) -> Iterator[list[str]]:
    """The lines of the export, chunk by chunk (contacts and tags fetched per chunk)."""
    with translation.override(language):
        pool = _("Public pool")
        for company in export_queryset(user, filters).iterator(chunk_size=EXPORT_CHUNK):
            base = [
                company.name,
                geo.country_name(company.country, language),
                company.website,
                company.get_customer_type_display(),
                company.get_source_display(),
                company.get_stage_display(),
                company.grade,
                str(company.owner) if company.owner else pool,
                ", ".join(tag.name for tag in company.tags.all()),
                company.products_of_interest,
                company.address,
                company.notes,
            ]
            added = timezone.localtime(company.created_at).date().isoformat()
            contacts = list(company.contacts.all()) or [None]
            for contact in contacts:
                yield [*base, *_contact_cells(contact), added]


def _contact_cells(contact) -> list[str]:
    if contact is None:
        return [""] * 6
    return [
        contact.name,
        contact.title,
        contact.email,
        contact.phone,
        contact.whatsapp,
        contact.linkedin,
    ]


def export_filename(extension: str) -> str:
    return f"customers-{timezone.localdate().isoformat()}.{extension}"
