"""Profile writes: managers only, validated, audited; lists cleaned of repeats and blanks."""

import pytest
from django.core.exceptions import ValidationError

from tradewind.core.errors import DomainError, NotFound, PermissionDenied
from tradewind.core.models import AuditEvent
from tradewind.customers.icp import services
from tradewind.customers.icp.models import IdealCustomerProfile


def test_a_manager_creates_a_profile_with_cleaned_lists_and_an_audit_event(manager):
    profile = services.profile_create(
        actor=manager,
        name="  EU LED importers ",
        countries=["de", " FR", "DE", ""],
        product_keywords=["LED panel", "led PANEL", "  ", "downlight"],
        regions=["eu"],
    )
    assert profile.name == "EU LED importers"
    assert profile.countries == ["DE", "FR"]
    assert profile.product_keywords == ["LED panel", "downlight"]
    assert profile.created_by == manager
    event = AuditEvent.objects.get(object_type="icp.idealcustomerprofile", object_id=profile.pk)
    assert event.action == "create" and event.actor == manager
    assert event.changes["countries"] == ["DE", "FR"]


def test_an_admin_may_write_profiles_and_a_rep_may_not(admin_user, rep):
    services.profile_create(actor=admin_user, name="Admin's", countries=["US"])
    with pytest.raises(PermissionDenied):
        services.profile_create(actor=rep, name="Mine", countries=["US"])
    profile = IdealCustomerProfile.objects.get()
    with pytest.raises(PermissionDenied):
        services.profile_update(actor=rep, profile_id=profile.pk, name="Hijacked")
    with pytest.raises(PermissionDenied):
        services.profile_set_active(actor=rep, profile_id=profile.pk, active=False)
    profile.refresh_from_db()
    assert profile.name == "Admin's" and profile.is_active


def test_a_profile_needs_a_criterion_worth_points(manager):
    with pytest.raises(ValidationError, match="at least one criterion"):
        services.profile_create(actor=manager, name="Empty", excluded_keywords=["scam"])
    with pytest.raises(ValidationError, match="worth 0 points"):
        services.profile_create(actor=manager, name="Zero", countries=["DE"], weight_market=0)
    assert not IdealCustomerProfile.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"countries": ["XX"]}, "countries"),
        ({"countries": ["<script>"]}, "countries"),
        ({"regions": ["atlantis"]}, "regions"),
        ({"customer_types": ["pirate"]}, "customer_types"),
        ({"sizes": ["huge"]}, "sizes"),
        ({"product_keywords": ["x" * 61]}, "product_keywords"),
        ({"keywords": [f"k{n}" for n in range(51)]}, "keywords"),
        ({"countries": ["DE"], "weight_market": 101}, "weight_market"),
    ],
)
def test_wrong_values_are_refused_on_their_field(manager, fields, field):
    fields = {"check_website": True} | fields
    with pytest.raises(ValidationError) as caught:
        services.profile_create(actor=manager, name="Bad", **fields)
    assert field in caught.value.message_dict
    assert not IdealCustomerProfile.objects.exists()


def test_a_second_profile_with_the_same_name_is_refused_whatever_the_case(manager):
    services.profile_create(actor=manager, name="EU importers", countries=["DE"])
    with pytest.raises(DomainError) as caught:
        services.profile_create(actor=manager, name="eu IMPORTERS", countries=["FR"])
    assert caught.value.field == "name"


def test_unknown_fields_and_profiles_are_refused(manager):
    with pytest.raises(DomainError):
        services.profile_create(actor=manager, name="x", countries=["DE"], owner=manager)
    with pytest.raises(NotFound):
        services.profile_update(actor=manager, profile_id=404, name="x")


def test_an_update_audits_only_what_changed_and_nothing_when_nothing_did(manager):
    profile = services.profile_create(actor=manager, name="EU", countries=["DE"])
    services.profile_update(actor=manager, profile_id=profile.pk, countries=["DE", "AT"])
    services.profile_update(actor=manager, profile_id=profile.pk, countries=["de", "at"])
    events = AuditEvent.objects.filter(object_id=profile.pk, action="update")
    assert [e.changes for e in events] == [{"countries": [["DE"], ["DE", "AT"]]}]


def test_deactivating_is_audited_and_keeps_the_profile(manager):
    profile = services.profile_create(actor=manager, name="EU", countries=["DE"])
    services.profile_set_active(actor=manager, profile_id=profile.pk, active=False)
    profile.refresh_from_db()
    assert profile.is_active is False
    event = AuditEvent.objects.filter(object_id=profile.pk, action="update").get()
    assert event.changes == {"is_active": [True, False]}
