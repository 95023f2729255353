"""The demo users' log-ins, as a table for the terminal (CJK characters count two columns)."""

import unicodedata
from dataclasses import dataclass

from tradewind.accounts.choices import Language, Role
from tradewind.accounts.models import User
from tradewind.demo.data import DEMO_EMAIL_DOMAIN, TEAMS

ROLE_ORDER = {Role.ADMIN: 0, Role.MANAGER: 1, Role.SALES: 2}
TEAM_ORDER = {name: index for index, name in enumerate(TEAMS.values())}


@dataclass(frozen=True)
class Login:
    username: str
    name: str
    role: str  # Role value
    team: str
    language: str  # Language value

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label) if self.role in Role.values else self.role

    @property
    def language_label(self) -> str:
        return str(Language(self.language).label) if self.language in Language.values else ""


def login_of(user: User) -> Login:
    return Login(
        username=user.username,
        name=user.get_full_name(),
        role=user.role,
        team=user.team.name if user.team_id else "",
        language=user.language,
    )


def sort_logins(logins) -> list[Login]:
    """Admin first, then managers, then salespeople, each by team and user name."""
    return sorted(
        logins,
        key=lambda x: (ROLE_ORDER.get(x.role, 9), TEAM_ORDER.get(x.team, 9), x.team, x.username),
    )


def demo_logins() -> list[Login]:
    """The log-ins of the demo users in this database (found by their e-mail domain)."""
    users = User.objects.select_related("team").filter(
        email__iendswith="@" + DEMO_EMAIL_DOMAIN, is_active=True
    )
    return sort_logins(login_of(user) for user in users)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def format_logins(logins, password: str) -> str:
    """A plain-text table: user name, name, role, team, language and password."""
    header = ("User name", "Name", "Role", "Team", "Language", "Password")
    rows = [header] + [
        (x.username, x.name, x.role_label, x.team or "—", x.language_label, password)
        for x in logins
    ]
    widths = [max(_width(row[i]) for row in rows) for i in range(len(header))]
    lines = []
    for number, row in enumerate(rows):
        lines.append("  ".join(_pad(cell, widths[i]) for i, cell in enumerate(row)).rstrip())
        if number == 0:
            lines.append("  ".join("-" * width for width in widths))
    return "\n".join(lines)
