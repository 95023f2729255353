"""Customer records: companies, their contacts, the activity timeline and follow-up tasks."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tradewind.accounts.models import validate_time_zone
from tradewind.accounts.visibility import visible_customers_q
from tradewind.core.models import TimeStampedModel
from tradewind.customers.choices import (
    ActivityKind,
    AutoAssign,
    CompanySize,
    CustomerType,
    Direction,
    DuplicatePolicy,
    Grade,
    Screening,
    Source,
    Stage,
)


class VisibleQuerySet(models.QuerySet):
    """Every customer-related queryset: ``visible_to(user)`` applies the one visibility rule."""

    customer_path = ""  # the lookup path from this model to its Company

    def visible_to(self, user):
        return self.filter(visible_customers_q(user, self.customer_path))


class CompanyQuerySet(VisibleQuerySet):
    customer_path = ""


class ContactQuerySet(VisibleQuerySet):
    customer_path = "company"


class ActivityQuerySet(VisibleQuerySet):
    customer_path = "company"


class TaskQuerySet(VisibleQuerySet):
    customer_path = "company"

    def open(self):
        return self.filter(done_at__isnull=True)


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=40, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name


class Company(TimeStampedModel):
    """A buyer or prospect. No owner means it is in the public pool (公海)."""

    name = models.CharField(_("company name"), max_length=200)
    name_normalized = models.CharField(max_length=200, db_index=True, editable=False)
    country = models.CharField(_("country"), max_length=2, blank=True, db_index=True)
    website = models.CharField(_("website"), max_length=200, blank=True)
    website_domain = models.CharField(max_length=200, blank=True, db_index=True, editable=False)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        help_text=_("Leave empty to use the country's main time zone."),
        validators=[validate_time_zone],
    )
    customer_type = models.CharField(
        _("customer type"), max_length=12, choices=CustomerType.choices, blank=True
    )
    size = models.CharField(_("size"), max_length=8, choices=CompanySize.choices, blank=True)
    source = models.CharField(_("source"), max_length=12, choices=Source.choices, blank=True)
    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices, blank=True)
    stage = models.CharField(
        _("stage"), max_length=12, choices=Stage.choices, default=Stage.LEAD, db_index=True
    )
    lost_reason = models.CharField(_("reason lost"), max_length=200, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="companies",
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="companies")
    notes = models.TextField(_("notes"), blank=True)
    last_activity_at = models.DateTimeField(_("last activity"), null=True, blank=True)
    address = models.TextField(_("address"), blank=True)
    products_of_interest = models.CharField(_("products of interest"), max_length=300, blank=True)

    # Screening (SOP 1.3): is the buyer real, with intent and fit?
    screening_status = models.CharField(
        _("screening"),
        max_length=12,
        choices=Screening.choices,
        default=Screening.UNVERIFIED,
        db_index=True,
    )
    checked_website = models.BooleanField(_("website checked"), default=False)
    checked_email_domain = models.BooleanField(_("company email domain checked"), default=False)
    checked_address = models.BooleanField(_("address checked"), default=False)
    checked_registry = models.BooleanField(_("registry or social presence checked"), default=False)
    disqualified_reason = models.CharField(_("reason disqualified"), max_length=200, blank=True)

    # Fit against the ideal customer profiles: 0–100 with the reasons, kept current by the
    # services whenever the company, its contacts or a profile change.
    icp_score = models.PositiveSmallIntegerField(_("fit score"), null=True, blank=True)
    icp_reasons = models.JSONField(_("fit reasons"), default=list, blank=True)

    # Ownership history for the public-pool rules.
    owner_since = models.DateTimeField(_("owned since"), null=True, blank=True)
    previous_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("previous owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    released_at = models.DateTimeField(_("released to the pool"), null=True, blank=True)
    is_protected = models.BooleanField(
        _("protected from release"),
        default=False,
        help_text=_("A manager can keep a key account out of the public pool."),
    )

    objects = CompanyQuerySet.as_manager()

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        indexes = [
            models.Index(fields=["owner", "-last_activity_at"], name="company_owner_recent_idx"),
            # The default sort (recently active) with the owner in the index: SQLite walks it in
            # order, skips other reps' customers without reading their rows, and stops after
            # one page — instead of reading every visible customer and sorting them.
            models.Index(
                fields=["-last_activity_at", "-id", "owner"], name="company_recent_owner_idx"
            ),
            models.Index(Lower("name"), name="company_name_lower_idx"),
            models.Index(fields=["-icp_score", "-id"], name="company_score_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(stage="lost") | ~models.Q(lost_reason=""),
                name="company_lost_needs_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    # Django's get_FOO_display builds a dict of every choice on each call (~50 µs); the customer
    # list calls these once or twice a row (benchmarks/customer_list.py).
    def get_stage_display(self) -> str:
        return str(Stage(self.stage).label) if self.stage in Stage.values else self.stage

    def get_grade_display(self) -> str:
        return str(Grade(self.grade).label) if self.grade in Grade.values else self.grade

    def clean(self):
        if self.stage == Stage.LOST and not self.lost_reason.strip():
            raise ValidationError(
                {"lost_reason": _("Say why the customer was lost, so the team can learn from it.")}
            )
        if self.screening_status == Screening.DISQUALIFIED and not self.disqualified_reason.strip():
            raise ValidationError({"disqualified_reason": _("Say why the lead is disqualified.")})


class Contact(TimeStampedModel):
    """A person at a customer. Phones are stored in E.164 (+4930123456)."""

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=120)
    title = models.CharField(_("job title"), max_length=120, blank=True)
    email = models.EmailField(_("email"), blank=True, db_index=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, db_index=True)
    whatsapp = models.CharField(_("WhatsApp"), max_length=20, blank=True)
    linkedin = models.URLField(_("LinkedIn"), blank=True)
    is_decision_maker = models.BooleanField(_("decision maker"), default=False)
    notes = models.TextField(_("notes"), blank=True)

    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["-is_decision_maker", "name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return self.name


class Activity(models.Model):
    """One entry of the customer's timeline: an email, call, meeting, chat, visit, fair or note."""

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE, related_name="activities"
    )
    contact = models.ForeignKey(
        Contact,
        verbose_name=_("contact"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
    )
    kind = models.CharField(_("type"), max_length=12, choices=ActivityKind.choices)
    direction = models.CharField(
        _("direction"), max_length=8, choices=Direction.choices, default=Direction.OUTBOUND
    )
    summary = models.TextField(_("summary"))
    occurred_at = models.DateTimeField(_("when"), default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="activities",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [
            models.Index(fields=["company", "-occurred_at"], name="activity_company_time_idx")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.summary[:60]}"


class Task(TimeStampedModel):
    """A follow-up to do for a customer by a due time; overdue when past due and not done."""

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE, related_name="tasks"
    )
    contact = models.ForeignKey(
        Contact,
        verbose_name=_("contact"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
    )
    title = models.CharField(_("follow-up"), max_length=200)
    due_at = models.DateTimeField(_("due"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    done_at = models.DateTimeField(_("done"), null=True, blank=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("follow-up task")
        verbose_name_plural = _("follow-up tasks")
        indexes = [
            models.Index(fields=["assignee", "done_at", "due_at"], name="task_assignee_due_idx")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        return self.done_at is None and self.due_at < timezone.now()


class DigestDelivery(models.Model):
    """The follow-up digest of one user for one local day: the key that makes it go out once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests"
    )
    local_date = models.DateField()
    claimed_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    item_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "local_date"], name="digest_once_per_user_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"digest {self.user} {self.local_date}"


class WorkspacePolicy(models.Model):
    """The workspace's rules for duplicates and the public pool (one row, edited by managers)."""

    duplicate_policy = models.CharField(
        _("duplicate policy"),
        max_length=8,
        choices=DuplicatePolicy.choices,
        default=DuplicatePolicy.WARN,
    )
    release_after_idle_days = models.PositiveSmallIntegerField(
        _("release after days without follow-up"),
        default=30,
        help_text=_("0 turns this rule off."),
    )
    release_after_no_deal_days = models.PositiveSmallIntegerField(
        _("release after days owned without a deal"),
        default=0,
        help_text=_("0 turns this rule off."),
    )
    release_reminder_days = models.PositiveSmallIntegerField(
        _("remind the owner this many days before release"), default=3
    )
    reclaim_cooldown_days = models.PositiveSmallIntegerField(
        _("days before the previous owner may claim it again"), default=7
    )
    daily_claim_limit = models.PositiveSmallIntegerField(_("claims per rep per day"), default=10)
    max_holdings = models.PositiveIntegerField(_("most customers one rep may own"), default=500)
    auto_assign = models.CharField(
        _("assign new leads"), max_length=10, choices=AutoAssign.choices, default=AutoAssign.OFF
    )
    inquiry_response_hours = models.PositiveSmallIntegerField(
        _("first reply to an inquiry within (working hours)"),
        default=8,
        help_text=_("Counted in the handling rep's working hours, working days only."),
    )
    working_day_start = models.PositiveSmallIntegerField(
        _("working day starts (hour)"), default=9, validators=[MaxValueValidator(23)]
    )
    working_day_end = models.PositiveSmallIntegerField(
        _("working day ends (hour)"), default=18, validators=[MaxValueValidator(24)]
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("workspace policy")
        verbose_name_plural = _("workspace policies")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls) -> "WorkspacePolicy":
        return cls.objects.get_or_create(pk=1)[0]
