"""The demo customers' timelines and follow-up tasks, anchored on one "now", never in the future."""

import random
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from tradewind.customers import services
from tradewind.demo import phrases

SHANGHAI = ZoneInfo("Asia/Shanghai")
AMERICAS = {"US", "CA", "MX", "BR", "CL", "AR", "CO", "PE"}
# Beijing-time hours reps talk to buyers: mornings/afternoons for Asia, Europe, Middle East
# and Africa; late evening (the buyer's morning) or early morning for the Americas.
HOURS = (8, 9, 10, 11, 14, 15, 16, 17, 19)
HOURS_AMERICAS = (8, 9, 10, 20, 21, 22, 23)
DUE_HOURS = ((10, 0), (14, 0), (16, 30), (18, 0), (21, 0))
SAFETY = timedelta(minutes=5)


def fill(text: str, ctx: dict, contact) -> str:
    """``text`` with the company's placeholders filled; {contact} is the contact's given name."""
    return text.format(**ctx, contact=ctx["given"][contact.pk])


def moment(rng: random.Random, now: datetime, days_ago: float, country: str) -> datetime:
    """A working-hours moment (Beijing time) ``days_ago`` days before ``now``, never after it."""
    local_day = (now.astimezone(SHANGHAI) - timedelta(days=days_ago)).date()
    hour = rng.choice(HOURS_AMERICAS if country in AMERICAS else HOURS)
    when = datetime.combine(local_day, time(hour, rng.randrange(60)), tzinfo=SHANGHAI)
    # Drawn either way, so the rest of the demo does not depend on the time of day.
    earlier = now - SAFETY - timedelta(minutes=rng.randint(1, 240))
    return min(when, earlier) if when > now - SAFETY else when


def _story(rng: random.Random, stage: str, count: int) -> list[tuple[str, str, str]]:
    """``count`` timeline entries in story order: some steps of each of the stage's phases,
    always at least one of the last phase (where the customer is now), and a phase that is
    used always starts with its opening step (the first email, the inquiry, the quotation…)."""
    phases = [phrases.ACTIVITIES[phase] for phase in phrases.STAGE_PHASES[stage]]
    caps = [len(steps) for steps in phases]
    count = min(count, sum(caps))
    taken = [0] * len(phases)
    if count:
        taken[-1] = 1
    for _ in range(count - 1):
        room = [cap - used for cap, used in zip(caps, taken, strict=True)]
        taken[rng.choices(range(len(phases)), weights=room)[0]] += 1
    story = []
    for steps, used in zip(phases, taken, strict=True):
        later = sorted(rng.sample(range(1, len(steps)), used - 1)) if used else []
        for index in ([0] if used else []) + later:
            story.append(phrases.parse_entry(rng.choice(steps[index])))
    return story


def log_timeline(rng, *, now, company, stage, ctx, contacts, actor, pooled, manager=None) -> int:
    """Log 0–12 activities telling the customer's story so far; returns how many."""
    fewest, most = phrases.ACTIVITY_COUNTS[stage]
    story = _story(rng, stage, rng.randint(fewest, most))
    oldest, newest = phrases.ACTIVITY_WINDOW[stage]
    if pooled and stage in ("lead", "contacted"):
        # Released to the pool after 30 days without follow-up.
        newest, oldest = 31, max(oldest, 75)
    days = sorted((rng.uniform(newest, oldest) for _ in story), reverse=True)
    if days and not pooled and stage not in ("dormant", "lost", "lead"):
        days[-1] = rng.uniform(0, 10)  # an active customer was touched recently
    moments = sorted(moment(rng, now, days_ago, company.country) for days_ago in days)
    entries = []
    for when, (kind, direction, text) in zip(moments, story, strict=True):
        contact = None if kind == "note" else rng.choice(contacts)
        entries.append(
            (when, actor, kind, direction, fill(text, ctx, contact or contacts[0]), contact)
        )
    if manager is not None and story and rng.random() < 0.2:
        kind, direction, text = phrases.parse_entry(rng.choice(phrases.MANAGER_NOTES))
        when = moment(rng, now, rng.uniform(newest, days[0]), "CN")
        if when <= moments[0]:  # the manager comments on what the rep has started
            when = min(moments[0] + timedelta(hours=2), now - SAFETY)
        entries.append((when, manager, kind, direction, fill(text, ctx, contacts[0]), None))
    for when, who, kind, direction, summary, contact in sorted(entries, key=lambda e: e[0]):
        services.activity_log(
            actor=who,
            company_id=company.pk,
            kind=kind,
            direction=direction,
            summary=summary,
            occurred_at=when,
            contact=contact,
        )
    return len(entries)


def due_at(rng: random.Random, now: datetime, when: str) -> datetime:
    """A due time: "overdue" (1–12 days ago), "today" (later today in Beijing time) or
    "upcoming" (1–14 days ahead)."""
    local_now = now.astimezone(SHANGHAI)
    pick = rng.randrange(len(DUE_HOURS))
    hour, minute = DUE_HOURS[pick]
    if when == "today":
        today = [
            datetime.combine(local_now.date(), time(h, m), tzinfo=SHANGHAI) for h, m in DUE_HOURS
        ]
        later = [due for due in today if due > now + SAFETY]
        end_of_day = datetime.combine(local_now.date(), time(23, 59, 59), tzinfo=SHANGHAI)
        return later[pick % len(later)] if later else end_of_day
    offset = -rng.randint(1, 12) if when == "overdue" else rng.randint(1, 14)
    day = local_now.date() + timedelta(days=offset)
    return datetime.combine(day, time(hour, minute), tzinfo=SHANGHAI)


def create_tasks(rng, *, now, company, stage, ctx, contacts, owner, open_due: str | None) -> int:
    """Follow-ups assigned to the owner: 0–2 done earlier steps and, unless ``open_due`` is
    None, one open next step due as it says. Returns how many tasks were made."""
    made = 0
    earlier = phrases.EARLIER_TASKS[stage]
    done_count = min(len(earlier), rng.randint(0, 1 if stage == "contacted" else 2))
    oldest, newest = phrases.ACTIVITY_WINDOW[stage]
    for title in rng.sample(earlier, done_count):
        due = moment(rng, now, rng.uniform(max(newest, 3), oldest), "CN")
        task = services.task_create(
            actor=owner,
            company_id=company.pk,
            assignee=owner,
            title=fill(title, ctx, contacts[0]),
            due_at=due,
            contact=contacts[0],
        )
        done = min(due + timedelta(hours=rng.uniform(-20, 30)), now - SAFETY)
        services.task_complete(actor=owner, task_id=task.pk, when=done)
        made += 1
    titles = phrases.TASKS[stage]
    if open_due and titles:
        contact = rng.choice(contacts)
        services.task_create(
            actor=owner,
            company_id=company.pk,
            assignee=owner,
            title=fill(rng.choice(titles), ctx, contact),
            due_at=due_at(rng, now, open_due),
            contact=contact,
        )
        made += 1
    return made
