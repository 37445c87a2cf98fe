"""Dashboard and analytics latency on PostgreSQL at 100k documents and 1M audit rows: p95 of
the home dashboard's load (services/analytics/dashboard.py: widgets and fingerprint) and of
each analytics view (services/analytics/views.py), uncached, for an admin (the whole firm),
an office manager (their office) and a broker (their own). Targets: each view < 300 ms,
the dashboard < 150 ms (`dashboard_p95_ms`: a cold load, nothing cached; `p95_ms_dashboard_warm`:
the same with nothing changed since, the fingerprint query only).

    .venv/bin/python bench/analytics.py                         # 100k documents, 1M audit rows
    .venv/bin/python bench/analytics.py --documents 5000 --audit 20000 --repeat 2   # a quick run
    .venv/bin/python bench/analytics.py --explain               # plans of the slowest view

A throwaway database (`--pg-admin-url`, a superuser; dropped afterwards) is migrated to head
and filled by SQL with generate_series: offices, people, the seeded taxonomy; documents over
the last year (types, sizes, statuses, shared with the office now and then); the workers'
stage timings and queue samples of the last 90 days (every two minutes, then rolled up to
the hour past two days, as core/metrics.py keeps them); review
records and unreviewed suggestions; audit events over the last year (sign-ins, failures and
other kinds). Prints a table; the last line is one JSON object with `p95_ms_<view>` per view
and `dashboard_p95_ms`. No timing asserts.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
OFFICES = 12
BROKERS = 240
DASHBOARD_TARGET_MS = 150
VIEW_TARGET_MS = 300


def configure(database: str, data_dir: str, pg_admin: str) -> None:
    """Point DokVault at the bench database (as the superuser: it also migrates)."""
    base = pg_admin.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
    for name in ("DATABASE_URL", "DATABASE_MIGRATE_URL", "REDIS_URL", "MINIO_ENDPOINT"):
        os.environ.pop(name, None)
    os.environ.update(DATABASE_URL=f"{base}/{database}", DOKVAULT_DATA_DIR=data_dir,
                      HIBP_ENABLED="false")
    from dokvault.core.caches import reset_caches

    reset_caches()


def execute(*statements: str) -> None:
    from sqlalchemy import text

    from dokvault import db

    with db.get_engine().begin() as conn:
        for statement in statements:
            conn.execute(text(statement))


# --- the data, made by the database itself ----------------------------------------------------

PEOPLE = f"""
INSERT INTO office (name, created_at)
  SELECT 'Kontor ' || g, now() FROM generate_series(1, {OFFICES}) g;
INSERT INTO "user" (email, name, password_hash, role, office_id, is_active, created_at, password_changed_at)
  VALUES ('admin@bench.no', 'Admin', '-', 'admin', NULL, true, now(), now());
INSERT INTO "user" (email, name, password_hash, role, office_id, is_active, created_at, password_changed_at)
  SELECT 'leder' || o.id || '@bench.no', 'Leder ' || o.id, '-', 'office_manager', o.id, true, now(), now()
  FROM office o;
INSERT INTO "user" (email, name, password_hash, role, office_id, is_active, created_at, password_changed_at)
  SELECT 'megler' || g || '@bench.no', 'Megler ' || g, '-', 'broker', 1 + g % {OFFICES}, true, now(), now()
  FROM generate_series(1, {BROKERS}) g;
"""  # noqa: S608  (our own constants)


def documents_sql(n: int) -> list[str]:
    return [
        # Owners drawn from every person; a tenth of the documents in the last week.
        f"""
        INSERT INTO document (uid, owner_id, office_id, name, ext, content_type, size, sha256,
            object_key, status, error, attempts, ocr_pages, shared_office_id, document_type_id,
            created_at, updated_at, processed_at, notices, derived_documents)
        SELECT gen_random_uuid(), u.id, u.office_id, 'Dokument ' || g || '.pdf', '.pdf',
            'application/pdf', (20000 + random() * 3000000)::bigint, lpad(to_hex(g), 64, '0'),
            u.id || '/' || g || '.pdf',
            CASE WHEN g % 100 = 0 THEN 'failed' WHEN g % 250 = 1 THEN 'processing' ELSE 'ready' END,
            CASE WHEN g % 100 = 0 THEN 'error.corrupt_pdf' END, 1, 0,
            CASE WHEN g % 3 = 0 THEN u.office_id END,
            CASE WHEN g % 12 = 0 THEN NULL ELSE (SELECT min(id) FROM document_type) + g % 15 END,
            t.at, t.at, t.at, '[]', 0
        FROM generate_series(1, {n}) g
        CROSS JOIN LATERAL (SELECT now() - CASE WHEN g % 10 = 0 THEN random() * interval '7 days'
                                              ELSE random() * interval '365 days' END AS at) t
        JOIN (SELECT id, office_id, row_number() OVER (ORDER BY id) AS k FROM "user") u
          ON u.k = 1 + (g * 7919) % (SELECT count(*) FROM "user")
        """,  # noqa: S608
        # The workers' timings of the last 90 days (OCR for a fifth of them).
        """
        INSERT INTO stage_timing (stage, document_id, recorded_at, duration_ms)
        SELECT s.stage, d.id, d.created_at + interval '5 seconds',
               (s.base * (0.3 + random() * random() * 4))::int
        FROM document d
        CROSS JOIN (VALUES ('upload', 300), ('extraction', 900), ('classification', 1500)) s(stage, base)
        WHERE d.created_at > now() - interval '90 days'
        UNION ALL
        SELECT 'ocr', d.id, d.created_at + interval '9 seconds', (8000 + random() * 30000)::int
        FROM document d WHERE d.created_at > now() - interval '90 days' AND d.id % 5 = 0
        """,
        # A queue sample every two minutes of the last 90 days, for every queue.
        """
        INSERT INTO queue_sample (sampled_at, queue, depth)
        SELECT t, q, greatest(0, (random() * 20 - 8))::int
        FROM generate_series(now() - interval '90 days', now(), interval '2 minutes') t
        CROSS JOIN (VALUES ('documents'), ('ai'), ('email'), ('integrations'), ('maintenance')) v(q)
        """,
        # Suggestions: reviewed for a third (four fields each), waiting for one in twenty.
        """
        INSERT INTO classification (document_id, provider, model, suggestion, confidence,
                                    created_at, reviewed_at)
        SELECT d.id, CASE WHEN d.id % 4 = 0 THEN 'anthropic' ELSE 'local' END, '', '{}',
               random(), d.created_at,
               CASE WHEN d.id % 20 = 7 THEN NULL ELSE d.created_at + interval '3 hours' END
        FROM document d WHERE d.id % 3 = 0 OR d.id % 20 = 7
        """,
        """
        INSERT INTO review_record (document_id, user_id, provider, field, suggested, final,
                                   accepted, created_at)
        SELECT c.document_id, d.owner_id, c.provider, f.field, '', '', random() < f.ok,
               c.reviewed_at
        FROM classification c JOIN document d ON d.id = c.document_id
        CROSS JOIN (VALUES ('type', 0.8), ('tags', 0.7), ('title', 0.5), ('field:address', 0.75)) f(field, ok)
        WHERE c.reviewed_at IS NOT NULL
        """,
    ]


def audit_sql(n: int) -> str:
    """Sign-ins (40 %), failures (5 %) and other events over the last year."""
    return f"""
    INSERT INTO audit_event (created_at, kind, actor_id, target_user_id, ip, user_agent, detail)
    SELECT now() - random() * interval '365 days',
           CASE WHEN g % 20 < 8 THEN 'auth.sign_in.ok' WHEN g % 20 = 8 THEN 'auth.sign_in.failed'
                WHEN g % 20 < 12 THEN 'auth.sign_out' WHEN g % 20 < 15 THEN 'auth.token_refused'
                ELSE 'document.access_refused' END,
           CASE WHEN g % 20 = 8 THEN NULL ELSE 1 + g % {BROKERS + OFFICES + 1} END,
           CASE WHEN g % 20 = 8 THEN 1 + g % {BROKERS + OFFICES + 1} END,
           '10.0.' || g % 255 || '.' || g % 253, 'bench', ''
    FROM generate_series(1, {n}) g
    """  # noqa: S608


def load(documents: int, audit: int) -> dict[str, float]:
    from sqlmodel import Session

    from dokvault import db
    from dokvault.core import metrics
    from dokvault.services.intelligence import taxonomy

    timings = {}
    with Session(db.get_engine()) as s:
        taxonomy.seed_once(s)
    t0 = time.perf_counter()
    execute(*[p for p in PEOPLE.split(";") if p.strip()])
    execute(*documents_sql(documents))
    timings["documents_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    execute(audit_sql(audit))
    timings["audit_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()  # what the hourly trim_metrics job keeps: hours past two days
    metrics.roll_up()
    timings["queue_roll_up_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    with db.get_engine().connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE")  # as autovacuum leaves a table in use
    timings["vacuum_s"] = time.perf_counter() - t0
    return timings


# --- measuring --------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def timed(fn, repeat: int) -> list[float]:
    fn()  # warm: plans, caches
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return samples


def viewers():
    """The admin, an office manager and the broker who sees the median number of documents."""
    from sqlalchemy import text
    from sqlmodel import select

    from dokvault import db
    from dokvault.models import Role, User

    with db.session() as s:
        admin = s.exec(select(User).where(User.role == Role.ADMIN)).first()
        manager = s.exec(select(User).where(User.role == Role.OFFICE_MANAGER).order_by(User.id)).first()
        counts = s.exec(text(
            "SELECT u.id, (SELECT count(*) FROM document d WHERE d.owner_id = u.id "
            "OR d.shared_office_id = u.office_id) FROM \"user\" u WHERE u.role = 'broker' "
            "ORDER BY 2")).all()
        broker = s.get(User, counts[len(counts) // 2][0])
    return {"admin": admin, "manager": manager, "broker": broker}


def measure(repeat: int) -> tuple[dict[tuple[str, str], list[float]], dict]:
    from dokvault.services.analytics import VIEWS, Filters, Scope, dashboard

    people = viewers()
    scopes = {"admin": Scope("all"), "manager": Scope("office", people["manager"].office_id),
              "broker": Scope("me")}
    samples: dict[tuple[str, str], list[float]] = {}
    wide = Filters.default()  # the page's default: the last 90 days by the week
    for who, user in people.items():
        scope = scopes[who]

        def cold(user=user, scope=scope):  # what the page does, nothing cached
            dashboard.forget()
            dashboard.snapshot(user, scope)

        samples[("dashboard", who)] = timed(cold, repeat)
        # Again with nothing changed (a reload, a second tab): the fingerprint query only.
        samples[("dashboard_warm", who)] = timed(
            lambda user=user, scope=scope: dashboard.snapshot(user, scope), repeat)
        for name, view in VIEWS.items():
            if name == "queue_depth" and who != "admin":
                continue  # admins only
            samples[(name, who)] = timed(lambda view=view, user=user: view(user, wide), repeat)
    return samples, people


def explain(name: str) -> str:
    """EXPLAIN ANALYZE of each statement the view runs for the admin."""
    from sqlalchemy import event

    from dokvault import db
    from dokvault.services.analytics import VIEWS, Filters

    statements: list = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            statements.append((statement, parameters))

    engine = db.get_engine()
    admin = viewers()["admin"]
    event.listen(engine, "before_cursor_execute", capture)
    try:
        VIEWS[name](admin, Filters.default())
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    out = []
    with engine.connect() as conn:
        for statement, parameters in statements:
            plan = conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters).all()
            out.append(statement[:300] + "\n" + "\n".join(r[0] for r in plan))
    return "\n\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--audit", type=int, default=1_000_000, help="audit rows")
    parser.add_argument("--repeat", type=int, default=10, help="timed runs per view and viewer")
    parser.add_argument("--pg-admin-url", default=os.environ.get("PG_ADMIN_URL", PG_ADMIN))
    parser.add_argument("--explain", action="store_true", help="print the slowest view's plans")
    parser.add_argument("--keep", action="store_true", help="keep the database (its name is printed)")
    parser.add_argument("--database", help="measure a database kept by --keep; no loading")
    args = parser.parse_args()

    import psycopg

    database = args.database or f"dokvault_bench_analytics_{os.getpid()}"
    if not args.database:
        with psycopg.connect(args.pg_admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{database}"')
    figures: dict = {"documents": args.documents, "audit_rows": args.audit}
    try:
        with tempfile.TemporaryDirectory() as data_dir:
            configure(database, data_dir, args.pg_admin_url)
            if not args.database:
                from dokvault.migrations import upgrade_database

                upgrade_database()
                timings = load(args.documents, args.audit)
                figures.update({f"load_{k}": round(v, 1) for k, v in timings.items()})
                print("loaded: " + ", ".join(f"{k} {v:.0f}" for k, v in timings.items()), flush=True)
            samples, people = measure(args.repeat)
            slowest = max((k for k in samples if not k[0].startswith("dashboard")),
                          key=lambda k: percentile(samples[k], 0.95))
            if args.explain:
                print(explain(slowest[0]))
    finally:
        from dokvault import db

        if db.get_engine.cache_info().currsize:
            db.get_engine().dispose()
        if args.keep or args.database:
            print(f"kept database {database}", flush=True)
        else:
            with psycopg.connect(args.pg_admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')

    print(f"\n{'view':<24} {'viewer':<8} {'n':>4} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for (name, who), got in samples.items():
        print(f"{name:<24} {who:<8} {len(got):>4} {percentile(got, 0.5):>8.1f} "
              f"{percentile(got, 0.95):>8.1f} {max(got):>8.1f}")
    views = sorted({name for name, _ in samples})
    for name in views:
        pooled = [v for (n, _), got in samples.items() if n == name for v in got]
        key = "dashboard_p95_ms" if name == "dashboard" else f"p95_ms_{name}"
        figures[key] = round(percentile(pooled, 0.95), 1)
    figures["p95_ms_audit_page"] = None  # the audit viewer's deep page: its own bench (issue 16)
    figures["slowest_view"] = slowest[0]
    figures["meets_target"] = figures["dashboard_p95_ms"] < DASHBOARD_TARGET_MS and all(
        figures[f"p95_ms_{n}"] < VIEW_TARGET_MS for n in views if not n.startswith("dashboard"))
    print(json.dumps(figures, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
