"""The mail pages: my mailbox, the workspace mailbox, the htmx connection test and the
suppression list."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import CompanyFactory
from tests.outreach.smtp_servers import free_port
from tradewind.core.models import AuditEvent
from tradewind.outreach.mailboxes import mailbox_save
from tradewind.outreach.models import Mailbox, OutboundMessage, Suppression
from tradewind.outreach.outbox import enqueue_message
from tradewind.outreach.secrets import decrypt_password

FORM = {
    "from_name": "Lily Zhang",
    "from_email": "lily@exporter.example",
    "smtp_host": "smtp.exmail.qq.com",
    "smtp_port": "465",
    "smtp_security": "ssl",
    "smtp_username": "lily@exporter.example",
    "smtp_password": "App-Pa55-word",
    "imap_host": "imap.exmail.qq.com",
    "imap_port": "993",
    "imap_security": "ssl",
    "imap_username": "",
    "imap_password": "",
    "imap_folder": "INBOX",
    "daily_cap": "200",
    "min_interval_seconds": "20",
    "is_active": "on",
}


def test_a_rep_sets_up_their_mailbox_and_the_password_is_never_shown_again(client_of, rep):
    client = client_of(rep)
    page = client.get(reverse("outreach:mailbox"))
    assert page.status_code == 200
    assert b"Tencent Exmail" in page.content  # the provider picker
    response = client.post(reverse("outreach:mailbox"), FORM)
    assert response.status_code == 302
    mailbox = Mailbox.objects.get(owner=rep)
    assert decrypt_password(mailbox.smtp_password_encrypted) == "App-Pa55-word"
    page = client.get(reverse("outreach:mailbox"))
    assert b"App-Pa55-word" not in page.content
    assert mailbox.smtp_password_encrypted.encode() not in page.content
    assert b"A password is saved" in page.content
    # Saving again with the password left empty keeps it.
    client.post(reverse("outreach:mailbox"), FORM | {"smtp_password": "", "daily_cap": "150"})
    mailbox.refresh_from_db()
    assert mailbox.daily_cap == 150
    assert decrypt_password(mailbox.smtp_password_encrypted) == "App-Pa55-word"


def test_the_remove_box_clears_a_saved_password(client_of, rep):
    client = client_of(rep)
    client.post(reverse("outreach:mailbox"), FORM)
    client.post(
        reverse("outreach:mailbox"), FORM | {"smtp_password": "", "clear_smtp_password": "on"}
    )
    assert Mailbox.objects.get(owner=rep).smtp_password_encrypted == ""


def test_a_bad_form_comes_back_with_its_errors_and_keeps_what_was_typed(client_of, rep):
    response = client_of(rep).post(
        reverse("outreach:mailbox"), FORM | {"smtp_port": "99999", "from_email": "nope"}
    )
    assert response.status_code == 200
    assert b"Nothing you typed has been lost" in response.content
    assert b"smtp.exmail.qq.com" in response.content
    assert b"App-Pa55-word" not in response.content  # passwords are not echoed back
    assert not Mailbox.objects.exists()


def test_the_connection_test_answers_htmx_with_each_step(client_of, rep):
    mailbox = mailbox_save(
        actor=rep,
        from_name="Lily",
        from_email="lily@exporter.example",
        smtp_host="127.0.0.1",
        smtp_port=free_port(),
        smtp_security="none",
    )
    response = client_of(rep).post(
        reverse("outreach:mailbox-test", args=[mailbox.pk]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Something failed" in body and "refused the connection" in body
    assert 'data-stage="connect" data-ok="no"' in body
    assert "<html" not in body  # a fragment for htmx
    page = client_of(rep).get(reverse("outreach:mailbox"))
    assert b"refused the connection" in page.content  # kept for the next visit


def test_another_users_mailbox_cannot_be_tested(client_of, rep, other_rep):
    theirs = mailbox_save(
        actor=other_rep,
        from_name="Tom",
        from_email="tom@exporter.example",
        smtp_host="127.0.0.1",
        smtp_port=free_port(),
        smtp_security="none",
    )
    client = client_of(rep)
    assert client.post(reverse("outreach:mailbox-test", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("outreach:mailbox-test", args=[theirs.pk])).status_code == 405
    assert Mailbox.objects.get(pk=theirs.pk).last_test == {}


def test_the_mailbox_page_lists_problems_only_of_customers_the_rep_still_sees(
    client_of, rep, other_rep, django_assert_max_num_queries
):
    mailbox = mailbox_save(
        actor=rep,
        from_name="Lily",
        from_email="lily@exporter.example",
        smtp_host="127.0.0.1",
        smtp_port=25,
        smtp_security="none",
    )
    mine = CompanyFactory(owner=rep, name="Mine GmbH")
    gone = CompanyFactory(owner=other_rep, name="Geheim GmbH")
    for company, address in ((mine, "anna@mine.de"), (gone, "greta@geheim.de")):
        message = enqueue_message(
            idempotency_key=address,
            mailbox=mailbox,
            to_email=address,
            subject="Hello",
            body_text="Hello",
            scheduled_at=timezone.now(),
            company=company,
        )
        OutboundMessage.objects.filter(pk=message.pk).update(
            status="failed", last_error="550 User unknown"
        )
    client = client_of(rep)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("outreach:mailbox"))
    body = page.content.decode()
    assert "anna@mine.de" in body and "greta@geheim.de" not in body
    assert "Failed this week" in body


def test_only_admins_open_the_workspace_mailbox(client_of, rep, manager, admin_user):
    assert client_of(rep).get(reverse("outreach:workspace-mailbox")).status_code == 403
    assert client_of(manager).get(reverse("outreach:workspace-mailbox")).status_code == 403
    client = client_of(admin_user)
    assert client.get(reverse("outreach:workspace-mailbox")).status_code == 200
    response = client.post(
        reverse("outreach:workspace-mailbox"), FORM | {"from_email": "crm@exporter.example"}
    )
    assert response.status_code == 302
    assert Mailbox.objects.get(is_workspace=True).from_email == "crm@exporter.example"


# --- The suppression list --------------------------------------------------------------------


def test_reps_cannot_open_the_suppression_list(client_of, rep):
    assert client_of(rep).get(reverse("outreach:suppression-list")).status_code == 403
    entry = Suppression.objects.create(email="x@y.example", reason="manual")
    response = client_of(rep).post(reverse("outreach:suppression-remove", args=[entry.pk]))
    assert response.status_code == 403
    assert Suppression.objects.filter(pk=entry.pk).exists()


def test_a_manager_adds_and_removes_an_address_by_hand_and_both_are_audited(client_of, manager):
    client = client_of(manager)
    response = client.post(
        reverse("outreach:suppression-list"),
        {"email": " Buyer@Example.COM ", "reason": "manual", "detail": "asked by phone"},
    )
    assert response.status_code == 302
    entry = Suppression.objects.get()
    assert entry.email == "buyer@example.com" and entry.detail == "asked by phone"
    page = client.get(reverse("outreach:suppression-list"), {"q": "buyer@"})
    assert b"buyer@example.com" in page.content
    client.post(reverse("outreach:suppression-remove", args=[entry.pk]))
    assert not Suppression.objects.exists()
    actions = list(
        AuditEvent.objects.filter(object_type="outreach.suppression")
        .order_by("pk")
        .values_list("action", "actor")
    )
    assert actions == [("create", manager.pk), ("delete", manager.pk)]
    assert client.post(reverse("outreach:suppression-remove", args=[entry.pk])).status_code == 404


def test_a_bad_address_is_refused_with_the_form_kept(client_of, manager):
    response = client_of(manager).post(
        reverse("outreach:suppression-list"), {"email": "<script>@x", "reason": "manual"}
    )
    assert response.status_code == 422
    assert b"&lt;script&gt;@x" in response.content and b"<script>@x" not in response.content
    assert not Suppression.objects.exists()


def test_the_suppression_list_pages_with_a_fixed_number_of_queries(
    client_of, manager, django_assert_max_num_queries
):
    Suppression.objects.bulk_create(
        Suppression(email=f"gone{n}@example.com", reason="bounced") for n in range(120)
    )
    client = client_of(manager)
    with django_assert_max_num_queries(8):
        first = client.get(reverse("outreach:suppression-list"))
    assert first.content.count(b"gone") >= 50 and b'rel="next"' in first.content
    with django_assert_max_num_queries(8):
        last = client.get(reverse("outreach:suppression-list"), {"page": "3"})
    assert b'rel="next"' not in last.content


@pytest.mark.parametrize("page", ["0", "-3", "abc", "99999999999"])
def test_odd_page_numbers_do_not_break_the_list(client_of, manager, page):
    assert (
        client_of(manager).get(reverse("outreach:suppression-list"), {"page": page}).status_code
        == 200
    )
