"""The product catalogue: what we sell, what it costs us, how it is packed, and its customs code.

Products are workspace-wide (every user may quote any product); they hang off no customer, so
the visibility rule does not apply to them. Rebate and VAT rates belong to the HS code, so a
change of the official rebate rate is made once; a quotation line copies the rates it used.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tradewind.core.models import TimeStampedModel


class CostBasis(models.TextChoices):
    # Values are those of tradewind.trade.pricing_inputs.CostBasis.
    PURCHASE_INCL_VAT = "purchase_incl_vat", _("Purchase price incl. VAT (trading company)")
    FACTORY_COST = "factory_cost", _("Factory cost excl. VAT (manufacturer)")


hs_code_validator = RegexValidator(
    r"^\d{10}$", _("An HS code here is the 10-digit Chinese tariff code, digits only.")
)


class HsCode(models.Model):
    """A 10-digit Chinese customs code (商品编码) with its VAT and export rebate rates."""

    code = models.CharField(
        _("HS code"), max_length=10, primary_key=True, validators=[hs_code_validator]
    )
    description_zh = models.CharField(_("description (Chinese)"), max_length=200, blank=True)
    description_en = models.CharField(_("description (English)"), max_length=200, blank=True)
    vat_percent = models.DecimalField(
        _("VAT %"), max_digits=5, decimal_places=2, default=Decimal(13)
    )
    rebate_percent = models.DecimalField(
        _("export rebate %"), max_digits=5, decimal_places=2, default=Decimal(0)
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("HS code")
        verbose_name_plural = _("HS codes")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rebate_percent__lte=models.F("vat_percent")),
                name="hs_rebate_not_above_vat",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.description_zh or self.description_en}".strip()


class Product(TimeStampedModel):
    model = models.CharField(_("model / item no."), max_length=60, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200, blank=True)
    specification = models.TextField(_("specification"), blank=True)
    material = models.CharField(_("material"), max_length=200, blank=True)
    hs_code = models.ForeignKey(
        HsCode,
        verbose_name=_("HS code"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="products",
    )
    unit = models.CharField(_("unit"), max_length=12, default="pc")

    # Cost
    cost_basis = models.CharField(
        _("cost basis"),
        max_length=20,
        choices=CostBasis.choices,
        default=CostBasis.PURCHASE_INCL_VAT,
    )
    unit_cost_rmb = models.DecimalField(
        _("purchase price / factory cost (RMB)"),
        max_digits=14,
        decimal_places=4,
        validators=[MinValueValidator(Decimal(0))],
    )
    supplier = models.CharField(_("supplier"), max_length=200, blank=True)
    moq = models.PositiveIntegerField(_("MOQ"), null=True, blank=True)
    lead_time_days = models.PositiveSmallIntegerField(_("lead time (days)"), null=True, blank=True)

    # Packing (per export carton)
    pcs_per_carton = models.PositiveIntegerField(_("pieces per carton"), null=True, blank=True)
    carton_length_cm = models.DecimalField(
        _("carton length (cm)"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    carton_width_cm = models.DecimalField(
        _("carton width (cm)"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    carton_height_cm = models.DecimalField(
        _("carton height (cm)"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    carton_net_weight_kg = models.DecimalField(
        _("net weight per carton (kg)"), max_digits=9, decimal_places=3, null=True, blank=True
    )
    carton_gross_weight_kg = models.DecimalField(
        _("gross weight per carton (kg)"), max_digits=9, decimal_places=3, null=True, blank=True
    )
    packing_notes = models.CharField(_("packing"), max_length=300, blank=True)

    is_active = models.BooleanField(_("active"), default=True)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["model"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(carton_net_weight_kg__isnull=True)
                | models.Q(carton_gross_weight_kg__isnull=True)
                | models.Q(carton_net_weight_kg__lte=models.F("carton_gross_weight_kg")),
                name="product_net_not_above_gross",
            )
        ]

    def __str__(self) -> str:
        return f"{self.model} {self.name_en}"

    @property
    def has_packing(self) -> bool:
        return all(
            value
            for value in (
                self.pcs_per_carton,
                self.carton_length_cm,
                self.carton_width_cm,
                self.carton_height_cm,
                self.carton_gross_weight_kg,
            )
        )


class ProductPhoto(models.Model):
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ImageField(_("photo"), upload_to="catalog/photos/%Y/%m/")
    caption = models.CharField(_("caption"), max_length=120, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["product", "position", "id"]
        verbose_name = _("product photo")
        verbose_name_plural = _("product photos")

    def __str__(self) -> str:
        return self.caption or self.image.name
