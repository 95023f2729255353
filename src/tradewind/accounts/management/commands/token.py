"""``tradewind token NAME``: a new API token for that user, printed alone on the last line."""

from django.core.management.base import BaseCommand, CommandError

from tradewind.accounts.models import User
from tradewind.accounts.services import token_create


class Command(BaseCommand):
    help = "Create an API token for a user and print it (it is not shown again)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="cli", help="What the token is for.")

    def handle(self, *args, username, name, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user named “{username}”.")
        raw = token_create(actor=user, user=user, name=name)
        self.stdout.write(f"API token for {user.username} (send as 'Authorization: Bearer …'):")
        self.stdout.write(raw)
