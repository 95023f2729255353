from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """The recency index gains the id (the sort's tie-break) and the owner (the visibility test),
    so the customer list reads one page of it instead of every visible customer."""

    dependencies = [
        ("customers", "0002_company_time_zone_validator"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(model_name="company", name="company_recent_idx"),
        migrations.AddIndex(
            model_name="company",
            index=models.Index(
                fields=["-last_activity_at", "-id", "owner"], name="company_recent_owner_idx"
            ),
        ),
    ]
