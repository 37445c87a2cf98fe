"""A double click acts once: accepting a reviewed document again and trashing a trashed one
(or restoring a restored one) change nothing and record nothing."""

from __future__ import annotations

from sqlmodel import func, select

from dokvault import db
from dokvault.models import AuditEvent, Document, ReviewRecord
from dokvault.services import documents
from dokvault.services.intelligence import review
from tests.samples import ENERGIATTEST, make_text
from tests.unit.helpers import wait_final
from tests.unit.test_review import wait_classified


def _count(model, *where) -> int:
    with db.session() as s:
        return s.exec(select(func.count()).select_from(model).where(*where)).one()


def test_accept_all_twice_decides_once(admin, tmp_path):
    doc = wait_final(documents.ingest_path(admin.id, make_text(tmp_path / "e.txt", ENERGIATTEST)).id)
    wait_classified(doc.id)
    assert review.accept_all(admin, str(doc.uid))
    records = _count(ReviewRecord, ReviewRecord.document_id == doc.id)
    audits = _count(AuditEvent, AuditEvent.kind == "document.reviewed")
    assert records > 0 and audits == 1
    assert review.accept_all(admin, str(doc.uid))  # the second click: done already, no error
    assert _count(ReviewRecord, ReviewRecord.document_id == doc.id) == records
    assert _count(AuditEvent, AuditEvent.kind == "document.reviewed") == 1


def test_trash_and_restore_twice_change_once(admin, tmp_path):
    doc = wait_final(documents.ingest_path(admin.id, make_text(tmp_path / "t.txt", "tekst")).id)
    first = documents.trash_document(admin, str(doc.uid))
    assert first is not None and first.deleted_at is not None
    again = documents.trash_document(admin, str(doc.uid))
    assert again is not None  # a no-op, not a refusal
    with db.session() as s:
        row = s.get(Document, doc.id)
    assert (row.deleted_at, row.updated_at) == (first.deleted_at, first.updated_at)
    assert documents.restore_document(admin, str(doc.uid)).deleted_at is None
    restored = documents.restore_document(admin, str(doc.uid))
    assert restored is not None and restored.deleted_at is None
