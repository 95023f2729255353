"""Product import from a spreadsheet: read the file, check every row, report, then write the
good rows or nothing, as the user chose.

The file checks are the lead import's (``customers.imports.parsing``): the type comes from the
bytes, XLSX zip bombs are refused before opening, XML is parsed without entity expansion,
formulas are read as their text and never evaluated, CSV encodings are detected.

Rules and judgement calls:
- Limits: ``MAX_IMPORT_BYTES`` (5 MB) and ``MAX_IMPORT_ROWS`` (5,000 products) a file.
- The header row is the first of the first ten rows with a recognisable model column
  (``columns.py``: English or Chinese names). Two columns read as the same field refuse the file.
- Rows are numbered as the spreadsheet shows them. Every bad row is reported with its line and
  every reason; a row is checked by the same rules as the product form (``services``).
- A model that appears again further down the file is refused on its later lines.
- A model that is already in the catalogue (ignoring case) is updated or skipped, by the user's
  choice. On update, an empty cell leaves the field as it is, so a sheet of models and prices
  only changes prices.
- "Good rows" mode writes the good rows and reports the bad; "all or nothing" writes nothing
  when any row is bad. Either way the write is one transaction.
- The checked table travels from the report page to the import button signed (Django's
  signing, an hour, this user only), so nothing is stored on the server in between; the import
  checks every row again against the catalogue as it is then.
- Numbers: "1,234.5" and "1234,5" are read, as are units after them ("22 kg", "60cm", "¥12.5",
  "500 pcs"); an HS code may hold dots or spaces, and a 9-digit code from a number cell gets
  its lost leading zero back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Upper
from django.utils.translation import gettext as _

from tradewind.catalog import columns as cols
from tradewind.catalog import services
from tradewind.catalog.models import CostBasis, HsCode, Product
from tradewind.core.audit import audit_event, diff, snapshot
from tradewind.core.errors import DomainError
from tradewind.core.models import AuditEvent
from tradewind.customers.imports import parsing
from tradewind.customers.imports.parsing import RejectedFile

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ROWS = 5000
HEADER_SEARCH_ROWS = 10
STAGE_SALT = "tradewind.catalog.import"
STAGE_MAX_AGE = 3600
BATCH = 500


class Mode:
    GOOD_ROWS = "good_rows"
    ALL_OR_NOTHING = "all_or_nothing"
    CHOICES = (GOOD_ROWS, ALL_OR_NOTHING)


class OnExisting:
    UPDATE = "update"
    SKIP = "skip"
    CHOICES = (UPDATE, SKIP)


@dataclass(frozen=True)
class Table:
    """The rows of an uploaded file: headers, and (line number, cells) below them."""

    file_name: str
    headers: list[str]
    rows: list[tuple[int, list[str]]]


@dataclass
class RowOutcome:
    line: int
    model: str
    action: str  # "create", "update", "unchanged", "skip" or "error"
    reasons: list[str] = field(default_factory=list)
    product: Product | None = None  # the product to write (not yet saved)
    changes: dict = field(default_factory=dict)


def change_labels(row: RowOutcome) -> list[str]:
    """The names of the fields an update changes, as the product form labels them."""
    labels = []
    for name in row.changes:
        try:
            labels.append(str(Product._meta.get_field(name).verbose_name).capitalize())
        except Exception:  # a key that is not a field keeps its name
            labels.append(name)
    return labels


@dataclass
class ImportReport:
    file_name: str
    mode: str
    on_existing: str
    rows: list[RowOutcome]
    written: bool = False
    ignored_headers: list[str] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def errors(self) -> list[RowOutcome]:
        return [row for row in self.rows if row.action == "error"]

    @property
    def to_write(self) -> int:
        return self.count("create") + self.count("update")

    @property
    def blocked(self) -> bool:
        """All or nothing, and something is wrong: nothing can be written."""
        return self.mode == Mode.ALL_OR_NOTHING and bool(self.errors)


# --- Reading the file ---------------------------------------------------------------------


def check_size(size_bytes: int) -> None:
    if size_bytes > MAX_IMPORT_BYTES:
        raise RejectedFile(
            _("The file is %(size).1f MB; the limit is %(limit)s MB. Split it into smaller files.")
            % {"size": size_bytes / (1024 * 1024), "limit": MAX_IMPORT_BYTES // (1024 * 1024)}
        )


def read_table(content: bytes, file_name: str = "") -> Table:
    """The file's header and rows; ``RejectedFile`` when it cannot be imported at all."""
    check_size(len(content))
    info = parsing.inspect_file(content)
    header_line, headers, rows = 0, [], []
    for line, cells in enumerate(parsing.iter_rows(content, info), start=1):
        if not header_line:
            if line > HEADER_SEARCH_ROWS:
                break
            if "model" in cols.match_headers(cells).values():
                header_line, headers = line, cells
            continue
        if parsing.is_blank(cells):
            continue
        rows.append((line, cells))
        if len(rows) > MAX_IMPORT_ROWS:
            raise RejectedFile(
                _("The file has more than %(limit)s products. Split it into smaller files.")
                % {"limit": MAX_IMPORT_ROWS}
            )
    if not header_line:
        raise RejectedFile(
            _(
                "No column of the first %(rows)s rows is recognisable as the model number. Name "
                "the columns, e.g. %(known)s, and upload the file again."
            )
            % {"rows": HEADER_SEARCH_ROWS, "known": cols.known_headers_hint()}
        )
    _check_header_clashes(headers)
    if not rows:
        raise RejectedFile(_("The file has a header but no products below it."))
    return Table(file_name=(file_name or "products.xlsx")[-200:], headers=headers, rows=rows)


def _check_header_clashes(headers: list[str]) -> None:
    seen: dict[str, str] = {}
    vocabulary = cols.match_headers(headers)
    for index, key in vocabulary.items():
        if key in seen:
            raise RejectedFile(
                _(
                    "The columns “%(first)s” and “%(second)s” are both read as %(field)s. Rename "
                    "or remove one of them."
                )
                % {"first": seen[key], "second": headers[index], "field": cols.BY_KEY[key].label}
            )
        seen[key] = headers[index]


# --- Staging between the report and the import ----------------------------------------------


def stage(actor, table: Table) -> str:
    payload = {"u": actor.pk, "f": table.file_name, "h": table.headers, "r": table.rows}
    return signing.dumps(payload, salt=STAGE_SALT, compress=True)


def unstage(actor, token: str) -> Table:
    try:
        payload = signing.loads(token, salt=STAGE_SALT, max_age=STAGE_MAX_AGE)
    except signing.SignatureExpired:
        raise DomainError(
            _("This check is more than an hour old. Upload the file again."), field="file"
        ) from None
    except (signing.BadSignature, ValueError, TypeError):
        raise DomainError(
            _("This import cannot be continued. Upload the file again."), field="file"
        ) from None
    if not isinstance(payload, dict) or payload.get("u") != actor.pk:
        raise DomainError(
            _("This import cannot be continued. Upload the file again."), field="file"
        )
    rows = [(int(line), [str(cell) for cell in cells]) for line, cells in payload["r"]]
    return Table(file_name=str(payload["f"]), headers=list(payload["h"]), rows=rows)


# --- Cells --------------------------------------------------------------------------------

UNIT_WORDS = re.compile(
    r"(?i)(rmb|cny|usd|kgs?|cm|mm|pcs?|pieces|sets?|ctns?|cartons?|days?|天|个|只|套|件|箱|元|公斤|千克)"
)
THOUSANDS = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")
SIZE_SPLIT = re.compile(r"\s*[x×X*/]\s*")


def parse_decimal(text: str) -> Decimal:
    value = UNIT_WORDS.sub("", text.replace("¥", "").replace("￥", "")).strip()
    value = value.replace(" ", "")
    if THOUSANDS.match(value):
        value = value.replace(",", "")
    elif value.count(",") == 1 and "." not in value:
        value = value.replace(",", ".")
    number = Decimal(value)
    if not number.is_finite():
        raise InvalidOperation
    return number


def parse_integer(text: str) -> int:
    number = parse_decimal(text)
    if number != number.to_integral_value():
        raise InvalidOperation
    return int(number)


def parse_hs_code(text: str) -> str:
    code = services.normalise_hs_code(text)
    if code.isdigit() and len(code) == 9:
        code = "0" + code
    return code


def parse_cost_basis(text: str) -> str:
    folded = cols.normalise_header(text)
    if folded in (cols.normalise_header(value) for value in CostBasis.values):
        return next(v for v in CostBasis.values if cols.normalise_header(v) == folded)
    if any(word in folded for word in ("factory", "工厂", "出厂", "manufactur", "excl")):
        return CostBasis.FACTORY_COST
    if any(word in folded for word in ("purchase", "采购", "含税", "trading", "incl")):
        return CostBasis.PURCHASE_INCL_VAT
    raise InvalidOperation


def parse_size(text: str) -> tuple[Decimal, Decimal, Decimal]:
    parts = SIZE_SPLIT.split(UNIT_WORDS.sub("", text).strip())
    if len(parts) != 3:
        raise InvalidOperation
    length, width, height = (parse_decimal(part) for part in parts)
    return length, width, height


def _cell_error(column: cols.Column, text: str) -> str:
    hints = {
        "decimal": _("a number, e.g. 12.5"),
        "integer": _("a whole number, e.g. 500"),
        "cost_basis": _("“purchase” (price incl. VAT) or “factory” (cost excl. VAT)"),
        "size": _("three sides, e.g. 60x40x50"),
    }
    return _("%(column)s “%(value)s” is not %(expected)s.") % {
        "column": column.label,
        "value": text[:40],
        "expected": hints.get(column.kind, "valid"),
    }


def row_values(headers_map: dict[int, str], cells: list[str]) -> tuple[dict, list[str]]:
    """The row's non-empty values by product field, and the reasons of cells that are wrong."""
    values: dict = {}
    reasons: list[str] = []
    for index, key in headers_map.items():
        column = cols.BY_KEY[key]
        text = cells[index].strip() if index < len(cells) else ""
        if not text or not column.importable:
            continue
        try:
            if column.kind == "decimal":
                values[key] = parse_decimal(text)
            elif column.kind == "integer":
                values[key] = parse_integer(text)
            elif column.kind == "hs_code":
                values[key] = parse_hs_code(text)
            elif column.kind == "cost_basis":
                values[key] = parse_cost_basis(text)
            elif column.kind == "size":
                values["carton_size"] = parse_size(text)
            else:
                values[key] = text
        except (InvalidOperation, ValueError):
            reasons.append(_cell_error(column, text))
    size = values.pop("carton_size", None)
    if size is not None:
        for name, side in zip(
            ("carton_length_cm", "carton_width_cm", "carton_height_cm"), size, strict=True
        ):
            values.setdefault(name, side)
    return values, reasons


# --- Checking the rows --------------------------------------------------------------------


def _error_text(exc: Exception) -> list[str]:
    if isinstance(exc, DomainError):
        return [exc.message]
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        texts = []
        for name, errors in exc.error_dict.items():
            label = name
            try:
                label = str(Product._meta.get_field(name).verbose_name).capitalize()
            except Exception:  # a non-field error keeps its key
                label = name
            texts.extend(f"{label}: {message}" for error in errors for message in error.messages)
        return texts
    if isinstance(exc, ValidationError):
        return list(exc.messages)
    raise exc


def _existing_by_model(models: set[str]) -> dict[str, Product]:
    """The catalogue's products whose model matches one of ``models`` (upper case) ignoring case."""
    found: dict[str, Product] = {}
    wanted = sorted(models)
    for start in range(0, len(wanted), BATCH):
        chunk = wanted[start : start + BATCH]
        matches = (
            Product.objects.select_related("hs_code")
            .annotate(model_upper=Upper("model"))
            .filter(model_upper__in=chunk)
        )
        for product in matches:
            found.setdefault(product.model.upper(), product)
    return found


def check_table(table: Table, *, on_existing: str) -> ImportReport:
    """Every row checked against the rules and the catalogue; nothing is written."""
    headers_map = cols.match_headers(table.headers)
    ignored = [
        header
        for index, header in enumerate(table.headers)
        if header and (index not in headers_map or not cols.BY_KEY[headers_map[index]].importable)
    ]
    hs_codes = {hs.code: hs for hs in HsCode.objects.all()}
    parsed = []
    for line, cells in table.rows:
        values, reasons = row_values(headers_map, cells)
        model = " ".join(str(values.get("model", "")).split())
        parsed.append((line, model, values, reasons))
    existing = _existing_by_model({model.upper() for _l, model, _v, _r in parsed if model})
    first_line: dict[str, int] = {}
    outcomes = []
    for line, model, values, reasons in parsed:
        outcome = RowOutcome(line=line, model=model, action="error", reasons=list(reasons))
        outcomes.append(outcome)
        key = model.upper()
        if model and key in first_line:
            outcome.reasons.append(
                _("Model %(model)s is also on line %(line)s; keep it once per file.")
                % {"model": model, "line": first_line[key]}
            )
            continue
        if model:
            first_line[key] = line
        current = existing.get(key)
        if current is not None and on_existing == OnExisting.SKIP:
            outcome.action = "skip"
            outcome.reasons = [_("Already in the catalogue; skipped as you chose.")]
            continue
        if outcome.reasons:
            continue
        _check_row(outcome, values, current, hs_codes)
    return ImportReport(
        file_name=table.file_name,
        mode=Mode.GOOD_ROWS,
        on_existing=on_existing,
        rows=outcomes,
        ignored_headers=ignored,
    )


def _check_row(outcome: RowOutcome, values: dict, current, hs_codes: dict) -> None:
    if "hs_code" in values:
        code = values["hs_code"]
        if code not in hs_codes:
            outcome.reasons.append(
                _(
                    "HS code %(code)s is not in the HS code list; a manager adds it under "
                    "Products → HS codes, or correct the code."
                )
                % {"code": code}
            )
            return
        values["hs_code"] = hs_codes[code]
    if current is None:
        product = Product(**values)
        before = None
    else:
        product = current
        before = snapshot(product, services.PRODUCT_FIELDS)
        values.pop("model", None)  # the catalogue's spelling of the model stays
        for name, value in values.items():
            setattr(product, name, value)
    try:
        services.check_product(product, in_bulk=True)
    except (DomainError, ValidationError) as exc:
        outcome.reasons.extend(_error_text(exc))
        return
    outcome.product = product
    if before is None:
        outcome.action = "create"
        outcome.changes = snapshot(product, services.PRODUCT_FIELDS)
    else:
        outcome.changes = diff(before, snapshot(product, services.PRODUCT_FIELDS))
        outcome.action = "update" if outcome.changes else "unchanged"


# --- Writing ------------------------------------------------------------------------------


def product_import(
    *, actor, table: Table, mode: str, on_existing: str, dry_run: bool = False
) -> ImportReport:
    """Check every row and, unless ``dry_run``, write the good ones (or, all or nothing, none
    when any row is bad) in one transaction, with one audit event per product written."""
    services.require_user(actor)
    if mode not in Mode.CHOICES:
        raise DomainError(_("Choose what to do with bad rows."), field="mode")
    if on_existing not in OnExisting.CHOICES:
        raise DomainError(
            _("Choose what to do with products you already have."), field="on_existing"
        )
    with transaction.atomic():
        report = check_table(table, on_existing=on_existing)
        report.mode = mode
        if dry_run or report.blocked or not report.to_write:
            return report
        try:
            _write(actor, report)
        except IntegrityError:
            raise DomainError(
                _(
                    "Someone changed the catalogue while this file was imported; nothing was "
                    "imported. Run the import again."
                ),
                field="file",
            ) from None
        report.written = True
    return report


def _write(actor, report: ImportReport) -> None:
    new = [row for row in report.rows if row.action == "create"]
    changed = [row for row in report.rows if row.action == "update"]
    for row in new:
        row.product.created_by = actor
    created = Product.objects.bulk_create([row.product for row in new], batch_size=BATCH)
    for row, product in zip(new, created, strict=True):
        row.product = product
    if not all(product.pk for product in created):  # a backend that returns no ids
        by_model = Product.objects.in_bulk([row.product.model for row in new], field_name="model")
        for row in new:
            row.product = by_model[row.product.model]
    # One UPDATE per changed product, of its changed columns: faster than bulk_update's CASE
    # expressions (5,000 rows: ~3.5 s against ~13 s on SQLite) and nothing else is touched.
    for row in changed:
        row.product.save(update_fields=[*row.changes, "updated_at"])
    events = [
        audit_event(actor=actor, action="import", instance=row.product, changes=row.changes)
        for row in new
    ] + [
        audit_event(actor=actor, action="update", instance=row.product, changes=row.changes)
        for row in changed
    ]
    AuditEvent.objects.bulk_create(events, batch_size=BATCH)
