"""The data set of benchmarks/dedup_check.py: 1M companies with one contact each and their
duplicate-check keys, written with raw ``sqlite3`` ``executemany`` into a migrated SQLite file,
and copied from that file into PostgreSQL with ``COPY``.

Names come from generated root words (two or three syllables: about 200k of them, so most names
are unique as in a real workspace), sometimes a brand or surname, a trade, a tail and a legal form
of one of 33 countries (benchmarks/_seed.py's lists); every trade word is shared by ~20k
companies, so the blocks of the fuzzy match are as lopsided as real ones. 65 % of contacts write
from the company's domain, 35 % from free mail; 70 % have a phone in E.164. The keys are made with
the product's own functions (keys.py), except the phone keys, written directly from the E.164
number the generator already has (what ``phone_keys`` returns for it). Deterministic.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import time
from datetime import UTC, datetime
from pathlib import Path

import _common as common
import _seed as lists

SEED_VERSION = 2
N_COMPANIES = 1_000_000
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/tradewind_bench")
SYLLABLES = [
    "ka", "ri", "to", "ne", "mo", "la", "vi", "se", "an", "el", "or", "us", "in", "ba", "de",
    "fo", "gu", "ha", "jo", "ku", "le", "ma", "ni", "po", "qu", "ra", "su", "te", "va", "we",
    "xa", "yo", "zu", "bra", "cle", "dro", "fla", "gri", "kro", "pla", "sto", "tra", "vel", "mar",
    "lin", "dor", "bel", "kan", "tor", "sol", "ven", "rio",
]  # fmt: skip
FREE_MAIL = ("gmail.com", "hotmail.com", "yahoo.com", "qq.com", "163.com", "outlook.com")
TABLES = ("customers_company", "customers_contact", "dedup_dedupkey")


def root_word(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(syllables)).capitalize()


def company_name(rng: random.Random, country: str, syllables: tuple[int, ...] = (2, 3, 3)) -> str:
    parts = [root_word(rng, rng.choice(syllables))]
    if rng.random() < 0.3:
        parts.append(rng.choice(lists.BRANDS) if rng.random() < 0.5 else rng.choice(lists.SURNAMES))
    parts += [rng.choice(lists.TRADES), rng.choice(lists.TAILS)]
    parts.append(rng.choice(lists.COUNTRIES[country][1]))
    return " ".join(part for part in parts if part)


# --- Seeding (SQLite, raw executemany) -------------------------------------------------------


CHUNK = 50_000


def draw_chunk(chunk: int) -> list[tuple]:
    """The random part of companies ``chunk * CHUNK + 1 …``, and their name keys: run in worker
    processes (~70 µs a company, mostly name normalisation), deterministic per chunk."""
    from tradewind.customers.dedup import keys as dk
    from tradewind.customers.normalize import normalize_company_name

    rng = random.Random(20250601 + chunk)
    codes = list(lists.COUNTRIES)
    weights = [spec[0] for spec in lists.COUNTRIES.values()]
    rows = []
    for _ in range(CHUNK):
        country = rng.choices(codes, weights)[0]
        name = company_name(rng, country)
        normalized = normalize_company_name(name)
        first, last = rng.choice(lists.FIRST_NAMES), rng.choice(lists.SURNAMES)
        phone = f"{lists.COUNTRIES[country][3]}{rng.randrange(10**8, 10**10)}"
        rows.append((
            country, name, normalized, dk.name_keys(normalized), first, last,
            rng.random() < 0.85, rng.random() < 0.65, rng.choice(FREE_MAIL),
            phone if rng.random() < 0.7 else "",
        ))  # fmt: skip
    return rows


def generate(n: int, owners: list[int | None]):
    """Company rows, contact rows and key rows, made with the product's key functions; web
    domains are made unique here, in one process."""
    from concurrent.futures import ProcessPoolExecutor

    from tradewind.customers.dedup import keys as dk

    chunks = range((n + CHUNK - 1) // CHUNK)
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        drawn = [row for rows in pool.map(draw_chunk, chunks) for row in rows][:n]
    now, used_domains = common.db_time(datetime.now(UTC)), set()
    companies, contacts, keys = [], [], []
    for cid, row in enumerate(drawn, start=1):
        country, name, normalized, name_keys, first, last, has_site, own_mail, free, phone = row
        words, tld = normalized.split(" "), lists.COUNTRIES[country][2]
        slug, number = (words[0] + words[-1])[:30], 2
        domain = f"{slug}.{tld}"
        while domain in used_domains:
            domain, number = f"{slug}{number}.{tld}", number + 1
        used_domains.add(domain)
        website = f"https://www.{domain}" if has_site else ""
        mailbox = f"{first.lower()}.{last.lower().replace(' ', '').replace(chr(39), '')}{cid % 10}"
        email = f"{mailbox}@{domain if own_mail else free}"
        owner = owners[cid % len(owners)]
        companies.append(
            (cid, now, now, name, normalized, country, website, website[12:], owner, "lead")
        )
        contacts.append((cid, now, now, cid, f"{first} {last}", email, phone))
        company_keys = name_keys | dk.website_keys(website) | dk.email_keys(email)
        if phone:  # already E.164: its keys without parsing it again (phone_keys gives the same)
            company_keys |= {(dk.PHONE, phone), (dk.PHONE_TAIL, phone[-dk.PHONE_TAIL_DIGITS :])}
        keys.extend((cid, kind, value) for kind, value in company_keys)
    return companies, contacts, keys


def seed_sqlite(db_path: Path, data_dir: Path, n: int) -> dict:
    from django.db import connection

    from tradewind.customers.dedup.models import DedupKey
    from tradewind.customers.models import Company, Contact

    connection.close()
    started = time.perf_counter()
    conn = sqlite3.connect(db_path, isolation_level=None)
    for pragma in ("journal_mode=OFF", "synchronous=OFF", "cache_size=-524288"):
        conn.execute(f"PRAGMA {pragma}")
    conn.execute("BEGIN")
    rep_id, other_reps = lists.seed_users(conn, datetime.now(UTC))
    owners = [rep_id, *other_reps, None, None, None]  # 3 in 19 in the public pool
    companies, contacts, keys = generate(n, owners)
    generated = time.perf_counter() - started
    indexes = conn.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({', '.join('?' * len(TABLES))})",
        TABLES,
    ).fetchall()
    for name, _sql in indexes:  # build them once, after the rows are in
        conn.execute(f'DROP INDEX "{name}"')
    columns = ["id", "created_at", "updated_at", "name", "name_normalized", "country", "website",
               "website_domain", "owner_id", "stage"]  # fmt: skip
    common.insert_rows(conn, Company, columns, companies)
    columns = ["id", "created_at", "updated_at", "company_id", "name", "email", "phone"]
    common.insert_rows(conn, Contact, columns, contacts)
    common.insert_rows(conn, DedupKey, ["company_id", "kind", "value"], keys)
    for _name, sql in indexes:
        conn.execute(sql)
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.close()
    info = {
        "version": SEED_VERSION,
        "counts": dict(zip(TABLES, (n, n, len(keys)), strict=True)),
        "rep_username": lists.REP_USERNAME,
        "db_path": str(db_path),
        "generate_seconds": round(generated, 1),
        "seconds": round(time.perf_counter() - started, 1),
    }
    (data_dir / "seed.json").write_text(json.dumps(info, indent=2))
    return info


def table_counts(cursor) -> dict:
    counts = {}
    for table in TABLES:
        cursor.execute(f'SELECT count(*) FROM "{table}"')
        counts[table] = cursor.fetchone()[0]
    return counts


def existing_sqlite_seed(data_dir: Path, db_path: Path, n: int) -> dict | None:
    info_file = data_dir / "seed.json"
    if not (db_path.exists() and info_file.exists()):
        return None
    info = json.loads(info_file.read_text())
    if info.get("version") != SEED_VERSION or info["counts"]["customers_company"] != n:
        return None
    try:
        conn = sqlite3.connect(db_path)
        counts = table_counts(conn.cursor())
        conn.close()
    except sqlite3.Error:
        return None
    return info if counts == info["counts"] else None


# --- PostgreSQL: the same rows, copied from the SQLite file -----------------------------------


def pg_connect(url: str, **kwargs):
    import psycopg

    return psycopg.connect(url, connect_timeout=3, **kwargs)


def pg_answers() -> bool:
    try:
        pg_connect(PG_URL.rsplit("/", 1)[0] + "/postgres").close()
    except Exception:
        return False
    return True


def pg_existing_seed(sqlite_info: dict) -> bool:
    try:
        with pg_connect(PG_URL) as conn, conn.cursor() as cursor:
            cursor.execute("SELECT info FROM bench_seed")
            stored = json.loads(cursor.fetchone()[0])
            return stored == {"version": SEED_VERSION, "counts": sqlite_info["counts"]} and (
                table_counts(cursor) == sqlite_info["counts"]
            )
    except Exception:
        return False


def copy_table(sqlite_conn, pg_cursor, table: str) -> int:
    """Stream one table from the SQLite file into PostgreSQL with COPY (text format)."""
    columns = [row[1] for row in sqlite_conn.execute(f'PRAGMA table_info("{table}")')]
    quoted = ", ".join(f'"{c}"' for c in columns)

    def text(value) -> str:
        if value is None:
            return "\\N"
        value = str(value)
        return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")

    count = 0
    with pg_cursor.copy(f'COPY "{table}" ({quoted}) FROM STDIN') as copy:
        rows = sqlite_conn.execute(f'SELECT {quoted} FROM "{table}"')
        while batch := rows.fetchmany(50_000):
            copy.write("".join("\t".join(map(text, row)) + "\n" for row in batch))
            count += len(batch)
    return count


def pg_seed(db_path: Path, sqlite_info: dict) -> float:
    """Drop and recreate the bench database, migrate it, COPY the SQLite data set in."""
    started = time.perf_counter()
    name = PG_URL.rsplit("/", 1)[1]
    with pg_connect(PG_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    common.migrate_quietly()
    source = sqlite3.connect(db_path)
    with pg_connect(PG_URL) as conn, conn.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")  # no FK triggers while copying
        cursor.execute("SET TIME ZONE 'UTC'")
        cursor.execute(  # the key table's indexes are built once, after the rows are in
            "ALTER TABLE dedup_dedupkey DROP CONSTRAINT IF EXISTS dedup_key_once_per_company"
        )
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'dedup_dedupkey' "
            "AND indexname NOT LIKE '%%pkey'"
        )
        indexes = cursor.fetchall()
        for index, _definition in indexes:
            cursor.execute(f'DROP INDEX "{index}"')
        for table in ("accounts_team", "accounts_user", *TABLES):
            copy_table(source, cursor, table)
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f'(SELECT max(id) FROM "{table}"))'
            )
        for _index, definition in indexes:
            cursor.execute(definition)
        cursor.execute(
            "ALTER TABLE dedup_dedupkey ADD CONSTRAINT dedup_key_once_per_company "
            "UNIQUE (company_id, kind, value)"
        )
        cursor.execute("CREATE TABLE bench_seed (info text)")
        info = {"version": SEED_VERSION, "counts": sqlite_info["counts"]}
        cursor.execute("INSERT INTO bench_seed VALUES (%s)", [json.dumps(info)])
    with pg_connect(PG_URL, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    source.close()
    return time.perf_counter() - started
