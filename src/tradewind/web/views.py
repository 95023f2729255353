from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from tradewind.customers import selectors
from tradewind.customers.choices import Stage
from tradewind.web.panels import my_day_panels


@login_required
def my_day(request):
    """Home: my overdue and today's follow-ups, recently active customers, my counts by stage."""
    user = request.user
    now = timezone.now()
    tasks = selectors.my_tasks(user, until=selectors.end_of_local_day(user, now))
    counts = selectors.stage_counts(user)
    context = {
        "overdue": [task for task in tasks if task.due_at < now],
        "due_today": [task for task in tasks if task.due_at >= now],
        "recent": selectors.recently_active(user),
        "stage_counts": [(value, label, counts.get(value, 0)) for value, label in Stage.choices],
        "total_mine": sum(counts.values()),
        "now": now,
        "panels": my_day_panels(request),
    }
    return render(request, "web/my_day.html", context)
