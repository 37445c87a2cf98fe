"""Authentication costs: one Argon2id hash (target 50-250 ms) and the token check a
signed-in page event pays (target under 5 ms), on SQLite and, when reachable, PostgreSQL.

    .venv/bin/python bench/auth.py [--rounds 200] [--mode embedded|production|both]

Prints a table and, as the last line, one JSON object of the figures. No timing asserts.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def measure(mode: str, rounds: int) -> dict[str, float]:
    """Runs in a child process whose environment selects the database."""
    from dokvault import db
    from dokvault.migrations import upgrade_database
    from dokvault.models import Role
    from dokvault.services.auth import accounts, identity, tokens

    upgrade_database()
    hashes = []
    for _ in range(5):
        started = time.perf_counter()
        accounts.password_hash.hash("correct horse battery staple")
        hashes.append((time.perf_counter() - started) * 1000)

    with db.session() as s:
        user = accounts.create_user(s, "bench@example.no", "correct horse battery", Role.BROKER)
        session_id = accounts.open_session(s, user, "Firefox/128", "127.0.0.1")
    fgp = tokens.fingerprint("Firefox/128", "nb-NO")
    access, _ = tokens.issue_access(user.id, session_id, fgp)

    def event_check() -> None:
        # What every signed-in page event does: verify the access token (ES256, jti not
        # revoked) and look up its session, so a revoked one is refused at once.
        assert identity.identify(access, fgp).user.id == user.id

    for _ in range(20):
        event_check()
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        event_check()
        samples.append((time.perf_counter() - started) * 1000)
    return {
        f"{mode}_argon2id_hash_ms": round(statistics.median(hashes), 1),
        f"{mode}_event_check_p50_ms": round(percentile(samples, 0.5), 3),
        f"{mode}_event_check_p95_ms": round(percentile(samples, 0.95), 3),
    }


def run_child(mode: str, rounds: int) -> dict[str, float]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "DATABASE_MIGRATE_URL", "REDIS_URL")}
    env["HIBP_ENABLED"] = "false"
    database = None
    with tempfile.TemporaryDirectory() as data:
        env["DOKVAULT_DATA_DIR"] = data
        if mode == "production":
            import psycopg

            database = f"dokvault_bench_auth_{os.getpid()}"
            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{database}"')
            env["DATABASE_URL"] = f"postgresql+psycopg://postgres@127.0.0.1:5432/{database}"
        try:
            result = subprocess.run(
                [sys.executable, __file__, "--child", mode, "--rounds", str(rounds)],
                cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=True,
            )
        finally:
            if database:
                import psycopg

                with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=("embedded", "production", "both"), default="both")
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child, args.rounds)))
        return 0
    modes = ("embedded", "production") if args.mode == "both" else (args.mode,)
    figures: dict[str, float] = {}
    for mode in modes:
        figures.update(run_child(mode, args.rounds))
    for key, value in figures.items():
        print(f"{key:40} {value:>10}")
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
