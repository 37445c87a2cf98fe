"""The sanity check and the operators' commands on the embedded default: rows without
objects, objects without rows, checksum mismatches; `dokvault check` and `requeue`;
/health degraded when work is stuck."""

from __future__ import annotations

from datetime import timedelta

import dramatiq
import pytest
from typer.testing import CliRunner

from dokvault import db
from dokvault.cli import app
from dokvault.core.caches import reset_caches
from dokvault.models import Document
from dokvault.models.base import utcnow
from dokvault.services import documents, ops
from tests import samples
from tests.unit.helpers import wait_final, wait_until

runner = CliRunner()


@pytest.fixture
def no_grace(monkeypatch):
    monkeypatch.setenv("SANITY_GRACE_MINUTES", "0")
    reset_caches()


def stored(admin, tmp_path, name: str, text: str) -> Document:
    path = samples.make_pdf(tmp_path / name, [text])
    return wait_final(documents.ingest_path(admin.id, path).id)


def test_finds_rows_without_objects_and_objects_without_rows(admin, embedded, tmp_path, no_grace):
    objects = embedded / "objects"
    clean = stored(admin, tmp_path, "takst.pdf", samples.TAKST)
    no_file = stored(admin, tmp_path, "salg.pdf", samples.SALGSOPPGAVE)
    no_thumb = stored(admin, tmp_path, "attest.pdf", samples.ENERGIATTEST)
    changed = stored(admin, tmp_path, "kontrakt.pdf", samples.KJOPEKONTRAKT)
    assert no_thumb.thumbnail_key and clean.status == "ready"
    assert ops.sanity.run().counts == {}

    (objects / no_file.object_key).unlink()
    (objects / no_thumb.thumbnail_key).unlink()
    (objects / "9" / "stray").mkdir(parents=True)
    (objects / "9" / "stray" / "left-behind.pdf").write_bytes(b"%PDF-1.4 orphan")
    (objects / "9" / "stray" / ".tmp-in-flight").write_bytes(b"half")  # a write in flight
    (objects / changed.object_key).write_bytes(b"%PDF-1.4 not what was stored")

    report = ops.sanity.run()
    assert report.status == "done" and report.documents == 4
    assert report.counts == {"missing_object": 1, "missing_thumbnail": 1, "orphan_object": 1}
    found = {(p["kind"], p["key"], p["document_id"]) for p in report.problems}
    assert found == {("missing_object", no_file.object_key, no_file.id),
                     ("missing_thumbnail", no_thumb.thumbnail_key, no_thumb.id),
                     ("orphan_object", "9/stray/left-behind.pdf", None)}
    assert (objects / "9" / "stray" / "left-behind.pdf").exists()  # it reports, never deletes

    with_sums = ops.sanity.run(checksums=True)
    assert with_sums.counts["checksum_mismatch"] == 1
    assert {"kind": "checksum_mismatch", "key": changed.object_key,
            "document_id": changed.id} in with_sums.problems
    assert ops.sanity.last_report().id == with_sums.id


def test_a_fresh_object_or_row_is_not_reported(admin, embedded, tmp_path):
    document = stored(admin, tmp_path, "takst.pdf", samples.TAKST)
    (embedded / "objects" / "1" / "fresh.pdf").write_bytes(b"upload in flight")
    (embedded / "objects" / document.object_key).unlink()  # its row is younger than the grace
    assert ops.sanity.run().counts == {}


@pytest.fixture
def lone_admin(without_worker):
    """An admin on an app whose queue nobody consumes."""
    from dokvault.services.auth import accounts

    with db.session() as s:
        return accounts.create_first_admin(s, "admin@example.no", "correct horse battery")


def test_run_now_is_queued_once(lone_admin):
    assert ops.sanity.request_run() is True
    assert ops.sanity.running() is not None
    assert ops.sanity.request_run() is False  # one at a time
    assert dramatiq.get_broker().queues["maintenance"].qsize() == 1


def test_queued_run_finishes_in_the_worker(admin, embedded):
    assert ops.sanity.request_run()
    report = wait_until(lambda: (r := ops.sanity.last_report()) and r.status == "done" and r,
                        what="the queued check")
    assert report.counts == {} and ops.sanity.running() is None


def test_dokvault_check_exits_1_on_problems(admin, embedded, tmp_path, no_grace):
    document = stored(admin, tmp_path, "takst.pdf", samples.TAKST)
    result = runner.invoke(app, ["check"])
    assert result.exit_code == 0, result.output
    assert "No problems found" in result.output
    (embedded / "objects" / document.object_key).unlink()
    result = runner.invoke(app, ["check"])
    assert result.exit_code == 1, result.output
    assert "1 missing object" in result.output and document.object_key in result.output


def test_dokvault_requeue_finishes_what_was_stranded(lone_admin, tmp_path):
    path = samples.make_pdf(tmp_path / "takst.pdf", [samples.TAKST])
    document = documents.ingest_path(lone_admin.id, path)  # its message is never consumed
    result = runner.invoke(app, ["requeue"])
    assert result.exit_code == 0, result.output
    assert "1 documents requeued" in result.output
    assert wait_final(document.id).status == "ready"


def test_dokvault_requeue_failed_reads_failed_documents_again(lone_admin, tmp_path):
    path = samples.make_pdf(tmp_path / "takst.pdf", [samples.TAKST])
    document = documents.ingest_path(lone_admin.id, path)  # its message is never consumed
    with db.session() as s:  # failed by a cause since fixed (a missing OCR language, say)
        row = s.get(Document, document.id)
        row.status, row.error, row.attempts = "failed", "error.processing", 3
        s.add(row)
        s.commit()
    result = runner.invoke(app, ["requeue", "--failed"])
    assert result.exit_code == 0, result.output
    assert "1 failed documents sent to be read again" in result.output
    again = wait_final(document.id)
    assert (again.status, again.error) == ("ready", None)


def test_health_degraded_when_a_document_is_stuck(lone_admin, tmp_path):
    path = samples.make_pdf(tmp_path / "takst.pdf", [samples.TAKST])
    document = documents.ingest_path(lone_admin.id, path)
    assert ops.health()["status"] == "ok"  # pending, but not for long
    with db.session() as s:
        row = s.get(Document, document.id)
        row.created_at = utcnow() - timedelta(minutes=16)
        s.add(row)
        s.commit()
    health = ops.health()
    assert health["status"] == "degraded" and health["reasons"] == ["documents_stuck:1"]



def test_a_long_backlog_being_worked_through_is_not_stuck(lone_admin, tmp_path):
    waiting = documents.ingest_path(lone_admin.id, samples.make_pdf(tmp_path / "a.pdf", [samples.TAKST]))
    done = documents.ingest_path(lone_admin.id, samples.make_pdf(tmp_path / "b.pdf", [samples.SALGSOPPGAVE]))
    with db.session() as s:
        row = s.get(Document, waiting.id)
        row.created_at = utcnow() - timedelta(minutes=40)
        s.add(row)
        finished = s.get(Document, done.id)
        finished.processed_at = utcnow() - timedelta(minutes=1)  # the workers are at it
        s.add(finished)
        s.commit()
    assert ops.health()["reasons"] == []
    with db.session() as s:
        finished = s.get(Document, done.id)
        finished.processed_at = utcnow() - timedelta(minutes=16)  # nothing done since
        s.add(finished)
        s.commit()
    assert ops.health()["reasons"] == ["documents_stuck:1"]

def system_page(user):
    from dokvault.pages.admin.system import SystemState
    from dokvault.services.auth import accounts
    from tests.unit.helpers import access_token, page_state

    with db.session() as s:
        session_id = accounts.open_session(s, user, "pytest-browser")
    return page_state(SystemState, access_token(user.id, session_id))


def handler(name: str):
    from dokvault.pages.admin.system import SystemState

    return SystemState.event_handlers[name].fn


def test_run_now_is_for_admins_only(lone_admin, broker_of_lone_admin):
    from dokvault.core import audit

    refused = system_page(broker_of_lone_admin)
    handler("run_now")(refused)
    assert ops.sanity.last_report() is None and not refused.running
    assert audit.search_events(kind="admin.refused")[1] == 1

    state = system_page(lone_admin)
    handler("load")(state)
    assert (state.degraded, state.running, state.has_report) == (False, False, False)
    handler("run_now")(state)
    assert state.running and ops.sanity.running() is not None
    handler("run_now")(state)  # a second click while it runs queues nothing
    assert dramatiq.get_broker().queues["maintenance"].qsize() == 1


@pytest.fixture
def broker_of_lone_admin(lone_admin):
    from dokvault.models import Role
    from dokvault.services.auth import accounts

    with db.session() as s:
        return accounts.create_user(s, "megler@example.no", "megler passord 2024", Role.BROKER)


def test_the_document_list_banner_is_for_admins_only(lone_admin, broker_of_lone_admin, tmp_path):
    path = samples.make_pdf(tmp_path / "takst.pdf", [samples.TAKST])
    document = documents.ingest_path(lone_admin.id, path)
    with db.session() as s:
        row = s.get(Document, document.id)
        row.created_at = utcnow() - timedelta(hours=1)
        s.add(row)
        s.commit()
    admin_view = system_page(lone_admin)
    handler("check_health")(admin_view)
    assert admin_view.degraded
    assert admin_view.reasons == [{"key": "system.reason.documents_stuck", "value": "1"}]
    broker_view = system_page(broker_of_lone_admin)
    handler("check_health")(broker_view)
    assert not broker_view.degraded and broker_view.reasons == []
