"""Clause edits on one contract: change, reset to the company wording, add, remove. Each is an
optimistic edit of the contract (``lock_version``), like every other change to its terms."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from tradewind.contracts import clauses as clause_text
from tradewind.contracts.choices import ClauseKey
from tradewind.contracts.creation import ensure_clause_templates
from tradewind.contracts.models import Clause, ClauseTemplate, Contract
from tradewind.contracts.services import (
    _audit,
    _expected,
    _require_editable,
    save_guarded,
    visible_contract,
)
from tradewind.core.audit import diff, snapshot
from tradewind.core.errors import DomainError, NotFound


def _contract_of_clause(actor, clause_id) -> tuple[Clause, Contract]:
    clause = Clause.objects.visible_to(actor).filter(pk=clause_id).first()
    if clause is None:
        raise NotFound(_("No such clause."))
    return clause, visible_contract(actor, clause.contract_id)


def check_clause_text(title: str, body: str) -> None:
    if not title.strip():
        raise DomainError(_("Give the clause a title."), field="title")
    if len(body) > 20000:
        raise DomainError(_("The clause is too long (at most 20,000 characters)."), field="body")
    unknown = clause_text.unknown_placeholders(body)
    if unknown:
        raise DomainError(
            _(
                "%(names)s is not a contract field. Use one of the names listed beside the "
                "wording, or write the value without braces."
            )
            % {"names": ", ".join(f"{{{name}}}" for name in unknown)},
            field="body",
        )


@transaction.atomic
def clause_update(
    *, actor, clause_id: int, lock_version, title: str, body: str, body_zh: str = ""
) -> Clause:
    """Change a clause's wording for this contract only."""
    clause, contract = _contract_of_clause(actor, clause_id)
    expected = _expected(lock_version)
    _require_editable(contract)
    check_clause_text(title, body)
    check_clause_text(title, body_zh)
    before = snapshot(clause, ("title", "body", "body_zh"))
    clause.title, clause.body, clause.body_zh = title.strip(), body.strip(), body_zh.strip()
    template = clause.template
    clause.is_customised = template is None or (
        clause.body != template.body or clause.title != template.title
    )
    clause.save()
    save_guarded(contract, expected, [])
    changes = diff(before, snapshot(clause, ("title", "body", "body_zh")))
    if changes:
        _audit(actor, "update", clause, changes, contract=contract)
    return clause


@transaction.atomic
def clause_reset(*, actor, clause_id: int, lock_version) -> Clause:
    """Put the company-wide wording back."""
    clause, contract = _contract_of_clause(actor, clause_id)
    expected = _expected(lock_version)
    _require_editable(contract)
    template = clause.template or ClauseTemplate.objects.filter(key=clause.key).first()
    if template is None or clause.key == ClauseKey.CUSTOM:
        raise DomainError(_("This clause has no company-wide template to go back to."))
    clause.title, clause.body, clause.body_zh = template.title, template.body, template.body_zh
    clause.template, clause.is_customised = template, False
    clause.save()
    save_guarded(contract, expected, [])
    _audit(actor, "update", clause, {"body": ["…", _("company wording")]}, contract=contract)
    return clause


@transaction.atomic
def clause_add(
    *, actor, contract_id: int, lock_version, key: str, title: str = "", body: str = ""
) -> Clause:
    """Add a missing standard clause from its template, or an extra clause of our own."""
    contract = visible_contract(actor, contract_id)
    expected = _expected(lock_version)
    _require_editable(contract)
    if key not in ClauseKey.values:
        raise DomainError(_("Unknown clause."), field="key")
    position = (contract.clauses.order_by("-position").values_list("position", flat=True)
                .first() or 0) + 10  # fmt: skip
    if key == ClauseKey.CUSTOM:
        check_clause_text(title, body)
        clause = Clause.objects.create(
            contract=contract, key=key, title=title.strip(), body=body.strip(),
            position=position, is_customised=True,
        )  # fmt: skip
    else:
        if contract.clauses.filter(key=key).exists():
            raise DomainError(_("The contract already has this clause."), field="key")
        template = ensure_clause_templates() and ClauseTemplate.objects.filter(key=key).first()
        if template is None:
            raise DomainError(_("There is no company-wide wording for this clause."), field="key")
        clause = Clause.objects.create(
            contract=contract, key=key, template=template, title=template.title,
            body=template.body, body_zh=template.body_zh, position=template.position,
        )  # fmt: skip
    save_guarded(contract, expected, [])
    _audit(actor, "create", clause, {"title": clause.title}, contract=contract)
    return clause


@transaction.atomic
def clause_delete(*, actor, clause_id: int, lock_version) -> None:
    clause, contract = _contract_of_clause(actor, clause_id)
    expected = _expected(lock_version)
    _require_editable(contract)
    _audit(actor, "delete", clause, {"title": clause.title}, contract=contract)
    clause.delete()
    save_guarded(contract, expected, [])
