"""Test data built through the real services, so every row has its audit trail and rules."""

import factory
from django.utils import timezone

from tradewind.accounts.models import User
from tradewind.accounts.services import user_create
from tradewind.customers import services
from tradewind.customers.models import Activity, Company, Contact, Task

PASSWORD = "correct-horse-battery-42"


class UserFactory(factory.Factory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"rep{n}")
    role = "sales"
    team_name = "Europe"
    email = factory.LazyAttribute(lambda o: f"{o.username}@exporter.example")
    first_name = factory.Sequence(lambda n: f"Rep{n}")
    language = "en"

    @classmethod
    def _create(cls, model_class, **kwargs):
        return user_create(actor=None, password=PASSWORD, **kwargs)


class CompanyFactory(factory.Factory):
    class Meta:
        model = Company

    name = factory.Sequence(lambda n: f"Nordlicht Leuchten {n} GmbH")
    country = "DE"
    website = factory.Sequence(lambda n: f"https://www.nordlicht{n}.de")
    owner = factory.SubFactory(UserFactory)

    @classmethod
    def _create(cls, model_class, *, actor=None, **kwargs):
        owner = kwargs["owner"]
        return services.company_create(actor=actor or owner, **kwargs)


class ContactFactory(factory.Factory):
    class Meta:
        model = Contact

    company = factory.SubFactory(CompanyFactory)
    name = factory.Sequence(lambda n: f"Anna Weber {n}")
    email = factory.Sequence(lambda n: f"anna{n}@nordlicht.de")
    phone = "030 1234567"

    @classmethod
    def _create(cls, model_class, *, company, actor=None, **kwargs):
        return services.contact_create(
            actor=actor or company.owner, company_id=company.pk, **kwargs
        )


class ActivityFactory(factory.Factory):
    class Meta:
        model = Activity

    company = factory.SubFactory(CompanyFactory)
    kind = "email"
    summary = "Sent the LED panel catalogue and price list"

    @classmethod
    def _create(cls, model_class, *, company, actor=None, **kwargs):
        return services.activity_log(actor=actor or company.owner, company_id=company.pk, **kwargs)


class TaskFactory(factory.Factory):
    class Meta:
        model = Task

    company = factory.SubFactory(CompanyFactory)
    title = "Ask for feedback on the sample"
    due_at = factory.LazyFunction(lambda: timezone.now() + timezone.timedelta(days=1))

    @classmethod
    def _create(cls, model_class, *, company, actor=None, **kwargs):
        actor = actor or company.owner
        kwargs.setdefault("assignee", actor)
        return services.task_create(actor=actor, company_id=company.pk, **kwargs)
