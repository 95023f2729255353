import pytest


@pytest.fixture(autouse=True)
def small_batches(settings):
    """Batches of 3 rows, so every test file of a few rows crosses batch boundaries."""
    settings.IMPORT_BATCH_SIZE = 3
