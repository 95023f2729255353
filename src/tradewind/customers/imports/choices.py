"""Choice lists of the lead import: a job's status, what to do with duplicates, row outcomes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    MAPPING = "mapping", _("Waiting for the column mapping")
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Finished")
    FAILED = "failed", _("Stopped by an error")


# A job in one of these states can be started or resumed.
STARTABLE = (JobStatus.MAPPING, JobStatus.FAILED)


class OnDuplicate(models.TextChoices):
    SKIP = "skip", _("Skip the row")
    FILL = "fill", _("Fill the empty fields of the existing customer (and add the contact)")
    CREATE = "create", _("Create a new customer anyway")


class OwnerChoice(models.TextChoices):
    ME = "me", _("Me")
    USER = "user", _("A salesperson of my team")
    POOL = "pool", _("The public pool")
    AUTO = "auto", _("The workspace's assignment rule")


class Outcome(models.TextChoices):
    CREATED = "created", _("Created")
    UPDATED = "updated", _("Updated")
    SKIPPED_DUPLICATE = "skipped_duplicate", _("Skipped: duplicate")
    REJECTED = "rejected", _("Rejected")


# How a dry run names the same outcomes: nothing was written.
DRY_RUN_LABELS = {
    Outcome.CREATED: _("Would be created"),
    Outcome.UPDATED: _("Would be updated"),
    Outcome.SKIPPED_DUPLICATE: _("Would be skipped: duplicate"),
    Outcome.REJECTED: _("Rejected"),
}
