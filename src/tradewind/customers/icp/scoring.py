"""Fit scores of companies against the ideal customer profiles, kept in ``Company.icp_score`` and
``Company.icp_reasons`` so the list can filter and sort by them.

- ``rescore_company`` runs inside every company / contact write (``services.company_changed``).
- ``rescore_companies(ids)`` scores many companies in chunks of ``CHUNK`` with four queries a
  chunk plus one batched write; the importer calls it after a batch, or wraps its writes in
  ``defer_rescoring()`` so the per-company rescoring of the services waits for the batch.
- ``rescore_all()`` runs after a profile changes (``icp.services`` runs it inline for a small
  table, else the ``rescore_all_profiles`` task does, enqueued on commit).

Each chunk is scored in its own transaction with its rows locked, and reads the active profiles
afresh, so a pass that runs while a rep edits a company, or while a manager edits a profile,
never writes a score computed from stale data over a newer one: the edit's own rescore, or the
pass enqueued by the profile change, comes after it. Only changed rows are written, without
touching ``updated_at`` (a new score is not an edit of the company).

The stored reasons are a list of ``{"points", "rule", "value", "profile"[, "region"]}``: codes,
not sentences, so each user reads them in their own language (``icp.display``).
"""

from collections import defaultdict
from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connection, transaction

from tradewind.customers.dedup.keys import is_free_mail_domain
from tradewind.customers.icp.fit import Fit, ProfileSpec, best_fit, company_facts
from tradewind.customers.icp.models import IdealCustomerProfile
from tradewind.customers.models import Company, Contact, Tag

CHUNK = 500
COMPANY_COLUMNS = (
    "pk",
    "name",
    "country",
    "customer_type",
    "size",
    "website_domain",
    "products_of_interest",
    "notes",
    "icp_score",
    "icp_reasons",
)


def active_specs() -> list[ProfileSpec]:
    return [profile.to_spec() for profile in IdealCustomerProfile.objects.active()]


def company_fit(company: Company, specs: list[ProfileSpec] | None = None) -> Fit | None:
    """The company's best fit right now, read from the database (its contacts and tags)."""
    specs = active_specs() if specs is None else specs
    if not specs:
        return None
    reads_contacts = any(spec.check_company_email or spec.check_decision_maker for spec in specs)
    reads_text = any(
        spec.product_keywords or spec.keywords or spec.excluded_keywords for spec in specs
    )
    contacts = (
        list(company.contacts.values_list("email", "is_decision_maker")) if reads_contacts else []
    )
    facts = company_facts(
        name=company.name,
        country=company.country,
        customer_type=company.customer_type,
        size=company.size,
        website_domain=company.website_domain,
        products_of_interest=company.products_of_interest,
        notes=company.notes,
        tags=company.tags.values_list("name", flat=True) if reads_text else (),
        emails=[email for email, _dm in contacts if email],
        has_decision_maker=any(dm for _email, dm in contacts),
        is_free_mail=is_free_mail_domain,
    )
    return best_fit(specs, facts)


def _stored(fit: Fit | None) -> tuple[int | None, list]:
    return (None, []) if fit is None else (fit.score, fit.reasons_json())


_deferred: ContextVar[set[int] | None] = ContextVar("icp_deferred_rescoring", default=None)


@contextmanager
def defer_rescoring():
    """Inside this block ``rescore_company`` only notes the company; the block's end scores
    them all with ``rescore_companies`` (4 queries a chunk instead of 4 a company). For bulk
    writers such as the importer: ``with defer_rescoring(): for row in rows: company_create(…)``.
    Nested blocks score at the end of the outermost one; a block that fails still scores the
    companies it wrote, unless its transaction is broken (then they were rolled back)."""
    if _deferred.get() is not None:
        yield
        return
    pending: set[int] = set()
    token = _deferred.set(pending)
    try:
        yield
    finally:
        _deferred.reset(token)
        # Also after an error: rows written before it stay (the importer commits per row).
        if pending and not connection.needs_rollback:
            rescore_companies(pending)


def rescore_company(company: Company) -> None:
    """Recompute ``company.icp_score`` and ``icp_reasons`` after it or its contacts changed."""
    pending = _deferred.get()
    if pending is not None:
        pending.add(company.pk)
        return
    score, reasons = _stored(company_fit(company))
    if (score, reasons) == (company.icp_score, company.icp_reasons):
        return
    Company.objects.filter(pk=company.pk).update(icp_score=score, icp_reasons=reasons)
    company.icp_score, company.icp_reasons = score, reasons


def _chunk_facts(company_ids: list[int]) -> dict[int, tuple]:
    """{company id: (facts, stored score, stored reasons)} for one locked chunk."""
    rows = (
        Company.objects.select_for_update(of=("self",))
        .filter(pk__in=company_ids)
        .order_by()
        .values_list(*COMPANY_COLUMNS)
    )
    emails, deciders = defaultdict(list), set()
    contacts = Contact.objects.filter(company_id__in=company_ids).values_list(
        "company_id", "email", "is_decision_maker"
    )
    for company_id, email, is_decision_maker in contacts:
        if email:
            emails[company_id].append(email)
        if is_decision_maker:
            deciders.add(company_id)
    tags = defaultdict(list)
    links = Tag.companies.through.objects.filter(company_id__in=company_ids)
    for company_id, name in links.values_list("company_id", "tag__name"):
        tags[company_id].append(name)
    result = {}
    for pk, name, country, ctype, size, domain, products, notes, score, reasons in rows:
        facts = company_facts(
            name=name,
            country=country,
            customer_type=ctype,
            size=size,
            website_domain=domain,
            products_of_interest=products,
            notes=notes,
            tags=tags[pk],
            emails=emails[pk],
            has_decision_maker=pk in deciders,
            is_free_mail=is_free_mail_domain,
        )
        result[pk] = (facts, score, reasons)
    return result


def _score_chunk(company_ids: list[int]) -> int:
    """Score one chunk in its own transaction; returns how many rows changed."""
    with transaction.atomic():
        specs = active_specs()
        if not specs:
            return Company.objects.filter(pk__in=company_ids, icp_score__isnull=False).update(
                icp_score=None, icp_reasons=[]
            )
        changed = []
        for pk, (facts, score, reasons) in _chunk_facts(company_ids).items():
            new_score, new_reasons = _stored(best_fit(specs, facts))
            if (new_score, new_reasons) != (score, reasons):
                changed.append((pk, new_score, new_reasons))
        _write_scores(changed)
        return len(changed)


def _write_scores(rows: list[tuple[int, int | None, list]]) -> None:
    """One prepared UPDATE run for many rows (``executemany``). ``bulk_update`` builds a
    ``CASE WHEN id = … THEN …`` expression per row: ~1,000 rows/s, against ~20,000 this way."""
    if not rows:
        return
    reasons_field = Company._meta.get_field("icp_reasons")
    table = connection.ops.quote_name(Company._meta.db_table)
    sql = f"UPDATE {table} SET icp_score = %s, icp_reasons = %s WHERE id = %s"  # noqa: S608
    params = [
        (score, reasons_field.get_db_prep_value(reasons, connection), pk)
        for pk, score, reasons in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def rescore_companies(company_ids: Iterable[int]) -> int:
    """Rescore the given companies (e.g. just imported); returns how many scores changed."""
    ids = sorted({int(pk) for pk in company_ids})
    return sum(_score_chunk(ids[i : i + CHUNK]) for i in range(0, len(ids), CHUNK))


def rescore_all() -> int:
    """Rescore every company, chunk by chunk in id order; returns how many scores changed."""
    changed, last_id = 0, 0
    while True:
        ids = list(
            Company.objects.filter(pk__gt=last_id)
            .order_by("pk")
            .values_list("pk", flat=True)[:CHUNK]
        )
        if not ids:
            return changed
        changed += _score_chunk(ids)
        last_id = ids[-1]
