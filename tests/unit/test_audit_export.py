"""The audit log's daily export on the embedded default (the local object folder): the
previous UTC day as JSONL and CSV with a SHA-256 manifest under audit/YYYY/MM/DD, once;
late entries export their day again; the retention removes only what was exported; the
scheduler fires it at 00:00 UTC and catches up a missed midnight; admins download the
files (audited)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import delete, func
from sqlalchemy.exc import DatabaseError
from sqlmodel import select
from starlette.testclient import TestClient
from typer.testing import CliRunner

from dokvault import db
from dokvault.core import audit, leases
from dokvault.core.caches import reset_caches
from dokvault.core.scheduler import LeasedScheduler
from dokvault.models import AuditEvent, AuditExport
from dokvault.services.ops import audit_export, schedule
from tests.unit.helpers import wait_until

DAY = date(2026, 11, 3)
NOW = datetime(2026, 11, 4, 0, 0, 5, tzinfo=UTC)  # five seconds past the midnight after DAY


def add(day: date, n: int, kind: str = "auth.sign_in.ok", **values) -> list[int]:
    start = datetime.combine(day, datetime.min.time(), tzinfo=UTC)
    with db.session() as s:
        rows = [AuditEvent(kind=kind, created_at=start + timedelta(minutes=7 * i),
                           actor_id=1, ip="10.0.0.1", **values) for i in range(n)]
        s.add_all(rows)
        s.commit()
        return [r.id for r in rows]


def stored(clean_env, day: date, file: str) -> bytes:
    return (clean_env / "objects" / audit_export.key_of(day, file)).read_bytes()


def test_the_previous_day_is_written_with_its_manifest(embedded):
    add(DAY - timedelta(days=1), 2)
    ids = add(DAY, 5, detail=json.dumps({"role": "broker", "note": "æøå, \"sitat\""}))
    add(DAY + timedelta(days=1), 3)  # today: not finished, not exported
    exported = audit_export.export_due(NOW)
    assert [e.day for e in exported] == [DAY - timedelta(days=1), DAY]
    lines = stored(embedded, DAY, "jsonl").decode().splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["id"] for r in records] == ids
    assert records[0]["created_at"] == "2026-11-03T00:00:00Z"
    assert records[0]["detail"] == {"role": "broker", "note": "æøå, \"sitat\""}
    table = list(csv.DictReader(io.StringIO(stored(embedded, DAY, "csv").decode())))
    assert [int(r["id"]) for r in table] == ids
    assert json.loads(table[0]["detail"])["note"] == "æøå, \"sitat\""
    manifest = json.loads(stored(embedded, DAY, "manifest.json"))
    assert manifest["day"] == "2026-11-03" and manifest["rows"] == 5
    assert (manifest["first_id"], manifest["last_id"]) == (ids[0], ids[-1])
    for name, kind in (("03.jsonl", "jsonl"), ("03.csv", "csv")):
        data = stored(embedded, DAY, kind)
        assert manifest["files"][name] == {"sha256": hashlib.sha256(data).hexdigest(),
                                           "bytes": len(data)}
    with db.session() as s:
        row = s.get(AuditExport, DAY)
    assert (row.rows, row.last_id) == (5, ids[-1])


def test_the_export_is_idempotent_and_late_entries_export_their_day_again(embedded):
    add(DAY, 3)
    audit_export.export_due(NOW)
    first = stored(embedded, DAY, "jsonl")
    assert audit_export.due_days(NOW) == [] and audit_export.export_due(NOW) == []
    assert stored(embedded, DAY, "jsonl") == first
    late = add(DAY, 1)  # committed after the export, stamped before midnight
    assert audit_export.due_days(NOW + timedelta(minutes=5)) == [DAY]
    (again,) = audit_export.export_due(NOW + timedelta(minutes=5))
    assert again.rows == 4 and again.last_id == late[0]
    assert len(stored(embedded, DAY, "jsonl").decode().splitlines()) == 4


def test_a_missed_night_is_caught_up_day_by_day(embedded):
    add(DAY - timedelta(days=2), 1)
    add(DAY, 1)
    exported = audit_export.export_due(NOW)
    assert [e.day for e in exported] == [DAY - timedelta(days=2), DAY - timedelta(days=1), DAY]
    assert exported[1].rows == 0  # a quiet day has its (empty) files too
    assert stored(embedded, DAY - timedelta(days=1), "jsonl") == b""


def test_the_retention_removes_only_exported_entries(embedded, monkeypatch):
    old = add(DAY - timedelta(days=10), 4)
    unexported = add(DAY - timedelta(days=9), 2)
    recent = add(DAY, 2)
    audit_export.export_day(DAY - timedelta(days=10))  # that day only
    monkeypatch.setenv("AUDIT_RETENTION_DAYS", "5")
    reset_caches()
    assert audit_export.purge_expired(NOW) == 4
    with db.session() as s:
        left = set(s.exec(select(AuditEvent.id)).all())
        assert not set(old) & left and set(unexported) <= left and set(recent) <= left
        with pytest.raises(DatabaseError):  # nor can anything else remove the unexported
            s.exec(delete(AuditEvent).where(AuditEvent.id == unexported[0]))
        s.rollback()
    (retention,) = audit.search_events(kind="audit.retention")[0]
    assert json.loads(retention.detail) == {"removed": 4, "older_than": "2026-10-30", "days": 5}
    assert (embedded / "objects" / audit_export.key_of(DAY - timedelta(days=10), "jsonl")).exists()


def test_no_retention_by_default(embedded):
    add(DAY - timedelta(days=400), 1)
    audit_export.run_daily(NOW)
    with db.session() as s:
        assert s.exec(select(func.count()).select_from(AuditEvent)
                      .where(AuditEvent.kind == "auth.sign_in.ok")).one() == 1


def test_one_export_runs_at_a_time(embedded):
    with leases.held(audit_export.LEASE) as ours:
        assert ours and audit_export.run_daily(NOW) is False


def test_the_scheduler_fires_it_at_midnight_utc_and_catches_up(clean_env):
    fired: list[str] = []
    done = threading.Event()

    def fire(job):
        fired.append(job)
        done.set()

    overdue = LeasedScheduler(leases.lease("test-daily", 1.0), {}, fire, at={"nightly": "00:00"},
                              last_fired=lambda job: datetime.now(UTC) - timedelta(days=2))
    overdue.start()
    try:
        wait_until(done.is_set, what="the catch-up firing")
        trigger = overdue._timer.get_job("nightly").trigger
        assert str(trigger) == "cron[hour='0', minute='0']"
        next_run = overdue._timer.get_job("nightly").next_run_time
        assert (next_run.hour, next_run.minute) == (0, 0) and next_run.utcoffset() == timedelta(0)
    finally:
        overdue.stop()
    assert fired == ["nightly"]

    fired.clear()
    on_time = LeasedScheduler(leases.lease("test-daily-2", 1.0), {}, fire, at={"nightly": "00:00"},
                              last_fired=lambda job: datetime.now(UTC))
    on_time.start()
    try:
        wait_until(lambda: on_time.active, what="the scheduler to fire")
        assert on_time._timer.get_job("nightly:catch-up") is None and fired == []
    finally:
        on_time.stop()
    assert schedule.AT == {"export_audit_log": "00:00"}


def test_the_schedule_knows_when_the_export_last_ran(embedded):
    assert schedule.last_fired("export_audit_log") is None
    add(DAY, 1)
    audit_export.export_due(NOW)
    assert schedule.last_fired("export_audit_log") is not None


def test_the_command_exports_a_day(embedded):
    from dokvault import cli

    add(DAY, 2)
    result = CliRunner().invoke(cli.app, ["export-audit", "--day", "2026-11-03"])
    assert result.exit_code == 0, result.output
    assert "2026-11-03: 2 entries written to audit/2026/11/03.jsonl" in result.output
    assert CliRunner().invoke(cli.app, ["export-audit", "--day", "3.11"]).exit_code == 2


def test_admins_list_and_download_the_exports(admin, broker_user):
    from dokvault.api.routes import api

    add(DAY, 2)
    audit_export.export_due(NOW)
    assert [e.day for e in audit_export.list_exports(admin)] == [DAY]
    host = "http://localhost:3000"
    client = TestClient(api, base_url=host, follow_redirects=False)
    url = "/api/admin/audit-exports/2026-11-03/jsonl"
    assert client.get(url).status_code == 401
    client.post("/api/auth/login", data={"email": "megler@example.no",
                                         "password": "megler passord 2024"},
                headers={"origin": host})
    assert client.get(url).status_code == 403
    client.post("/api/auth/login", data={"email": "admin@example.no",
                                         "password": "correct horse battery"},
                headers={"origin": host})
    response = client.get(url)
    assert response.status_code == 200 and len(response.text.splitlines()) == 2
    assert "audit-2026-11-03.jsonl" in response.headers["content-disposition"]
    manifest = client.get("/api/admin/audit-exports/2026-11-03/manifest.json").json()
    assert manifest["rows"] == 2
    for bad in ("2026-11-04/jsonl", "2026-11-03/passwd", "../../etc/jsonl"):
        assert client.get(f"/api/admin/audit-exports/{bad}").status_code == 404
    downloads = audit.search_events(kind="audit.export_downloaded")[0]
    assert [json.loads(e.detail)["file"] for e in downloads] == ["manifest.json", "jsonl"]
