"""What each row of a batch becomes: the decisions of an import, before anything is written.

For each row, in file order:
1. rejected — it failed validation (validation.py), with the reason;
2. skipped as duplicate — its content (fingerprint) was already imported by an earlier real
   import into a company that still exists: importing the same file twice creates nothing;
3. a duplicate within the file — it shares a key with an earlier row of the file that was kept
   (created, or the target of a fill), and the engine's ``pair_score`` confirms it;
4. a duplicate of an existing company — ``find_duplicates_bulk`` (one lookup per batch) found
   one. Every match the engine returns counts: an exact key (same name, website, email, company
   email domain, phone, or phone's last 8 digits) or a similar name from its fuzzy threshold
   (``FUZZY_MIN_SCORE``); the best match is the one used;
5. otherwise created.

A duplicate (3 or 4) is then handled by the user's choice: skip it; fill the empty fields of
the existing company and add the contact when it is new (only a company the importer may see —
another rep's customer is skipped, not changed); or create a new company anyway.

Within the file, rows sharing only a block key (a word of the name) are compared by name first
(rapidfuzz over the whole block in one call) and only the closest are confirmed with
``pair_score``, so a 100k-row file is not compared row against row; each block key remembers
its last ``IN_FILE_BLOCK_LIMIT`` rows.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from rapidfuzz import fuzz, process

from tradewind.customers.dedup import engine
from tradewind.customers.dedup import keys as dk
from tradewind.customers.imports.choices import OnDuplicate, Outcome
from tradewind.customers.imports.validation import CleanRow, RowError
from tradewind.customers.normalize import normalize_company_name

IN_FILE_BLOCK_LIMIT = 20
PREFILTER_SLACK = 10  # the quick name comparison lets pass what pair_score may still accept


@dataclass
class Target:
    """A company rows go into: one created by this import (``row`` is the row creating it;
    ``pk`` is known once its batch is written), or an existing one (``pk`` only)."""

    pk: int | None = None
    row: CleanRow | None = None
    written: bool = False
    name: str = ""
    # The unsaved company, its contacts and tags while pending (built by the writer).
    company: object = None
    contacts: list = field(default_factory=list)
    tags: list[str] = field(default_factory=list)

    @property
    def created_here(self) -> bool:
        return self.row is not None

    @property
    def is_pending(self) -> bool:
        """Created by this import but not written yet (in this batch, or in a dry run)."""
        return self.row is not None and not self.written


@dataclass
class Entry:
    row_number: int
    candidate: engine.Candidate
    name_normalized: str
    target: Target


@dataclass
class Decision:
    row_number: int
    outcome: str
    reason: str = ""
    label: str = ""
    fingerprint: str = ""
    target: Target | None = None  # the company the row created, filled or duplicates
    fill_into: Target | None = None  # set when the row's data goes into an existing company
    row: CleanRow | None = None


class InFileIndex:
    """The keys of the rows of this file that were kept, to spot duplicates within the file."""

    def __init__(self):
        self._exact: dict[tuple[str, str], Entry] = {}
        self._blocks: dict[tuple[str, str], list[Entry]] = defaultdict(list)

    def add(self, keys: set[tuple[str, str]], entry: Entry) -> None:
        for key in keys:
            if key[0] in dk.EXACT_KINDS:
                self._exact.setdefault(key, entry)
            else:
                bucket = self._blocks[key]
                bucket.append(entry)
                if len(bucket) > IN_FILE_BLOCK_LIMIT:
                    del bucket[0]

    def find(
        self, candidate: engine.Candidate, keys: set[tuple[str, str]], name_normalized: str
    ) -> tuple[Entry, tuple[str, ...]] | None:
        """The earlier row this one duplicates, with the reasons, or None."""
        exact = {id(e): e for key in keys if (e := self._exact.get(key)) is not None}
        blocked = {
            id(entry): entry
            for key in keys
            if key[0] not in dk.EXACT_KINDS
            for entry in self._blocks.get(key, ())
            if id(entry) not in exact
        }
        similar = []
        if blocked and name_normalized:
            entries = list(blocked.values())
            hits = process.extract(
                name_normalized,
                [entry.name_normalized for entry in entries],
                scorer=fuzz.token_sort_ratio,
                score_cutoff=engine.FUZZY_MIN_SCORE - PREFILTER_SLACK,
                limit=5,
            )
            similar = [entries[index] for _name, _score, index in hits]
        best: tuple[int, Entry, tuple[str, ...]] | None = None
        for entry in [*exact.values(), *similar]:
            score, reasons = engine.pair_score(candidate, entry.candidate)
            if score and (
                best is None or (score, -entry.row_number) > (best[0], -best[1].row_number)
            ):
                best = (score, entry, reasons)
        return None if best is None else (best[1], best[2])


@dataclass
class Prior:
    """A row imported before, by another (real) import, into a company that still exists."""

    company_id: int
    file_name: str
    row_number: int


@dataclass
class BatchContext:
    """What the decisions of one batch need beyond the rows."""

    on_duplicate: str
    index: InFileIndex
    prior: dict[str, Prior]  # fingerprint → where it was imported before
    matches: dict[int, list[engine.Match]]  # row number → matches in the database
    fillable: set[int]  # ids of existing companies the importer may change


def _why(reasons) -> str:
    return "; ".join(reasons)


def _existing_reason(match: engine.Match) -> str:
    return _("Duplicate of “%(name)s” (%(owner)s): %(why)s") % {
        "name": match.company_name,
        "owner": match.owner_name,
        "why": _why(match.reasons),
    }


def decide_batch(rows: list[CleanRow | RowError], ctx: BatchContext) -> list[Decision]:
    return [decide_row(row, ctx) for row in rows]


def decide_row(row: CleanRow | RowError, ctx: BatchContext) -> Decision:
    if isinstance(row, RowError):
        return Decision(row.row_number, Outcome.REJECTED, row.reason, row.label, row.fingerprint)
    prior = ctx.prior.get(row.fingerprint)
    if prior is not None:
        reason = _("Already imported from %(file)s (row %(row)s).") % {
            "file": prior.file_name,
            "row": prior.row_number,
        }
        return _decision(row, Outcome.SKIPPED_DUPLICATE, reason, Target(pk=prior.company_id))
    keys = engine.candidate_keys(row.candidate)
    name_normalized = normalize_company_name(row.candidate.name)
    found = ctx.index.find(row.candidate, keys, name_normalized)
    if found is not None:
        entry, reasons = found
        reason = _("Same customer as row %(row)s of this file: %(why)s") % {
            "row": entry.row_number,
            "why": _why(reasons),
        }
        return _duplicate(row, entry.target, reason, keys, name_normalized, ctx)
    matches = ctx.matches.get(row.row_number) or []
    if matches:
        match = matches[0]
        target = Target(pk=match.company_id, name=match.company_name)
        return _duplicate(row, target, _existing_reason(match), keys, name_normalized, ctx)
    return _create(row, "", keys, name_normalized, ctx)


def _decision(row: CleanRow, outcome: str, reason: str, target: Target | None) -> Decision:
    return Decision(
        row.row_number, outcome, reason, row.label, row.fingerprint, target=target, row=row
    )


def _create(row, reason: str, keys, name_normalized: str, ctx: BatchContext) -> Decision:
    target = Target(row=row, name=row.company["name"])
    ctx.index.add(keys, Entry(row.row_number, row.candidate, name_normalized, target))
    return _decision(row, Outcome.CREATED, reason, target)


def _duplicate(row, target: Target, reason: str, keys, name_normalized, ctx) -> Decision:
    if ctx.on_duplicate == OnDuplicate.CREATE:
        note = _("Created although it looks like a duplicate. %(reason)s") % {"reason": reason}
        return _create(row, note, keys, name_normalized, ctx)
    if ctx.on_duplicate == OnDuplicate.FILL:
        if target.created_here or target.pk in ctx.fillable:
            decision = _decision(row, Outcome.UPDATED, reason, target)
            decision.fill_into = target
            return decision
        reason = _("%(reason)s — another rep's customer, so it was not changed.") % {
            "reason": reason
        }
    return _decision(row, Outcome.SKIPPED_DUPLICATE, reason, target)
