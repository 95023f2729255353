"""The demo seeder records, checks and amends credits through the services, once."""

from django.utils import timezone

from tests.contracts.factories import make_contract
from tests.contracts.lc.conftest import lc_contract
from tests.factories import CompanyFactory
from tradewind.contracts.lc.choices import CheckState
from tradewind.contracts.lc.demo import seed_letters_of_credit
from tradewind.contracts.lc.models import LetterOfCredit
from tradewind.contracts.lc.selectors import lc_list


def test_the_demo_seeds_a_clean_a_flawed_and_a_shipped_credit_once(rep):
    lc_contract(CompanyFactory(owner=rep))
    make_contract(CompanyFactory(owner=rep), incoterm="FOB", destination_port="Rotterdam")
    make_contract(CompanyFactory(owner=rep), incoterm="CFR", destination_port="Felixstowe")
    assert seed_letters_of_credit() == {"letters_of_credit": 3, "checks": 3, "amendments": 1}
    states = {lc.number: lc.check_state for lc in lc_list(rep, scope="all").items}
    assert len(states) == 3
    flawed = LetterOfCredit.objects.get(amendments__isnull=False)
    assert states[flawed.number] == CheckState.BLOCKED
    codes = set(flawed.checks.get().discrepancies.values_list("code", flat=True))
    assert {"amount_short", "port_of_discharge", "soft_clause"} <= codes
    shipped = LetterOfCredit.objects.get(on_board_date__isnull=False)
    assert shipped.on_board_date < timezone.localdate()
    assert seed_letters_of_credit() == {"letters_of_credit": 0, "checks": 0, "amendments": 0}
