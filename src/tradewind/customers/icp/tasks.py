"""Background tasks of the ideal customer profiles (run by ``tradewind worker``)."""

from django_tasks import task

from tradewind.customers.icp import scoring


@task()
def rescore_all_profiles() -> int:
    """Rescore every company against the active profiles; returns how many scores changed."""
    return scoring.rescore_all()
