"""Background tasks of the public pool, enqueued by the scheduler (``core/scheduler.py``).

Both are enqueued every hour and do their work once a day, at or after 02:00 workspace time
(``rules.RELEASE_LOCAL_TIME``): the day's ``PoolRun`` row makes every further call that day a
no-op, so an hourly retry catches a day the workers were down at 02:00.
"""

from django_tasks import task

from tradewind.customers.pool.release import release_due, send_release_reminders


@task()
def release_to_pool() -> int:
    return release_due()


@task()
def send_pool_reminders() -> int:
    return send_release_reminders()
