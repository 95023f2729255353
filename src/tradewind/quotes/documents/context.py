"""One quotation document, built from a revision: what the PDF, the spreadsheet and the web
preview all show, so the three can never disagree.

``document_for(actor, revision_id)`` is the read path every view and the sending service use: it
applies the one visibility rule (another rep's revision does not exist) and loads the revision,
its quotation, buyer and lines in a fixed number of queries. ``build_document(revision)`` turns
a loaded revision into a frozen :class:`QuotationDocument` — plain values, money as ``Decimal``
rounded half-up to the currency's minor unit and also as display text.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from tradewind.catalog.models import ProductPhoto
from tradewind.core.errors import DomainError, NotFound
from tradewind.core.models import CompanyProfile
from tradewind.customers.geo import country_name
from tradewind.quotes.documents.images import LOGO_BOX_PX, PHOTO_BOX_PX, DocImage, document_image
from tradewind.quotes.documents.words import amount_in_words
from tradewind.quotes.models import QuotationLine, QuotationRevision
from tradewind.trade.errors import MoneyError
from tradewind.trade.money import minor_unit_places

# How images are referenced: a file URL for WeasyPrint (read by its local-only fetcher), inline
# data for the web preview (no media URL to expose, nothing else to authorise).
IMAGES_AS_FILES, IMAGES_INLINE = "files", "inline"


@dataclass(frozen=True)
class Letterhead:
    name_en: str
    name_zh: str
    address_en: str
    address_zh: str
    phone: str
    email: str
    website: str
    logo: DocImage | None
    logo_src: str


@dataclass(frozen=True)
class BankDetails:
    beneficiary: str
    bank_name: str
    bank_address: str
    account: str
    swift: str

    @property
    def is_given(self) -> bool:
        return any((self.beneficiary, self.bank_name, self.account, self.swift))


@dataclass(frozen=True)
class Buyer:
    name: str
    address: str
    country: str
    contact_name: str
    contact_email: str
    contact_phone: str


@dataclass(frozen=True)
class Terms:
    currency: str
    incoterm: str
    named_place: str
    port_of_loading: str
    destination_port: str
    payment_terms: str
    lead_time_days: int | None
    packing: str
    remarks: str
    container_type: str

    @property
    def price_term(self) -> str:
        """``FOB Ningbo`` — the Incoterm with its named place, as prices are quoted."""
        return f"{self.incoterm} {self.named_place}".strip()


@dataclass(frozen=True)
class DocumentLine:
    number: int
    model: str
    description: str
    description_zh: str
    specification: str
    hs_code: str
    quantity: int
    unit: str
    unit_price: Decimal | None
    amount: Decimal | None
    unit_price_text: str
    amount_text: str
    pcs_per_carton: int | None
    carton_size_cm: str
    carton_gross_weight_kg: str
    units_per_container: int | None
    photo: DocImage | None
    photo_src: str

    @property
    def quantity_text(self) -> str:
        return f"{self.quantity:,}"

    @property
    def units_per_container_text(self) -> str:
        return f"{self.units_per_container:,}" if self.units_per_container else ""

    @property
    def packing_text(self) -> bool:
        return bool(self.pcs_per_carton or self.carton_size_cm or self.carton_gross_weight_kg)


@dataclass(frozen=True)
class QuotationDocument:
    revision_id: int
    number: str
    revision_letter: str
    date: date
    valid_until: date
    is_sent: bool
    is_expired: bool
    letterhead: Letterhead
    buyer: Buyer
    terms: Terms
    lines: tuple[DocumentLine, ...]
    currency_places: int
    total: Decimal | None
    total_text: str
    total_quantity: int
    amount_words: str
    bank: BankDetails
    prepared_by: str
    prepared_by_email: str

    @property
    def reference(self) -> str:
        return f"{self.number} Rev. {self.revision_letter}"

    @property
    def total_quantity_text(self) -> str:
        return f"{self.total_quantity:,}"

    @property
    def is_priced(self) -> bool:
        return self.total is not None

    @property
    def has_photos(self) -> bool:
        return any(line.photo is not None for line in self.lines)

    @property
    def has_packing(self) -> bool:
        return any(
            line.pcs_per_carton or line.carton_size_cm or line.units_per_container
            for line in self.lines
        )

    def filename(self, extension: str) -> str:
        """``QT-2026-0001-A.pdf``: the number is ours (letters, digits, dashes) — still, only
        those characters are kept, so the name is safe in a header and on any disk."""
        stem = f"{self.number}-{self.revision_letter}"
        safe = "".join(ch for ch in stem if ch.isascii() and (ch.isalnum() or ch in "-_"))
        return f"{safe or 'quotation'}.{extension}"


# --- Reading ---------------------------------------------------------------------------------


def revision_for_document(actor, revision_id: int) -> QuotationRevision:
    """The revision with what its document needs, if the actor may see it; else NotFound."""
    revision = (
        QuotationRevision.objects.visible_to(actor)
        .select_related("quotation__company", "quotation__contact", "quotation__owner")
        .defer("working")
        .filter(pk=revision_id)
        .first()
    )
    if revision is None:
        raise NotFound(_("No such quotation."))
    return revision


def document_for(actor, revision_id: int, *, images: str = IMAGES_AS_FILES) -> QuotationDocument:
    return build_document(revision_for_document(actor, revision_id), images=images)


def require_priced(document: QuotationDocument) -> QuotationDocument:
    if not document.is_priced:
        raise DomainError(
            _("This revision is not priced yet — price it before making the PDF or Excel file."),
            code="not_priced",
        )
    return document


# --- Building --------------------------------------------------------------------------------


def currency_places(currency: str) -> int:
    try:
        return minor_unit_places(currency)
    except (MoneyError, TypeError, ValueError):
        return 2


def round_half_up(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def money_text(value: Decimal | None, places: int) -> str:
    """``163700`` → ``163,700.00`` (half-up to ``places``); empty for None."""
    if value is None:
        return ""
    return f"{round_half_up(value, places):,f}"


def price_text(value: Decimal | None, places: int) -> str:
    """A unit price with at least the currency's places and any further digits it has:
    ``16.3700`` → ``16.37``, ``0.0350`` → ``0.035``."""
    if value is None:
        return ""
    exponent = value.normalize().as_tuple().exponent
    shown = max(places, -exponent if isinstance(exponent, int) else places)
    return f"{round_half_up(value, shown):,f}"


def _plain(value: Decimal | None) -> str:
    if value is None:
        return ""
    return f"{value.normalize():f}"


def _src(image: DocImage | None, images: str) -> str:
    if image is None:
        return ""
    return image.data_url if images == IMAGES_INLINE else image.file_url


def _letterhead(profile: CompanyProfile, images: str) -> Letterhead:
    logo = document_image(profile.logo.name, box_px=LOGO_BOX_PX) if profile.logo else None
    return Letterhead(
        name_en=profile.name_en,
        name_zh=profile.name_zh,
        address_en=profile.address_en,
        address_zh=profile.address_zh,
        phone=profile.phone,
        email=profile.email,
        website=profile.website,
        logo=logo,
        logo_src=_src(logo, images),
    )


def _bank(profile: CompanyProfile) -> BankDetails:
    return BankDetails(
        beneficiary=profile.beneficiary_name or profile.name_en,
        bank_name=profile.bank_name,
        bank_address=profile.bank_address,
        account=profile.bank_account,
        swift=profile.bank_swift,
    )


def _buyer(revision: QuotationRevision) -> Buyer:
    quotation = revision.quotation
    company, contact = quotation.company, quotation.contact
    if contact is not None and contact.company_id != company.pk:
        contact = None
    return Buyer(
        name=company.name,
        address=company.address,
        country=country_name(company.country, "en") if company.country else "",
        contact_name=contact.name if contact else "",
        contact_email=contact.email if contact else "",
        contact_phone=contact.phone if contact else "",
    )


def _terms(revision: QuotationRevision) -> Terms:
    return Terms(
        currency=revision.currency,
        incoterm=revision.incoterm,
        named_place=revision.named_place,
        port_of_loading=revision.port_of_loading,
        destination_port=revision.destination_port,
        payment_terms=revision.payment_terms,
        lead_time_days=revision.lead_time_days,
        packing=revision.packing,
        remarks=revision.remarks,
        container_type=revision.container_type,
    )


def _fallback_photos(lines: list[QuotationLine]) -> dict[int, str]:
    """The first catalogue photo of each product whose line has no photo of its own (1 query)."""
    wanted = {line.product_id for line in lines if not line.photo and line.product_id}
    if not wanted:
        return {}
    photos: dict[int, str] = {}
    rows = ProductPhoto.objects.filter(product_id__in=wanted).order_by("product", "position", "id")
    for product_id, name in rows.values_list("product_id", "image"):
        photos.setdefault(product_id, name)
    return photos


def _carton_size(line: QuotationLine) -> str:
    sides = (line.carton_length_cm, line.carton_width_cm, line.carton_height_cm)
    if not all(sides):
        return ""
    return " × ".join(_plain(side) for side in sides)


def _line(line: QuotationLine, number: int, places: int, photo: DocImage | None, images: str):
    amount = line.total
    if amount is None and line.unit_price is not None:
        amount = line.unit_price * line.quantity
    return DocumentLine(
        number=number,
        model=line.model,
        description=line.description,
        description_zh=line.description_zh,
        specification=line.specification,
        hs_code=line.hs_code,
        quantity=line.quantity,
        unit=line.unit,
        unit_price=line.unit_price,
        amount=round_half_up(amount, places) if amount is not None else None,
        unit_price_text=price_text(line.unit_price, places),
        amount_text=money_text(amount, places),
        pcs_per_carton=line.pcs_per_carton,
        carton_size_cm=_carton_size(line),
        carton_gross_weight_kg=_plain(line.carton_gross_weight_kg),
        units_per_container=line.units_per_container,
        photo=photo,
        photo_src=_src(photo, images),
    )


def _document_date(revision: QuotationRevision) -> date:
    owner = revision.quotation.owner
    moment = revision.sent_at or timezone.now()
    return timezone.localtime(moment, owner.zone).date()


def build_document(revision: QuotationRevision, *, images: str = IMAGES_AS_FILES):
    """The document of a loaded revision (2–3 queries: company profile, lines, fallback
    photos)."""
    quotation = revision.quotation
    places = currency_places(revision.currency)
    # The price working (a JSON build-up per line) is the largest column and no document shows it.
    rows = list(revision.lines.defer("working").order_by("position", "id"))
    fallback = _fallback_photos(rows)
    photos: dict[str, DocImage | None] = {}  # a photo on many lines is looked at once
    for row in rows:
        name = row.photo or fallback.get(row.product_id, "")
        if name and name not in photos:
            photos[name] = document_image(name, box_px=PHOTO_BOX_PX)
    lines = tuple(
        _line(row, index, places, photos.get(row.photo or fallback.get(row.product_id, "")), images)
        for index, row in enumerate(rows, start=1)
    )
    priced = bool(lines) and all(line.amount is not None for line in lines)
    total = sum((line.amount for line in lines), Decimal(0)) if priced else None
    profile = CompanyProfile.current()
    owner = quotation.owner
    return QuotationDocument(
        revision_id=revision.pk,
        number=quotation.number,
        revision_letter=revision.letter,
        date=_document_date(revision),
        valid_until=revision.valid_until,
        is_sent=revision.sent_at is not None,
        is_expired=revision.is_expired,
        letterhead=_letterhead(profile, images),
        buyer=_buyer(revision),
        terms=_terms(revision),
        lines=lines,
        currency_places=places,
        total=total,
        total_text=money_text(total, places),
        total_quantity=sum(line.quantity for line in lines),
        amount_words=amount_in_words(total, revision.currency, places) if total else "",
        bank=_bank(profile),
        prepared_by=owner.get_full_name() or owner.get_username(),
        prepared_by_email=owner.email,
    )
