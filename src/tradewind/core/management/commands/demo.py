"""``tradewind demo [--seed N] [--force] [--print-logins]``: seed the bilingual demo workspace."""

import os

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from tradewind.accounts.models import User
from tradewind.core.errors import DomainError
from tradewind.core.models import AuditEvent
from tradewind.customers.models import Company, Task
from tradewind.demo.data import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD
from tradewind.demo.logins import demo_logins, format_logins

HAS_USERS = "The database already has users; the demo workspace is only seeded into a new database."
ALREADY_SEEDED = (
    "The demo workspace is already in this database; "
    "`tradewind demo --print-logins` shows its log-ins."
)


def _url() -> str:
    return f"http://127.0.0.1:{os.environ.get('TRADEWIND_PORT', '8000')}/"


class Command(BaseCommand):
    help = (
        "Seed a realistic bilingual demo workspace (2 teams, 7 users, 200 buyers in 35 "
        "countries with contacts, activities and follow-ups) into a new database, and print "
        "the log-ins."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed", type=int, default=7, help="Random seed; the same seed, the same workspace."
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Seed even though the database has users of its own (never seeds twice).",
        )
        parser.add_argument(
            "--print-logins",
            action="store_true",
            help="Only print the log-ins of the demo users already in this database.",
        )

    def handle(self, *args, seed, force, print_logins, **options):
        self._check_migrated()
        if print_logins:
            self._print_logins()
            return
        if User.objects.exists() and not force:
            raise CommandError(HAS_USERS)
        if User.objects.filter(email__iendswith="@" + DEMO_EMAIL_DOMAIN).exists():
            raise CommandError(ALREADY_SEEDED)
        from tradewind.demo.builder import build_demo

        try:
            result = build_demo(seed=seed)
        except DomainError as exc:
            raise CommandError(f"The demo workspace could not be seeded: {exc.message}") from exc
        c = result.counts
        self.stdout.write(
            f"Seeded the demo workspace in {result.seconds:.1f} s (seed {result.seed}): "
            f"{c['teams']} teams, {c['users']} users, {c['companies']} companies in "
            f"{c['countries']} countries ({c['pool']} in the public pool), {c['contacts']} "
            f"contacts, {c['activities']} activities, {c['tasks']} follow-up tasks "
            f"({c['open_tasks']} open, {c['overdue_tasks']} overdue)."
        )
        self._write_table(result.logins, result.password)

    def _print_logins(self) -> None:
        logins = demo_logins()
        if not logins:
            self.stdout.write("This database has no demo users (`tradewind demo` seeds them).")
            return
        self._write_table(logins, DEMO_PASSWORD)

    def _write_table(self, logins, password: str) -> None:
        self.stdout.write("")
        self.stdout.write(format_logins(logins, password))
        self.stdout.write("")
        self.stdout.write(f"Open {_url()} and sign in with any of these.")

    def _check_migrated(self) -> None:
        tables = set(connection.introspection.table_names())
        needed = {model._meta.db_table for model in (User, Company, Task, AuditEvent)}
        if not needed <= tables:
            raise CommandError("The database is not set up yet: run `tradewind migrate` first.")
