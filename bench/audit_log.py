"""The audit viewer at 1,000,000 entries on PostgreSQL: p50/p95 of its first page, of a
filtered page (one person's document shares) and of a page deep in the log (by keyset:
the entries before a cursor 90 % of the way back), each through `audit_log.page` - what
/admin/audit calls: the page's ids by index, its rows, the names of its people, documents
and offices in bulk, and each entry told in words. Target: p95 < 300 ms each.

    .venv/bin/python bench/audit_log.py                 # 1,000,000 entries
    .venv/bin/python bench/audit_log.py --rows 20000 --repeat 5   # a quick run
    .venv/bin/python bench/audit_log.py --explain       # the plans of the three queries

A throwaway database (`--pg-admin-url`, a superuser; dropped afterwards) is migrated to
head; people, offices and documents are added, then the entries in one INSERT ...
SELECT over generate_series (a year of them, thirty kinds, every person, a tenth about a
document), and ANALYZE. Prints a table; the last line is one JSON object of the figures
(`p95_ms_audit_first`, `p95_ms_audit_filtered`, `p95_ms_audit_deep`). No timing asserts.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PEOPLE = 200
OFFICES = 12
DOCUMENTS = 5000
TARGET_MS = 300
KINDS = (
    "auth.sign_in.ok", "auth.sign_in.ok", "auth.sign_in.ok", "auth.sign_out", "auth.sign_in.failed",
    "auth.2fa.failed", "auth.password_changed", "auth.session.revoked", "auth.rate_limited",
    "document.uploaded", "document.uploaded", "document.downloaded", "document.downloaded",
    "document.downloaded", "document.shared", "document.unshared", "document.trashed",
    "document.restored", "document.deleted", "document.metadata_changed", "document.reviewed",
    "admin.user_changed", "admin.user_invited", "admin.quota_changed", "admin.type_updated",
    "quota.exceeded", "audit.exported", "share_link.created", "drive.synced", "admin.refused",
)


def configure(database: str, data_dir: str, pg_admin: str) -> str:
    """Point DokVault at the bench database (as the superuser: it also migrates)."""
    base = pg_admin.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
    url = f"{base}/{database}"
    for name in ("DATABASE_URL", "DATABASE_MIGRATE_URL", "REDIS_URL", "MINIO_ENDPOINT"):
        os.environ.pop(name, None)
    os.environ.update(DATABASE_URL=url, DOKVAULT_DATA_DIR=data_dir, HIBP_ENABLED="false")
    from dokvault.core.caches import reset_caches

    reset_caches()
    return url


def seed() -> dict:
    """An admin, people in offices, and documents for the entries to name."""
    from sqlalchemy import text

    from dokvault import db
    from dokvault.models import Office, Role, User

    with db.session() as s:
        offices = [Office(name=f"Kontor {i}") for i in range(OFFICES)]
        s.add_all(offices)
        s.flush()
        admin = User(email="admin@bench.no", name="Admin", password_hash="-", role=Role.ADMIN)
        people = [User(email=f"megler{i}@bench.no", name=f"Megler {i}", password_hash="-",
                       role=Role.BROKER, office_id=offices[i % OFFICES].id) for i in range(PEOPLE)]
        s.add_all([admin, *people])
        s.commit()
        s.refresh(admin)
        first_person = min(p.id for p in people)
        s.exec(text(
            "INSERT INTO document (uid, owner_id, name, ext, content_type, size, sha256, object_key,"
            " status, attempts, ocr_pages, notices, derived_documents, created_at, updated_at)"
            " SELECT gen_random_uuid(), :first + (i % :people), 'Kjøpekontrakt Storgata ' || i || '.pdf',"
            " '.pdf', 'application/pdf', 1000 + i, md5(i::text), 'k/' || i, 'ready', 0, 0, '[]', 0,"
            " now(), now() FROM generate_series(1, :n) AS i"
        ).bindparams(first=first_person, people=PEOPLE, n=DOCUMENTS))
        s.commit()
        documents = s.exec(text("SELECT min(id), max(id) FROM document")).one()
    return {"admin": admin, "first_person": first_person, "documents": documents}


def fill(rows: int, people: dict) -> float:
    """`rows` entries over the last year, newest last, in one statement; seconds taken."""
    from sqlalchemy import text

    from dokvault import db

    low, high = people["documents"]
    started = time.monotonic()
    with db.session() as s:
        s.exec(text(
            "INSERT INTO audit_event (created_at, kind, actor_id, target_user_id, document_id, ip,"
            " user_agent, detail)"
            " SELECT now() - make_interval(secs => (:rows - i) * 31536000.0 / :rows),"
            " (CAST(:kinds AS text[]))[1 + i % :n_kinds],"
            " :first + (i * 7) % :people,"
            " CASE WHEN i % 5 = 0 THEN :first + (i * 13) % :people END,"
            " CASE WHEN i % 10 = 0 THEN :low + (i % (:high - :low + 1)) END,"
            " '10.0.' || (i % 250) || '.' || (i % 200), 'Mozilla/5.0 (bench)',"
            " CASE WHEN i % 10 = 0 THEN json_build_object('document_id', :low + (i % (:high - :low + 1)),"
            "   'office_id', 1 + i % :offices)::text ELSE '' END"
            " FROM generate_series(1, :rows) AS i"
        ).bindparams(rows=rows, first=people["first_person"], people=PEOPLE, low=low, high=high,
                     offices=OFFICES, kinds=list(KINDS), n_kinds=len(KINDS)))
        s.commit()
    with db.get_engine().connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("ANALYZE audit_event")
    return time.monotonic() - started


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def views(people: dict, rows: int) -> dict:
    """The three pages measured: (filter, cursor) of each."""
    from sqlalchemy import text

    from dokvault import db
    from dokvault.services.admin import audit_log
    from dokvault.services.admin.audit_log import AuditFilter

    admin = people["admin"]
    person = audit_log.user_ids_matching(admin, "megler48@bench.no")
    with db.session() as s:  # an entry 90 % of the way back: the cursor of a deep page
        deep = s.exec(text("SELECT created_at, id FROM audit_event ORDER BY created_at, id"
                           " OFFSET :n LIMIT 1").bindparams(n=rows // 10)).one()
    cursor = f"{deep[0].astimezone(UTC).isoformat()}|{deep[1]}"
    return {
        "first": (AuditFilter(), ""),
        "filtered": (AuditFilter(user_ids=person, kinds=("document.shared",)), ""),
        "deep": (AuditFilter(), cursor),
    }


def measure(people: dict, pages: dict, repeat: int) -> dict[str, list[float]]:
    from dokvault.services.admin import audit_log

    samples: dict[str, list[float]] = {name: [] for name in pages}
    for name, (filt, cursor) in pages.items():
        audit_log.page(people["admin"], filt, cursor)  # a warm cache, as a page in use has
        for _ in range(repeat):
            started = time.perf_counter()
            page = audit_log.page(people["admin"], filt, cursor)
            samples[name].append((time.perf_counter() - started) * 1000)
        assert page.events, f"the {name} page is empty"
    return samples


def explain(pages: dict) -> None:
    from sqlalchemy.dialects import postgresql

    from dokvault import db
    from dokvault.services.admin.audit_log import PAGE_SIZE, decode_cursor, page_query

    for name, (filt, cursor) in pages.items():
        query = page_query(filt, decode_cursor(cursor), PAGE_SIZE + 1)
        sql = str(query.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}))
        with db.get_engine().connect() as conn:
            plan = conn.exec_driver_sql(f"EXPLAIN (ANALYZE, BUFFERS) {sql}").fetchall()
        print(f"\n--- {name}\n" + "\n".join(row[0] for row in plan))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=50, help="timed runs per page")
    parser.add_argument("--pg-admin-url", default=os.environ.get("PG_ADMIN_URL", PG_ADMIN))
    parser.add_argument("--explain", action="store_true", help="print the plans")
    args = parser.parse_args()

    import psycopg

    from dokvault.migrations import upgrade_database

    database = f"dokvault_bench_audit_{os.getpid()}"
    with psycopg.connect(args.pg_admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{database}"')
    figures: dict[str, float | int | bool] = {"rows": args.rows}
    try:
        with tempfile.TemporaryDirectory() as data_dir:
            configure(database, data_dir, args.pg_admin_url)
            upgrade_database()
            people = seed()
            figures["fill_seconds"] = round(fill(args.rows, people), 1)
            print(f"{args.rows} entries written in {figures['fill_seconds']} s", flush=True)
            pages = views(people, args.rows)
            if args.explain:
                explain(pages)
            samples = measure(people, pages, args.repeat)
    finally:
        from dokvault import db

        if db.get_engine.cache_info().currsize:
            db.get_engine().dispose()
        with psycopg.connect(args.pg_admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    print(f"\n{'page':<10} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for name, values in samples.items():
        p50, p95 = percentile(values, 0.5), percentile(values, 0.95)
        print(f"{name:<10} {len(values):>5} {p50:>8.1f} {p95:>8.1f} {max(values):>8.1f}")
        figures[f"p50_ms_audit_{name}"] = round(p50, 1)
        figures[f"p95_ms_audit_{name}"] = round(p95, 1)
    figures["target_p95_ms"] = TARGET_MS
    figures["meets_target"] = all(figures[f"p95_ms_audit_{n}"] < TARGET_MS for n in samples)
    figures["measured_at"] = datetime.now(UTC).strftime("%Y-%m-%d")
    print(json.dumps(figures, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
