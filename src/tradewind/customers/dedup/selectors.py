"""Reads of the duplicate check: the possible-duplicates page, the company page's panel, the live
check on the new-customer form and the console report.

The pairs page lists only pairs whose two companies the user may both see (a manager: the team's
and the pool; an admin: all; a rep: their own and the pool), through the one visibility rule.
The panel and the live check, by design, also name companies the user cannot open — with the
owner, so the rep knows whom to ask — but never their contacts or notes, and without a link.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from tradewind.accounts.visibility import visible_customers_q
from tradewind.customers.dedup import engine
from tradewind.customers.dedup import reasons as why
from tradewind.customers.dedup.models import DuplicatePair
from tradewind.customers.models import Company
from tradewind.customers.selectors import Page

PAIR_PAGE_SIZE = 25
PANEL_LIMIT = 5


@dataclass(frozen=True)
class PairRow:
    pair: DuplicatePair
    first: Company
    second: Company
    reasons: tuple[str, ...]


@dataclass
class PairGroup:
    """Pairs on one page that share companies (A~B and B~C are one group of three)."""

    companies: list[Company] = field(default_factory=list)
    rows: list[PairRow] = field(default_factory=list)


def _group(rows: list[PairRow]) -> list[PairGroup]:
    groups: list[PairGroup] = []
    group_of: dict[int, PairGroup] = {}
    for row in rows:
        ids = (row.first.pk, row.second.pk)
        found = [group_of[pk] for pk in ids if pk in group_of]
        group = found[0] if found else PairGroup()
        if not found:
            groups.append(group)
        for other in found[1:]:
            if other is not group:  # the pair joins two groups: fold the later one in
                group.rows.extend(other.rows)
                group.companies.extend(c for c in other.companies if c not in group.companies)
                for company in other.companies:
                    group_of[company.pk] = group
                groups.remove(other)
        group.rows.append(row)
        for company in (row.first, row.second):
            if company.pk not in group_of:
                group.companies.append(company)
            group_of[company.pk] = group
    return groups


def duplicate_pairs(user, *, page: int = 1, size: int = PAIR_PAGE_SIZE, min_score: int = 0) -> Page:
    """Open pairs the user may see both sides of, most certain first; ``items`` are groups.
    Two queries whatever the page; no count of the whole table."""
    offset = (page - 1) * size
    pairs = list(
        DuplicatePair.objects.filter(dismissed_at__isnull=True, score__gte=min_score)
        .filter(visible_customers_q(user, "company_a"))
        .filter(visible_customers_q(user, "company_b"))
        .select_related("company_a__owner", "company_b__owner")
        .order_by("-score", "-id")[offset : offset + size + 1]
    )
    rows = [
        PairRow(pair, pair.company_a, pair.company_b, why.describe_all(pair.reasons))
        for pair in pairs[:size]
    ]
    return Page(items=_group(rows), number=page, size=size, has_next=len(pairs) > size)


@dataclass(frozen=True)
class PanelMatch:
    company_id: int
    name: str
    owner_name: str
    is_pool: bool
    score: int
    reasons: tuple[str, ...]
    visible: bool


def company_duplicates(user, company: Company, *, limit: int = PANEL_LIMIT) -> list[PanelMatch]:
    """The open possible duplicates of one company, for its page. Two queries."""
    pairs = list(
        DuplicatePair.objects.filter(dismissed_at__isnull=True)
        .filter(Q(company_a=company) | Q(company_b=company))
        .select_related("company_a__owner", "company_b__owner")
        .order_by("-score", "-id")[:limit]
    )
    others = [
        pair.company_b if pair.company_a_id == company.pk else pair.company_a for pair in pairs
    ]
    visible = set(
        Company.objects.visible_to(user)
        .filter(pk__in=[other.pk for other in others])
        .values_list("pk", flat=True)
    ) if others else set()  # fmt: skip
    return [
        PanelMatch(
            company_id=other.pk,
            name=other.name,
            owner_name=str(other.owner) if other.owner_id else "",
            is_pool=other.owner_id is None,
            score=pair.score,
            reasons=why.describe_all(pair.reasons),
            visible=other.pk in visible,
        )
        for pair, other in zip(pairs, others, strict=True)
    ]


@dataclass(frozen=True)
class CheckedMatch:
    match: engine.Match
    visible: bool


def mark_visible(user, matches: list[engine.Match]) -> list[CheckedMatch]:
    """Each match with whether the user may open it (one query, none without matches)."""
    visible = set(
        Company.objects.visible_to(user)
        .filter(pk__in=[m.company_id for m in matches])
        .values_list("pk", flat=True)
    ) if matches else set()  # fmt: skip
    return [CheckedMatch(match, match.company_id in visible) for match in matches]


def live_check(user, candidate: engine.Candidate, *, exclude_company_id: int | None = None):
    """The matches of what is being typed, each marked whether the user may open it."""
    matches = engine.find_duplicates(candidate, exclude_company_id=exclude_company_id)
    return mark_visible(user, matches)


def report_groups(*, min_score: int = 0) -> list[dict]:
    """Every open pair of the workspace, grouped (for ``tradewind dedup-report``)."""
    pairs = (
        DuplicatePair.objects.filter(dismissed_at__isnull=True, score__gte=min_score)
        .select_related("company_a__owner", "company_b__owner")
        .order_by("-score", "-id")
    )
    rows = [
        PairRow(pair, pair.company_a, pair.company_b, why.describe_all(pair.reasons))
        for pair in pairs.iterator(chunk_size=2000)
    ]
    return [
        {
            "companies": [
                {
                    "id": company.pk,
                    "name": company.name,
                    "country": company.country,
                    "owner": company.owner.username if company.owner_id else None,
                }
                for company in group.companies
            ],
            "pairs": [
                {
                    "ids": [row.first.pk, row.second.pk],
                    "score": row.pair.score,
                    "reasons": list(row.reasons),
                    "codes": row.pair.reasons,
                }
                for row in group.rows
            ],
        }
        for group in _group(rows)
    ]
