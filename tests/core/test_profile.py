"""The company profile: admins edit the letterhead, bank details and logo; others read them."""

import io

import pytest
from django.urls import reverse

from tradewind.core import workspace
from tradewind.core.errors import DomainError, PermissionDenied
from tradewind.core.models import AuditEvent, CompanyProfile


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (120, 40), (36, 84, 214)).save(buffer, format="PNG")
    return buffer.getvalue()


def _upload(content: bytes, name="logo.png"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="image/png")


FIELDS = {
    "name_en": "Ningbo Brightway Lighting & Home Co., Ltd.",
    "bank_name": "Bank of China, Ningbo Branch",
    "bank_account": "3581 5820 1234",
    "bank_swift": "bkch cnbj 92a",
}


def test_an_admin_updates_the_profile_and_it_is_audited(admin_user):
    profile = workspace.company_profile_update(actor=admin_user, **FIELDS)
    assert profile.bank_swift == "BKCHCNBJ92A"
    assert CompanyProfile.current().name_en == FIELDS["name_en"]
    event = AuditEvent.objects.get(object_type="core.companyprofile")
    assert event.actor == admin_user and event.changes["bank_swift"] == ["", "BKCHCNBJ92A"]


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"bank_swift": "BKCH"}, "bank_swift", "8 or 11"),
        ({"bank_swift": "BKCHCNBJ92"}, "bank_swift", "8 or 11"),
        ({"name_zh": "明途\x07"}, "name_zh", "control character"),
    ],
)
def test_bad_values_are_refused(admin_user, fields, field, words):
    with pytest.raises(DomainError) as caught:
        workspace.company_profile_update(actor=admin_user, **fields)
    assert caught.value.field == field and words in caught.value.message


def test_a_bad_email_is_refused_by_the_models_checks(admin_user):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        workspace.company_profile_update(actor=admin_user, email="not-an-email")


def test_managers_and_reps_cannot_change_it(rep, manager):
    for user in (rep, manager):
        with pytest.raises(PermissionDenied):
            workspace.company_profile_update(actor=user, name_en="Mine now")


def test_the_logo_is_checked_like_a_photo_and_replaced_cleanly(
    admin_user, django_capture_on_commit_callbacks
):
    profile = workspace.company_profile_update(actor=admin_user, logo=_upload(_png()))
    first = profile.logo.path
    assert profile.logo.name.endswith(".png")
    with pytest.raises(DomainError) as caught:
        workspace.company_profile_update(actor=admin_user, logo=_upload(b"<svg onload=x>"))
    assert caught.value.field == "logo"
    with django_capture_on_commit_callbacks(execute=True):
        workspace.company_profile_update(actor=admin_user, logo=_upload(_png()))
    import os

    assert not os.path.exists(first)
    with django_capture_on_commit_callbacks(execute=True):
        profile = workspace.company_profile_update(actor=admin_user, remove_logo=True)
    assert not profile.logo


def test_the_page_is_a_form_for_admins_and_read_only_for_others(client_of, rep, admin_user):
    url = reverse("workspace:company-profile")
    workspace.company_profile_update(actor=None, **FIELDS)
    response = client_of(rep).get(url)
    assert response.status_code == 200 and response.context["form"] is None
    assert "BKCHCNBJ92A" in response.content.decode()
    assert client_of(rep).post(url, {"name_en": "x"}).status_code == 403
    client = client_of(admin_user)
    data = {name: getattr(CompanyProfile.current(), name) for name in workspace.PROFILE_FIELDS}
    response = client.post(url, data | {"bank_swift": "NOPE", "phone": "+86 574 1"})
    body = response.content.decode()
    assert "8 or 11 letters" in body and "+86 574 1" in body
    response = client.post(url, data | {"logo_file": _upload(b"not a picture", "x.png")})
    assert "not a JPEG, PNG or WebP" in response.content.decode()
    response = client.post(url, data | {"logo_file": _upload(_png())})
    assert response.status_code == 302
    logo = client.get(reverse("workspace:company-logo"))
    assert logo.status_code == 200 and logo["Content-Type"] == "image/png"


def test_the_logo_is_for_signed_in_users_only(client, client_of, rep):
    url = reverse("workspace:company-logo")
    assert client_of(rep).get(url).status_code == 404  # no logo yet
    client.logout()
    assert client.get(url).status_code == 302
