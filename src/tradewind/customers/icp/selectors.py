"""Reads of ideal customer profiles, the rescoring state, and the company page's fit panel."""

from dataclasses import dataclass
from datetime import timedelta

from django.http import Http404
from django.utils import timezone
from django_tasks import TaskResultStatus

from tradewind.customers.choices import Screening
from tradewind.customers.icp.display import ProfileSummary, ReasonRow, profile_summary, reason_rows
from tradewind.customers.icp.models import IdealCustomerProfile
from tradewind.customers.icp.screening import CHECKS, can_screen, checklist_passes, next_statuses
from tradewind.customers.icp.tasks import rescore_all_profiles
from tradewind.customers.models import Company

PENDING_FOR_AT_MOST = timedelta(hours=6)  # a pass "running" longer than this has died


def profile_list() -> list[IdealCustomerProfile]:
    """Every profile, active ones first. Profiles hold no customer data: everyone reads them."""
    return list(IdealCustomerProfile.objects.select_related("created_by"))


def profile_rows() -> list[tuple[IdealCustomerProfile, ProfileSummary]]:
    """Every profile with its criteria as labels in the reader's language."""
    return [(profile, profile_summary(profile)) for profile in profile_list()]


def profile_get(profile_id: int) -> IdealCustomerProfile:
    profile = IdealCustomerProfile.objects.filter(pk=profile_id).first()
    if profile is None:
        raise Http404
    return profile


def rescore_pending(statuses=(TaskResultStatus.READY, TaskResultStatus.RUNNING)) -> bool:
    """Whether a background rescoring pass is waiting (or running) — the profile pages say so."""
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        task_path=rescore_all_profiles.module_path,
        status__in=list(statuses),
        enqueued_at__gte=timezone.now() - PENDING_FOR_AT_MOST,
    ).exists()


@dataclass(frozen=True)
class FitPanel:
    """What the company page shows about fit and screening."""

    company: Company
    score: int | None
    profile: str
    reasons: list[ReasonRow]
    can_screen: bool
    next_statuses: list[str]
    checklist_passes: bool
    is_disqualified: bool


def fit_panel(user, company: Company) -> FitPanel:
    """The panel of a company the page already fetched through the visibility rule; it reads
    only the company's own fields, so it adds no query to the page."""
    reasons = company.icp_reasons or []
    profile = next((r.get("profile", "") for r in reasons if isinstance(r, dict)), "")
    return FitPanel(
        company=company,
        score=company.icp_score,
        profile=profile,
        reasons=reason_rows(reasons),
        can_screen=can_screen(user, company),
        next_statuses=next_statuses(company.screening_status),
        checklist_passes=checklist_passes({name: getattr(company, name) for name in CHECKS}),
        is_disqualified=company.screening_status == Screening.DISQUALIFIED,
    )
