"""The duplicate-check engine (查重): which existing companies a new or changed one may be.

How it works, and why it stays fast at a million companies:

1. Keys. A candidate (typed on the form, sent to the API, or a row of an import) is turned into
   the same ``(kind, value)`` keys that every stored company has in the ``DedupKey`` table
   (keys.py): exact keys (normalised name, website host, email, company email domain, phone in
   E.164 and its last 8 digits) and block keys (distinctive words of the name, the start of the
   name).
2. One lookup. A single SQL statement reads, for every key of the candidate, at most
   ``BLOCK_LIMIT`` companies sharing it (the newest first, straight from the (kind, value,
   company) index), and for its prefix key the ``NEAR_LIMIT`` names just before and after it
   in the index (a sorted neighbourhood: a typo after the first letters still lands next to
   the right name), with their names and owners. Its cost depends on the number of keys, never
   on the size of the table: a word shared by 100,000 buyers costs the same as a rare one.
   SQLite gets a correlated ``IN (… LIMIT n)``, PostgreSQL a ``LATERAL`` join — the same plan.
3. Scoring, in Python. A shared exact key is a match on its own (``EXACT_SCORES``: the same
   email, website, phone or name scores 100; a company email domain 95; the last 8 digits of a
   phone 90; the same name in another country 90). Companies that only share a block key are
   compared by name with rapidfuzz's ``token_sort_ratio`` (word order ignored) and match from
   ``FUZZY_MIN_SCORE``; a different country costs ``OTHER_COUNTRY_PENALTY`` points, and the
   same country wins a tie.

Judgement calls: a company met only in a full word block is not scored (see ``score_probe``).
The last 8 digits of a phone count only when the countries agree (or one is
unknown) — across a million numbers, two countries share 8-digit endings by chance. Names whose
numbers differ ("Plant 2" / "Plant 3") never match fuzzily, nor do very short names (under
``FUZZY_MIN_LENGTH`` characters) — too many false alarms. A match from ``CERTAIN_SCORE`` is
"certain": the block policy refuses it; weaker matches only warn.
Matches are not filtered by the visibility rule — the point is to tell a rep that a colleague
already owns the buyer — so a ``Match`` holds only the name, the owner and the reasons, never
contacts or notes.

``find_duplicates_bulk`` does the same for a batch of import rows in one or two queries per
batch; it does not compare the rows with each other — the importer does that with
``candidate_keys`` and ``pair_score``, so both sides share one definition of a duplicate.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import connection
from django.utils.translation import gettext as _
from rapidfuzz import fuzz, process

from tradewind.accounts.models import User
from tradewind.customers.dedup import keys as dk
from tradewind.customers.dedup import reasons as why
from tradewind.customers.dedup.models import DedupKey
from tradewind.customers.models import Company
from tradewind.customers.normalize import normalize_company_name

BLOCK_LIMIT = 20  # companies read per key (newest first)
NEAR_LIMIT = 10  # sorted neighbours read on each side of a prefix key
FUZZY_MIN_SCORE = 88
FUZZY_MIN_LENGTH = 4
CERTAIN_SCORE = 95
OTHER_COUNTRY_PENALTY = 5
EXACT_SCORES = {"email": 100, "web": 100, "phone": 100, "name": 100, "domain": 95, "ph8": 90}
NAME_IN_OTHER_COUNTRY_SCORE = 90
WHOLE_NAME_CUTOFF = 2 * FUZZY_MIN_SCORE - 101  # (75 + 100) / 2 still rounds below 88
KEYS_PER_QUERY = 2000  # 4,000 parameters, well under both databases' limits
_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True)
class Candidate:
    """A company that may not exist yet. Phones raw or E.164 (parsed with ``country``)."""

    name: str = ""
    country: str = ""
    website: str = ""
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()


@dataclass(frozen=True)
class Match:
    """An existing company the candidate may be. ``owner_name`` is "Public pool" without owner;
    ``exact`` when an exact key is shared; ``reasons`` are sentences in the active language."""

    company_id: int
    company_name: str
    owner_id: int | None
    owner_name: str
    score: int
    reasons: tuple[str, ...]
    exact: bool

    @property
    def is_certain(self) -> bool:
        return self.score >= CERTAIN_SCORE


@dataclass
class Scored:
    """A match before it is presented: reason codes instead of sentences (stored with pairs)."""

    company_id: int
    score: int
    exact: bool
    reasons: list[tuple[str, object]]
    same_country: bool
    row: tuple = field(repr=False)


@dataclass(frozen=True)
class Probe:
    """What is known of the company looked for: its keys, normalised name and country."""

    keys: frozenset
    name_normalized: str
    country: str


def probe_of(candidate: Candidate) -> Probe:
    name = normalize_company_name(candidate.name[:400])
    return Probe(frozenset(stored_keys_of(candidate)), name, candidate.country.strip().upper())


def stored_keys_of(candidate: Candidate) -> set[tuple[str, str]]:
    """The keys of a candidate exactly as they are stored for companies (see keys.py)."""
    return dk.keys_of(
        name=candidate.name,
        country=candidate.country.strip().upper(),
        website=candidate.website,
        emails=candidate.emails,
        phones=candidate.phones,
    )


def candidate_keys(candidate: Candidate) -> set[tuple[str, str]]:
    """The exact and block keys of a candidate: two candidates sharing one are worth comparing
    with ``pair_score`` (an importer's duplicates within one file)."""
    return {dk.blocking_key(key) for key in stored_keys_of(candidate)}


# --- The lookup ------------------------------------------------------------------------------

# Columns of each row: kind, value, company id, name, normalised name, country, owner id,
# owner's first name, last name, username.
_COLUMNS = (
    "c.id, c.name, c.name_normalized, c.country, c.owner_id, u.first_name, u.last_name, u.username"
)


# The statement's pieces. Only quoted table names, constants and ``%s`` placeholders are put
# into them; the keys are always parameters.
_EQUAL_BLOCK = (
    "SELECT k.company_id FROM {keys} k WHERE k.kind = w.kind AND k.value = w.value "
    "ORDER BY k.company_id DESC LIMIT {limit}"
)
_NEAR_BLOCK = (
    "SELECT k.company_id FROM {keys} k WHERE k.kind = '{kind}' AND k.value {operator} p.value "
    "ORDER BY k.value {order} LIMIT {limit}"
)
_SELECT = "SELECT {key}, {columns} FROM {source} {join} LEFT JOIN {users} u ON u.id = c.owner_id"
_JOIN = {
    "postgresql": "CROSS JOIN LATERAL ({block}) hit JOIN {companies} c ON c.id = hit.company_id",
    "sqlite": "JOIN {companies} c ON c.id IN ({block})",  # a correlated IN: the same plan
}


def _lookup_sql(equal_count: int, near_count: int) -> str:
    """The one lookup statement: ``equal_count`` keys looked up by equality, then
    ``near_count`` prefix keys looked up as sorted neighbourhoods (``NEAR_LIMIT`` names on each
    side, read along the (kind, value) index)."""
    quote = connection.ops.quote_name
    names = {
        "keys": quote(DedupKey._meta.db_table),
        "companies": quote(Company._meta.db_table),
        "users": quote(User._meta.db_table),
        "columns": _COLUMNS,
    }
    join = _JOIN["postgresql" if connection.vendor == "postgresql" else "sqlite"]
    cast = "::text" if connection.vendor == "postgresql" else ""
    ctes, parts = [], []
    if equal_count:
        ctes.append(
            "w(kind, value) AS (VALUES " + ", ".join([f"(%s{cast}, %s{cast})"] * equal_count) + ")"
        )
        block = _EQUAL_BLOCK.format(limit=BLOCK_LIMIT, **names)
        joined = join.format(block=block, **names)
        parts.append(_SELECT.format(key="w.kind, w.value", source="w", join=joined, **names))
    if near_count:
        ctes.append("p(value) AS (VALUES " + ", ".join([f"(%s{cast})"] * near_count) + ")")
        for operator, order in ((">=", "ASC"), ("<", "DESC")):
            block = _NEAR_BLOCK.format(
                kind=dk.PREFIX, operator=operator, order=order, limit=NEAR_LIMIT, **names
            )
            joined = join.format(block=block, **names)
            key = f"'{dk.PREFIX}', p.value"
            parts.append(_SELECT.format(key=key, source="p", join=joined, **names))
    return "WITH " + ", ".join(ctes) + " " + " UNION ALL ".join(parts)


def lookup_statement(keys: list[tuple[str, str]]) -> tuple[str, list[str]]:
    """The SQL and parameters that look ``keys`` up (also run raw by the benchmark)."""
    equal = [key for key in keys if key[0] != dk.PREFIX]
    near = [value for kind, value in keys if kind == dk.PREFIX]
    params = [part for key in equal for part in key] + near
    return _lookup_sql(len(equal), len(near)), params


def lookup(keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], list[tuple]]:
    """For each key, the companies sharing it (at most ``BLOCK_LIMIT``, newest first) or, for
    a prefix key, its ``2 × NEAR_LIMIT`` sorted neighbours: ``{key: [row, …]}`` where a row is
    (id, name, name_normalized, country, owner_id, first_name, last_name, username)."""
    wanted = sorted(set(keys))
    found: dict[tuple[str, str], list[tuple]] = defaultdict(list)
    for start in range(0, len(wanted), KEYS_PER_QUERY):
        sql, params = lookup_statement(wanted[start : start + KEYS_PER_QUERY])
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            for kind, value, *row in cursor.fetchall():
                found[(kind, value)].append(tuple(row))
    return found


# --- Scoring ---------------------------------------------------------------------------------


def _numbers(name: str) -> frozenset[str]:
    return frozenset(_DIGITS.findall(name))


def name_similarity(name_a: str, name_b: str) -> int:
    """0–100 for two normalised names, word order ignored; 0 when they are too short or their
    numbers differ.

    Words the names share are set aside and what is left counts as much as the whole:
    otherwise a long shared word carries two different buyers over the line ("Falke
    Handelsgesellschaft" and "Elbe Handelsgesellschaft" are 90 % alike letter by letter, but
    "falke" and "elbe" only 44 %: 67 in all), while a typo stays close ("nordlicht leuchten" /
    "nordlict leuchten": 97 and 94, so 96). Names under 75 % alike letter by letter cannot reach
    ``FUZZY_MIN_SCORE`` and score 0 without the second step.
    """
    if min(len(name_a), len(name_b)) < FUZZY_MIN_LENGTH or _numbers(name_a) != _numbers(name_b):
        return 0
    whole = fuzz.token_sort_ratio(name_a, name_b, score_cutoff=WHOLE_NAME_CUTOFF)
    if not whole:
        return 0
    words_a, words_b = Counter(name_a.split()), Counter(name_b.split())
    rest_a = " ".join(sorted((words_a - words_b).elements()))
    rest_b = " ".join(sorted((words_b - words_a).elements()))
    if rest_a and rest_b:
        whole = (whole + fuzz.ratio(rest_a, rest_b)) / 2
    return round(whole)


def _score(
    probe: Probe, shared: set[tuple[str, str]], row: tuple, *, alike: bool = True
) -> Scored | None:
    """Score one company; ``alike=False`` when its name is known to be too far off already."""
    company_id, _name, name_normalized, country = row[:4]
    other_country = bool(probe.country and country and probe.country != country)
    exact = {(kind, value) for kind, value in shared if kind in dk.EXACT_KINDS}
    kinds = {kind for kind, _value in exact}
    reasons: list[tuple[str, object]] = []
    score = 0
    for kind, value in sorted(exact, key=lambda key: -EXACT_SCORES[key[0]]):
        if kind == dk.DOMAIN and (dk.WEB, value) in exact:
            continue  # "same website" already says it
        if kind == dk.PHONE_TAIL and (dk.PHONE in kinds or other_country):
            continue  # the full number says more; in another country, 8 digits are chance
        kind_score = EXACT_SCORES[kind]
        if kind == dk.NAME and other_country:
            kind_score = NAME_IN_OTHER_COUNTRY_SCORE
        score = max(score, kind_score)
        reasons.append((kind, "" if kind == dk.NAME else value))
    if alike and dk.NAME not in kinds and name_normalized:
        similarity = name_similarity(probe.name_normalized, name_normalized)
        if other_country:
            similarity -= OTHER_COUNTRY_PENALTY
        if similarity >= FUZZY_MIN_SCORE:
            score = max(score, similarity)
            reasons.append((why.FUZZY, similarity))
    if not reasons:
        return None
    if other_country:
        reasons.append((why.OTHER_COUNTRY, country))
    return Scored(company_id, min(score, 100), bool(exact), reasons, not other_country, row)


def _rank(scored: Iterable[Scored], limit: int) -> list[Scored]:
    ordered = sorted(
        scored,
        key=lambda s: (-s.score, not s.same_country, not s.exact, -len(s.reasons), -s.company_id),
    )
    return ordered[:limit]


def score_probe(
    probe: Probe,
    found: dict[tuple[str, str], list[tuple]],
    *,
    exclude_company_id: int | None,
    limit: int,
) -> list[Scored]:
    """Score the companies that share a key with ``probe``; the best ``limit`` of them.

    A company met only in one full block (``BLOCK_LIMIT`` rows: a common word, read newest
    first) is not scored: it is there because it is new, not because it is alike — a real
    near-duplicate shares a second key (another word, the start of the name) or a small block.
    This keeps a batch of 1,000 import rows from scoring 50 arbitrary names per common word."""
    shared: dict[int, set[tuple[str, str]]] = defaultdict(set)
    rows: dict[int, tuple] = {}
    for key in probe.keys:
        for row in found.get(key, ()):
            shared[row[0]].add(key)
            rows[row[0]] = row
    rows.pop(exclude_company_id, None)
    worth = {cid: row for cid, row in rows.items() if _worth_scoring(shared[cid], found)}
    alike = _alike_names(probe.name_normalized, worth)
    scored = (_score(probe, shared[cid], row, alike=cid in alike) for cid, row in worth.items())
    return _rank([s for s in scored if s is not None], limit)


def _alike_names(name: str, rows: dict[int, tuple]) -> set[int]:
    """The companies whose names pass rapidfuzz's first cut, in one call (C loop)."""
    if len(name) < FUZZY_MIN_LENGTH or not rows:
        return set()
    choices = {cid: row[2] for cid, row in rows.items() if row[2]}
    passed = process.extract(
        name,
        choices,
        scorer=fuzz.token_sort_ratio,
        score_cutoff=WHOLE_NAME_CUTOFF,
        limit=None,
    )
    return {cid for _choice, _score, cid in passed}


def _worth_scoring(shared: set[tuple[str, str]], found: dict) -> bool:
    if len(shared) > 1:
        return True
    ((kind, value),) = shared
    return kind != dk.TOKEN or len(found[(kind, value)]) < BLOCK_LIMIT


def present(scored: Scored) -> Match:
    company_id, name, _norm, _country, owner_id, first, last, username = scored.row
    owner_name = f"{first or ''} {last or ''}".strip() or (username or "")
    return Match(
        company_id=company_id,
        company_name=name,
        owner_id=owner_id,
        owner_name=owner_name if owner_id else _("Public pool"),
        score=scored.score,
        reasons=why.describe_all(scored.reasons),
        exact=scored.exact,
    )


def pair_score(a: Candidate, b: Candidate) -> tuple[int, tuple[str, ...]]:
    """How alike two candidates are (0 = not duplicates) and why — for duplicates within one
    import file, with the same rules as against the database."""
    probe_a, probe_b = probe_of(a), probe_of(b)
    row_b = (0, b.name, probe_b.name_normalized, probe_b.country, None, "", "", "")
    scored = _score(probe_a, set(probe_a.keys & probe_b.keys), row_b)
    if scored is None:
        return 0, ()
    return scored.score, why.describe_all(scored.reasons)


# --- Public API ------------------------------------------------------------------------------


def find_scored(
    keys: Iterable[tuple[str, str]],
    *,
    name_normalized: str,
    country: str,
    exclude_company_id: int | None = None,
    limit: int = 5,
) -> list[Scored]:
    """The best matches of a stored company's keys (for the pairs) — one query."""
    probe = Probe(frozenset(keys), name_normalized, country.upper())
    found = lookup(probe.keys)
    return score_probe(probe, found, exclude_company_id=exclude_company_id, limit=limit)


def find_duplicates(
    candidate: Candidate, *, exclude_company_id: int | None = None, limit: int = 5
) -> list[Match]:
    """The existing companies ``candidate`` may be, best first — one query."""
    probe = probe_of(candidate)
    if not probe.keys:
        return []
    found = lookup(probe.keys)
    scored = score_probe(probe, found, exclude_company_id=exclude_company_id, limit=limit)
    return [present(s) for s in scored]


def find_duplicates_bulk(candidates: Sequence[Candidate], *, limit: int = 3) -> list[list[Match]]:
    """``find_duplicates`` for each candidate of a batch, in one query per 2,000 distinct keys
    (a batch of 500–1,000 import rows: one or two). Rows are not compared with each other."""
    probes = [probe_of(candidate) for candidate in candidates]
    found = lookup(key for probe in probes for key in probe.keys)
    return [
        [present(s) for s in score_probe(probe, found, exclude_company_id=None, limit=limit)]
        for probe in probes
    ]


def bulk_index_companies(company_ids: Iterable[int]) -> None:
    """Key companies created in bulk (the importer's ``bulk_create``) and find their pairs."""
    from tradewind.customers.dedup.pairs import index_companies

    index_companies(company_ids)
