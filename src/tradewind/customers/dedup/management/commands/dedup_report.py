"""``tradewind dedup-report [--json] [--min-score N] [--reindex]``: groups of likely duplicate
customers across the whole workspace, with the reasons, for an admin or a script.

Reads the possible-duplicate pairs the product keeps current (dismissed pairs left out).
``--reindex`` first rebuilds every company's keys and pairs — after rows were written to the
database by something other than Tradewind's services. ``--json`` prints one JSON document:
``{"groups": [{"companies": [...], "pairs": [{"ids", "score", "reasons", "codes"}]}],
"group_count", "pair_count"}``; ``codes`` are the reasons as stable ``[code, detail]`` pairs.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from tradewind.customers.dedup import selectors
from tradewind.customers.dedup.pairs import index_companies
from tradewind.customers.models import Company


class Command(BaseCommand):
    help = "List groups of likely duplicate customers across the workspace, with reasons."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print JSON for scripts")
        parser.add_argument(
            "--min-score", type=int, default=0, help="only pairs scoring at least this (0-100)"
        )
        parser.add_argument(
            "--reindex", action="store_true", help="rebuild every company's keys and pairs first"
        )

    def handle(self, *args, **options):
        min_score = options["min_score"]
        if not 0 <= min_score <= 100:
            raise CommandError("--min-score must be between 0 and 100.")
        if options["reindex"]:
            ids = list(Company.objects.order_by("pk").values_list("pk", flat=True))
            index_companies(ids)
            if not options["json"]:
                self.stdout.write(f"Re-indexed {len(ids):,} companies.")
        groups = selectors.report_groups(min_score=min_score)
        if options["json"]:
            document = {
                "groups": groups,
                "group_count": len(groups),
                "pair_count": sum(len(group["pairs"]) for group in groups),
            }
            self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
            return
        self._print_text(groups)

    def _print_text(self, groups: list[dict]) -> None:
        if not groups:
            self.stdout.write("No likely duplicates.")
            return
        pairs = sum(len(group["pairs"]) for group in groups)
        self.stdout.write(f"{len(groups)} group(s) of likely duplicates, {pairs} pair(s):\n")
        for number, group in enumerate(groups, 1):
            self.stdout.write(f"Group {number}")
            for company in group["companies"]:
                owner = company["owner"] or "public pool"
                country = company["country"] or "--"
                self.stdout.write(f"  #{company['id']:<8} {country}  {company['name']}  ({owner})")
            for pair in group["pairs"]:
                first, second = pair["ids"]
                reasons = "; ".join(pair["reasons"])
                self.stdout.write(f"    #{first} ~ #{second}  score {pair['score']}: {reasons}")
            self.stdout.write("")
