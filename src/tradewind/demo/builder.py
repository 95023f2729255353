"""Build the demo workspace: an exporter's two sales teams and 200 buyers in 35 countries.

Everything goes through the services, so the demo has the audit trail real use would leave.
The same seed gives the same workspace (names, stages, owners, timelines), relative to now.
"""

import random
import re
import time
import unicodedata
from dataclasses import dataclass, field
from itertools import cycle

import phonenumbers
from django.db import transaction
from django.utils import timezone

from tradewind.accounts.models import User
from tradewind.accounts.services import user_create, user_update_preferences
from tradewind.catalog.demo import seed_catalog
from tradewind.contracts.demo import seed_contracts
from tradewind.contracts.lc.demo import seed_letters_of_credit
from tradewind.core.models import AuditEvent
from tradewind.customers import services
from tradewind.customers.icp.services import profile_create
from tradewind.customers.models import Activity, Company, Contact, Task
from tradewind.customers.normalize import normalize_company_name
from tradewind.demo import data, phrases
from tradewind.demo.logins import Login, login_of, sort_logins
from tradewind.demo.timeline import create_tasks, fill, log_timeline
from tradewind.quotes.choices import QuotationStatus
from tradewind.quotes.decisions import record_decision
from tradewind.quotes.demo_inquiries import seed_inquiries
from tradewind.quotes.demo_quotations import seed_quotations
from tradewind.quotes.demo_samples import seed_samples
from tradewind.quotes.models import Quotation

STAGE_COUNTS = {
    "lead": 56,
    "contacted": 44,
    "inquiry": 20,
    "quoted": 18,
    "sample": 12,
    "negotiation": 10,
    "ordered": 13,
    "repeat": 11,
    "dormant": 9,
    "lost": 7,
}
LINE_WEIGHTS = [line.weight for line in data.PRODUCT_LINES]
PRICE_RANGE = {"led": (1.2, 28), "textile": (1.5, 18), "kitchen": (2.5, 45), "hardware": (0.3, 9)}
POOL_SHARE = 0.15
POOL_STAGES = ("lead", "contacted", "dormant", "lost")
CUSTOMER_TYPES = {
    "importer": 28,
    "wholesaler": 25,
    "retailer": 14,
    "brand": 10,
    "project": 12,
    "trader": 9,
    "other": 2,
}
SIZES = {"micro": 15, "small": 35, "medium": 33, "large": 17}
SOURCES = {
    "b2b": 28,
    "search": 20,
    "social": 10,
    "trade_fair": 18,
    "referral": 8,
    "website": 8,
    "other": 8,
}
GRADES = {  # stage → {grade: weight}; "" is not graded yet
    "lead": {"": 50, "D": 35, "C": 15},
    "contacted": {"D": 55, "C": 30, "": 15},
    "inquiry": {"C": 70, "B": 15, "D": 15},
    "quoted": {"C": 60, "B": 30, "D": 10},
    "sample": {"B": 100},
    "negotiation": {"B": 100},
    "ordered": {"A": 90, "B": 10},
    "repeat": {"A": 100},
    "dormant": {"B": 40, "C": 40, "D": 20},
    "lost": {"D": 70, "": 30},
}
# Shares of owned, open customers whose next follow-up is overdue, due today, or has none.
OVERDUE_SHARE, TODAY_SHARE, NO_TASK_SHARE = 0.25, 0.15, 0.10
CONTACT_NOTES = (
    "Prefers WhatsApp to email.",
    "下午3点后（对方时间）比较好联系",
    "English is basic — 邮件写简单点，用翻译软件沟通",
    "他只负责比价，决定权在老板",
    "Out of office in August.",
    "Replies fast on LinkedIn.",
)
_TRANSLIT = str.maketrans(
    {
        "ß": "ss",
        "ł": "l",
        "Ł": "L",
        "ı": "i",
        "đ": "d",
        "Đ": "D",
        "ø": "o",
        "æ": "ae",
        "«": "",
        "»": "",
    }
)
_GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})
_FILLER = {"de", "la", "el", "the", "and", "for", "y", "e", "para", "mesa", "table", "arts"}


@dataclass(frozen=True)
class DemoResult:
    """What was built: the log-ins (all share ``password``), counts, and how long it took."""

    logins: tuple[Login, ...]
    password: str
    seed: int
    seconds: float
    counts: dict[str, int] = field(default_factory=dict)


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def ascii_slug(text: str, *, german: bool = False) -> str:
    """'Müller Küchenbedarf' → 'mueller-kuechenbedarf' (German) or 'muller-…'; for domains."""
    if german:
        text = text.translate(_GERMAN)
    text = unicodedata.normalize("NFKD", text.translate(_TRANSLIT))
    text = text.encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def phone_for(rng: random.Random, region: str, *, mobile: bool = False) -> str:
    """A valid number of ``region`` as a rep would type it (national or international form)."""
    types = phonenumbers.PhoneNumberType
    kind = types.MOBILE if mobile else types.FIXED_LINE
    number = phonenumbers.example_number_for_type(region, kind)
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    for _ in range(20):
        candidate = phonenumbers.parse(e164[:-4] + "".join(rng.choices("0123456789", k=4)))
        if phonenumbers.is_valid_number(candidate):
            number = candidate
            break
    style = rng.choice(
        (phonenumbers.PhoneNumberFormat.NATIONAL, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    )
    return phonenumbers.format_number(number, style)


def _create_profiles(staff: dict[str, list[User]]) -> None:
    """Two ideal customer profiles, one per team, so the demo's fit scores mean something."""
    profile_create(
        actor=staff[data.WEST][0],
        name="EU & North America LED importers",
        description="Importers and wholesalers of LED lighting with their own brand or chain.",
        regions=["eu", "north_america"],
        customer_types=["importer", "wholesaler", "brand"],
        sizes=["medium", "large"],
        product_keywords=["LED", "panel", "downlight", "lighting"],
    )
    profile_create(
        actor=staff[data.EAST][0],
        name="中东及东南亚项目商 Middle East & SE Asia project buyers",
        description="Project buyers and distributors in the Gulf and Southeast Asia.",
        regions=["middle_east", "southeast_asia"],
        customer_types=["project", "wholesaler", "importer"],
        product_keywords=["LED", "solar", "high bay", "kitchenware"],
    )


def _create_users() -> dict[str, list[User]]:
    """The demo staff, by team key ("" for the admin); managers come first in their team."""
    by_team: dict[str, list[User]] = {}
    admin = None
    for spec in data.USERS:
        user = user_create(
            actor=admin,
            username=spec.username,
            role=spec.role,
            team_name=data.TEAMS.get(spec.team, ""),
            password=data.DEMO_PASSWORD,
            email=f"{spec.username}@{data.DEMO_EMAIL_DOMAIN}",
            first_name=spec.first_name,
            last_name=spec.last_name,
            language=spec.language,
            time_zone="Asia/Shanghai",
        )
        admin = admin or user
        signature = (
            f"{spec.first_name} {spec.last_name} {spec.chinese_name}\n{spec.title}\n"
            f"{data.EXPORTER}\n{data.EXPORTER_ZH}\nMob/WhatsApp: {spec.mobile}\n{user.email}"
        )
        user_update_preferences(
            actor=user, language=spec.language, time_zone=user.time_zone, signature=signature
        )
        by_team.setdefault(spec.team, []).append(user)
    return by_team


class _Namer:
    """Buyer names and web domains, unique as the duplicate check compares them."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.roots: dict[str, cycle] = {}
        self.names: set[str] = set()
        self.domains: set[str] = set()

    def company(self, market: data.Market, pattern_key: str) -> tuple[str, str]:
        if market.code not in self.roots:
            roots = list(market.roots)
            self.rng.shuffle(roots)
            self.roots[market.code] = cycle(roots)
        patterns = data.NAME_PATTERNS[market.style][pattern_key].split("|")
        for attempt in range(30):
            core = self.rng.choice(patterns).format(root=next(self.roots[market.code]))
            if attempt >= 10:
                core = f"{core} {self.rng.choice(market.cities)}"
            name = self.rng.choice(market.forms).format(core)
            if normalize_company_name(name) not in self.names:  # what the duplicate check sees
                break
        self.names.add(normalize_company_name(name))
        return name, self._domain(market, core)

    def _domain(self, market: data.Market, core: str) -> str:
        words = ascii_slug(core, german=market.style == "de").split("-")
        if len(words) > 2:
            words = [word for word in words if word not in _FILLER][:3]
        stem = "-".join(words) if len(words) > 1 and self.rng.random() < 0.5 else "".join(words)
        domain, number = f"{stem}.{market.tld}", 2
        while domain in self.domains:
            domain, number = f"{stem}{number}.{market.tld}", number + 1
        self.domains.add(domain)
        return domain


def _context(rng: random.Random, market: data.Market, line: data.ProductLine, ctype: str) -> dict:
    product, product_zh = rng.choice(line.items)
    port = rng.choice(market.ports)
    incoterms = ["FOB Ningbo", f"CIF {port}", f"CFR {port}", "EXW Ningbo", "FOB Shanghai"]
    if market.code in ("US", "GB", "DE", "AU"):
        incoterms.append(f"DDP {rng.choice(market.cities)}")
    courier = rng.choice(data.COURIERS)
    tracking = (
        "1Z" + "".join(rng.choices("0123456789ABCDEFGHJKLMNPRSTUVWXYZ", k=16))
        if courier == "UPS"
        else "".join(rng.choices("0123456789", k={"DHL": 10, "FedEx": 12}.get(courier, 9)))
    )
    return {
        "product": product,
        "product_zh": product_zh,
        "city": rng.choice(market.cities),
        "port": port,
        "incoterm": rng.choice(incoterms),
        "container": rng.choice(data.CONTAINERS),
        "qty": f"{rng.choice((500, 1000, 2000, 3000, 5000, 10000, 20000)):,}",
        "price": f"US${rng.uniform(*PRICE_RANGE[line.key]):.2f}/pc",
        "pct": rng.randint(3, 12),
        "courier": courier,
        "tracking": tracking,
        "po": f"PO-{rng.randint(10000, 89999)}",
        "po2": f"PO-{rng.randint(90000, 99999)}",
        "days": rng.randint(15, 45),
        "fair": rng.choice(data.FAIRS),
        "containers": rng.randint(2, 30),
        "type_zh": phrases.TYPE_ZH[ctype],
        "given": {},
    }


def _tags(rng, line, stage, ctype, size, source) -> list[str]:
    tags = [line.tag]
    if rng.random() < 0.25:
        tags.append(rng.choice(data.PRODUCT_LINES).tag)
    tags += [
        tag
        for tag, applies in (
            ("展会客户", source == "trade_fair"),
            ("阿里询盘", source == "b2b" and rng.random() < 0.7),
            ("OEM", ctype == "brand"),
            ("工程项目", ctype == "project"),
            ("大客户", size == "large" and stage in ("ordered", "repeat", "negotiation")),
            ("价格敏感", rng.random() < 0.12),
            ("需认证", rng.random() < 0.08),
        )
        if applies
    ]
    return tags


def _contacts(rng, *, actor, company, market, ctx, size) -> list[Contact]:
    weights = (45, 38, 17) if size in ("micro", "small") else (25, 45, 30)
    count = rng.choices((1, 2, 3), weights=weights)[0]
    titles = rng.sample(market.titles, min(count, len(market.titles)))
    scheme = rng.choice(("{g}.{f}", "{g}", "{i}{f}", "{g}{f}", "{g}_{f}"))
    domain = company.website_domain
    made, seen = [], set()
    for index in range(count):
        first, last = rng.choice(market.first_names), rng.choice(market.last_names)
        if (first, last) in seen:
            continue
        seen.add((first, last))
        g = ascii_slug(first).replace("-", "")
        f = ascii_slug(last).replace("-", "")
        mobile_first = market.code not in ("US", "CA", "DE", "GB", "FR", "JP", "KR", "NL", "SE")
        contact = services.contact_create(
            actor=actor,
            company_id=company.pk,
            name=f"{last} {first}" if market.family_first else f"{first} {last}",
            title=titles[index % len(titles)],
            email=scheme.format(g=g, f=f, i=g[:1]) + "@" + domain,
            phone=phone_for(rng, market.code) if rng.random() < 0.85 else "",
            whatsapp=phone_for(rng, market.code, mobile=True)
            if rng.random() < (0.7 if mobile_first else 0.3)
            else "",
            linkedin=f"https://www.linkedin.com/in/{g}-{f}-{rng.randrange(16**4):04x}"
            if rng.random() < 0.3
            else "",
            is_decision_maker=rng.random() < (0.7 if index == 0 else 0.2),
            notes=rng.choice(CONTACT_NOTES) if rng.random() < 0.15 else "",
        )
        ctx["given"][contact.pk] = first.split()[-1] if market.family_first else first
        made.append(contact)
    return made


def _plan(rng: random.Random) -> list[tuple[data.Market, str, bool]]:
    """(market, stage, in the pool) for every company, in a shuffled but seeded order."""
    markets = [market for market in data.MARKETS for _ in range(market.count)]
    stages = [stage for stage, count in STAGE_COUNTS.items() for _ in range(count)]
    stages = (stages + ["lead"] * len(markets))[: len(markets)]
    rng.shuffle(stages)
    eligible = [i for i, stage in enumerate(stages) if stage in POOL_STAGES]
    pooled = set(rng.sample(eligible, min(len(eligible), round(len(markets) * POOL_SHARE))))
    return [(m, s, i in pooled) for i, (m, s) in enumerate(zip(markets, stages, strict=True))]


def _open_due_kinds(rng: random.Random, count: int) -> list[str | None]:
    overdue, today = round(count * OVERDUE_SHARE), round(count * TODAY_SHARE)
    none = round(count * NO_TASK_SHARE)
    kinds = ["overdue"] * overdue + ["today"] * today + [None] * none
    kinds += ["upcoming"] * (count - len(kinds))
    rng.shuffle(kinds)
    return kinds


def build_demo(*, seed: int = 7) -> DemoResult:
    """Create the demo users, teams and customers in one transaction; return their log-ins."""
    started = time.perf_counter()
    rng = random.Random(seed)  # noqa: S311 — demo data, not security
    now = timezone.now()
    namer = _Namer(rng)
    with transaction.atomic():
        staff = _create_users()
        _create_profiles(staff)
        plan = _plan(rng)
        owned_open = [
            i for i, (_, stage, pooled) in enumerate(plan) if not pooled and stage != "lost"
        ]
        due_kinds = dict(zip(owned_open, _open_due_kinds(rng, len(owned_open)), strict=True))
        company_ids = []
        for index, (market, stage, pooled) in enumerate(plan):
            manager, *reps = staff[market.team]
            rep = rng.choice(reps)
            line = rng.choices(data.PRODUCT_LINES, weights=LINE_WEIGHTS)[0]
            ctype, size, source = _pick(rng, CUSTOMER_TYPES), _pick(rng, SIZES), _pick(rng, SOURCES)
            general = ctype in ("importer", "trader") and rng.random() < 0.6
            name, domain = namer.company(market, "general" if general else line.key)
            ctx = _context(rng, market, line, ctype)
            ctx["lost_reason"] = rng.choice(phrases.LOST_REASONS) if stage == "lost" else ""
            notes = rng.sample(phrases.NOTES, rng.choice((0, 1, 1, 2)))
            company = services.company_create(
                actor=rep,
                owner=None if pooled else rep,
                name=name,
                country=market.code,
                website=rng.choice(("https://www.", "http://www.", "www.", "")) + domain,
                customer_type=ctype,
                size=size,
                source=source,
                grade=_pick(rng, GRADES[stage]),
                stage=stage,
                tags=_tags(rng, line, stage, ctype, size, source),
                lost_reason=ctx["lost_reason"],
            )
            contacts = _contacts(rng, actor=rep, company=company, market=market, ctx=ctx, size=size)
            if notes:  # written after the first call, so they can name the contact
                text = "\n".join(fill(note, ctx, contacts[0]) for note in notes)
                services.company_update(actor=rep, company_id=company.pk, notes=text)
            story = {
                "now": now,
                "company": company,
                "stage": stage,
                "ctx": ctx,
                "contacts": contacts,
            }
            log_timeline(
                rng, **story, actor=rep, pooled=pooled, manager=None if pooled else manager
            )
            if not pooled:
                create_tasks(rng, **story, owner=rep, open_due=due_kinds.get(index))
            company_ids.append(company.pk)
    users = [user for team in staff.values() for user in team]
    _seed_deals(users, company_ids, seed=seed, now=now)
    return DemoResult(
        logins=tuple(sort_logins(login_of(user) for user in users)),
        password=data.DEMO_PASSWORD,
        seed=seed,
        seconds=time.perf_counter() - started,
        counts=_counts(company_ids, users, now),
    )


def _seed_deals(users: list[User], company_ids: list[int], *, seed: int, now) -> None:
    """SOP stages 3 and 4 on top of the customers: the catalogue and exchange rates, inquiries,
    quotations (two of them accepted by the buyer), samples, contracts and letters of credit."""
    seed_catalog(seed=seed)
    companies = list(Company.objects.filter(pk__in=company_ids).select_related("owner"))
    seed_inquiries(users=users, companies=companies, now=now, seed=seed)
    seed_quotations(seed=seed, now=now)
    sent = Quotation.objects.filter(status=QuotationStatus.SENT).select_related("owner")
    for quotation in [q for q in sent.order_by("id") if not q.revisions.last().is_expired][:2]:
        record_decision(
            actor=quotation.owner,
            quotation_id=quotation.pk,
            accepted=True,
            reason="Price and lead time confirmed by the buyer.",
        )
    seed_samples(seed=seed, now=now)
    seed_contracts(seed=seed, today=timezone.localdate(now))
    seed_letters_of_credit(today=timezone.localdate(now))


def _counts(company_ids: list[int], users: list[User], now) -> dict[str, int]:
    companies = Company.objects.filter(pk__in=company_ids)
    tasks = Task.objects.filter(company__in=company_ids)
    return {
        "teams": len({user.team_id for user in users if user.team_id}),
        "users": len(users),
        "companies": companies.count(),
        "countries": companies.values("country").distinct().count(),
        "pool": companies.filter(owner__isnull=True).count(),
        "contacts": Contact.objects.filter(company__in=company_ids).count(),
        "activities": Activity.objects.filter(company__in=company_ids).count(),
        "tasks": tasks.count(),
        "open_tasks": tasks.filter(done_at__isnull=True).count(),
        "overdue_tasks": tasks.filter(done_at__isnull=True, due_at__lt=now).count(),
        "audit_events": AuditEvent.objects.filter(company__in=company_ids).count(),
    }
