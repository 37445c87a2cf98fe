"""Nothing is lost on restart: the database, not the in-memory queue, says what is pending."""

from __future__ import annotations

import time

from dramatiq import Message, Worker
from dramatiq.brokers.stub import StubBroker

from dokvault import db
from dokvault.models import Document, DocumentStatus
from dokvault.services import documents
from dokvault.services.auth import accounts
from dokvault.settings import get_settings
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


def test_the_sweep_requeues_what_is_stuck_once_and_leaves_a_live_reader_alone(without_worker, tmp_path):
    from datetime import timedelta

    from dokvault.core.jobs import rebind
    from dokvault.models.base import utcnow

    with db.session() as s:
        user = accounts.create_first_admin(s, "admin@example.no", "correct horse battery")
    settings = get_settings()
    lost, stale = settings.requeue_after_seconds, settings.processing_stale_seconds
    # Seconds since the row was stamped: by its upload, or by its reader's heartbeat.
    ages = {"lost message": ("uploaded", lost + 5), "just queued": ("uploaded", 1),
            "slow reading": ("processing", 1), "dead reader": ("processing", stale + 5)}
    ids = {}
    for name, (status, seconds) in ages.items():
        document = documents.ingest_path(user.id, make_text(tmp_path / f"{seconds}.txt", KJOPEKONTRAKT),
                                         f"{name}.txt")
        with db.session() as s:
            row = s.get(Document, document.id)
            row.status, row.updated_at = status, utcnow() - timedelta(seconds=seconds)
            s.add(row)
            s.commit()
        ids[name] = document.id
    broker = rebind(StubBroker())  # an empty queue: the sweep's messages only

    assert documents.requeue_stuck() == 2
    queued = [Message.decode(m).args[0] for m in broker.queues["documents"].queue]
    assert sorted(queued) == sorted([ids["lost message"], ids["dead reader"]])
    # Stamped when sent: the next sweep does not send them again; the dead reader's row
    # is `uploaded` again, for the next reader to take.
    assert documents.requeue_stuck() == 0
    assert broker.queues["documents"].qsize() == 2
    with db.session() as s:
        assert s.get(Document, ids["dead reader"]).status == DocumentStatus.UPLOADED
