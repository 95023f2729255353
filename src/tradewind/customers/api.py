"""API operations on customers, contacts, activities and follow-ups: one schema per operation,
the same services and the same visibility rule as the pages."""

from dataclasses import asdict
from datetime import datetime

from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from tradewind.accounts.models import User
from tradewind.core.errors import DomainError
from tradewind.customers import selectors, services
from tradewind.customers.choices import ActivityKind, Direction, Grade, Screening, Source, Stage
from tradewind.customers.dedup.policy import DuplicateCompany
from tradewind.customers.models import Company, Contact, Task

router = Router(tags=["customers"])


class CompanyOut(Schema):
    id: int
    name: str
    country: str
    website: str
    customer_type: str
    size: str
    source: str
    grade: str
    stage: str
    lost_reason: str
    owner_id: int | None
    owner: str | None = Field(None, alias="owner.username")
    tags: list[str]
    notes: str
    last_activity_at: datetime | None
    screening_status: str
    icp_score: int | None
    icp_reasons: list
    address: str
    products_of_interest: str
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_tags(obj) -> list[str]:
        return [tag.name for tag in obj.tags.all()]


class CompanyPage(Schema):
    items: list[CompanyOut]
    page: int
    size: int
    has_next: bool


class CompanyListQuery(Schema):
    q: str = ""
    country: str = ""
    stage: Stage | None = None
    grade: Grade | None = None
    owner: str = Field("", description='A user id, "me" or "pool".')
    source: Source | None = None
    tag: str = ""
    screening: Screening | None = None
    min_score: int | None = Field(None, ge=0, le=100)
    sort: str = Field("recent", pattern="^(recent|name|-name|newest|country|stage|score)$")
    page: int = Field(1, ge=1, le=100000)
    size: int = Field(20, description="20, 50 or 100")


class CompanyIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    country: str = Field("", max_length=2, description="ISO 3166 alpha-2, e.g. DE")
    website: str = ""
    customer_type: str = ""
    size: str = ""
    source: Source | str = ""
    grade: Grade | str = ""
    stage: Stage = Stage.LEAD
    lost_reason: str = ""
    owner_id: int | None = Field(None, description="Omit to own it yourself; null for the pool.")
    tags: list[str] = []
    notes: str = ""
    time_zone: str = ""
    address: str = ""
    products_of_interest: str = ""


class CompanyPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    country: str | None = Field(None, max_length=2)
    website: str | None = None
    customer_type: str | None = None
    size: str | None = None
    source: str | None = None
    grade: str | None = None
    stage: Stage | None = None
    lost_reason: str | None = None
    owner_id: int | None = None
    tags: list[str] | None = None
    notes: str | None = None
    time_zone: str | None = None
    address: str | None = None
    products_of_interest: str | None = None


def _owner(owner_id):
    if owner_id is None:
        return None
    user = User.objects.filter(pk=owner_id, is_active=True).first()
    if user is None:
        raise DomainError(f"No active user with id {owner_id}.", field="owner_id")
    return user


def _company_out(user, pk: int) -> Company:
    return selectors.company_get(user, pk)


@router.get("/companies", response=CompanyPage, summary="List the customers I can see")
def list_companies(request, query: Query[CompanyListQuery]):
    data = query.dict()
    page_number, size = data.pop("page"), data.pop("size")
    filters = selectors.CompanyFilters(
        **{k: (v if k == "min_score" else v or "") for k, v in data.items()}
    )
    page = selectors.company_list(request.user, filters, page=page_number, size=size)
    return {"items": page.items, "page": page.number, "size": page.size, "has_next": page.has_next}


class DuplicateOut(Schema):
    company_id: int
    company_name: str
    owner_id: int | None
    owner_name: str = Field(description='The owner\'s name, or "Public pool".')
    score: int = Field(description="0–100; 95 and above is almost certain.")
    reasons: list[str]
    exact: bool = Field(description="Shares an exact key: name, website, email, domain or phone.")


class CompanyCreated(CompanyOut):
    duplicates: list[DuplicateOut] = Field(
        [], description="Existing customers this one may duplicate (empty when none)."
    )


class DuplicateConflict(Schema):
    code: str = Field(description='"duplicate"')
    field: str | None
    detail: str
    duplicates: list[DuplicateOut]


@router.post(
    "/companies",
    response={201: CompanyCreated, 409: DuplicateConflict},
    summary="Create a customer",
    description="The workspace's duplicate policy applies. Under **block**, a customer that "
    "almost certainly exists (score 95+) is refused with **409** and the matches in "
    "`duplicates`. Under **warn** the customer is created and the possible duplicates are "
    "returned in the 201 response's `duplicates` list, for the caller to show or log.",
)
def create_company(request, payload: CompanyIn):
    data = payload.dict()
    tags = data.pop("tags")
    owner_given = "owner_id" in payload.model_fields_set
    owner_id = data.pop("owner_id")
    if owner_given:
        data["owner"] = _owner(owner_id)
    try:
        company = services.company_create(
            actor=request.user, tags=tags, confirm_duplicate=True, **data
        )
    except DuplicateCompany as exc:
        duplicates = [asdict(match) for match in exc.matches]
        body = {"code": exc.code, "field": exc.field, "detail": exc.message}
        return Status(409, body | {"duplicates": duplicates})
    created = _company_out(request.user, company.pk)
    created.duplicates = [asdict(match) for match in company.duplicate_matches]
    return Status(201, created)


@router.get("/companies/{company_id}", response=CompanyOut, summary="One customer")
def get_company(request, company_id: int):
    return _company_out(request.user, company_id)


@router.patch("/companies/{company_id}", response=CompanyOut, summary="Change a customer")
def update_company(request, company_id: int, payload: CompanyPatch):
    data = payload.dict(exclude_unset=True)
    tags = data.pop("tags", None)
    if "owner_id" in data:
        data["owner"] = _owner(data.pop("owner_id"))
    services.company_update(actor=request.user, company_id=company_id, tags=tags, **data)
    return _company_out(request.user, company_id)


@router.delete("/companies/{company_id}", response={204: None}, summary="Delete a customer")
def delete_company(request, company_id: int):
    services.company_delete(actor=request.user, company_id=company_id)
    return Status(204, None)


class ContactOut(Schema):
    id: int
    company_id: int
    name: str
    title: str
    email: str
    phone: str
    whatsapp: str
    linkedin: str
    is_decision_maker: bool
    notes: str


class ContactIn(Schema):
    name: str = Field(..., min_length=1, max_length=120)
    title: str = ""
    email: str = ""
    phone: str = Field("", description="Any common format; stored in E.164.")
    whatsapp: str = ""
    linkedin: str = ""
    is_decision_maker: bool = False
    notes: str = ""


class ContactPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=120)
    title: str | None = None
    email: str | None = None
    phone: str | None = None
    whatsapp: str | None = None
    linkedin: str | None = None
    is_decision_maker: bool | None = None
    notes: str | None = None


@router.get(
    "/companies/{company_id}/contacts", response=list[ContactOut], summary="A customer's contacts"
)
def list_contacts(request, company_id: int):
    return list(selectors.company_get(request.user, company_id).contacts.all())


@router.post(
    "/companies/{company_id}/contacts", response={201: ContactOut}, summary="Add a contact"
)
def create_contact(request, company_id: int, payload: ContactIn):
    return Status(
        201, services.contact_create(actor=request.user, company_id=company_id, **payload.dict())
    )


@router.get("/contacts/{contact_id}", response=ContactOut, summary="One contact")
def get_contact(request, contact_id: int):
    return selectors.visible_or_404(Contact, request.user, contact_id)


@router.patch("/contacts/{contact_id}", response=ContactOut, summary="Change a contact")
def update_contact(request, contact_id: int, payload: ContactPatch):
    return services.contact_update(
        actor=request.user, contact_id=contact_id, **payload.dict(exclude_unset=True)
    )


@router.delete("/contacts/{contact_id}", response={204: None}, summary="Delete a contact")
def delete_contact(request, contact_id: int):
    services.contact_delete(actor=request.user, contact_id=contact_id)
    return Status(204, None)


class ActivityOut(Schema):
    id: int
    company_id: int
    contact_id: int | None
    kind: str
    direction: str
    summary: str
    occurred_at: datetime
    user_id: int | None


class ActivityIn(Schema):
    kind: ActivityKind
    direction: Direction = Direction.OUTBOUND
    summary: str = Field(..., min_length=1, max_length=10000)
    occurred_at: datetime | None = None
    contact_id: int | None = None


def _contact(company_id: int, contact_id):
    if contact_id is None:
        return None
    contact = Contact.objects.filter(pk=contact_id, company_id=company_id).first()
    if contact is None:
        raise DomainError("That contact does not work for this company.", field="contact_id")
    return contact


@router.get(
    "/companies/{company_id}/activities",
    response=list[ActivityOut],
    summary="A customer's timeline (newest first, up to 200)",
)
def list_activities(request, company_id: int):
    company = selectors.company_get(request.user, company_id)
    return list(company.activities.all()[:200])


@router.post(
    "/companies/{company_id}/activities", response={201: ActivityOut}, summary="Log an activity"
)
def create_activity(request, company_id: int, payload: ActivityIn):
    data = payload.dict()
    data["contact"] = _contact(company_id, data.pop("contact_id"))
    if data["occurred_at"] is None:
        data.pop("occurred_at")
    return Status(201, services.activity_log(actor=request.user, company_id=company_id, **data))


@router.delete("/activities/{activity_id}", response={204: None}, summary="Delete an activity")
def delete_activity(request, activity_id: int):
    services.activity_delete(actor=request.user, activity_id=activity_id)
    return Status(204, None)


class TaskOut(Schema):
    id: int
    company_id: int
    contact_id: int | None
    title: str
    due_at: datetime
    assignee_id: int
    done_at: datetime | None
    is_overdue: bool


class TaskIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    due_at: datetime
    assignee_id: int | None = None
    contact_id: int | None = None


class TaskPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    due_at: datetime | None = None
    assignee_id: int | None = None
    done: bool | None = None


class TaskListQuery(Schema):
    show: str = Field("open", pattern="^(open|done)$")
    page: int = Field(1, ge=1, le=100000)


@router.get("/tasks", response=list[TaskOut], summary="My follow-ups (50 a page)")
def list_tasks(request, query: Query[TaskListQuery]):
    return selectors.task_list(request.user, show=query.show, page=query.page).items


@router.post("/companies/{company_id}/tasks", response={201: TaskOut}, summary="Add a follow-up")
def create_task(request, company_id: int, payload: TaskIn):
    data = payload.dict()
    data["contact"] = _contact(company_id, data.pop("contact_id"))
    assignee_id = data.pop("assignee_id")
    if assignee_id is not None:
        data["assignee"] = _owner(assignee_id)
    return Status(201, services.task_create(actor=request.user, company_id=company_id, **data))


@router.get("/tasks/{task_id}", response=TaskOut, summary="One follow-up")
def get_task(request, task_id: int):
    return selectors.visible_or_404(Task, request.user, task_id)


@router.patch("/tasks/{task_id}", response=TaskOut, summary="Change or complete a follow-up")
def update_task(request, task_id: int, payload: TaskPatch):
    data = payload.dict(exclude_unset=True)
    if "assignee_id" in data:
        data["assignee"] = _owner(data.pop("assignee_id"))
        if data["assignee"] is None:
            raise DomainError("A follow-up needs an assignee.", field="assignee_id")
    if "done" in data:
        data["done_at"] = timezone.now() if data.pop("done") else None
    return services.task_update(actor=request.user, task_id=task_id, **data)


@router.delete("/tasks/{task_id}", response={204: None}, summary="Delete a follow-up")
def delete_task(request, task_id: int):
    services.task_delete(actor=request.user, task_id=task_id)
    return Status(204, None)
