"""Restart safety with the real app process: documents left pending by an app that died
are queued again at the next start, because the database, not the queue, says what is pending."""

from __future__ import annotations

import time

from dramatiq.brokers.stub import StubBroker
from sqlmodel import select

from tests import samples
from tests.e2e.conftest import _settings_free_env, _start_app, _stop


def test_documents_pending_at_shutdown_are_processed_at_next_start(clean_env, tmp_path):
    from dokvault import db
    from dokvault.core.jobs import rebind
    from dokvault.migrations import upgrade_database
    from dokvault.models import Document, DocumentStatus
    from dokvault.services import documents
    from dokvault.services.auth import accounts

    # An app that stored three uploads and died: no worker ever ran, one was mid-processing.
    upgrade_database()
    rebind(StubBroker())
    with db.session() as s:
        user = accounts.create_first_admin(s, "drift@example.no", "correct horse battery")
    files = [
        samples.make_pdf(tmp_path / "takst.pdf", [samples.TAKST]),
        samples.make_docx(tmp_path / "kontrakt.docx", [samples.KJOPEKONTRAKT]),
        samples.make_text(tmp_path / "attest.txt", samples.ENERGIATTEST),
    ]
    ids = [documents.ingest_path(user.id, path).id for path in files]
    with db.session() as s:
        crashed = s.get(Document, ids[0])
        crashed.status = DocumentStatus.PROCESSING
        crashed.attempts = 1
        s.add(crashed)
        s.commit()

    process, _app = _start_app("restart", _settings_free_env(), clean_env)
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            with db.session() as s:
                statuses = s.exec(select(Document.status).where(Document.id.in_(ids))).all()
            if all(status == DocumentStatus.READY for status in statuses):
                break
            time.sleep(0.5)
        assert statuses == [DocumentStatus.READY] * 3
        hits, _ = documents.search_documents(user, "markedsverdien")
        assert [h.name for h in hits] == ["takst.pdf"]
    finally:
        _stop(process)
