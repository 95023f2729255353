"""The ``tradewind`` console command.

``tradewind price|load|lc`` are the trade calculations and need no database. Every other
sub-command is a Django management command: Tradewind's own (``serve``, ``worker``, ``demo``,
``createuser``, ``token``) and Django's (``migrate``, ``shell``, …).
"""

import os
import sys

PURE_COMMANDS = ("price", "load", "lc")
# Console spellings of management commands whose module names cannot hold a hyphen.
ALIASES = {"import-leads": "import_leads", "dedup-report": "dedup_report"}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and argv[1] in PURE_COMMANDS:
        from tradewind.trade.cli import COMMANDS

        return COMMANDS[argv[1]](argv[2:])
    if argv[1:] in ([], ["help"], ["--help"], ["-h"]):
        print("Trade calculations (no database needed):")
        for name in PURE_COMMANDS:
            print(f"    {name}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tradewind.config.settings")
    from django.core.management import execute_from_command_line

    argv[0] = "tradewind"
    if len(argv) > 1:
        argv[1] = ALIASES.get(argv[1], argv[1])
    execute_from_command_line(argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
