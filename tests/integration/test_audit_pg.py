"""The audit log, quotas and the daily export on the production servers: PostgreSQL with
the deploy roles (the app role cannot change or delete an entry that is not exported;
EXPLAIN shows the viewer's pages read by index, never by a scan of the log), quotas held
under concurrent uploads by row locks, and the export written to S3 (moto) with its
manifest, then downloaded by an admin."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.dialects import postgresql
from sqlalchemy.exc import DatabaseError
from starlette.testclient import TestClient

from dokvault import db
from dokvault.core.filenames import UploadRefused
from dokvault.models import AuditEvent, AuditExport
from dokvault.services import documents
from dokvault.services.admin import audit_log
from dokvault.services.admin.audit_log import AuditFilter, decode_cursor, page_query
from dokvault.services.documents import quotas
from dokvault.services.ops import audit_export
from tests.samples import make_text
from tests.unit.helpers import store_at_once, upload_at_once

pytestmark = pytest.mark.integration
ROWS = 60_000
HOST = "http://localhost:3000"


def plan(filt: AuditFilter, cursor: str = "") -> str:
    query = page_query(filt, decode_cursor(cursor), audit_log.PAGE_SIZE + 1)
    sql = str(query.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}))
    with db.get_engine().connect() as conn:
        return "\n".join(r[0] for r in conn.exec_driver_sql(f"EXPLAIN {sql}").fetchall())


def fill(rows: int, first_user: int) -> None:
    """Entries over a year, as bench/audit_log.py writes them (a tenth about a document)."""
    with db.session() as s:
        s.exec(text(
            "INSERT INTO audit_event (created_at, kind, actor_id, target_user_id, document_id, ip,"
            " user_agent, detail)"
            " SELECT now() - make_interval(secs => (:rows - i) * 525.6), "
            " (ARRAY['auth.sign_in.ok','document.downloaded','document.shared','admin.refused'"
            "  ,'auth.sign_out','document.uploaded'])[1 + i % 6],"
            " :first + i % 40, CASE WHEN i % 5 = 0 THEN :first + i % 13 END,"
            " CASE WHEN i % 10 = 0 THEN i END, '10.0.0.1', 'x', ''"
            " FROM generate_series(1, :rows) AS i").bindparams(rows=rows, first=first_user))
        s.commit()
    with db.get_engine().connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("ANALYZE audit_event")


def test_the_viewer_reads_every_page_by_index(pg_admin):
    fill(ROWS, pg_admin.id)
    deep = audit_log.page(pg_admin, AuditFilter(), size=50)
    for _ in range(3):
        deep = audit_log.page(pg_admin, AuditFilter(), deep.next_cursor, size=50)
    with db.session() as s:
        old = s.exec(text("SELECT created_at, id FROM audit_event ORDER BY created_at, id "
                          "OFFSET 100 LIMIT 1")).one()
    deep_cursor = f"{old[0].astimezone(UTC).isoformat()}|{old[1]}"
    plans = {
        "first": plan(AuditFilter()),
        "deep": plan(AuditFilter(), deep_cursor),
        "kind": plan(AuditFilter(kinds=("document.shared",))),
        "person": plan(AuditFilter(user_ids=(pg_admin.id + 3,))),
        "document": plan(AuditFilter(document_id=500)),
        "days": plan(AuditFilter(since=datetime.now(UTC) - timedelta(days=30),
                                 until=datetime.now(UTC) - timedelta(days=29))),
        "group": plan(AuditFilter(kinds=("auth.sign_in.ok", "auth.sign_out"))),
    }
    for name, text_ in plans.items():
        assert "Seq Scan" not in text_, f"{name}:\n{text_}"
        assert "ix_audit_event_" in text_, f"{name}:\n{text_}"
    assert "ix_audit_event_kind_time" in plans["kind"]
    assert "ix_audit_event_document_time" in plans["document"]
    assert "ix_audit_event_actor_time" in plans["person"]
    assert "ix_audit_event_target_time" in plans["person"]
    assert "ROW(created_at, id) <" in plans["deep"]  # the keyset is an index condition
    page = audit_log.page(pg_admin, AuditFilter(), deep_cursor)
    assert len(page.events) == 50 and all(e.id < old[1] for e in page.events)
    assert set(audit_log.kinds(pg_admin)) >= {"auth.sign_in.ok", "document.shared"}


def test_the_app_role_cannot_change_or_delete_unexported_entries(pg_admin):
    with db.session() as s:
        s.add(AuditEvent(kind="auth.sign_in.ok", actor_id=pg_admin.id,
                         created_at=datetime(2026, 5, 5, 12, tzinfo=UTC)))
        s.commit()
        with pytest.raises(DatabaseError, match="cannot be changed"):
            s.exec(text("UPDATE audit_event SET kind = 'forged'"))
        s.rollback()
        with pytest.raises(DatabaseError, match="only after their day was exported"):
            s.exec(text("DELETE FROM audit_event"))
        s.rollback()
    audit_export.export_day(date(2026, 5, 5))
    with db.session() as s:  # exported: the retention (and only it, in the app) may remove it
        removed = s.exec(text("DELETE FROM audit_event WHERE created_at < '2026-05-06'")).rowcount
        s.commit()
    assert removed == 1


def test_concurrent_uploads_cannot_pass_a_quota_on_postgresql(pg_admin, tmp_path):
    quotas.set_quota(pg_admin, "user", pg_admin.id, "", "4")
    paths = [make_text(tmp_path / f"{i}.txt", f"tekst {i}") for i in range(10)]
    outcomes = upload_at_once(pg_admin.id, paths)
    assert sorted(outcomes) == ["refused"] * 6 + ["stored"] * 4
    assert quotas.usage_of_user(pg_admin.id).documents_used == 4


def test_an_imports_rows_written_together_hold_the_quota_on_postgresql(pg_admin):
    """intake.RowWriter's group, under the quota rows' lock: what fits is kept, the rest is
    refused file by file, and a second group finds the quota full."""
    quotas.set_quota(pg_admin, "user", pg_admin.id, "", "3")
    writer = documents.RowWriter()
    first = store_at_once(pg_admin.id, {f"Fil {i}.txt": f"fil {i}".encode() for i in range(2)}, writer)
    assert all(not isinstance(o, Exception) for o in first.values()), first
    second = store_at_once(pg_admin.id, {f"Mer {i}.txt": f"mer {i}".encode() for i in range(3)}, writer)
    refused = [o for o in second.values() if isinstance(o, UploadRefused)]
    assert len(refused) == 2 and {o.code for o in refused} == {"error.quota_user_documents"}
    assert quotas.usage_of_user(pg_admin.id).documents_used == 3


def test_the_export_lands_in_s3_with_its_manifest(production, stub_worker):
    from minio import Minio

    from dokvault.api.routes import api
    from dokvault.services.auth import accounts
    from dokvault.settings import get_settings

    with db.session() as s:
        admin = accounts.create_first_admin(s, "admin@example.no", "correct horse battery")
        day = date(2026, 11, 3)
        for i in range(7):
            s.add(AuditEvent(kind="document.downloaded", actor_id=admin.id, document_id=i,
                             created_at=datetime(2026, 11, 3, 8, i, tzinfo=UTC),
                             detail=json.dumps({"document_id": i})))
        s.add(AuditEvent(kind="auth.sign_in.ok", actor_id=admin.id,
                         created_at=datetime(2026, 11, 4, 0, 0, 1, tzinfo=UTC)))
        s.commit()
    exported = audit_export.export_due(datetime(2026, 11, 4, 0, 0, 5, tzinfo=UTC))
    assert [e.day for e in exported] == [day]

    settings = get_settings()
    client = Minio(settings.minio_endpoint, access_key=settings.minio_access_key,
                   secret_key=settings.minio_secret_key.get_secret_value(), secure=False)
    keys = sorted(o.object_name for o in client.list_objects(settings.minio_bucket,
                                                             prefix="audit/", recursive=True))
    assert keys == ["audit/2026/11/03.csv", "audit/2026/11/03.jsonl",
                    "audit/2026/11/03.manifest.json"]

    def read(key: str) -> bytes:
        response = client.get_object(settings.minio_bucket, key)
        try:
            return response.read()
        finally:
            response.close()
            response.release_conn()

    jsonl, table = read("audit/2026/11/03.jsonl"), read("audit/2026/11/03.csv")
    records = [json.loads(line) for line in jsonl.decode().splitlines()]
    assert [r["document_id"] for r in records] == list(range(7))
    assert all(r["kind"] == "document.downloaded" for r in records)
    assert len(table.decode().splitlines()) == 8  # the header and seven rows
    manifest = json.loads(read("audit/2026/11/03.manifest.json"))
    assert manifest["rows"] == 7
    assert manifest["files"]["03.jsonl"]["sha256"] == hashlib.sha256(jsonl).hexdigest()
    assert manifest["files"]["03.csv"]["sha256"] == hashlib.sha256(table).hexdigest()
    with db.session() as s:
        assert s.get(AuditExport, day).jsonl_sha256 == hashlib.sha256(jsonl).hexdigest()

    http = TestClient(api, base_url=HOST, follow_redirects=False)
    http.post("/api/auth/login", data={"email": "admin@example.no",
                                       "password": "correct horse battery"},
              headers={"origin": HOST})
    response = http.get("/api/admin/audit-exports/2026-11-03/csv")
    assert response.status_code == 200 and response.content == table
