"""Background tasks of the L/C desk (run by ``tradewind worker``, enqueued by the scheduler)."""

from django_tasks import task

from tradewind.contracts.lc.reminders import lc_send_reminders


@task()
def send_lc_reminders() -> int:
    return lc_send_reminders()
