"""An outage is not the file's fault: the document waits, is tried again, and goes on by
itself; only the file's own errors end in `failed`."""

from __future__ import annotations

import contextlib
from datetime import timedelta

import pytest
import sqlalchemy.exc
import urllib3.exceptions
from dramatiq import Message
from dramatiq.brokers.stub import StubBroker
from minio.error import S3Error

from dokvault import db
from dokvault.core.outages import is_outage
from dokvault.extract import ExtractionError
from dokvault.models import Document, DocumentStatus
from dokvault.models.base import utcnow
from dokvault.services import documents
from dokvault.services.auth import accounts
from dokvault.services.documents import processing
from dokvault.settings import get_settings
from tests.samples import KJOPEKONTRAKT, make_text


def _s3_error(code: str) -> S3Error:
    return S3Error(None, code, "message", "/key", "req", "host")


def test_outages_are_told_apart_from_the_files_own_errors():
    refused = urllib3.exceptions.NewConnectionError(None, "refused")
    assert is_outage(sqlalchemy.exc.OperationalError("SELECT 1", {}, Exception("server closed")))
    assert is_outage(urllib3.exceptions.MaxRetryError(None, "/key", refused))
    assert is_outage(_s3_error("SlowDown"))
    assert is_outage(TimeoutError())
    try:  # raised from an outage, as a wrapper does
        try:
            raise ConnectionRefusedError()
        except ConnectionRefusedError as inner:
            raise RuntimeError("could not read") from inner
    except RuntimeError as wrapped:
        assert is_outage(wrapped)
    assert not is_outage(_s3_error("NoSuchKey"))
    assert not is_outage(ExtractionError("error.corrupt"))
    assert not is_outage(ValueError("bad page"))


def test_the_actor_rides_out_an_outage_but_not_a_broken_file():
    from workers.documents import OTHER_RETRIES, OUTAGE_RETRIES, should_retry

    outage = TimeoutError()
    assert should_retry(OUTAGE_RETRIES - 1, outage) and not should_retry(OUTAGE_RETRIES, outage)
    assert should_retry(OTHER_RETRIES - 1, ValueError()) and not should_retry(OTHER_RETRIES, ValueError())
    assert OUTAGE_RETRIES > 10 * OTHER_RETRIES  # minutes, not seconds


@pytest.fixture
def stored(without_worker, tmp_path):
    with db.session() as s:
        user = accounts.create_first_admin(s, "admin@example.no", "correct horse battery")
    return documents.ingest_path(user.id, make_text(tmp_path / "kontrakt.txt", KJOPEKONTRAKT))


def _row(document_id: int) -> Document:
    with db.session() as s:
        return s.get(Document, document_id)


def test_a_document_waits_while_storage_is_away_and_goes_on_when_it_is_back(stored, monkeypatch):
    @contextlib.contextmanager
    def unreachable(key, ext):
        refused = urllib3.exceptions.NewConnectionError(None, "refused")
        raise urllib3.exceptions.MaxRetryError(None, key, refused)
        yield  # pragma: no cover

    original = processing._local_copy
    monkeypatch.setattr(processing, "_local_copy", unreachable)
    for _try in range(processing.MAX_ATTEMPTS + 2):  # more tries than a broken file gets
        with pytest.raises(urllib3.exceptions.MaxRetryError):
            documents.process_document(stored.id)
        waiting = _row(stored.id)
        assert (waiting.status, waiting.error, waiting.attempts) == (DocumentStatus.WAITING, None, 0)

    monkeypatch.setattr(processing, "_local_copy", original)  # the store is back
    documents.process_document(stored.id)
    ready = _row(stored.id)
    assert (ready.status, ready.error) == (DocumentStatus.READY, None)


def test_the_sweep_sends_waiting_documents_again_sooner_than_lost_uploads(stored):
    from dokvault.core.jobs import rebind

    with db.session() as s:
        row = s.get(Document, stored.id)
        row.status = DocumentStatus.WAITING
        row.updated_at = utcnow() - timedelta(seconds=get_settings().waiting_retry_seconds + 5)
        s.add(row)
        s.commit()
    broker = rebind(StubBroker())
    assert get_settings().waiting_retry_seconds <= get_settings().requeue_after_seconds
    assert documents.requeue_stuck() == 1
    assert [Message.decode(m).args[0] for m in broker.queues["documents"].queue] == [stored.id]
    assert documents.requeue_stuck() == 0  # stamped when sent


def test_a_broken_file_still_fails_with_its_own_message(stored, monkeypatch):
    def corrupt(path, ext, attachments_dir=None):
        raise ExtractionError("error.corrupt")

    monkeypatch.setattr(processing, "extract", corrupt)
    documents.process_document(stored.id)
    failed = _row(stored.id)
    assert (failed.status, failed.error) == (DocumentStatus.FAILED, "error.corrupt")
