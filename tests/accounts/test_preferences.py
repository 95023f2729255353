from tradewind.core.models import AuditEvent


def test_language_switch_is_saved_on_the_user_and_audited(client_of, rep):
    client = client_of(rep)
    response = client.post(
        "/accounts/settings/language/", {"language": "zh-hans", "next": "/customers/"}
    )
    assert response.status_code == 302 and response["Location"] == "/customers/"
    rep.refresh_from_db()
    assert rep.language == "zh-hans"
    assert AuditEvent.objects.filter(object_type="accounts.user", action="update").exists()


def test_language_switch_never_redirects_off_site(client_of, rep):
    response = client_of(rep).post(
        "/accounts/settings/language/", {"language": "en", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_unknown_language_or_time_zone_is_refused_and_nothing_changes(client_of, rep):
    client = client_of(rep)
    response = client.post("/accounts/settings/", {"language": "fr", "time_zone": "Mars/Olympus"})
    assert response.status_code == 200
    rep.refresh_from_db()
    assert rep.language == "en" and rep.time_zone == "Asia/Shanghai"


def test_preferences_change_time_zone(client_of, rep):
    response = client_of(rep).post(
        "/accounts/settings/",
        {"language": "en", "time_zone": "Europe/Berlin", "signature": "Lily Zhang\nSales"},
    )
    assert response.status_code == 302
    rep.refresh_from_db()
    assert rep.time_zone == "Europe/Berlin"
