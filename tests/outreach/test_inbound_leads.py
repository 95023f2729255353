"""The new-inquiries inbox's services: suggest, convert with the duplicate check, file on a
customer, dismiss and undo — audited, exactly in the allowed states, for whoever may see it."""

import datetime as dt

import pytest

from tests.factories import CompanyFactory, ContactFactory
from tradewind.core.errors import DomainError, NotFound
from tradewind.core.models import AuditEvent
from tradewind.customers.dedup.policy import DuplicateCompany
from tradewind.customers.models import Activity, Company, Contact, WorkspacePolicy
from tradewind.outreach.choices import InboundStatus
from tradewind.outreach.inbound import leads
from tradewind.outreach.models import InboundMessage, Mailbox

NOW = dt.datetime(2026, 3, 3, 9, 0, tzinfo=dt.UTC)
SIGNED = (
    "Dear Sirs,\n\nwe import LED lighting and need 2,000 panels.\n\nBest regards\n"
    "Ravi Kumar\nPurchasing, Lumina Imports\nTel: +91 22 2345 6789\n"
)


@pytest.fixture
def mailbox(rep):
    return Mailbox.objects.create(
        owner=rep, from_name="Lily", from_email="lily@exporter.example", smtp_host="x"
    )


def inquiry(mailbox, *, sender="ravi@lumina-imports.in", name="Kumar, Ravi", body=SIGNED, uid=1):
    return InboundMessage.objects.create(
        mailbox=mailbox,
        imap_uidvalidity=1,
        imap_uid=uid,
        message_id=f"<{uid}@lumina>",
        from_email=sender,
        from_name=name,
        subject="Inquiry: LED panels",
        body_text=body,
        received_at=NOW - dt.timedelta(hours=2),
        status=InboundStatus.NEW_INQUIRY,
    )


def lead_fields(**changes):
    fields = {
        "name": "Lumina Imports",
        "country": "IN",
        "website": "lumina-imports.in",
        "source": "website",
        "contact_name": "Ravi Kumar",
        "contact_email": "ravi@lumina-imports.in",
        "contact_phone": "+91 22 2345 6789",
    }
    return fields | changes


def test_the_suggestion_reads_name_company_country_and_phone_from_the_message(mailbox):
    suggestion = leads.suggest_lead(inquiry(mailbox))
    assert suggestion.contact_name == "Ravi Kumar"
    assert (suggestion.name, suggestion.website) == ("Lumina Imports", "lumina-imports.in")
    assert suggestion.country == "IN"
    assert suggestion.contact_phone == "+912223456789"
    assert suggestion.contact_email == "ravi@lumina-imports.in"


@pytest.mark.parametrize(
    ("sender", "name", "body", "expected"),
    [
        ("anna.weber@gmail.com", "", "", ("Anna Weber", "", "", "")),
        ("buyer@shop.co.uk", "Tom", "", ("Tom", "Shop", "shop.co.uk", "GB")),
        ("x@mail.acme-gmbh.de", "", "", ("X", "Acme Gmbh", "acme-gmbh.de", "DE")),
        ("info@lumen.io", "", "Call +33 1 42 68 53 00", ("Info", "Lumen", "lumen.io", "FR")),
        ("12345678@qq.com", "", "", ("", "", "", "")),
        ("kim@abc.com", "Kim", "Tel +82 2 312 3456", ("Kim", "ABC", "abc.com", "KR")),
    ],
)
def test_the_suggestion_guesses_what_it_can_and_leaves_the_rest_empty(
    mailbox, sender, name, body, expected
):
    suggestion = leads.suggest_lead(inquiry(mailbox, sender=sender, name=name, body=body))
    got = (suggestion.contact_name, suggestion.name, suggestion.website, suggestion.country)
    assert got == expected


def test_converting_creates_the_lead_with_its_contact_and_files_the_message(mailbox, rep):
    message = inquiry(mailbox)
    company = leads.inquiry_convert(actor=rep, message_id=message.pk, now=NOW, **lead_fields())
    assert (company.owner, company.country, company.source) == (rep, "IN", "website")
    contact = Contact.objects.get(company=company)
    assert (contact.name, contact.email, contact.phone) == (
        "Ravi Kumar",
        "ravi@lumina-imports.in",
        "+912223456789",
    )
    message.refresh_from_db()
    assert (message.status, message.company, message.contact) == (
        InboundStatus.CONVERTED,
        company,
        contact,
    )
    activity = Activity.objects.get(company=company)
    assert (activity.direction, activity.contact, activity.user) == ("in", contact, rep)
    assert activity.summary.startswith("Inquiry: LED panels — Dear Sirs,")
    event = AuditEvent.objects.get(object_type="outreach.inboundmessage", action="convert")
    assert event.actor == rep and event.company_id == company.pk
    assert event.changes["status"] == ["new_inquiry", "converted"]


def test_a_likely_duplicate_is_shown_with_its_owner_and_needs_confirming(mailbox, rep, other_rep):
    CompanyFactory(owner=other_rep, name="Lumina Imports Pvt Ltd", country="IN", website="")
    message = inquiry(mailbox)
    with pytest.raises(DuplicateCompany) as caught:
        leads.inquiry_convert(actor=rep, message_id=message.pk, **lead_fields(website=""))
    assert caught.value.matches[0].owner_id == other_rep.pk
    assert "Lumina Imports Pvt Ltd" in caught.value.message
    assert Company.objects.filter(owner=rep).count() == 0
    message.refresh_from_db()
    assert message.status == InboundStatus.NEW_INQUIRY  # nothing lost: try again
    company = leads.inquiry_convert(
        actor=rep, message_id=message.pk, confirm_duplicate=True, **lead_fields(website="")
    )
    assert company.owner == rep


def test_the_block_policy_refuses_a_certain_duplicate_even_when_confirmed(mailbox, rep, other_rep):
    WorkspacePolicy.objects.update_or_create(pk=1, defaults={"duplicate_policy": "block"})
    taken = CompanyFactory(owner=other_rep, name="Somebody Else", website="lumina-imports.in")
    message = inquiry(mailbox)
    with pytest.raises(DuplicateCompany) as caught:
        leads.inquiry_convert(
            actor=rep, message_id=message.pk, confirm_duplicate=True, **lead_fields()
        )
    assert caught.value.blocked and caught.value.matches[0].company_id == taken.pk


def test_bad_input_names_the_field_and_loses_nothing(mailbox, rep):
    message = inquiry(mailbox)
    with pytest.raises(DomainError) as caught:
        leads.inquiry_convert(actor=rep, message_id=message.pk, **lead_fields(contact_phone="12"))
    assert caught.value.field == "contact_phone"
    with pytest.raises(DomainError) as caught:
        leads.inquiry_convert(actor=rep, message_id=message.pk, **lead_fields(country="ZZ"))
    assert caught.value.field == "country"
    with pytest.raises(DomainError):
        leads.inquiry_convert(actor=rep, message_id=message.pk, **lead_fields(name="x" * 500))
    assert not Company.objects.exists()
    message.refresh_from_db()
    assert message.status == InboundStatus.NEW_INQUIRY


def test_a_message_can_be_converted_only_once(mailbox, rep):
    message = inquiry(mailbox)
    leads.inquiry_convert(actor=rep, message_id=message.pk, **lead_fields())
    with pytest.raises(DomainError, match="no longer waiting"):
        leads.inquiry_convert(
            actor=rep, message_id=message.pk, confirm_duplicate=True, **lead_fields()
        )
    assert Company.objects.count() == 1


def test_filing_on_a_known_customer_adds_the_sender_as_a_contact(mailbox, rep, company):
    message = inquiry(mailbox, sender="anna.private@gmail.com", name="Anna Weber")
    leads.inquiry_file_on(actor=rep, message_id=message.pk, company_id=company.pk, now=NOW)
    message.refresh_from_db()
    assert (message.status, message.company) == (InboundStatus.MATCHED, company)
    assert message.contact.email == "anna.private@gmail.com"
    assert Activity.objects.filter(company=company, contact=message.contact).count() == 1
    existing = ContactFactory(company=company, name="Jonas", email="jonas@nordlicht.de")
    second = inquiry(mailbox, sender="jonas@nordlicht.de", uid=2)
    leads.inquiry_file_on(actor=rep, message_id=second.pk, company_id=company.pk)
    second.refresh_from_db()
    assert second.contact == existing
    assert Contact.objects.filter(company=company).count() == 2


def test_a_message_cannot_be_filed_on_a_customer_the_user_cannot_see(mailbox, rep, other_rep):
    theirs = CompanyFactory(owner=other_rep, name="Their Buyer")
    message = inquiry(mailbox)
    with pytest.raises(NotFound):
        leads.inquiry_file_on(actor=rep, message_id=message.pk, company_id=theirs.pk)
    assert not Activity.objects.filter(company=theirs).exists()


def test_dismiss_and_undo_are_audited_and_follow_the_transitions(mailbox, rep):
    message = inquiry(mailbox)
    leads.inquiry_dismiss(actor=rep, message_id=message.pk)
    message.refresh_from_db()
    assert message.status == InboundStatus.DISMISSED
    with pytest.raises(DomainError):
        leads.inquiry_dismiss(actor=rep, message_id=message.pk)
    with pytest.raises(DomainError):
        leads.inquiry_convert(actor=rep, message_id=message.pk, **lead_fields())
    leads.inquiry_restore(actor=rep, message_id=message.pk)
    message.refresh_from_db()
    assert message.status == InboundStatus.NEW_INQUIRY
    with pytest.raises(DomainError):
        leads.inquiry_restore(actor=rep, message_id=message.pk)
    actions = list(
        AuditEvent.objects.filter(object_type="outreach.inboundmessage")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["dismiss", "restore"]


def test_another_reps_inquiry_does_not_exist_for_them(mailbox, rep, other_rep, teammate, manager):
    message = inquiry(mailbox)
    for outsider in (other_rep, teammate, manager):
        with pytest.raises(NotFound):
            leads.inquiry_dismiss(actor=outsider, message_id=message.pk)
        with pytest.raises(NotFound):
            leads.inquiry_convert(actor=outsider, message_id=message.pk, **lead_fields())
    message.refresh_from_db()
    assert message.status == InboundStatus.NEW_INQUIRY


def test_managers_handle_the_workspace_mailboxs_inquiries(manager, rep):
    workspace = Mailbox.objects.create(
        is_workspace=True, from_name="Sales", from_email="sales@exporter.example", smtp_host="x"
    )
    message = inquiry(workspace)
    with pytest.raises(NotFound):
        leads.inquiry_dismiss(actor=rep, message_id=message.pk)
    company = leads.inquiry_convert(actor=manager, message_id=message.pk, **lead_fields())
    assert company.owner == manager
    assert Activity.objects.get(company=company).user == manager


def test_filing_a_sender_whose_address_django_refuses_files_it_without_a_contact(
    mailbox, rep, company
):
    message = inquiry(mailbox, sender="buyer@intranet", name="")
    leads.inquiry_file_on(actor=rep, message_id=message.pk, company_id=company.pk)
    message.refresh_from_db()
    assert (message.status, message.contact) == (InboundStatus.MATCHED, None)
    assert Activity.objects.filter(company=company, direction="in").count() == 1
