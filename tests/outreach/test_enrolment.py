"""Enrolling contacts in sequences: one by one from the company page, or every customer of the
customer-list filter (never another rep's), with each skip counted; and the sequence pages."""

import pytest
from django.urls import reverse

from tests.factories import CompanyFactory, ContactFactory
from tests.outreach.letter_data import MONDAY_EARLY, enrol, make_mailbox, make_template
from tradewind.core.errors import DomainError, NotFound
from tradewind.customers.selectors import CompanyFilters
from tradewind.customers.services import company_update
from tradewind.outreach import enrolment
from tradewind.outreach.models import Enrollment
from tradewind.outreach.sequences import StepSpec, sequence_save
from tradewind.outreach.suppression import suppression_add

# --- Enrolment -------------------------------------------------------------------------------


def test_a_contact_is_enrolled_once_and_not_in_two_sequences_at_once(rep, buyer, mailbox, cadence):
    enrol(rep, buyer, cadence)
    with pytest.raises(DomainError, match="already in this or another sequence"):
        enrol(rep, buyer, cadence)
    other = sequence_save(actor=rep, name="Other", steps=[StepSpec(kind="call", task_title="x")])
    with pytest.raises(DomainError, match="already in"):
        enrol(rep, buyer, other)


def test_enrolment_is_refused_with_a_reason_for_each_problem(rep, manager, mailbox, cadence):
    pool = CompanyFactory(owner=rep, name="Pool Buyer")
    company_update(actor=rep, company_id=pool.pk, owner=None)
    cases = {
        "public pool": ContactFactory(company=pool, email="p@pool.example"),
        "no email": ContactFactory(company=CompanyFactory(owner=rep), email=""),
        "do-not-mail": ContactFactory(company=CompanyFactory(owner=rep), email="gone@x.example"),
        "Inquiry stage": ContactFactory(
            company=CompanyFactory(owner=rep, stage="inquiry"), email="i@x.example"
        ),
    }
    suppression_add(actor=manager, email="gone@x.example", reason="bounced")
    for says, contact in cases.items():
        with pytest.raises(DomainError, match=says):
            enrol(rep, contact, cadence)
    assert not Enrollment.objects.exists()


def test_enrolment_needs_an_active_sequence_the_rep_may_use(
    rep, other_rep, buyer, mailbox, cadence
):
    private = sequence_save(
        actor=other_rep, name="Private", steps=[StepSpec(kind="call", task_title="x")]
    )
    with pytest.raises(NotFound):
        enrol(rep, buyer, private)
    sequence_save(
        actor=rep,
        sequence_id=cadence.pk,
        name=cadence.name,
        is_active=False,
        steps=[StepSpec(kind="call", task_title="x")],
    )
    with pytest.raises(DomainError, match="switched off"):
        enrol(rep, buyer, cadence)


def test_a_teammate_can_use_a_shared_sequence_for_their_own_customers(
    rep, teammate, mailbox, cadence
):
    make_mailbox(teammate)
    contact = ContactFactory(company=CompanyFactory(owner=teammate), email="x@team.example")
    enrollment = enrol(teammate, contact, cadence)
    assert enrollment.mailbox.owner == teammate and enrollment.enrolled_by == teammate


def test_enrolling_a_filter_takes_the_decision_makers_and_counts_every_skip(
    rep, other_rep, manager, mailbox, cadence
):
    def company(name, **extra):
        return CompanyFactory(owner=extra.pop("owner", rep), name=name, country="DE", **extra)

    good = company("Good GmbH")
    ContactFactory(company=good, name="Zed Assistant", email="zed@good.de")
    boss = ContactFactory(
        company=good, name="Uwe Boss", email="uwe@good.de", is_decision_maker=True
    )
    fallback = ContactFactory(company=company("Fallback AG"), name="Ali", email="ali@fallback.de")
    ContactFactory(company=company("Silent KG"), name="No Mail", email="")
    ContactFactory(company=company("Gone GmbH"), email="gone@gone.de")
    suppression_add(actor=manager, email="gone@gone.de", reason="unsubscribed")
    busy = ContactFactory(company=company("Busy GmbH"), email="busy@busy.de")
    enrol(rep, busy, cadence)
    ContactFactory(company=company("Hot GmbH", stage="inquiry"), email="hot@hot.de")
    theirs = ContactFactory(
        company=company("Geheim GmbH", owner=other_rep), email="greta@geheim.de"
    )
    ContactFactory(company=CompanyFactory(owner=rep, country="FR"), email="fr@fr.fr")
    for owner in ("", "me", str(other_rep.pk)):
        filters = CompanyFilters(country="DE", owner=owner)
        report = enrolment.enroll_filtered(
            actor=rep, sequence_id=cadence.pk, filters=filters, now=MONDAY_EARLY
        )
        if owner != "":
            continue
        assert (report.enrolled, report.no_email, report.suppressed) == (2, 1, 1)
        assert (report.already, report.past_first_contact) == (1, 1)
    enrolled = set(Enrollment.objects.values_list("contact_id", flat=True))
    assert enrolled == {boss.pk, fallback.pk, busy.pk}
    assert theirs.pk not in enrolled


def test_enrolling_everyone_with_an_email_and_the_missing_merge_count(rep, mailbox):
    template = make_template(rep, body="As {{ contact.title }}…")
    sequence = sequence_save(
        actor=rep, name="T", steps=[StepSpec(kind="email", template_id=template.pk)]
    )
    company = CompanyFactory(owner=rep, country="DE", name="Many GmbH")
    ContactFactory(company=company, name="A", email="a@many.de", title="CEO")
    ContactFactory(company=company, name="B", email="b@many.de", title="Buyer")
    ContactFactory(company=company, name="C", email="c@many.de", title="")
    report = enrolment.enroll_filtered(
        actor=rep, sequence_id=sequence.pk, filters=CompanyFilters(q="Many"), who="all"
    )
    assert (report.enrolled, report.missing) == (2, 1)
    assert "contact.title is empty for C" in report.problems[0]


def test_too_big_a_filter_is_refused(rep, mailbox, cadence, monkeypatch):
    monkeypatch.setattr(enrolment, "MAX_BULK_COMPANIES", 2)
    for n in range(3):
        ContactFactory(company=CompanyFactory(owner=rep), email=f"x{n}@x.example")
    with pytest.raises(DomainError, match="narrow the filter"):
        enrolment.enroll_filtered(actor=rep, sequence_id=cadence.pk, filters=CompanyFilters())
    assert not Enrollment.objects.exists()


# --- Pages -----------------------------------------------------------------------------------


def test_sequence_and_enrollment_lists_count_only_visible_customers_in_few_queries(
    client_of, rep, teammate, mailbox, cadence, django_assert_max_num_queries
):
    for n in range(15):
        enrol(
            rep, ContactFactory(company=CompanyFactory(owner=rep), email=f"m{n}@x.example"), cadence
        )
    make_mailbox(teammate)
    jacks = ContactFactory(
        company=CompanyFactory(owner=teammate, name="Jacks Buyer"), email="j@j.example"
    )
    enrol(teammate, jacks, cadence)
    client = client_of(rep)
    client.get(reverse("outreach:sequence-list"))
    with django_assert_max_num_queries(8):
        listing = client.get(reverse("outreach:sequence-list"))
    assert listing.context["sequences"][0].counts == {"active": 15}
    with django_assert_max_num_queries(8):
        enrolled = client.get(reverse("outreach:enrollment-list"), {"sequence": cadence.pk})
    assert len(enrolled.context["page"].items) == 15
    assert "Jacks Buyer" not in enrolled.content.decode()


def test_the_list_button_carries_the_filter_as_it_is_now(client_of, rep, mailbox, cadence):
    client = client_of(rep)
    response = client.get(
        reverse("outreach:enrol-filter"),
        {"country": "DE", "stage": "lead", "q": ""},
        headers={"HX-Request": "true"},
    )
    assert response["HX-Redirect"] == "/outreach/sequences/enrol/?country=DE&stage=lead"


def test_enrolling_from_the_filter_page_reports_the_counts(client_of, rep, mailbox, cadence):
    ContactFactory(company=CompanyFactory(owner=rep, country="DE"), email="a@de.example")
    ContactFactory(company=CompanyFactory(owner=rep, country="FR"), email="b@fr.example")
    client = client_of(rep)
    page = client.get(reverse("outreach:enrol-filter"), {"country": "DE"})
    assert page.context["count"] == 1
    response = client.post(
        reverse("outreach:enrol-filter"),
        {"filters": "country=DE", "sequence": cadence.pk, "who": "decision_maker"},
        follow=True,
    )
    assert "1 enrolled" in response.content.decode()
    assert Enrollment.objects.get().contact.email == "a@de.example"


def test_the_panel_pauses_resumes_and_stops_and_another_rep_gets_a_404(
    client_of, rep, other_rep, buyer, mailbox, cadence
):
    enrollment = enrol(rep, buyer, cadence)
    url = reverse("outreach:enrollment-action", args=[buyer.company_id])
    stranger = client_of(other_rep)
    assert stranger.post(url, {"enrollment": enrollment.pk, "action": "stop"}).status_code == 404
    client = client_of(rep)
    for action, status in (("pause", "paused"), ("resume", "active"), ("stop", "stopped")):
        client.post(url, {"enrollment": enrollment.pk, "action": action})
        enrollment.refresh_from_db()
        assert enrollment.status == status


def test_the_panel_enrols_a_contact(client_of, rep, buyer, mailbox, cadence):
    client = client_of(rep)
    url = reverse("outreach:enrol-contact", args=[buyer.company_id])
    response = client.post(url, {"contact": buyer.pk, "sequence": cadence.pk}, follow=True)
    assert "Anna Weber enrolled in “Cold outreach DE”" in response.content.decode()
    assert Enrollment.objects.get().contact == buyer


def test_another_reps_sequence_is_a_404_in_the_editor(client_of, rep, other_rep):
    theirs = sequence_save(
        actor=other_rep, name="Theirs", steps=[StepSpec(kind="call", task_title="x")]
    )
    client = client_of(rep)
    assert client.get(reverse("outreach:sequence-edit", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("outreach:sequence-delete", args=[theirs.pk])).status_code == 404


def test_the_editor_saves_steps_and_ignores_empty_rows(client_of, rep, letter_template):
    client = client_of(rep)
    data = {
        "name": "From the page",
        "is_active": "on",
        "steps-TOTAL_FORMS": "3",
        "steps-INITIAL_FORMS": "0",
        "steps-0-kind": "email",
        "steps-0-delay_working_days": "0",
        "steps-0-template": str(letter_template.pk),
        "steps-1-kind": "whatsapp",
        "steps-1-delay_working_days": "2",
        "steps-1-task_title": "Send the price list on WhatsApp",
        "steps-2-kind": "",
        "steps-2-delay_working_days": "3",
    }
    response = client.post(reverse("outreach:sequence-create"), data)
    assert response.status_code == 302
    sequence = rep.sequences.get()
    assert list(sequence.steps.values_list("kind", "delay_working_days")) == [
        ("email", 0),
        ("whatsapp", 2),
    ]
