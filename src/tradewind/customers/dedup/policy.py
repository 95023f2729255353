"""The workspace's duplicate policy, applied when a company is created or renamed.

- "block": a certain match (score ``CERTAIN_SCORE`` or more: same name, website, email, phone or
  company email domain, or a name differing by a typo) refuses the company, whoever asks. A
  weaker match (the last 8 digits of a phone, a merely similar name) is treated as under "warn":
  refusing those would stop reps from entering genuinely different buyers.
- "warn": any match refuses the company until the rep confirms they saw it
  (``confirmed=True``: the form's "create anyway" box; the API confirms for its callers and
  returns the matches with the new company).

Renaming a company (or changing its website) is only checked against "block": the company page
shows its possible duplicates anyway.

Two reps typing the same buyer at the same moment: on SQLite the write transaction already runs
alone (``transaction_mode=IMMEDIATE``); on PostgreSQL the candidate's exact keys are locked
(transaction-level advisory locks, in sorted order) before the check, so the second request
waits for the first and then sees its company.
"""

from __future__ import annotations

from django.db import connection
from django.utils.translation import gettext as _

from tradewind.core.errors import DomainError
from tradewind.customers.choices import DuplicatePolicy
from tradewind.customers.dedup import keys as dk
from tradewind.customers.dedup.engine import Candidate, Match, candidate_keys, find_duplicates
from tradewind.customers.models import WorkspacePolicy


class DuplicateCompany(DomainError):
    """The company looks like one that exists; ``matches`` says which, ``blocked`` whether the
    policy refuses it outright (else confirming lets it through)."""

    code = "duplicate"

    def __init__(self, matches: list[Match], *, blocked: bool):
        first = matches[0]
        values = {"name": first.company_name, "owner": first.owner_name}
        if blocked:
            message = _(
                "“%(name)s” (%(owner)s) is already a customer — the workspace does not allow "
                "duplicates. Ask the owner or your manager instead."
            )
        else:
            message = _(
                "This looks like “%(name)s” (%(owner)s). Check the matches below; tick “Create "
                "anyway” if it is a different buyer."
            )
        super().__init__(message % values, field="name")
        self.matches = matches
        self.blocked = blocked


def _lock_keys(candidate: Candidate) -> None:
    if connection.vendor != "postgresql" or not connection.in_atomic_block:
        return
    exact = sorted(f"{k}:{v}" for k, v in candidate_keys(candidate) if k in dk.EXACT_KINDS)
    if exact:
        with connection.cursor() as cursor:
            for key in exact:
                cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [key])


def enforce(
    candidate: Candidate,
    *,
    confirmed: bool,
    exclude_company_id: int | None = None,
) -> list[Match]:
    """Apply the workspace's policy to ``candidate``; return the matches it let through."""
    _lock_keys(candidate)
    matches = find_duplicates(candidate, exclude_company_id=exclude_company_id)
    if not matches:
        return []
    policy = WorkspacePolicy.current().duplicate_policy
    certain = [match for match in matches if match.is_certain]
    if policy == DuplicatePolicy.BLOCK and certain:
        raise DuplicateCompany(certain, blocked=True)
    if not confirmed:
        raise DuplicateCompany(matches, blocked=False)
    return matches
