"""Shared helpers of the benchmarks: Django set-up on a dedicated data folder, the bulk seeding of
the customer data set with raw ``sqlite3``, timing, percentiles, the table and the JSON line.

Every benchmark ends by printing one JSON line (``result_line``); ``met`` is true only when every
goal of that benchmark holds.
"""

from __future__ import annotations

import json
import math
import os
import random
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent
BENCH_DIR = REPO_DIR / ".bench"  # git-ignored
STAND_IN_TEMPLATES = Path(__file__).resolve().parent / "templates"

# --- Django on a dedicated data folder ------------------------------------------------------


def django_setup(data_dir: Path) -> Path:
    """Point the settings at ``data_dir`` (its own SQLite file), set Django up, return the file.

    Production settings otherwise: DEBUG off, the same middleware, templates and SQLite options.
    The only overrides: the test client's host is allowed, the static files storage does not need
    a ``collectstatic`` manifest, and the log stays quiet.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ["DJANGO_SETTINGS_MODULE"] = "tradewind.config.settings"
    os.environ["TRADEWIND_DATA_DIR"] = str(data_dir)
    os.environ.pop("DATABASE_URL", None)
    os.environ["TRADEWIND_DEBUG"] = "0"
    os.environ["TRADEWIND_ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ["TRADEWIND_LOG_LEVEL"] = "WARNING"
    os.environ.setdefault("TRADEWIND_SECRET_KEY", "benchmark-only-not-a-secret-" + "x" * 30)
    sys.path.insert(0, str(REPO_DIR / "src"))

    from django.conf import settings

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    import django

    django.setup()
    return Path(settings.DATABASES["default"]["NAME"])


def app_template_exists(name: str) -> bool:
    """Whether an installed app ships the template ``name`` (looked up without building the
    template engine, so a stand-in can still be added to the settings)."""
    from django.apps import apps

    return any(
        (Path(config.path) / "templates" / name).is_file() for config in apps.get_app_configs()
    )


def use_stand_in_templates() -> None:
    """Add benchmarks/templates after the apps' templates: only used where an app has none."""
    from django.conf import settings

    engine = settings.TEMPLATES[0]
    engine["DIRS"] = [*engine.get("DIRS", []), STAND_IN_TEMPLATES]
    # DIRS are searched before APP_DIRS; the caller only does this when the app lacks the file.


def migrate_quietly() -> list[str]:
    """Apply the migrations; return the names of those just applied."""
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    before = set(MigrationRecorder(connection).applied_migrations())
    call_command("migrate", verbosity=0, interactive=False)
    after = set(MigrationRecorder(connection).applied_migrations())
    return sorted(f"{app}.{name}" for app, name in after - before)


def unknown_applied_migrations() -> list[str]:
    """Migrations recorded in the database that the code no longer has (a reverted patch)."""
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(connection, ignore_no_migrations=True)
    return sorted(
        f"{app}.{name}"
        for app, name in loader.applied_migrations
        if (app, name) not in loader.disk_migrations and app in loader.migrated_apps
    )


# --- Timing and statistics -------------------------------------------------------------------


def percentile(values: Sequence[float], pct: float) -> float:
    """The ``pct`` percentile (0–100) with linear interpolation, as numpy's default."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = (len(ordered) - 1) * pct / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summary(values_ms: Sequence[float]) -> dict[str, float]:
    return {
        "p50": percentile(values_ms, 50),
        "p95": percentile(values_ms, 95),
        "mean": statistics.fmean(values_ms) if values_ms else math.nan,
        "n": len(values_ms),
    }


def time_ms(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def time_runs(fn: Callable[[], object], *, runs: int, warmup: int = 3) -> list[float]:
    for _ in range(warmup):
        fn()
    return [time_ms(fn) for _ in range(runs)]


def time_pair(
    first: Callable[[], object], second: Callable[[], object], *, runs: int, warmup: int = 3
) -> tuple[list[float], list[float]]:
    """Time two functions in alternation, so noise from other processes hits both alike."""
    for _ in range(warmup):
        first()
        second()
    a, b = [], []
    for _ in range(runs):
        a.append(time_ms(first))
        b.append(time_ms(second))
    return a, b


# --- Output ----------------------------------------------------------------------------------


def print_table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    text_rows = [[_cell(value) for value in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in text_rows:
        widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))
    print(line)
    print("  ".join("-" * w for w in widths))
    for row in text_rows:
        print("  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in
                        enumerate(zip(row, widths, strict=True))))  # fmt: skip
    sys.stdout.flush()


def _cell(value: object) -> str:
    if isinstance(value, float):
        return "-" if math.isnan(value) else f"{value:.2f}"
    return str(value)


def result_line(
    *,
    benchmark: str,
    value: float,
    unit: str,
    baseline: float,
    ratio: float,
    goal: str,
    met: bool,
    **extra: object,
) -> str:
    """The one JSON line every benchmark ends with."""
    record = {
        "benchmark": benchmark,
        "value": _round(value),
        "unit": unit,
        "baseline": _round(baseline),
        "ratio": _round(ratio),
        "goal": goal,
        "met": bool(met),
        **{key: _round(val) for key, val in extra.items()},
    }
    line = json.dumps(record, ensure_ascii=False)
    print(line, flush=True)
    return line


def _round(value: object) -> object:
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, 3)
    if isinstance(value, dict):
        return {k: _round(v) for k, v in value.items()}
    return value


# --- Bulk rows through the models' own column list -------------------------------------------


def insert_rows(conn: sqlite3.Connection, model, columns: Sequence[str], rows: Iterable) -> int:
    """``executemany`` into ``model``'s table; columns not given get the field's default.

    A column the code adds later with a default (or NULL allowed) is filled automatically; a new
    required column without a default stops the seeding with a clear message.
    """
    from django.db import connection
    from django.db.models import NOT_PROVIDED

    given = list(columns)
    extra_cols, extra_vals = [], []
    for field in model._meta.concrete_fields:
        if field.column in given or field.attname in given:
            continue
        if field.primary_key:
            continue
        if field.default is not NOT_PROVIDED:
            value = field.get_db_prep_save(field.get_default(), connection)
        elif field.null:
            value = None
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = _db_time(datetime.now(UTC))
        elif field.blank and field.get_internal_type() in {"CharField", "TextField"}:
            value = ""
        else:
            raise SystemExit(
                f"benchmarks: {model.__name__}.{field.name} is required and has no default; "
                "teach benchmarks/_common.py's seeding what to put there."
            )
        extra_cols.append(field.column)
        extra_vals.append(value)
    column_names = [model._meta.get_field(name).column for name in given] + extra_cols
    quoted = ", ".join(f'"{column}"' for column in column_names)
    marks = ", ".join("?" * len(column_names))
    sql = f'INSERT INTO "{model._meta.db_table}" ({quoted}) VALUES ({marks})'
    tail = tuple(extra_vals)
    count = 0

    def with_tail():
        nonlocal count
        for row in rows:
            count += 1
            yield (*row, *tail)

    conn.executemany(sql, with_tail())
    return count


def _db_time(moment: datetime) -> str:
    """How Django stores an aware datetime in SQLite: naive UTC text."""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(" ")


# --- The customer data set --------------------------------------------------------------------

SEED_VERSION = 3
N_COMPANIES = 100_000
N_CONTACTS = 300_000
N_ACTIVITIES = 1_000_000
REP_USERNAME = "bench.rep"  # the salesperson under test
REP_COMPANIES = 5_000
POOL_SHARE = 0.15

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
LOST_REASONS = ["Price too high", "Chose a local supplier", "No reply after quotation",
                "MOQ too high", "Lead time too long", "Failed factory audit"]  # fmt: skip
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
TAILS = ["", "", "", "Trading", "Imports", "Supplies", "Distribution", "Group", "International",
         "Solutions", "Wholesale", "Direct"]  # fmt: skip
TAG_NAMES = [
    "Canton Fair", "Alibaba", "Made-in-China", "LinkedIn", "distributor", "key account",
    "price-sensitive", "OEM", "ODM", "private label", "project", "e-commerce", "Amazon seller",
    "supermarket chain", "reorder due", "sample sent", "VIP", "slow payer", "L/C only",
    "T/T 30/70", "DDP", "FOB", "CIF", "needs CE", "needs UL", "needs FDA", "Ramadan season",
    "Christmas season", "trade show 2025", "referral",
]  # fmt: skip
FIRST_NAMES = [
    "Anna", "Lukas", "Sophie", "James", "Emma", "Oliver", "Mia", "Noah", "Lucas", "Chloé",
    "Marco", "Giulia", "Carlos", "Lucía", "Jan", "Eva", "Piotr", "Ahmed", "Fatima", "Omar",
    "Priya", "Rahul", "Ana", "João", "Sofía", "Diego", "Minh", "Linh", "Yuki", "Hiro", "Ji-woo",
    "Emre", "Elif", "Dmitri", "Olga", "Chinedu", "Amina", "Kwame", "Sara", "Erik",
]  # fmt: skip
TITLES = ["Purchasing Manager", "Buyer", "Senior Buyer", "Procurement Director", "CEO", "Owner",
          "Sourcing Manager", "Import Manager", "Category Manager", "Product Manager",
          "General Manager", "Logistics Coordinator", ""]  # fmt: skip
ACTIVITY_KINDS = [("email", 45), ("call", 15), ("chat", 20), ("meeting", 5), ("visit", 2),
                  ("trade_fair", 3), ("note", 10)]  # fmt: skip
SUMMARIES = [
    "Sent development letter with catalogue", "Followed up on the quotation, asked for feedback",
    "Buyer asked for FOB Ningbo price for 2 x 40HQ", "Sent revised quotation with new MOQ",
    "Called about sample status, courier delivered", "WhatsApp: buyer confirmed colour and packing",
    "Met at Canton Fair booth, interested in new models", "Buyer requested CE and RoHS certificates",
    "Discussed payment terms: 30% T/T deposit, balance against B/L copy",
    "Sent PI for confirmation", "Buyer complained about carton damage, sent photos to factory",
    "Reminder: reorder expected next month", "Note: competitor offered 5% lower",
    "Inquiry from website form: 500 pcs trial order", "Video call with buyer's QC team",
    "Shared production schedule and inspection date", "Sent shipping documents by DHL",
    "Buyer on holiday until next week", "LinkedIn message, asked about distributor terms",
    "Asked for target price and annual volume",
]  # fmt: skip


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
        counts = {
            table: conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
            for table in ("customers_company", "customers_contact", "customers_activity")
        }
    except sqlite3.Error:
        return None
    finally:
        conn.close()
    if counts != info.get("counts"):
        return None
    return info


def _weighted(rng: random.Random, table: dict, k: int, key=lambda v: v[0]) -> list:
    names = list(table)
    return rng.choices(names, weights=[key(table[n]) for n in names], k=k)


def seed_customers(db_path: Path, data_dir: Path, *, seed: int = 20240501) -> dict:
    """Fill a freshly migrated database with the customer data set, in bulk, then ANALYZE."""
    from django.db import connection as django_connection

    from tradewind.accounts.models import Team, User
    from tradewind.customers.models import Activity, Company, Contact, Tag
    from tradewind.customers.normalize import normalize_company_name, website_domain

    django_connection.close()
    rng = random.Random(seed)
    now = datetime.now(UTC).replace(microsecond=0)
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=OFF")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA foreign_keys=OFF")
    conn.execute("PRAGMA cache_size=-262144")
    conn.execute("BEGIN")
    started = time.perf_counter()

    # Teams and users: an admin, three teams with a manager each, 16 salespeople.
    team_names = ["Europe", "Middle East & Africa", "Americas & Asia-Pacific"]
    insert_rows(conn, Team, ["id", "name", "manager_id"],
                [(i + 1, name, None) for i, name in enumerate(team_names)])  # fmt: skip
    users = [(1, "admin", "admin", None, True)]
    for t in range(3):
        users.append((2 + t, f"manager{t + 1}", "manager", t + 1, False))
    users.append((5, REP_USERNAME, "sales", 1, False))
    for i in range(15):
        users.append((6 + i, f"rep{i + 1:02d}", "sales", 1 + i % 3, False))
    joined = _db_time(now - timedelta(days=800))
    insert_rows(
        conn,
        User,
        ["id", "password", "is_superuser", "username", "first_name", "last_name", "email",
         "is_staff", "is_active", "date_joined", "role", "team_id", "language", "time_zone"],
        [(uid, "!bench", su, name, name.split(".")[0].title(), "", f"{name}@tradewind.test",
          su, True, joined, role, team, "zh-hans", "Asia/Shanghai")
         for uid, name, role, team, su in users],
    )  # fmt: skip
    for t in range(3):
        conn.execute("UPDATE accounts_team SET manager_id = ? WHERE id = ?", (2 + t, t + 1))
    rep_id = 5
    other_reps = list(range(6, 21))

    # Companies: 5k for the rep under test, 15 % in the public pool, the rest over 15 reps.
    owners = [rep_id] * REP_COMPANIES + [None] * int(N_COMPANIES * POOL_SHARE)
    owners += [rng.choice(other_reps) for _ in range(N_COMPANIES - len(owners))]
    rng.shuffle(owners)
    countries = _weighted(rng, COUNTRIES, N_COMPANIES)
    stages = _weighted(rng, STAGES, N_COMPANIES)
    for i, owner in enumerate(owners):  # the pool holds released, mostly cold customers
        if owner is None and stages[i] not in ("lead", "dormant", "lost", "contacted"):
            stages[i] = rng.choice(["dormant", "lead", "contacted"])

    # Activities: 1M moments over the past year, each given to a company by its stage's weight.
    weights = [STAGES[s][1] for s in stages]
    cum, total = [], 0.0
    for w in weights:
        total += w
        cum.append(total)
    year = 365 * 86400
    moments = sorted(rng.random() * year for _ in range(N_ACTIVITIES))
    activity_company = rng.choices(range(N_COMPANIES), cum_weights=cum, k=N_ACTIVITIES)
    first_seen = [None] * N_COMPANIES
    last_seen = [None] * N_COMPANIES
    for moment, c in zip(moments, activity_company, strict=True):
        if first_seen[c] is None:
            first_seen[c] = moment
        last_seen[c] = moment
    start_of_year = now - timedelta(seconds=year)

    def at(offset: float) -> str:
        return _db_time(start_of_year + timedelta(seconds=int(offset)))

    company_rows, websites, tags_rows = [], [], []
    for i in range(N_COMPANIES):
        cid = i + 1
        country = countries[i]
        _, forms, tld, _ = COUNTRIES[country]
        parts = [rng.choice(BRANDS) if rng.random() < 0.6 else rng.choice(SURNAMES),
                 rng.choice(TRADES), rng.choice(TAILS), rng.choice(forms)]  # fmt: skip
        name = " ".join(p for p in parts if p)
        slug = "".join(ch for ch in normalize_company_name(name) if ch.isalnum())[:40]
        website = f"https://www.{slug}{cid % 97 or ''}.{tld}" if rng.random() < 0.85 else ""
        stage = stages[i]
        created = (first_seen[i] if first_seen[i] is not None else rng.random() * year) - (
            rng.random() * 2 * year
        )
        updated = last_seen[i] if last_seen[i] is not None else created
        company_rows.append((
            cid, at(created), at(updated), name, normalize_company_name(name), country, website,
            website_domain(website), "", rng.choice(["importer", "wholesaler", "retailer",
            "brand", "project", "trader", "other", ""]), rng.choice(["micro", "small", "medium",
            "large", ""]), _weighted(rng, {"b2b": 30, "search": 15, "social": 12,
            "trade_fair": 18, "referral": 8, "website": 12, "other": 5}, 1, key=lambda v: v)[0],
            rng.choice(STAGES[stage][2]), stage,
            rng.choice(LOST_REASONS) if stage == "lost" else "",
            "Prefers WeChat in the evening." if rng.random() < 0.05 else "",
            at(last_seen[i]) if last_seen[i] is not None else None, owners[i],
        ))  # fmt: skip
        websites.append(website_domain(website))
        if rng.random() < 0.35:
            for tag in rng.sample(range(1, len(TAG_NAMES) + 1), rng.choice([1, 1, 2, 3])):
                tags_rows.append((cid, tag))
    insert_rows(conn, Tag, ["id", "name"], list(enumerate(TAG_NAMES, start=1)))
    insert_rows(
        conn,
        Company,
        ["id", "created_at", "updated_at", "name", "name_normalized", "country", "website",
         "website_domain", "time_zone", "customer_type", "size", "source", "grade", "stage",
         "lost_reason", "notes", "last_activity_at", "owner_id"],
        company_rows,
    )  # fmt: skip
    insert_rows(conn, Company.tags.through, ["company_id", "tag_id"], tags_rows)
    del company_rows

    # Contacts: one per company, 200k more to the busier ones.
    extra = rng.choices(range(N_COMPANIES), cum_weights=cum, k=N_CONTACTS - N_COMPANIES)
    per_company = [1] * N_COMPANIES
    for c in extra:
        per_company[c] += 1
    contact_ids: list[list[int]] = []
    contact_rows = []
    next_id = 1
    for i in range(N_COMPANIES):
        _, _, _, prefix = COUNTRIES[countries[i]]
        ids = []
        for k in range(per_company[i]):
            first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
            phone = f"{prefix}{rng.randrange(10**8, 10**10)}" if rng.random() < 0.7 else ""
            domain = websites[i] or "gmail.com"
            email = f"{first.lower()}.{last.lower().replace(' ', '')}{next_id % 10}@{domain}"
            added = at(first_seen[i] if first_seen[i] is not None else rng.random() * year)
            contact_rows.append((
                next_id, added, added, i + 1, f"{first} {last}", rng.choice(TITLES), email, phone,
                phone if rng.random() < 0.4 else "",
                f"https://www.linkedin.com/in/{first.lower()}-{next_id}" if rng.random() < 0.2
                else "", k == 0 and rng.random() < 0.6, "",
            ))  # fmt: skip
            ids.append(next_id)
            next_id += 1
        contact_ids.append(ids)
    insert_rows(
        conn,
        Contact,
        ["id", "created_at", "updated_at", "company_id", "name", "title", "email", "phone",
         "whatsapp", "linkedin", "is_decision_maker", "notes"],
        contact_rows,
    )  # fmt: skip
    del contact_rows

    # Activities, in time order as they would have been written.
    kinds = _weighted(rng, dict(ACTIVITY_KINDS), N_ACTIVITIES, key=lambda v: v)

    def activity_rows():
        for n, (moment, c) in enumerate(zip(moments, activity_company, strict=True)):
            when = at(moment)
            contact = rng.choice(contact_ids[c]) if rng.random() < 0.8 else None
            user = owners[c] or rng.choice(other_reps)
            direction = "in" if rng.random() < 0.3 else "out"
            yield (n + 1, c + 1, contact, kinds[n], direction, rng.choice(SUMMARIES), when,
                   user, when)  # fmt: skip

    insert_rows(
        conn,
        Activity,
        ["id", "company_id", "contact_id", "kind", "direction", "summary", "occurred_at",
         "user_id", "created_at"],
        activity_rows(),
    )  # fmt: skip
    conn.execute("COMMIT")
    inserted = time.perf_counter() - started
    conn.execute("ANALYZE")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.close()
    seconds = time.perf_counter() - started
    info = {
        "version": SEED_VERSION,
        "counts": {"customers_company": N_COMPANIES, "customers_contact": N_CONTACTS,
                   "customers_activity": N_ACTIVITIES},  # fmt: skip
        "rep_username": REP_USERNAME,
        "seeded_at": now.isoformat(),
        "insert_seconds": round(inserted, 1),
        "seconds": round(seconds, 1),
    }
    seed_info_path(data_dir).write_text(json.dumps(info, indent=2))
    return info


def analyze(db_path: Path) -> None:
    conn = sqlite3.connect(db_path)
    conn.execute("ANALYZE")
    conn.close()
