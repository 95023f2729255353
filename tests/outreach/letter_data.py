"""Fixtures and builders shared by the letters, templates and sequences tests (engineer O2).

Import the fixtures you use into the test module (``from tests.outreach.letter_data import …``).
"""

import datetime as dt

import pytest

from tests.factories import CompanyFactory, ContactFactory
from tradewind.outreach import enrolment, templates
from tradewind.outreach.mailboxes import mailbox_save
from tradewind.outreach.sequences import StepSpec, sequence_save

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
MONDAY_EARLY = dt.datetime(2025, 1, 13, 6, 0, tzinfo=dt.UTC)  # 07:00 in Berlin


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def make_mailbox(user, **extra):
    """A mailbox for ``user`` (and a signature); nothing connects to it in these tests."""
    if not user.signature:
        user.signature = f"{user}\nExport sales"
        user.save(update_fields=["signature"])
    return mailbox_save(
        actor=user,
        from_name=str(user),
        from_email=f"{user.username}@exporter.example",
        smtp_host="smtp.exporter.example",
        smtp_port=587,
        smtp_security="starttls",
        daily_cap=extra.pop("daily_cap", 200),
        min_interval_seconds=extra.pop("min_interval_seconds", 20),
        **extra,
    )


def make_template(user, *, name="Development letter", subject=None, body=None, **extra):
    return templates.template_save(
        actor=user,
        name=name,
        language=extra.pop("language", "en"),
        subject=subject or "LED panels for {{ company.name }}",
        body=body
        or "Dear {{ contact.first_name }},\n\nWe make LED panel lights for buyers in "
        "{{ company.country_name }}.\n\n{{ me.signature }}",
        **extra,
    )


@pytest.fixture
def mailbox(rep):
    rep.first_name, rep.last_name = "Lily", "Zhang"
    rep.signature = "Lily Zhang\nSales Manager, Ningbo Bright Lighting"
    rep.save()
    return make_mailbox(rep)


@pytest.fixture
def buyer(rep):
    """A German buyer of Lily's with one decision maker."""
    company = CompanyFactory(
        owner=rep, name="Nordlicht Leuchten GmbH", country="DE", website="nordlicht.de"
    )
    contact = ContactFactory(
        company=company,
        name="Anna Weber",
        email="anna.weber@nordlicht.de",
        title="Head of Purchasing",
        is_decision_maker=True,
    )
    return contact


@pytest.fixture
def letter_template(rep):
    return make_template(rep)


@pytest.fixture
def cadence(rep, letter_template):
    """Letter now, a call 3 working days later, a follow-up letter 2 working days after that."""
    follow_up = make_template(
        rep, name="Follow-up", subject="Re: {{ company.name }}", body="Hi {{ contact.first_name }}"
    )
    return sequence_save(
        actor=rep,
        name="Cold outreach DE",
        is_shared=True,
        steps=[
            StepSpec(kind="email", template_id=letter_template.pk),
            StepSpec(kind="call", delay_working_days=3, task_title="Call about the catalogue"),
            StepSpec(kind="email", delay_working_days=2, template_id=follow_up.pk),
        ],
    )


def enrol(rep, contact, sequence, now=MONDAY_EARLY):
    return enrolment.enroll_contact(
        actor=rep, sequence_id=sequence.pk, contact_id=contact.pk, now=now
    )
