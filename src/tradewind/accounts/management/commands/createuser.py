"""``tradewind createuser NAME --role sales|manager|admin [--team T] [--password P]``."""

import getpass

from django.core.management.base import BaseCommand, CommandError

from tradewind.accounts.choices import Role
from tradewind.accounts.services import user_create
from tradewind.core.errors import DomainError


class Command(BaseCommand):
    help = "Create a Tradewind user."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", choices=Role.values, default=Role.SALES)
        parser.add_argument("--team", default="")
        parser.add_argument(
            "--password", default=None, help="Asked for on the terminal when omitted."
        )
        parser.add_argument("--email", default="")
        parser.add_argument("--language", choices=["zh-hans", "en"], default="zh-hans")
        parser.add_argument("--time-zone", default="")

    def handle(self, *args, username, role, team, password, email, language, time_zone, **opts):
        if password is None and opts.get("interactive", True):
            password = getpass.getpass("Password: ")
        from django.contrib.auth.password_validation import validate_password
        from django.core.exceptions import ValidationError

        try:
            if password:
                validate_password(password)
            user = user_create(
                actor=None,
                username=username,
                role=role,
                team_name=team,
                password=password,
                email=email,
                language=language,
                time_zone=time_zone,
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"Created {user.username} ({user.get_role_display()}).")
