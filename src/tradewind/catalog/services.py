"""Writes to the product catalogue: products, their photos and HS codes. Each service is atomic,
checks the actor may act, records an audit event and leaves file removal to
``transaction.on_commit``.

Who may do what: every active user adds and edits products and their photos (reps quote every
day); deactivating and reactivating a product, and creating or editing HS codes, is for
managers and admins. ``actor=None`` is the console or the demo seeder and may do everything
(recorded as "Tradewind").

Rules and judgement calls:
- A model number is unique ignoring case and surrounding spaces ("led-p60" is "LED-P60"); it may
  not start with = + - @ (it would run as a formula in a spreadsheet) and no text may hold
  control characters.
- Packing is all or nothing per measure: the three carton sides go together; net weight needs
  the gross weight and may not exceed it. Sides are at most 1,500 cm and the gross weight at
  most 30,480 kg (what a container can take), as the trade core checks.
- Photo changes are recorded on the product ("Product photos: — → front view"), so the product's
  history shows them.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Max
from django.db.models.functions import Upper
from django.utils.translation import gettext as _

from tradewind.catalog.models import CostBasis, HsCode, Product, ProductPhoto
from tradewind.core.audit import audit_record, diff, snapshot
from tradewind.core.errors import DomainError, NotFound, PermissionDenied
from tradewind.core.images import check_image
from tradewind.trade.containers import MAX_CARTON_SIDE_CM, MAX_CARTON_WEIGHT_KG

PRODUCT_FIELDS = (
    "model",
    "name_en",
    "name_zh",
    "specification",
    "material",
    "hs_code",
    "unit",
    "cost_basis",
    "unit_cost_rmb",
    "supplier",
    "moq",
    "lead_time_days",
    "pcs_per_carton",
    "carton_length_cm",
    "carton_width_cm",
    "carton_height_cm",
    "carton_net_weight_kg",
    "carton_gross_weight_kg",
    "packing_notes",
    "notes",
)
TEXT_FIELDS = (
    "model",
    "name_en",
    "name_zh",
    "specification",
    "material",
    "unit",
    "supplier",
    "packing_notes",
    "notes",
)
HS_FIELDS = ("description_zh", "description_en", "vat_percent", "rebate_percent")
MAX_PHOTOS = 12
FORMULA_START = ("=", "+", "-", "@")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
HS_SEPARATORS = re.compile(r"[\s.\-]")


# --- Who may act --------------------------------------------------------------------------


def can_manage_catalog(user) -> bool:
    """Deactivate products and edit HS codes: managers and admins (and the console)."""
    return user is None or (user.is_active and (user.is_manager or user.is_workspace_admin))


def require_user(actor) -> None:
    if actor is not None and not (actor.is_authenticated and actor.is_active):
        raise PermissionDenied(_("Sign in to change the catalogue."))


def _require_manager(actor, message: str) -> None:
    require_user(actor)
    if not can_manage_catalog(actor):
        raise PermissionDenied(message)


# --- Values -------------------------------------------------------------------------------


def normalise_hs_code(value) -> str:
    """Digits only: "9405.11.0000" and "9405 1100 00" are "9405110000"."""
    return HS_SEPARATORS.sub("", str(value or "").strip())


def _decimal(product: Product, name: str) -> None:
    value = getattr(product, name)
    if value is None or value == "":
        setattr(product, name, None)
        return
    try:
        if isinstance(value, float | bool):
            raise InvalidOperation
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
        if not number.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        label = Product._meta.get_field(name).verbose_name
        raise DomainError(
            _("%(label)s must be a number, e.g. 12.50.") % {"label": str(label).capitalize()},
            field=name,
        ) from None
    places = Product._meta.get_field(name).decimal_places
    if -number.normalize().as_tuple().exponent <= places:
        # Stored as the database stores it, so 109.5 and 109.5000 are the same value.
        number = number.quantize(Decimal(1).scaleb(-places))
    setattr(product, name, number)


def _integer(product: Product, name: str) -> None:
    value = getattr(product, name)
    if value is None or value == "":
        setattr(product, name, None)
        return
    try:
        if isinstance(value, bool):
            raise ValueError
        number = Decimal(str(value).strip()) if not isinstance(value, int) else Decimal(value)
        if not number.is_finite() or number != number.to_integral_value():
            raise ValueError
    except (InvalidOperation, ValueError):
        label = str(Product._meta.get_field(name).verbose_name)
        raise DomainError(
            _("%(label)s must be a whole number, e.g. 500.") % {"label": label.capitalize()},
            field=name,
        ) from None
    setattr(product, name, int(number))


def _check_text(product: Product) -> None:
    for name in TEXT_FIELDS:
        value = getattr(product, name)
        value = "" if value is None else str(value)
        value = value.strip()
        if CONTROL_CHARACTERS.search(value):
            label = str(Product._meta.get_field(name).verbose_name).capitalize()
            raise DomainError(
                _("%(label)s holds a control character; remove it and save again.")
                % {"label": label},
                field=name,
            )
        setattr(product, name, value)
    product.model = " ".join(product.model.split())
    if not product.model:
        raise DomainError(_("Give the model or item number, e.g. LED-P6060-40W."), field="model")
    if product.model.startswith(FORMULA_START):
        raise DomainError(
            _("A model number cannot start with = + - or @ (spreadsheets run those as formulas)."),
            field="model",
        )
    if not product.name_en:
        raise DomainError(_("Give the English name buyers see on the quotation."), field="name_en")
    product.unit = product.unit or "pc"


def _check_unique_model(product: Product) -> None:
    clash = (
        Product.objects.annotate(model_upper=Upper("model"))
        .filter(model_upper=product.model.upper())
        .exclude(pk=product.pk)
        .first()
    )
    if clash is not None:
        raise DomainError(
            _("Model %(model)s already exists (%(name)s). Open it and edit it instead.")
            % {"model": clash.model, "name": clash.name_en},
            field="model",
            code="duplicate_model",
        )


def _hs_code(value) -> HsCode | None:
    if value is None or value == "" or isinstance(value, HsCode):
        return value or None
    code = normalise_hs_code(value)
    found = HsCode.objects.filter(pk=code).first()
    if found is None:
        raise DomainError(
            _(
                "HS code %(code)s is not in the HS code list. Pick one from the list, or ask a "
                "manager to add it under Products → HS codes."
            )
            % {"code": code},
            field="hs_code",
        )
    return found


def _check_positive(product: Product, name: str, *, maximum: Decimal | None = None) -> None:
    value = getattr(product, name)
    if value is None:
        return
    label = str(Product._meta.get_field(name).verbose_name).capitalize()
    if value <= 0:
        raise DomainError(_("%(label)s must be more than 0.") % {"label": label}, field=name)
    if maximum is not None and value > maximum:
        raise DomainError(
            _("%(label)s must be at most %(maximum)s.") % {"label": label, "maximum": maximum},
            field=name,
        )


def _check_packing(product: Product) -> None:
    sides = ("carton_length_cm", "carton_width_cm", "carton_height_cm")
    given = [name for name in sides if getattr(product, name) is not None]
    if given and len(given) < 3:
        missing = next(name for name in sides if name not in given)
        raise DomainError(
            _("Give all three carton sides (length × width × height in cm), or none."),
            field=missing,
        )
    for name in sides:
        _check_positive(product, name, maximum=MAX_CARTON_SIDE_CM)
    for name in ("carton_net_weight_kg", "carton_gross_weight_kg"):
        _check_positive(product, name, maximum=MAX_CARTON_WEIGHT_KG)
    net, gross = product.carton_net_weight_kg, product.carton_gross_weight_kg
    if net is not None and gross is None:
        raise DomainError(
            _("Give the gross weight per carton too (the net weight alone is not enough)."),
            field="carton_gross_weight_kg",
        )
    if net is not None and gross is not None and net > gross:
        raise DomainError(
            _("The net weight (%(net)s kg) cannot be more than the gross weight (%(gross)s kg).")
            % {"net": net, "gross": gross},
            field="carton_net_weight_kg",
        )
    for name in ("pcs_per_carton", "moq"):
        value = getattr(product, name)
        if value is not None and int(value) < 1:
            label = str(Product._meta.get_field(name).verbose_name)
            raise DomainError(
                _("%(label)s must be at least 1 (leave it empty if unknown).") % {"label": label},
                field=name,
            )


def check_product(product: Product, *, in_bulk: bool = False) -> None:
    """Clean and check an unsaved product by the catalogue's rules; raise ``DomainError`` (or
    ``ValidationError`` from the model's own field checks) naming the field at fault.

    ``in_bulk`` (the importer) skips what the importer checks for many rows at once: the
    unique model and the HS code's existence."""
    _check_text(product)
    for name in (
        "unit_cost_rmb",
        "carton_length_cm",
        "carton_width_cm",
        "carton_height_cm",
        "carton_net_weight_kg",
        "carton_gross_weight_kg",
    ):
        _decimal(product, name)
    for name in ("moq", "lead_time_days", "pcs_per_carton"):
        _integer(product, name)
    if product.unit_cost_rmb is None:
        raise DomainError(
            _("Give the purchase price or factory cost in RMB (0 if it is not known yet)."),
            field="unit_cost_rmb",
        )
    if product.unit_cost_rmb < 0:
        raise DomainError(_("The cost cannot be negative."), field="unit_cost_rmb")
    if product.cost_basis not in CostBasis.values:
        raise DomainError(_("Choose how the cost is given."), field="cost_basis")
    _check_packing(product)
    if in_bulk:
        product.full_clean(
            exclude=["created_by", "hs_code"], validate_unique=False, validate_constraints=False
        )
        return
    _check_unique_model(product)
    product.full_clean(exclude=["created_by"], validate_unique=False)


def _fields(fields: dict) -> dict:
    unknown = set(fields) - set(PRODUCT_FIELDS)
    if unknown:
        raise DomainError(f"Unknown product fields: {', '.join(sorted(unknown))}")
    if "hs_code" in fields:
        fields = dict(fields, hs_code=_hs_code(fields["hs_code"]))
    return fields


# --- Products -----------------------------------------------------------------------------


@transaction.atomic
def product_create(*, actor, **fields) -> Product:
    """Add a product to the catalogue."""
    require_user(actor)
    product = Product(created_by=actor, **_fields(fields))
    check_product(product)
    product.save()
    audit_record(
        actor=actor, action="create", instance=product, changes=snapshot(product, PRODUCT_FIELDS)
    )
    return product


def _locked_product(product_id: int) -> Product:
    product = Product.objects.select_for_update().filter(pk=product_id).first()
    if product is None:
        raise NotFound(_("No such product."))
    return product


@transaction.atomic
def product_update(*, actor, product_id: int, **fields) -> Product:
    """Change a product's fields; only what changed is audited."""
    require_user(actor)
    fields = _fields(fields)
    product = _locked_product(product_id)
    before = snapshot(product, PRODUCT_FIELDS)
    for name, value in fields.items():
        setattr(product, name, value)
    check_product(product)
    changes = diff(before, snapshot(product, PRODUCT_FIELDS))
    if changes:
        product.save()
        audit_record(actor=actor, action="update", instance=product, changes=changes)
    return product


@transaction.atomic
def product_set_active(*, actor, product_id: int, active: bool) -> Product:
    """Deactivate a product (hidden from new quotations, kept on old ones) or bring it back."""
    _require_manager(actor, _("Only a manager or an admin can deactivate or reactivate products."))
    product = _locked_product(product_id)
    if product.is_active != active:
        changes = {"is_active": [product.is_active, active]}
        product.is_active = active
        product.save(update_fields=["is_active", "updated_at"])
        audit_record(actor=actor, action="update", instance=product, changes=changes)
    return product


def product_deactivate(*, actor, product_id: int) -> Product:
    return product_set_active(actor=actor, product_id=product_id, active=False)


def product_reactivate(*, actor, product_id: int) -> Product:
    return product_set_active(actor=actor, product_id=product_id, active=True)


# --- Photos -------------------------------------------------------------------------------


def _photo_label(photo: ProductPhoto) -> str:
    return photo.caption or f"#{photo.pk}"


def _delete_file_on_commit(name: str) -> None:
    from django.core.files.storage import default_storage

    if name:
        transaction.on_commit(lambda: default_storage.delete(name))


@transaction.atomic
def photo_add(*, actor, product_id: int, upload, caption: str = "") -> ProductPhoto:
    """Check the picture (``core.images``) and add it after the product's other photos."""
    require_user(actor)
    product = _locked_product(product_id)
    caption = " ".join(str(caption or "").split())[:120]
    if CONTROL_CHARACTERS.search(caption):
        raise DomainError(_("The caption holds a control character."), field="caption")
    count = product.photos.count()
    if count >= MAX_PHOTOS:
        raise DomainError(
            _("A product can have %(limit)s photos; remove one before adding another.")
            % {"limit": MAX_PHOTOS},
            field="image",
        )
    checked = check_image(upload, field="image")
    last = product.photos.aggregate(last=Max("position"))["last"]
    photo = ProductPhoto(product=product, caption=caption, position=(last or 0) + 1)
    stored = checked.as_file()
    photo.image.save(stored.name, stored, save=False)
    try:
        photo.save()
    except Exception:
        photo.image.storage.delete(photo.image.name)
        raise
    label = caption or str(getattr(upload, "name", "") or "")[-120:] or _photo_label(photo)
    audit_record(actor=actor, action="update", instance=product, changes={"photos": [None, label]})
    return photo


def _photo_of(photo_id: int) -> ProductPhoto:
    photo = ProductPhoto.objects.select_related("product").filter(pk=photo_id).first()
    if photo is None:
        raise NotFound(_("No such photo."))
    return photo


@transaction.atomic
def photo_remove(*, actor, photo_id: int) -> Product:
    """Remove a photo; its file is deleted once the change is committed."""
    require_user(actor)
    photo = _photo_of(photo_id)
    product = _locked_product(photo.product_id)
    label, name = _photo_label(photo), photo.image.name
    photo.delete()
    _delete_file_on_commit(name)
    audit_record(actor=actor, action="update", instance=product, changes={"photos": [label, None]})
    return product


@transaction.atomic
def photo_reorder(*, actor, product_id: int, photo_ids: list[int]) -> list[ProductPhoto]:
    """Put the product's photos in the given order (every photo exactly once); the first one is
    the product's main picture on quotations."""
    require_user(actor)
    product = _locked_product(product_id)
    photos = {photo.pk: photo for photo in product.photos.all()}
    try:
        wanted = [int(pk) for pk in photo_ids]
    except (TypeError, ValueError):
        raise DomainError(_("The new order names an unknown photo."), field="photo_ids") from None
    if sorted(wanted) != sorted(photos):
        raise DomainError(
            _("The new order must name each of this product's photos exactly once."),
            field="photo_ids",
        )
    before = [_photo_label(photo) for photo in photos.values()]
    ordered = [photos[pk] for pk in wanted]
    for position, photo in enumerate(ordered, start=1):
        photo.position = position
    ProductPhoto.objects.bulk_update(ordered, ["position"])
    after = [_photo_label(photo) for photo in ordered]
    if before != after:
        audit_record(
            actor=actor, action="update", instance=product, changes={"photos": [before, after]}
        )
    return ordered


def photo_move(*, actor, photo_id: int, offset: int) -> list[ProductPhoto]:
    """Move a photo ``offset`` places earlier (negative) or later (positive) in its product."""
    photo = _photo_of(photo_id)
    ids = list(photo.product.photos.values_list("pk", flat=True))
    index = ids.index(photo.pk)
    target = min(max(index + offset, 0), len(ids) - 1)
    ids.insert(target, ids.pop(index))
    return photo_reorder(actor=actor, product_id=photo.product_id, photo_ids=ids)


# --- HS codes -----------------------------------------------------------------------------


def _prepare_hs_code(hs: HsCode) -> None:
    for name in ("description_zh", "description_en"):
        value = " ".join(str(getattr(hs, name) or "").split())
        if CONTROL_CHARACTERS.search(value):
            raise DomainError(_("The description holds a control character."), field=name)
        setattr(hs, name, value)
    for name in ("vat_percent", "rebate_percent"):
        value = getattr(hs, name)
        try:
            value = value if isinstance(value, Decimal) else Decimal(str(value).strip())
            if not value.is_finite():
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            raise DomainError(_("Give the rate in percent, e.g. 13."), field=name) from None
        if not Decimal(0) <= value <= Decimal(100):
            raise DomainError(_("A rate is between 0 and 100 percent."), field=name)
        if -value.normalize().as_tuple().exponent <= 2:
            value = value.quantize(Decimal("0.01"))
        setattr(hs, name, value)
    if hs.rebate_percent > hs.vat_percent:
        raise DomainError(
            _("The rebate rate (%(rebate)s%%) cannot be higher than the VAT rate (%(vat)s%%).")
            % {"rebate": hs.rebate_percent, "vat": hs.vat_percent},
            field="rebate_percent",
        )
    hs.full_clean(validate_unique=False)


@transaction.atomic
def hs_code_create(*, actor, code, **fields) -> HsCode:
    """Add a 10-digit Chinese HS code with its VAT and rebate rates (managers and admins)."""
    _require_manager(actor, _("Only a manager or an admin can add HS codes."))
    unknown = set(fields) - set(HS_FIELDS)
    if unknown:
        raise DomainError(f"Unknown HS code fields: {', '.join(sorted(unknown))}")
    code = normalise_hs_code(code)
    if not re.fullmatch(r"\d{10}", code):
        raise DomainError(
            _("An HS code here is the 10-digit Chinese tariff code, e.g. 9405110000."),
            field="code",
        )
    if HsCode.objects.filter(pk=code).exists():
        raise DomainError(
            _("HS code %(code)s is already in the list; edit it instead.") % {"code": code},
            field="code",
            code="duplicate_hs_code",
        )
    hs = HsCode(code=code, **fields)
    _prepare_hs_code(hs)
    hs.save(force_insert=True)
    audit_record(
        actor=actor, action="create", instance=hs, changes=snapshot(hs, ("code", *HS_FIELDS))
    )
    return hs


@transaction.atomic
def hs_code_update(*, actor, code, **fields) -> HsCode:
    """Change an HS code's descriptions or rates (managers and admins). Quotations already made
    keep the rates they copied."""
    _require_manager(actor, _("Only a manager or an admin can change HS codes."))
    unknown = set(fields) - set(HS_FIELDS)
    if unknown:
        raise DomainError(f"Unknown HS code fields: {', '.join(sorted(unknown))}")
    hs = HsCode.objects.select_for_update().filter(pk=normalise_hs_code(code)).first()
    if hs is None:
        raise NotFound(_("No such HS code."))
    before = snapshot(hs, HS_FIELDS)
    for name, value in fields.items():
        setattr(hs, name, value)
    _prepare_hs_code(hs)
    changes = diff(before, snapshot(hs, HS_FIELDS))
    if changes:
        hs.save()
        audit_record(actor=actor, action="update", instance=hs, changes=changes)
    return hs
