"""Builders shared by the inquiry tests (engineer: inquiries). Everything goes through the real
services, so each row has its audit trail and deadline."""

import datetime as dt

from django.utils import timezone

from tradewind.quotes import inquiries

FULL_DETAILS = {
    "packing": "20 pcs per export carton, 25 cartons per pallet",
    "lead_time": "30 days after deposit",
    "destination_port": "Hamburg",
    "incoterm": "FOB",
    "named_place": "Ningbo",
    "payment_terms": "30% T/T deposit, 70% against B/L copy",
    "certificates": "CE, RoHS",
}
FULL_LINE = {
    "description": "LED panel 600x600 40W",
    "specification": "4000K, CRI>80, 100 lm/W",
    "material": "aluminium frame, PS diffuser",
    "quantity": 2000,
    "target_price": "7.80",
}


def make_inquiry(actor, company, *, lines=(), **fields):
    fields.setdefault("subject", "LED panels for the Hamburg warehouse")
    fields.setdefault("received_at", timezone.now() - dt.timedelta(minutes=10))
    return inquiries.inquiry_create(actor=actor, company_id=company.pk, lines=list(lines), **fields)


def ready_inquiry(actor, company, **fields):
    """An inquiry with every checklist detail filled in."""
    return make_inquiry(actor, company, lines=[dict(FULL_LINE)], **(FULL_DETAILS | fields))
