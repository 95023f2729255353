"""My day: inquiries past their first-reply deadline and those due in the next working hours;
a rep sees the ones they handle, a manager the team's."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from tests.factories import CompanyFactory
from tests.quotes.inquiry_data import make_inquiry
from tradewind.quotes import inquiry_selectors as selectors
from tradewind.quotes.models import Inquiry


def due_at(inquiry, when):
    """Pin a deadline (the working-hours maths is tested in test_workhours.py)."""
    Inquiry.objects.filter(pk=inquiry.pk).update(first_response_due_at=when)


def test_overdue_and_soon_due_inquiries_show_with_their_deadline(client_of, rep, company):
    now = timezone.now()
    late = make_inquiry(rep, company, subject="Late panels")
    soon = make_inquiry(rep, company, subject="Soon spotlights")
    later = make_inquiry(rep, company, subject="Later downlights")
    answered = make_inquiry(rep, company, subject="Answered floodlights")
    due_at(late, now - dt.timedelta(hours=3))
    due_at(soon, now + dt.timedelta(minutes=30))
    due_at(later, now + dt.timedelta(days=10))
    due_at(answered, now - dt.timedelta(hours=5))
    Inquiry.objects.filter(pk=answered.pk).update(first_responded_at=now)
    page = client_of(rep).get(reverse("web:my-day")).content.decode()
    assert "Inquiries to answer" in page
    assert "First reply overdue" in page
    assert page.index("Late panels") < page.index("Soon spotlights")
    assert "Later downlights" not in page
    assert "Answered floodlights" not in page
    assert (now - dt.timedelta(hours=3)).astimezone(rep.zone).strftime("%Y-%m-%d %H:%M") in page


def test_closed_inquiries_and_other_handlers_stay_off_my_day(rep, teammate, company):
    now = timezone.now()
    closed = make_inquiry(rep, company, subject="Closed")
    Inquiry.objects.filter(pk=closed.pk).update(
        status="closed", first_response_due_at=now - dt.timedelta(hours=1)
    )
    jacks = make_inquiry(teammate, CompanyFactory(owner=teammate), subject="Jack's")
    due_at(jacks, now - dt.timedelta(hours=1))
    assert selectors.my_day_inquiries(rep, now=now) == ([], [])


def test_a_manager_sees_the_teams_overdue_inquiries_but_not_other_teams(
    manager, rep, other_rep, company
):
    now = timezone.now()
    mine = make_inquiry(rep, company, subject="Team inquiry")
    theirs = make_inquiry(other_rep, CompanyFactory(owner=other_rep), subject="Other team")
    due_at(mine, now - dt.timedelta(hours=1))
    due_at(theirs, now - dt.timedelta(hours=1))
    overdue, _soon = selectors.my_day_inquiries(manager, now=now, team=True)
    assert [i.subject for i in overdue] == ["Team inquiry"]
    overdue, _soon = selectors.my_day_inquiries(rep, now=now, team=True)  # a rep: own only
    assert [i.subject for i in overdue] == ["Team inquiry"]
    assert selectors.my_day_inquiries(other_rep, now=now)[0][0].subject == "Other team"


def test_due_soon_means_the_next_working_hours_not_clock_hours(rep, company):
    # Friday 17:30 in Shanghai: the next two working hours end on Monday at 10:30.
    rep.time_zone = "Asia/Shanghai"
    friday = dt.datetime(2025, 3, 7, 9, 30, tzinfo=dt.UTC)
    monday_morning = dt.datetime(2025, 3, 10, 1, 30, tzinfo=dt.UTC)  # 09:30 Shanghai
    inquiry = make_inquiry(rep, company, received_at=friday - dt.timedelta(hours=1))
    due_at(inquiry, monday_morning)
    assert selectors.due_soon_until(rep, friday) == dt.datetime(2025, 3, 10, 2, 30, tzinfo=dt.UTC)
    _overdue, soon = selectors.my_day_inquiries(rep, now=friday)
    assert soon == [inquiry]


def test_nothing_to_answer_means_no_card(client_of, rep):
    page = client_of(rep).get(reverse("web:my-day")).content.decode()
    assert "Inquiries to answer" not in page


def test_my_day_stays_cheap_with_many_inquiries(
    client_of, rep, company, django_assert_max_num_queries
):
    now = timezone.now()
    for n in range(15):
        due_at(make_inquiry(rep, company, subject=f"Inq {n}"), now - dt.timedelta(hours=n + 1))
    client = client_of(rep)
    client.get(reverse("web:my-day"))  # warm caches (policy row, holiday calendars)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("web:my-day"))
    for n in range(15, 30):
        due_at(make_inquiry(rep, company, subject=f"Inq {n}"), now - dt.timedelta(hours=n + 1))
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("web:my-day"))
    assert len(many) == len(few)
