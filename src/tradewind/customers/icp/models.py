"""Ideal customer profiles (ICP): who the team wants to sell to, and how much each trait counts.

Profiles are workspace-wide: managers and admins write them, everyone reads them. A profile is
never deleted, only deactivated, so old scores and audit events keep their meaning. The lists
(countries, regions, types, sizes, keywords) are JSON lists: a workspace has a handful of
profiles, nothing filters on them in SQL, and the scorer reads them all at once.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from tradewind.core.models import TimeStampedModel
from tradewind.customers import geo
from tradewind.customers.choices import CompanySize, CustomerType
from tradewind.customers.icp.fit import CompanyFacts, ProfileSpec, Weights, score_profile
from tradewind.customers.icp.regions import REGION_COUNTRIES, Region

MAX_KEYWORDS = 50
MAX_KEYWORD_LENGTH = 60
DEFAULT_WEIGHTS = Weights()
WEIGHT_FIELDS = {
    "weight_market": "market",
    "weight_customer_type": "customer_type",
    "weight_size": "size",
    "weight_products": "products",
    "weight_keywords": "keywords",
    "weight_website": "website",
    "weight_company_email": "company_email",
    "weight_decision_maker": "decision_maker",
    "weight_excluded_keyword": "excluded_keyword",
}


def _weight(name: str, label) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        label, default=getattr(DEFAULT_WEIGHTS, name), validators=[MaxValueValidator(100)]
    )


class ProfileQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class IdealCustomerProfile(TimeStampedModel):
    """One kind of buyer the team wants: its markets, type, size, products and signals."""

    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    countries = models.JSONField(_("target countries"), default=list, blank=True)
    regions = models.JSONField(_("target regions"), default=list, blank=True)
    customer_types = models.JSONField(_("customer types"), default=list, blank=True)
    sizes = models.JSONField(_("sizes"), default=list, blank=True)
    product_keywords = models.JSONField(_("product keywords"), default=list, blank=True)
    keywords = models.JSONField(_("other keywords"), default=list, blank=True)
    excluded_keywords = models.JSONField(_("excluded keywords"), default=list, blank=True)
    check_website = models.BooleanField(_("own website"), default=False)
    check_company_email = models.BooleanField(
        _("company email domain, not free mail"), default=False
    )
    check_decision_maker = models.BooleanField(_("decision-maker contact"), default=False)
    weight_market = _weight("market", _("points for a target market"))
    weight_customer_type = _weight("customer_type", _("points for a target customer type"))
    weight_size = _weight("size", _("points for a target size"))
    weight_products = _weight("products", _("points for a product keyword"))
    weight_keywords = _weight("keywords", _("points for another keyword"))
    weight_website = _weight("website", _("points for an own website"))
    weight_company_email = _weight("company_email", _("points for a company email domain"))
    weight_decision_maker = _weight("decision_maker", _("points for a decision-maker contact"))
    weight_excluded_keyword = _weight(
        "excluded_keyword", _("points taken off for an excluded keyword")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ProfileQuerySet.as_manager()

    class Meta:
        ordering = ["-is_active", "name", "id"]
        verbose_name = _("ideal customer profile")
        verbose_name_plural = _("ideal customer profiles")
        constraints = [
            models.UniqueConstraint(Lower("name"), name="icp_profile_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def has_criteria(self) -> bool:
        return any(
            (
                self.countries,
                self.regions,
                self.customer_types,
                self.sizes,
                self.product_keywords,
                self.keywords,
                self.check_website,
                self.check_company_email,
                self.check_decision_maker,
            )
        )

    def clean(self):
        errors = {}
        unknown = [code for code in self.countries if not geo.is_country(code)]
        if unknown:
            errors["countries"] = _("Not a country code: %(codes)s.") % {
                "codes": ", ".join(unknown)
            }
        checks = (
            ("regions", self.regions, Region.values),
            ("customer_types", self.customer_types, CustomerType.values),
            ("sizes", self.sizes, CompanySize.values),
        )
        for name, values, allowed in checks:
            wrong = [str(value) for value in values if value not in allowed]
            if wrong:
                errors[name] = _("Unknown choice: %(values)s.") % {"values": ", ".join(wrong)}
        for name in ("product_keywords", "keywords", "excluded_keywords"):
            error = _keyword_error(getattr(self, name))
            if error:
                errors[name] = error
        if errors:
            raise ValidationError(errors)
        if not self.has_criteria:
            raise ValidationError(
                _(
                    "Give the profile at least one criterion: a market, a customer type, a size, "
                    "keywords or a signal to check."
                )
            )
        fit = score_profile(self.to_spec(), CompanyFacts())
        if fit is None or fit.possible == 0:
            raise ValidationError(
                _("The criteria in use are all worth 0 points: give at least one of them points.")
            )

    def to_spec(self) -> ProfileSpec:
        """The profile as the pure scorer reads it (regions expanded to their countries)."""
        weights = Weights(**{key: getattr(self, name) for name, key in WEIGHT_FIELDS.items()})
        return ProfileSpec(
            name=self.name,
            profile_id=self.pk,
            countries=frozenset(self.countries),
            regions=tuple(
                (region, REGION_COUNTRIES[region])
                for region in self.regions
                if region in REGION_COUNTRIES
            ),
            customer_types=frozenset(self.customer_types),
            sizes=frozenset(self.sizes),
            product_keywords=tuple(self.product_keywords),
            keywords=tuple(self.keywords),
            excluded_keywords=tuple(self.excluded_keywords),
            check_website=self.check_website,
            check_company_email=self.check_company_email,
            check_decision_maker=self.check_decision_maker,
            weights=weights,
        )


def _keyword_error(keywords) -> str:
    if not isinstance(keywords, list) or not all(isinstance(k, str) for k in keywords):
        return str(_("Keywords must be a list of words."))
    if len(keywords) > MAX_KEYWORDS:
        return str(_("At most %(limit)s keywords.") % {"limit": MAX_KEYWORDS})
    long = [k for k in keywords if len(k) > MAX_KEYWORD_LENGTH]
    if long:
        return str(
            _("Keep each keyword under %(limit)s characters: “%(keyword)s…”.")
            % {"limit": MAX_KEYWORD_LENGTH, "keyword": long[0][:20]}
        )
    return ""
