"""The retry action: the owner and admins may send a failed or waiting document to be
read again, nobody else; a double click sends it once."""

from __future__ import annotations

from dramatiq import Message
from dramatiq.brokers.stub import StubBroker
from sqlmodel import select

from dokvault import db
from dokvault.core.jobs import rebind
from dokvault.models import AuditEvent, Document, DocumentStatus, Role
from dokvault.services import documents
from dokvault.services.auth import accounts
from tests.samples import KJOPEKONTRAKT, make_text


def _failed(owner, tmp_path, status=DocumentStatus.FAILED) -> Document:
    rebind(StubBroker())  # nobody reads it meanwhile
    document = documents.ingest_path(owner.id, make_text(tmp_path / f"{owner.id}-{status}.txt",
                                                         f"{KJOPEKONTRAKT} {status}"))
    with db.session() as s:
        row = s.get(Document, document.id)
        row.status, row.error, row.attempts = status, "error.processing", 3
        s.add(row)
        s.commit()
    return row


def _sent(broker) -> list[int]:
    return [Message.decode(m).args[0] for m in broker.queues["documents"].queue]


def test_owner_and_admin_may_retry_another_broker_may_not(admin, broker_user, tmp_path):
    with db.session() as s:
        other = accounts.create_user(s, "annen@example.no", "annen megler 2024", Role.BROKER)
    failed = _failed(broker_user, tmp_path)
    waiting = _failed(broker_user, tmp_path, DocumentStatus.WAITING)
    broker = rebind(StubBroker())

    assert documents.retry_documents(other, [str(failed.uid)]) == documents.Retried(0, 1)
    with db.session() as s:
        assert s.get(Document, failed.id).status == DocumentStatus.FAILED
        refusals = s.exec(select(AuditEvent).where(AuditEvent.kind == "document.retry_refused")).all()
    assert [e.actor_id for e in refusals] == [other.id]

    assert documents.retry_documents(broker_user, [str(failed.uid)]) == documents.Retried(1, 0)
    assert documents.retry_documents(admin, [str(waiting.uid)]) == documents.Retried(1, 0)
    with db.session() as s:
        rows = [s.get(Document, d.id) for d in (failed, waiting)]
    assert [(r.status, r.error, r.attempts) for r in rows] == [(DocumentStatus.UPLOADED, None, 0)] * 2
    assert sorted(_sent(broker)) == sorted([failed.id, waiting.id])


def test_a_double_click_sends_once_and_ready_documents_are_left_alone(admin, tmp_path):
    failed = _failed(admin, tmp_path)
    ready = documents.ingest_path(admin.id, make_text(tmp_path / "klar.txt", "Klar tekst"))
    documents.process_document(ready.id)
    broker = rebind(StubBroker())
    uids = [str(failed.uid), str(ready.uid)]
    assert documents.retry_documents(admin, uids) == documents.Retried(1, 0)
    assert documents.retry_documents(admin, uids) == documents.Retried(0, 0)
    assert _sent(broker) == [failed.id]


def test_a_retried_document_is_read_to_the_end(admin, tmp_path):
    failed = _failed(admin, tmp_path)
    documents.retry_documents(admin, [str(failed.uid)])
    documents.process_document(failed.id)  # what the worker does with the message
    with db.session() as s:
        assert s.get(Document, failed.id).status == DocumentStatus.READY
