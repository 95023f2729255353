"""Background tasks of the customers app (run by ``tradewind worker``)."""

from django_tasks import task

from tradewind.customers.digest import digest_send_due


@task()
def send_followup_digests() -> int:
    return digest_send_due()
