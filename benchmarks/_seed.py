"""The customer data set of the benchmarks, written in bulk with raw ``sqlite3``.

100k companies, 300k contacts, 1M activities; an admin, three teams with a manager each and 16
salespeople. The salesperson under test (``bench.rep``) owns 5k companies, 15 % are in the public
pool, the other reps share the rest. Names, countries, stages, grades, sources and tags are drawn
from realistic lists; activities fall over the past year, more of them on customers further along
the SOP, and each company's ``last_activity_at`` is its latest activity. Deterministic (one seed).
"""

from __future__ import annotations

import json
import random
import sqlite3
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from _common import db_time, insert_rows

SEED_VERSION = 4
N_COMPANIES = 100_000
N_CONTACTS = 300_000
N_ACTIVITIES = 1_000_000
REP_USERNAME = "bench.rep"  # the salesperson under test
REP_COMPANIES = 5_000
POOL_SHARE = 0.15
YEAR_S = 365 * 86400
TABLES = ("customers_company", "customers_contact", "customers_activity")

COUNTRIES = {  # code: (weight, legal forms, top-level domain, phone prefix)
    "US": (14, ["Inc.", "LLC", "Corp."], "com", "+1"),
    "DE": (9, ["GmbH", "GmbH & Co. KG", "AG"], "de", "+49"),
    "GB": (7, ["Ltd", "Limited", "PLC"], "co.uk", "+44"),
    "FR": (5, ["SARL", "SAS", "S.A."], "fr", "+33"),
    "IT": (4, ["S.r.l.", "S.p.A."], "it", "+39"),
    "ES": (4, ["S.L.", "S.A."], "es", "+34"),
    "NL": (3, ["B.V.", "N.V."], "nl", "+31"),
    "PL": (3, ["Sp. z o.o.", "S.A."], "pl", "+48"),
    "AE": (5, ["LLC", "FZE", "Trading LLC"], "ae", "+971"),
    "SA": (4, ["Co.", "Trading Est."], "com.sa", "+966"),
    "IN": (6, ["Pvt Ltd", "Ltd", "Exports"], "in", "+91"),
    "BR": (5, ["Ltda", "S.A."], "com.br", "+55"),
    "MX": (4, ["S.A. de C.V.", "S. de R.L."], "com.mx", "+52"),
    "AU": (4, ["Pty Ltd"], "com.au", "+61"),
    "CA": (3, ["Inc.", "Ltd"], "ca", "+1"),
    "JP": (2, ["K.K.", "Co., Ltd."], "co.jp", "+81"),
    "KR": (2, ["Co., Ltd."], "co.kr", "+82"),
    "VN": (3, ["Co., Ltd", "JSC"], "vn", "+84"),
    "TH": (2, ["Co., Ltd."], "co.th", "+66"),
    "ID": (3, ["PT", "CV"], "co.id", "+62"),
    "MY": (2, ["Sdn Bhd"], "com.my", "+60"),
    "TR": (3, ["Ltd. Şti.", "A.Ş."], "com.tr", "+90"),
    "RU": (3, ["OOO", "AO"], "ru", "+7"),
    "ZA": (2, ["(Pty) Ltd"], "co.za", "+27"),
    "NG": (2, ["Ltd", "Nig. Ltd"], "com.ng", "+234"),
    "EG": (2, ["S.A.E.", "LLC"], "com.eg", "+20"),
    "CL": (1, ["SpA", "Ltda"], "cl", "+56"),
    "CO": (1, ["S.A.S."], "com.co", "+57"),
    "AR": (1, ["S.R.L.", "S.A."], "com.ar", "+54"),
    "PE": (1, ["S.A.C."], "com.pe", "+51"),
    "KE": (1, ["Ltd"], "co.ke", "+254"),
    "PK": (1, ["(Pvt) Ltd"], "com.pk", "+92"),
    "BD": (1, ["Ltd"], "com.bd", "+880"),
}
STAGES = {  # stage: (share, activity weight, grades)
    "lead": (0.33, 0.4, ["", "", "D", "C"]),
    "contacted": (0.20, 1.2, ["", "D", "C"]),
    "inquiry": (0.10, 2.5, ["C", "D", "B"]),
    "quoted": (0.08, 3.5, ["C", "B"]),
    "sample": (0.05, 4.5, ["B", "C"]),
    "negotiation": (0.03, 5.0, ["B", "A"]),
    "ordered": (0.04, 6.0, ["A", "B"]),
    "repeat": (0.05, 7.0, ["A"]),
    "dormant": (0.08, 1.0, ["C", "D", ""]),
    "lost": (0.04, 1.5, ["D", ""]),
}
LOST_REASONS = [
    "Price too high", "Chose a local supplier", "No reply after quotation", "MOQ too high",
    "Lead time too long", "Failed factory audit",
]  # fmt: skip
SURNAMES = [
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Becker", "Hoffmann", "Koch", "Wagner",
    "Smith", "Johnson", "Williams", "Brown", "Taylor", "Wilson", "Evans", "Walker", "Hughes",
    "Dubois", "Lefèvre", "Moreau", "Rossi", "Bianchi", "Ferrari", "García", "Martínez", "López",
    "Jansen", "de Vries", "Kowalski", "Nowak", "Al Mansour", "Al Noor", "Al Futtaim", "Patel",
    "Sharma", "Gupta", "Reddy", "Silva", "Santos", "Oliveira", "Hernández", "González", "Nguyen",
    "Tanaka", "Suzuki", "Kim", "Park", "Yilmaz", "Demir", "Ivanov", "Okafor", "Mensah", "Khan",
    "Chowdhury", "O'Brien", "MacLeod", "Andersen", "Lindqvist", "Virtanen", "Novák", "Horvat",
]  # fmt: skip
BRANDS = [
    "Nordic", "Atlas", "Pacific", "Golden", "Sunrise", "Rhein", "Alpine", "Baltic", "Crescent",
    "Delta", "Evergreen", "Falcon", "Global", "Harbor", "Horizon", "Imperial", "Jade", "Keystone",
    "Lakeside", "Liberty", "Meridian", "Metro", "Northstar", "Oasis", "Orion", "Pioneer", "Prime",
    "Quantum", "Royal", "Sahara", "Sapphire", "Summit", "Titan", "Unity", "Vanguard", "Vista",
    "Westfield", "Zenith", "Andes", "Amazonas", "Danube", "Mekong", "Nile", "Savanna", "Tundra",
    "Coral", "Cedar", "Maple", "Olive", "Lotus", "Phoenix", "Polaris", "Aurora", "Cobalt",
    "Granite", "Silverline", "Bluewave", "Redstone", "Greenfield", "Brightway",
]  # fmt: skip
TRADES = [
    "Lighting", "LED", "Electrical", "Hardware", "Tools", "Home", "Housewares", "Kitchenware",
    "Furniture", "Textiles", "Apparel", "Footwear", "Bags", "Toys", "Gifts", "Packaging",
    "Plastics", "Rubber", "Steel", "Metals", "Fasteners", "Valves", "Pumps", "Machinery",
    "Auto Parts", "Tyres", "Solar", "Energy", "Batteries", "Cables", "Electronics", "Appliances",
    "Ceramics", "Tiles", "Sanitary", "Building Materials", "Glass", "Paper", "Stationery",
    "Cosmetics", "Beauty", "Pet Supplies", "Garden", "Outdoor", "Sports", "Fitness", "Medical",
    "Lab Supplies", "Chemicals", "Food Equipment",
]  # fmt: skip
TAILS = [
    "", "", "", "Trading", "Imports", "Supplies", "Distribution", "Group", "International",
    "Solutions", "Wholesale", "Direct",
]  # fmt: skip
TAG_NAMES = [
    "Canton Fair", "Alibaba", "Made-in-China", "LinkedIn", "distributor", "key account",
    "price-sensitive", "OEM", "ODM", "private label", "project", "e-commerce", "Amazon seller",
    "supermarket chain", "reorder due", "sample sent", "VIP", "slow payer", "L/C only",
    "T/T 30/70", "DDP", "FOB", "CIF", "needs CE", "needs UL", "needs FDA", "Ramadan season",
    "Christmas season", "trade show 2025", "referral",
]  # fmt: skip
FIRST_NAMES = [
    "Anna", "Lukas", "Sophie", "James", "Emma", "Oliver", "Mia", "Noah", "Lucas", "Chloé", "Marco",
    "Giulia", "Carlos", "Lucía", "Jan", "Eva", "Piotr", "Ahmed", "Fatima", "Omar", "Priya",
    "Rahul", "Ana", "João", "Sofía", "Diego", "Minh", "Linh", "Yuki", "Hiro", "Ji-woo", "Emre",
    "Elif", "Dmitri", "Olga", "Chinedu", "Amina", "Kwame", "Sara", "Erik",
]  # fmt: skip
TITLES = [
    "Purchasing Manager", "Buyer", "Senior Buyer", "Procurement Director", "CEO", "Owner",
    "Sourcing Manager", "Import Manager", "Category Manager", "Product Manager", "General Manager",
    "Logistics Coordinator", "",
]  # fmt: skip
ACTIVITY_KINDS = {"email": 45, "call": 15, "chat": 20, "meeting": 5, "visit": 2, "trade_fair": 3,
                  "note": 10}  # fmt: skip
SUMMARIES = [
    "Sent development letter with catalogue", "Followed up on the quotation, asked for feedback",
    "Buyer asked for FOB Ningbo price for 2 x 40HQ", "Sent revised quotation with new MOQ",
    "Called about sample status, courier delivered",
    "WhatsApp: buyer confirmed colour and packing",
    "Met at Canton Fair booth, interested in new models",
    "Buyer requested CE and RoHS certificates",
    "Discussed payment terms: 30% T/T deposit, balance against B/L copy",
    "Sent PI for confirmation", "Buyer complained about carton damage, sent photos to factory",
    "Reminder: reorder expected next month", "Note: competitor offered 5% lower",
    "Inquiry from website form: 500 pcs trial order", "Video call with buyer's QC team",
    "Shared production schedule and inspection date", "Sent shipping documents by DHL",
    "Buyer on holiday until next week", "LinkedIn message, asked about distributor terms",
    "Asked for target price and annual volume",
]  # fmt: skip

CUSTOMER_TYPES = ["importer", "wholesaler", "retailer", "brand", "project", "trader", "other", ""]
SIZES = ["micro", "small", "medium", "large", ""]
SOURCES = {"b2b": 30, "search": 15, "social": 12, "trade_fair": 18, "referral": 8, "website": 12,
           "other": 5}  # fmt: skip
POOL_STAGES = ("lead", "contacted", "dormant", "lost")  # released customers are mostly cold

USER_COLUMNS = ["id", "password", "is_superuser", "is_staff", "is_active", "username",
                "first_name", "last_name", "email", "date_joined", "role", "team_id", "language",
                "time_zone"]  # fmt: skip
COMPANY_COLUMNS = ["id", "created_at", "updated_at", "name", "name_normalized", "country",
                   "website", "website_domain", "time_zone", "customer_type", "size", "source",
                   "grade", "stage", "lost_reason", "notes", "last_activity_at",
                   "owner_id"]  # fmt: skip
CONTACT_COLUMNS = ["id", "created_at", "updated_at", "company_id", "name", "title", "email",
                   "phone", "whatsapp", "linkedin", "is_decision_maker", "notes"]  # fmt: skip
ACTIVITY_COLUMNS = ["id", "company_id", "contact_id", "kind", "direction", "summary",
                    "occurred_at", "user_id", "created_at"]  # fmt: skip


def seed_info_path(data_dir: Path) -> Path:
    return data_dir / "seed.json"


def existing_seed(data_dir: Path, db_path: Path) -> dict | None:
    """The seed's description when the file holds this version of the data set, else None."""
    info_file = seed_info_path(data_dir)
    if not (db_path.exists() and info_file.exists()):
        return None
    info = json.loads(info_file.read_text())
    if info.get("version") != SEED_VERSION:
        return None
    conn = sqlite3.connect(db_path)
    try:
        counts = {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in TABLES}
    except sqlite3.Error:
        return None
    finally:
        conn.close()
    return info if counts == info.get("counts") else None


def weighted(rng: random.Random, weights: dict, k: int) -> list:
    return rng.choices(list(weights), weights=list(weights.values()), k=k)


class Timeline:
    """1M moments over the past year, each given to a company by its stage's activity weight."""

    def __init__(self, rng: random.Random, stages: list[str], now: datetime):
        cum, total = [], 0.0
        for stage in stages:
            total += STAGES[stage][1]
            cum.append(total)
        self.cum_weights = cum
        self.start = now - timedelta(seconds=YEAR_S)
        self.moments = sorted(rng.random() * YEAR_S for _ in range(N_ACTIVITIES))
        self.company = rng.choices(range(len(stages)), cum_weights=cum, k=N_ACTIVITIES)
        self.first: list[float | None] = [None] * len(stages)
        self.last: list[float | None] = [None] * len(stages)
        for moment, c in zip(self.moments, self.company, strict=True):
            if self.first[c] is None:
                self.first[c] = moment
            self.last[c] = moment

    def at(self, offset: float) -> str:
        return db_time(self.start + timedelta(seconds=int(offset)))


def seed_users(conn: sqlite3.Connection, now: datetime) -> tuple[int, list[int]]:
    """An admin, three teams with a manager each, the rep under test and 15 other reps."""
    from tradewind.accounts.models import Team, User

    teams = ["Europe", "Middle East & Africa", "Americas & Asia-Pacific"]
    insert_rows(conn, Team, ["id", "name"], [(i + 1, name) for i, name in enumerate(teams)])
    users = [(1, "admin", "admin", None)]
    users += [(2 + t, f"manager{t + 1}", "manager", t + 1) for t in range(3)]
    users += [(5, REP_USERNAME, "sales", 1)]
    users += [(6 + i, f"rep{i + 1:02d}", "sales", 1 + i % 3) for i in range(15)]
    joined = db_time(now - timedelta(days=800))
    rows = [
        (uid, "!bench", role == "admin", role == "admin", True, name,
         name.split(".")[0].title(), "", f"{name}@tradewind.test", joined, role, team,
         "zh-hans", "Asia/Shanghai")
        for uid, name, role, team in users
    ]  # fmt: skip
    insert_rows(conn, User, USER_COLUMNS, rows)
    for t in range(3):
        conn.execute("UPDATE accounts_team SET manager_id = ? WHERE id = ?", (2 + t, t + 1))
    return 5, list(range(6, 21))


def plan_companies(rng: random.Random, rep_id: int, other_reps: list[int]):
    """Owner, country and stage of every company."""
    owners = [rep_id] * REP_COMPANIES + [None] * int(N_COMPANIES * POOL_SHARE)
    owners += [rng.choice(other_reps) for _ in range(N_COMPANIES - len(owners))]
    rng.shuffle(owners)
    countries = weighted(rng, {code: spec[0] for code, spec in COUNTRIES.items()}, N_COMPANIES)
    stages = weighted(rng, {stage: spec[0] for stage, spec in STAGES.items()}, N_COMPANIES)
    for i, owner in enumerate(owners):
        if owner is None and stages[i] not in POOL_STAGES:
            stages[i] = rng.choice(POOL_STAGES)
    return owners, countries, stages


def company_name(rng: random.Random, country: str) -> str:
    first = rng.choice(BRANDS) if rng.random() < 0.6 else rng.choice(SURNAMES)
    parts = [first, rng.choice(TRADES), rng.choice(TAILS), rng.choice(COUNTRIES[country][1])]
    return " ".join(part for part in parts if part)


def seed_companies(conn, rng, owners, countries, stages, timeline: Timeline) -> list[str]:
    """Companies and their tags; returns each company's web domain (for contact emails)."""
    from tradewind.customers.models import Company, Tag
    from tradewind.customers.normalize import normalize_company_name, website_domain

    rows, domains, tag_rows = [], [], []
    for i, (owner, country, stage) in enumerate(zip(owners, countries, stages, strict=True)):
        cid, name = i + 1, company_name(rng, country)
        normalized = normalize_company_name(name)
        slug = "".join(ch for ch in normalized if ch.isalnum())[:40]
        tld = COUNTRIES[country][2]
        website = f"https://www.{slug}{cid % 97 or ''}.{tld}" if rng.random() < 0.85 else ""
        first, last = timeline.first[i], timeline.last[i]
        created = (first if first is not None else rng.random() * YEAR_S) - rng.random() * YEAR_S
        domains.append(website_domain(website))
        rows.append((
            cid, timeline.at(created), timeline.at(last if last is not None else created), name,
            normalized, country, website, domains[-1], "", rng.choice(CUSTOMER_TYPES),
            rng.choice(SIZES), weighted(rng, SOURCES, 1)[0], rng.choice(STAGES[stage][2]), stage,
            rng.choice(LOST_REASONS) if stage == "lost" else "",
            "Prefers WeChat in the evening." if rng.random() < 0.05 else "",
            timeline.at(last) if last is not None else None, owner,
        ))  # fmt: skip
        if rng.random() < 0.35:
            for tag in rng.sample(range(1, len(TAG_NAMES) + 1), rng.choice([1, 1, 2, 3])):
                tag_rows.append((cid, tag))
    insert_rows(conn, Tag, ["id", "name"], list(enumerate(TAG_NAMES, start=1)))
    insert_rows(conn, Company, COMPANY_COLUMNS, rows)
    insert_rows(conn, Company.tags.through, ["company_id", "tag_id"], tag_rows)
    return domains


def seed_contacts(conn, rng, countries, domains, timeline: Timeline) -> list[list[int]]:
    """One contact per company and 200k more for the busier ones; returns their ids per company."""
    from tradewind.customers.models import Contact

    per_company = [1] * N_COMPANIES
    for c in rng.choices(range(N_COMPANIES), cum_weights=timeline.cum_weights,
                         k=N_CONTACTS - N_COMPANIES):  # fmt: skip
        per_company[c] += 1
    ids_of: list[list[int]] = []
    rows, next_id = [], 1
    for i in range(N_COMPANIES):
        prefix, domain = COUNTRIES[countries[i]][3], domains[i] or "gmail.com"
        first_seen = timeline.first[i]
        added = timeline.at(first_seen if first_seen is not None else rng.random() * YEAR_S)
        ids_of.append(list(range(next_id, next_id + per_company[i])))
        for k in range(per_company[i]):
            first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
            phone = f"{prefix}{rng.randrange(10**8, 10**10)}" if rng.random() < 0.7 else ""
            email = f"{first.lower()}.{last.lower().replace(' ', '')}{next_id % 10}@{domain}"
            linkedin = f"https://www.linkedin.com/in/{first.lower()}-{next_id}"
            rows.append((
                next_id, added, added, i + 1, f"{first} {last}", rng.choice(TITLES), email,
                phone, phone if rng.random() < 0.4 else "",
                linkedin if rng.random() < 0.2 else "", k == 0 and rng.random() < 0.6, "",
            ))  # fmt: skip
            next_id += 1
    insert_rows(conn, Contact, CONTACT_COLUMNS, rows)
    return ids_of


def seed_activities(conn, rng, owners, other_reps, contact_ids, timeline: Timeline) -> None:
    """The timeline, in time order as it would have been written."""
    from tradewind.customers.models import Activity

    kinds = weighted(rng, ACTIVITY_KINDS, N_ACTIVITIES)

    def rows():
        for n, (moment, c) in enumerate(zip(timeline.moments, timeline.company, strict=True)):
            when = timeline.at(moment)
            contact = rng.choice(contact_ids[c]) if rng.random() < 0.8 else None
            direction = "in" if rng.random() < 0.3 else "out"
            user = owners[c] or rng.choice(other_reps)
            yield (n + 1, c + 1, contact, kinds[n], direction, rng.choice(SUMMARIES), when,
                   user, when)  # fmt: skip

    insert_rows(conn, Activity, ACTIVITY_COLUMNS, rows())


def seed_customers(db_path: Path, data_dir: Path, *, seed: int = 20240501) -> dict:
    """Fill a freshly migrated database with the data set, in one transaction, then ANALYZE."""
    from django.db import connection as django_connection

    django_connection.close()
    rng = random.Random(seed)
    now = datetime.now(UTC).replace(microsecond=0)
    started = time.perf_counter()
    conn = sqlite3.connect(db_path, isolation_level=None)
    for pragma in ("journal_mode=OFF", "synchronous=OFF", "foreign_keys=OFF", "cache_size=-262144"):
        conn.execute(f"PRAGMA {pragma}")
    conn.execute("BEGIN")
    rep_id, other_reps = seed_users(conn, now)
    owners, countries, stages = plan_companies(rng, rep_id, other_reps)
    timeline = Timeline(rng, stages, now)
    domains = seed_companies(conn, rng, owners, countries, stages, timeline)
    contact_ids = seed_contacts(conn, rng, countries, domains, timeline)
    seed_activities(conn, rng, owners, other_reps, contact_ids, timeline)
    conn.execute("COMMIT")
    inserted = time.perf_counter() - started
    conn.execute("ANALYZE")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.close()
    info = {
        "version": SEED_VERSION,
        "counts": dict(zip(TABLES, (N_COMPANIES, N_CONTACTS, N_ACTIVITIES), strict=True)),
        "rep_username": REP_USERNAME,
        "seeded_at": now.isoformat(),
        "insert_seconds": round(inserted, 1),
        "seconds": round(time.perf_counter() - started, 1),
    }
    seed_info_path(data_dir).write_text(json.dumps(info, indent=2))
    return info
