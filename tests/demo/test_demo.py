"""``tradewind demo``: the seeded workspace, the refusal on a used database, the log-in table."""

import io
import random
import re
from collections import Counter
from datetime import timedelta

import phonenumbers
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from tradewind.accounts.models import Team, User
from tradewind.core.models import AuditEvent
from tradewind.customers.models import Activity, Company, Contact, Tag, Task
from tradewind.demo import builder, data
from tradewind.demo.timeline import SHANGHAI

E164 = re.compile(r"^\+[1-9]\d{6,14}$")
MARKET_TEAM = {market.code: data.TEAMS[market.team] for market in data.MARKETS}
pytestmark = pytest.mark.django_db


def _wipe() -> None:
    """Empty every table the module-wide demo filled, so later tests start from nothing."""
    call_command("flush", interactive=False, verbosity=0)


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The demo, seeded once for this module by the command itself; its output is returned."""
    with django_db_blocker.unblock():
        assert not User.objects.exists(), "the demo tests need an empty database"
        out = io.StringIO()
        try:
            call_command("demo", stdout=out)
            yield out.getvalue()
        finally:
            _wipe()


def _row_counts() -> dict[str, int]:
    models = (User, Team, Company, Contact, Activity, Task, Tag, AuditEvent)
    return {model.__name__: model.objects.count() for model in models}


def test_the_workspace_has_the_stated_counts(seeded):
    assert Team.objects.count() == 2
    assert User.objects.count() >= 5
    assert Company.objects.count() == 200
    assert Company.objects.values("country").distinct().count() >= 30
    assert not Company.objects.filter(contacts__isnull=True).exists()
    assert Activity.objects.count() > 400
    assert Task.objects.count() > 100
    created = AuditEvent.objects.filter(action="create", object_type="customers.company")
    assert created.count() == 200
    assert AuditEvent.objects.filter(object_type="customers.activity").count() == (
        Activity.objects.count()
    )
    assert AuditEvent.objects.filter(action="complete").exists()


def test_users_roles_teams_and_languages(seeded):
    users = User.objects.select_related("team")
    roles = Counter(user.role for user in users)
    assert roles["admin"] == 1 and roles["manager"] == 2 and roles["sales"] >= 4
    for team in Team.objects.all():
        assert team.manager is not None and team.manager.role == "manager"
        assert team.members.filter(role="sales").count() >= 2
    languages = Counter(user.language for user in users)
    assert languages["zh-hans"] > languages["en"] >= 1
    for user in users:
        assert user.email.endswith("@" + data.DEMO_EMAIL_DOMAIN)
        assert user.time_zone == "Asia/Shanghai"
        assert user.check_password(data.DEMO_PASSWORD)
        assert re.fullmatch(r"[a-z]+\.[a-z]+", user.username)
        assert user.signature


def test_owners_are_salespeople_of_the_team_covering_the_market(seeded):
    pooled = Company.objects.filter(owner__isnull=True).count()
    assert 20 <= pooled <= 40  # about 15 %
    for company in Company.objects.filter(owner__isnull=False).select_related("owner__team"):
        assert company.owner.role == "sales"
        assert company.owner.team.name == MARKET_TEAM[company.country]


def test_stages_grades_and_reasons_are_spread_like_a_real_pipeline(seeded):
    stages = Counter(Company.objects.values_list("stage", flat=True))
    assert stages["lead"] + stages["contacted"] > 80
    assert stages["lead"] > stages["quoted"] > stages["negotiation"] > 0
    assert stages["ordered"] and stages["repeat"] and stages["dormant"] and stages["lost"]
    assert not Company.objects.filter(stage="lost", lost_reason="").exists()
    assert set(Company.objects.filter(stage="repeat").values_list("grade", flat=True)) == {"A"}
    assert len(set(Company.objects.values_list("customer_type", flat=True))) >= 5
    assert len(set(Company.objects.values_list("source", flat=True))) >= 5
    assert Tag.objects.filter(name__in=["LED", "展会客户"]).count() == 2
    names = list(Company.objects.values_list("name_normalized", flat=True))
    assert len(set(names)) == len(names)
    domains = list(Company.objects.values_list("website_domain", flat=True))
    assert all(domains) and len(set(domains)) == len(domains)


def test_contacts_have_company_emails_and_e164_phones(seeded):
    contacts = list(Contact.objects.select_related("company"))
    assert len(contacts) >= 200
    assert any(contact.is_decision_maker for contact in contacts)
    phones = [number for c in contacts for number in (c.phone, c.whatsapp) if number]
    assert len(phones) > len(contacts)
    for number in phones:
        assert E164.match(number), number
        assert phonenumbers.is_valid_number(phonenumbers.parse(number))
    for contact in contacts:
        assert contact.email.endswith("@" + contact.company.website_domain)
        if contact.phone:
            region = phonenumbers.region_code_for_number(phonenumbers.parse(contact.phone))
            assert region == contact.company.country


def test_activities_are_in_the_past_120_days_by_the_right_people(seeded):
    now = timezone.now()
    assert not Activity.objects.filter(occurred_at__gt=now).exists()
    assert not Activity.objects.filter(occurred_at__lt=now - timedelta(days=122)).exists()
    per_company = Counter(Activity.objects.values_list("company_id", flat=True))
    assert max(per_company.values()) <= 12
    assert len({kind for kind in Activity.objects.values_list("kind", flat=True)}) >= 6
    summaries = list(Activity.objects.values_list("summary", flat=True))
    assert any(re.search(r"[\u4e00-\u9fff]", s) for s in summaries)
    assert any(re.fullmatch(r"[\x00-\x7f×]+", s) for s in summaries)
    assert not any("{" in s for s in summaries)
    for activity in Activity.objects.select_related("company__owner", "user__team"):
        owner = activity.company.owner
        if owner is None:
            assert activity.user.team.name == MARKET_TEAM[activity.company.country]
        else:
            assert activity.user in (owner, owner.team.manager)
    for company in Company.objects.filter(activities__isnull=False).distinct()[:50]:
        assert company.last_activity_at == company.activities.latest("occurred_at").occurred_at


def test_follow_ups_are_overdue_today_upcoming_or_done(seeded):
    now = timezone.now()
    assert not Task.objects.filter(company__owner__isnull=True).exists()
    for task in Task.objects.select_related("company"):
        assert task.assignee_id == task.company.owner_id
    open_tasks = Task.objects.filter(done_at__isnull=True)
    today = now.astimezone(SHANGHAI).date()
    assert open_tasks.filter(due_at__lt=now).exists()
    assert any(task.due_at.astimezone(SHANGHAI).date() == today for task in open_tasks)
    assert open_tasks.filter(due_at__gt=now + timedelta(days=1)).exists()
    assert Task.objects.filter(done_at__isnull=False, done_at__lte=now).exists()
    assert not Task.objects.filter(done_at__gt=now).exists()


def test_the_log_in_table_is_printed(seeded):
    assert "200 companies" in seeded
    for user in User.objects.all():
        assert user.username in seeded
    assert data.TEAMS["west"] in seeded and data.TEAMS["east"] in seeded
    assert data.DEMO_PASSWORD in seeded
    assert "Open http://127.0.0.1:8000/" in seeded


def test_the_command_refuses_a_database_with_users_and_changes_nothing(seeded):
    before = _row_counts()
    with pytest.raises(CommandError, match="already has users; the demo workspace is only"):
        call_command("demo", stdout=io.StringIO())
    with pytest.raises(CommandError, match="already in this database"):
        call_command("demo", "--force", stdout=io.StringIO())
    assert _row_counts() == before


def test_print_logins_reads_the_demo_users_and_changes_nothing(seeded):
    before = _row_counts()
    out = io.StringIO()
    call_command("demo", "--print-logins", stdout=out)
    text = out.getvalue()
    for spec in data.USERS:
        assert spec.username in text
    assert data.DEMO_PASSWORD in text and "Open http://127.0.0.1:8000/" in text
    assert text.index("david.chen") < text.index("grace.liu") < text.index("lily.zhang")
    assert _row_counts() == before


def test_the_plan_and_phones_are_deterministic_and_valid():
    assert sum(market.count for market in data.MARKETS) == 200
    assert builder._plan(random.Random(7)) == builder._plan(random.Random(7))
    assert builder._plan(random.Random(7)) != builder._plan(random.Random(8))
    rng = random.Random(1)
    for market in data.MARKETS:
        for mobile in (False, True):
            number = phonenumbers.parse(
                builder.phone_for(rng, market.code, mobile=mobile), market.code
            )
            assert phonenumbers.is_valid_number(number), market.code


def test_ascii_slug_for_domains():
    assert builder.ascii_slug("Müller Küchenbedarf", german=True) == "mueller-kuechenbedarf"
    assert builder.ascii_slug("Yıldız Aydınlatma") == "yildiz-aydinlatma"
    assert builder.ascii_slug("Światło Bałtyk") == "swiatlo-baltyk"
