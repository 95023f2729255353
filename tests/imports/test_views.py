"""The import pages: upload, the mapping preview, progress, the result and its report."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.imports.helpers import HEADER_ZH, csv_bytes, run_import, start, zip_bomb_xlsx
from tradewind.customers.imports import services
from tradewind.customers.imports.choices import JobStatus
from tradewind.customers.imports.models import ImportJob
from tradewind.customers.models import Company

pytestmark = pytest.mark.django_db

ROWS = [
    HEADER_ZH,
    ["诺德照明有限公司", "张伟", "zhang@nordlicht.de", "030 1234567", "德国", "nordlicht.de",
     "广交会", ""],
    ["Atlas Lighting LLC", "John", "john@atlas.com", "", "美国", "", "", ""],
    ["坏行", "", "not-an-email", "", "", "", "", ""],
]  # fmt: skip


def upload(client, content: bytes, name="leads.csv"):
    return client.post(reverse("imports:upload"), {"file": SimpleUploadedFile(name, content)})


def test_the_upload_page_lists_my_recent_imports_only(client_of, rep, other_rep):
    run_import(rep, csv_bytes(ROWS), file_name="mine.csv")
    run_import(other_rep, csv_bytes(ROWS), file_name="theirs.csv")
    page = client_of(rep).get(reverse("imports:upload"))
    assert page.status_code == 200
    assert "mine.csv" in page.content.decode()
    assert "theirs.csv" not in page.content.decode()


def test_uploading_a_gbk_file_leads_to_the_mapping_preview(client_of, rep):
    client = client_of(rep)
    response = upload(client, csv_bytes(ROWS, encoding="gbk"))
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:mapping", args=[job.pk])
    page = client.get(response["Location"])
    body = page.content.decode()
    assert "诺德照明有限公司" in body
    form = page.context["form"]
    assert form["column_0"].value() == "name"
    assert form["column_2"].value() == "email"


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"x" * 100, "leads.xlsx", "not a spreadsheet"),
        (zip_bomb_xlsx(20), "leads.xlsx", "zip bomb"),
        (csv_bytes([["Fax", "Memo"], ["1", "2"]]), "leads.csv", "No column of this file"),
    ],
    ids=["renamed-png", "zip-bomb", "no-columns"],
)
def test_a_hostile_or_useless_upload_is_refused_on_the_form(client_of, rep, content, name, message):
    response = upload(client_of(rep), content, name)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ImportJob.objects.exists()


def test_an_upload_over_the_limit_is_cut_off_and_refused(client_of, rep, settings):
    settings.IMPORT_MAX_MB = 1
    big = b"Company,Email\n" + b"Acme GmbH,info@acme.de\n" * 60_000
    response = upload(client_of(rep), big)
    assert response.status_code == 400
    assert "larger than 1 MB" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_correcting_a_column_on_the_preview_starts_the_import_with_it(
    client_of, rep, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    client = client_of(rep)
    content = csv_bytes([["Company", "Kontakt"], ["Acme GmbH", "info@acme.de"]])
    upload(client, content)
    job = ImportJob.objects.get()
    data = {"column_0": "name", "column_1": "email", "on_duplicate": "skip", "owner_choice": "me"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("imports:mapping", args=[job.pk]), data)
    assert response["Location"] == reverse("imports:job", args=[job.pk])
    job.refresh_from_db()
    assert (job.status, job.mapping) == (JobStatus.DONE, {"0": "name", "1": "email"})
    assert Company.objects.get().contacts.get().email == "info@acme.de"


def test_a_mapping_without_company_or_email_comes_back_with_the_error(client_of, rep):
    client = client_of(rep)
    upload(client, csv_bytes(ROWS))
    job = ImportJob.objects.get()
    data = {"column_0": "", "column_2": "", "on_duplicate": "skip", "owner_choice": "me"}
    response = client.post(reverse("imports:mapping", args=[job.pk]), data)
    assert response.status_code == 400
    assert "company name or the one with the email" in response.content.decode()
    job.refresh_from_db()
    assert job.status == JobStatus.MAPPING


def test_the_progress_card_polls_while_running_and_refreshes_the_page_when_done(client_of, rep):
    client = client_of(rep)
    job = start(rep, csv_bytes(ROWS))
    running = client.get(reverse("imports:progress", args=[job.pk]), {"was": "queued"})
    assert 'hx-trigger="every 1s"' in running.content.decode()
    assert "HX-Refresh" not in running
    services.import_job_run(job_id=job.pk)
    done = client.get(reverse("imports:progress", args=[job.pk]), {"was": "running"})
    assert done["HX-Refresh"] == "true"
    assert 'hx-trigger="every 1s"' not in done.content.decode()
    assert "3 of 3 rows" in done.content.decode()


def test_the_result_page_lists_rows_with_outcomes_and_filters_them(
    client_of, rep, django_assert_max_num_queries
):
    job = run_import(rep, csv_bytes(ROWS))
    client = client_of(rep)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("imports:job", args=[job.pk]))
    body = page.content.decode()
    assert "“not-an-email” is not a valid email address." in body
    assert "诺德照明有限公司" in body
    rejected = client.get(reverse("imports:job", args=[job.pk]), {"outcome": "rejected"})
    assert [row.row_number for row in rejected.context["page"].items] == [4]


def test_the_report_downloads_as_csv_and_xlsx(client_of, rep):
    from openpyxl import load_workbook

    job = run_import(rep, csv_bytes(ROWS))
    client = client_of(rep)
    response = client.get(reverse("imports:report", args=[job.pk]), {"format": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == "Row,Outcome,Customer,Company ID,Reason"
    assert lines[3].startswith("4,Rejected,坏行,,")
    response = client.get(reverse("imports:report", args=[job.pk]), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [cell.value for cell in sheet[4]][:3] == [4, "Rejected", "坏行"]


def test_another_reps_import_is_a_404_on_every_page(client_of, rep, other_rep):
    job = run_import(rep, csv_bytes(ROWS))
    client = client_of(other_rep)
    for name in ("job", "mapping", "progress", "report"):
        assert client.get(reverse(f"imports:{name}", args=[job.pk])).status_code == 404
    for name in ("resume", "run-for-real"):
        client.post(reverse(f"imports:{name}", args=[job.pk]))
    assert ImportJob.objects.count() == 1


def test_a_dry_run_page_offers_to_import_for_real(client_of, rep, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    job = run_import(rep, csv_bytes(ROWS), dry_run=True)
    client = client_of(rep)
    body = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert "Would be created" in body
    assert "Import for real" in body
    response = client.post(reverse("imports:run-for-real", args=[job.pk]))
    real = ImportJob.objects.exclude(pk=job.pk).get()
    assert response["Location"] == reverse("imports:job", args=[real.pk])


def test_the_company_panel_says_which_import_created_the_company(rep):
    from django.template.loader import render_to_string

    run_import(rep, csv_bytes(ROWS), file_name="canton-fair.csv")
    company = Company.objects.get(name="Atlas Lighting LLC")
    html = render_to_string("imports/_company_panel.html", {"company": company})
    assert "Imported from canton-fair.csv (row 3)" in html
    other = Company.objects.create(name="Typed By Hand", name_normalized="typed by hand")
    assert "Imported" not in render_to_string("imports/_company_panel.html", {"company": other})
