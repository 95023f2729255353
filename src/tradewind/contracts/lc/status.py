"""Where a contract's letter of credit stands — what "start production" asks.

Production starts when the deposit is credited or the L/C is checked (DOMAIN.md §1 A). The
contracts app asks :func:`lc_checked`; the pages show :func:`check_state`.
"""

from tradewind.contracts.lc.choices import CheckState, LcStatus, Severity
from tradewind.contracts.lc.models import LcCheck, LcDiscrepancy, LetterOfCredit


def current_lc(contract) -> LetterOfCredit | None:
    """The contract's current credit: the latest one received that is still open."""
    return (
        LetterOfCredit.objects.filter(contract=contract, status=LcStatus.OPEN)
        .order_by("-received_on", "-id")
        .first()
    )


def latest_check(lc: LetterOfCredit) -> LcCheck | None:
    return lc.checks.order_by("-checked_at", "-id").first()


def check_state(lc: LetterOfCredit, check: LcCheck | None, contract_version: int) -> CheckState:
    """``check`` is the credit's latest check (or None)."""
    if check is None:
        return CheckState.NOT_CHECKED
    if check.terms_version != lc.terms_version or check.contract_version != contract_version:
        return CheckState.OUTDATED
    blocking = LcDiscrepancy.objects.filter(lc_check=check, severity=Severity.BLOCKING)
    if blocking.filter(accepted_at__isnull=True).exists():
        return CheckState.BLOCKED
    if blocking.exists():
        return CheckState.ACCEPTED
    return CheckState.CLEAR


def lc_checked(contract) -> bool:
    """True when the contract's current L/C — its terms with every accepted amendment applied —
    has been checked against the contract as it now stands, and no blocking discrepancy is left
    unresolved (none found, or the rep accepted each remaining one with a reason)."""
    lc = current_lc(contract)
    if lc is None:
        return False
    state = check_state(lc, latest_check(lc), contract.version)
    return state in (CheckState.CLEAR, CheckState.ACCEPTED)
