import pytest

from tradewind.customers.icp import services


@pytest.fixture
def make_profile(manager):
    """Create a profile through the service (as the manager): ``make_profile(countries=["DE"])``."""
    counter = iter(range(1, 1000))

    def make(**fields):
        fields.setdefault("name", f"Profile {next(counter)}")
        return services.profile_create(actor=manager, **fields)

    return make
