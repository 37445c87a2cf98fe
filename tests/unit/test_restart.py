"""Nothing is lost on restart: the database, not the in-memory queue, says what is pending."""

from __future__ import annotations

import time

from dramatiq import Worker
from dramatiq.brokers.stub import StubBroker

from dokvault import db
from dokvault.models import Document, DocumentStatus
from dokvault.services import documents
from dokvault.services.auth import accounts
from tests.samples import ENERGIATTEST, KJOPEKONTRAKT, SALGSOPPGAVE, make_docx, make_pdf, make_text
from tests.unit.helpers import wait_final


def test_pending_work_is_requeued_after_restart(without_worker, tmp_path):
    from dokvault.core.jobs import rebind

    with db.session() as s:
        user = accounts.create_first_admin(s, "admin@example.no", "correct horse battery")
    stored = [
        documents.ingest_path(user.id, make_pdf(tmp_path / "a.pdf", [SALGSOPPGAVE])),
        documents.ingest_path(user.id, make_docx(tmp_path / "b.docx", [ENERGIATTEST])),
        documents.ingest_path(user.id, make_text(tmp_path / "c.txt", KJOPEKONTRAKT)),
    ]
    time.sleep(0.3)  # nobody consumes the queue
    with db.session() as s:
        statuses = [s.get(Document, d.id).status for d in stored]
        assert statuses == [DocumentStatus.UPLOADED] * 3
        # The app died while the worker had this one in hand.
        crashed = s.get(Document, stored[1].id)
        crashed.status = DocumentStatus.PROCESSING
        crashed.attempts = 1
        s.add(crashed)
        s.commit()
    assert documents.pending_count(user) == 3

    # Restart: a fresh in-memory broker (the old queue is gone) and a running worker.
    broker = rebind(StubBroker())
    broker.emit_after("process_boot")
    worker = Worker(broker, worker_threads=2, worker_timeout=100)
    worker.start()
    try:
        assert documents.requeue_pending() == 3
        finished = [wait_final(d.id) for d in stored]
    finally:
        worker.stop()
    assert [d.status for d in finished] == [DocumentStatus.READY] * 3
    assert all(d.thumbnail_key for d in finished)
    assert documents.pending_count(user) == 0
    assert documents.requeue_pending() == 0
    assert [row.uid for row in documents.search_documents(user, "Strandkaien")[0]] == [
        str(stored[0].uid)
    ]
