"""``tradewind fx set CURRENCY RATE [--date YYYY-MM-DD] [--source BOC] [--user USERNAME]`` and
``tradewind fx list [--currency USD] [--limit 30]``: the bank buying rates quotations use.

A rate is RMB for 1 unit of the currency (7.1012 for USD, not 710.12 per 100). Setting a day
that already has a rate corrects it. Without ``--user`` the change is recorded as made by
Tradewind (the console).
"""

from django.core.management.base import BaseCommand, CommandError

from tradewind.accounts.models import User
from tradewind.core import fx
from tradewind.core.errors import DomainError


class Command(BaseCommand):
    help = "Enter or list exchange rates (bank buying rate, RMB per unit)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        setter = actions.add_parser("set", help="enter or correct a day's rate")
        setter.add_argument("currency", help="ISO 4217 code, e.g. USD")
        setter.add_argument("rate", help="RMB for 1 unit, e.g. 7.1012")
        setter.add_argument("--date", default="", help="YYYY-MM-DD (default: today)")
        setter.add_argument("--source", default="", help='e.g. "BOC"')
        setter.add_argument("--user", default="", help="record the change as this user")
        lister = actions.add_parser("list", help="list rates, newest first")
        lister.add_argument("--currency", default="", help="only this currency")
        lister.add_argument("--limit", type=int, default=30, help="at most this many (30)")

    def handle(self, *args, action, **options):
        try:
            if action == "set":
                self._set(**options)
            else:
                self._list(**options)
        except DomainError as exc:
            raise CommandError(exc.message) from exc

    def _set(self, *, currency, rate, date, source, user, **options):
        actor = None
        if user:
            actor = User.objects.filter(username=user, is_active=True).first()
            if actor is None:
                raise CommandError(f"No active user named {user!r}.")
        saved = fx.fx_rate_set(
            actor=actor,
            currency=currency,
            date=date or fx.workspace_today(),
            rmb_per_unit=rate,
            source=source,
        )
        self.stdout.write(
            f"{saved.currency} {saved.date.isoformat()}: {saved.rmb_per_unit} RMB per unit"
            + (f" ({saved.source})" if saved.source else "")
        )

    def _list(self, *, currency, limit, **options):
        if limit < 1:
            raise CommandError("--limit must be at least 1.")
        rates = fx.rate_list(currency=currency, limit=limit)
        if not rates:
            self.stdout.write(
                "No exchange rates yet. Add one: tradewind fx set USD 7.1012 --source BOC"
            )
            return
        self.stdout.write(f"{'Currency':<9}{'Date':<12}{'RMB per unit':>14}  Source")
        for rate in rates:
            self.stdout.write(
                f"{rate.currency:<9}{rate.date.isoformat():<12}{rate.rmb_per_unit:>14}  "
                f"{rate.source}"
            )
