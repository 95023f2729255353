"""Possible-duplicate pairs, kept current as companies change, so the managers' page and the
console report read a small table instead of comparing every company with every other.

``refresh_pairs`` runs after a company's keys are rebuilt (``refresh_company_keys``): it looks the
company up like a new candidate (one query), then adds, updates or removes its pairs. A pair a
manager dismissed as "not a duplicate" is never removed or re-opened by this — only deleting one
of its companies (or merging them) makes it go. ``index_companies`` does the same for companies
created in bulk, with a constant number of queries per chunk of companies.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Q

from tradewind.customers.dedup import engine
from tradewind.customers.dedup import keys as dk
from tradewind.customers.dedup.models import DedupKey, DuplicatePair
from tradewind.customers.models import Company, Contact

PAIRS_PER_COMPANY = 10
INDEX_CHUNK = 500


def _name_of(keys: Iterable[tuple[str, str]]) -> str:
    return next((value for kind, value in keys if kind == dk.NAME), "")


def _ordered(company_id: int, other_id: int) -> tuple[int, int]:
    return (company_id, other_id) if company_id < other_id else (other_id, company_id)


def _save_pairs(found: dict[tuple[int, int], engine.Scored], involved: set[int]) -> None:
    """Make the stored pairs of the ``involved`` companies exactly ``found`` (dismissed pairs
    stay as they are)."""
    existing = {
        (pair.company_a_id, pair.company_b_id): pair
        for pair in DuplicatePair.objects.filter(
            Q(company_a_id__in=involved) | Q(company_b_id__in=involved)
        )
    }
    stale = [
        pair.pk for ids, pair in existing.items() if ids not in found and pair.dismissed_at is None
    ]
    if stale:
        DuplicatePair.objects.filter(pk__in=stale).delete()
    changed, new = [], []
    for ids, scored in found.items():
        reasons = [list(reason) for reason in scored.reasons]
        pair = existing.get(ids)
        if pair is None:
            new.append(
                DuplicatePair(
                    company_a_id=ids[0], company_b_id=ids[1], score=scored.score, reasons=reasons
                )
            )
        elif (pair.score, pair.reasons) != (scored.score, reasons):
            pair.score, pair.reasons = scored.score, reasons
            changed.append(pair)
    if changed:
        DuplicatePair.objects.bulk_update(changed, ["score", "reasons"])
    if new:
        DuplicatePair.objects.bulk_create(new, ignore_conflicts=True)


def refresh_pairs(company_id: int, keys: set[tuple[str, str]], country: str) -> None:
    """Recompute the possible duplicates of one company from its current keys."""
    scored = engine.find_scored(
        keys,
        name_normalized=_name_of(keys),
        country=country,
        exclude_company_id=company_id,
        limit=PAIRS_PER_COMPANY,
    )
    _save_pairs({_ordered(company_id, s.company_id): s for s in scored}, {company_id})


def _keys_of_companies(company_ids: list[int]) -> dict[int, tuple[set, str]]:
    contacts: dict[int, list[tuple[str, str, str]]] = defaultdict(list)
    for row in Contact.objects.filter(company_id__in=company_ids).values_list(
        "company_id", "email", "phone", "whatsapp"
    ):
        contacts[row[0]].append(row[1:])
    result = {}
    for pk, name, normalized, country, website in Company.objects.filter(
        pk__in=company_ids
    ).values_list("pk", "name", "name_normalized", "country", "website"):
        people = contacts[pk]
        keys = dk.keys_of(
            name=name,
            country=country,
            website=website,
            emails=[email for email, _phone, _whatsapp in people if email],
            phones=[number for _email, *numbers in people for number in numbers if number],
            normalized_name=normalized or None,
        )
        result[pk] = (keys, country)
    return result


def index_companies(company_ids: Iterable[int]) -> None:
    """Rebuild the keys and pairs of many companies, chunk by chunk (a few queries each)."""
    ids = sorted(set(company_ids))
    for start in range(0, len(ids), INDEX_CHUNK):
        chunk = ids[start : start + INDEX_CHUNK]
        keyed = _keys_of_companies(chunk)
        DedupKey.objects.filter(company_id__in=chunk).delete()
        DedupKey.objects.bulk_create(
            (
                DedupKey(company_id=pk, kind=kind, value=value)
                for pk, (keys, _country) in keyed.items()
                for kind, value in sorted(keys)
            ),
            batch_size=2000,
        )
        found_rows = engine.lookup(key for keys, _country in keyed.values() for key in keys)
        found: dict[tuple[int, int], engine.Scored] = {}
        for pk, (keys, country) in keyed.items():
            probe = engine.Probe(frozenset(keys), _name_of(keys), country)
            for scored in engine.score_probe(
                probe, found_rows, exclude_company_id=pk, limit=PAIRS_PER_COMPANY
            ):
                ids = _ordered(pk, scored.company_id)
                if ids not in found or found[ids].score < scored.score:
                    found[ids] = scored
        _save_pairs(found, set(keyed))
