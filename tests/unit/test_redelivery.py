"""A message may arrive twice: a ready document is left alone, and one whose reader died
is read again without a second set of attachments or a second search row."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import text
from sqlmodel import func, select

from dokvault import db
from dokvault.models import Document, DocumentStatus
from dokvault.models.base import utcnow
from dokvault.services import documents
from dokvault.settings import get_settings
from tests.unit.helpers import wait_final, wait_until
from tests.unit.test_formats_more import mail_with_attachments, write


def _children(mail_id: int) -> list[tuple[str, str]]:
    with db.session() as s:
        return sorted(s.exec(select(Document.name, Document.status)
                             .where(Document.parent_id == mail_id)).all())


def _search_rows(document_id: int) -> int:
    with db.session() as s:
        return s.exec(text("SELECT count(*) FROM document_fts WHERE rowid = :id")
                      .bindparams(id=document_id)).one()[0]


def _row_status(document_id: int) -> str:
    with db.session() as s:
        return s.get(Document, document_id).status


def test_a_mail_read_twice_keeps_one_set_of_attachments(admin, tmp_path):
    message, _pdf = mail_with_attachments(tmp_path)
    mail = wait_final(documents.ingest_path(admin.id, write(tmp_path / "post.eml", message)).id)
    first = wait_until(lambda: (kids := _children(mail.id)) and all(
        status in ("ready", "failed") for _name, status in kids) and kids, what="attachments read")
    before = mail.processed_at

    documents.process_document(mail.id)  # delivered again: ready, left alone
    assert wait_final(mail.id).processed_at == before

    with db.session() as s:  # a reader is at it (a fresh heartbeat): a second message waits
        row = s.get(Document, mail.id)
        row.status, row.updated_at = DocumentStatus.PROCESSING, utcnow()
        s.add(row)
        s.commit()
    documents.process_document(mail.id)
    assert _row_status(mail.id) == DocumentStatus.PROCESSING

    with db.session() as s:  # its reader died mid-way (the heartbeat went silent): read again
        row = s.get(Document, mail.id)
        row.updated_at = utcnow() - timedelta(seconds=get_settings().processing_stale_seconds + 5)
        s.add(row)
        s.commit()
    documents.process_document(mail.id)
    again = wait_final(mail.id)
    assert again.status == DocumentStatus.READY and again.processed_at > before
    assert [name for name, _status in _children(mail.id)] == [name for name, _status in first]
    assert _search_rows(mail.id) == 1
    with db.session() as s:
        assert s.exec(select(func.count()).select_from(Document)).one() == 1 + len(first)
