import re

import pytest
from django.urls import reverse

from tradewind.accounts.models import LoginFailure

LOGIN = "/accounts/login/"


def attempt(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


def test_login_with_the_right_password_rotates_the_session(client, rep, password):
    client.get(LOGIN)
    client.session.save()
    before = client.session.session_key
    response = attempt(client, "lily", password)
    assert response.status_code == 302 and response["Location"] == reverse("web:my-day")
    assert client.session.session_key != before
    assert int(client.session["_auth_user_id"]) == rep.pk


def test_wrong_password_and_unknown_user_get_the_same_answer(client, rep):
    wrong = attempt(client, "lily", "nope").content.decode()
    unknown = attempt(client, "nobody-here", "nope").content.decode()
    message = "Wrong user name or password"
    assert message in wrong and message in unknown

    def strip(html: str, username: str) -> str:
        html = re.sub(r"[A-Za-z0-9]{64}", "TOKEN", html)  # CSRF tokens differ per response
        return html.replace(f'value="{username}"', "")

    assert strip(wrong, "lily") == strip(unknown, "nobody-here")


def test_lock_out_after_repeated_failures_even_with_the_right_password(
    client, rep, password, settings
):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        attempt(client, "lily", "guess")
    response = attempt(client, "lily", password)
    assert response.status_code == 200
    assert "Too many failed log-ins" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_unknown_user_names_are_locked_out_the_same_way(client, db, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        attempt(client, "ghost", "guess")
    assert "Too many failed log-ins" in attempt(client, "ghost", "guess").content.decode()


def test_one_address_guessing_many_names_is_locked_out(client, rep, password, settings):
    for n in range(settings.LOGIN_FAILURE_LIMIT * 4):
        attempt(client, f"user{n}", "guess")
    assert "Too many failed log-ins" in attempt(client, "lily", password).content.decode()


def test_a_successful_login_clears_earlier_failures(client, rep, password, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        attempt(client, "lily", "guess")
    assert attempt(client, "lily", password).status_code == 302
    assert not LoginFailure.objects.filter(username="lily").exists()


def test_lock_out_expires(client, rep, password, settings):
    from django.utils import timezone

    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        attempt(client, "lily", "guess")
    LoginFailure.objects.update(created_at=timezone.now() - timezone.timedelta(minutes=16))
    assert attempt(client, "lily", password).status_code == 302


def test_oversized_and_hostile_login_input_is_refused_cleanly(client, rep):
    response = attempt(client, "x" * 10_000, "<script>alert(1)</script>")
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_pages_need_login(client, db):
    for url in ("/", "/customers/", "/customers/tasks/", "/accounts/settings/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_post_without_csrf_token_is_refused(rep, password):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(LOGIN, {"username": "lily", "password": password}).status_code == 403


def test_logout_is_a_post(client_of, rep):
    client = client_of(rep)
    assert client.post("/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_password_reset_mail_goes_through_a_real_smtp_server(client, rep, smtp_server, language):
    rep.language = language
    rep.save()
    response = client.post("/accounts/password/reset/", {"email": rep.email})
    assert response.status_code == 302
    assert len(smtp_server.messages) == 1
    sent = smtp_server.messages[0]
    assert sent["to"] == [rep.email]
    body = sent["message"].get_payload(decode=True).decode()
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", body).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "N3w-passphrase-ok", "new_password2": "N3w-passphrase-ok"},
    )
    assert done.status_code == 302
    rep.refresh_from_db()
    assert rep.check_password("N3w-passphrase-ok")


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(
    client, db, smtp_server
):
    response = client.post("/accounts/password/reset/", {"email": "nobody@nowhere.example"})
    assert response.status_code == 302
    assert smtp_server.messages == []
