"""Reading a stored document: text (OCR included), thumbnail, searchable PDF, index and
status in one transaction, attachments as documents of their own, then classification
on the `ai` queue. Idempotent: a finished document is left alone; what is pending is
queued again from the database."""

from __future__ import annotations

import contextlib
import logging
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, timedelta
from pathlib import Path

from sqlalchemy import and_, case, or_, update
from sqlmodel import Session, col, select

from dokvault import db
from dokvault.core import jobs, metrics
from dokvault.core.outages import is_outage
from dokvault.extract import ExtractionError, extract, thumbnail
from dokvault.extract.searchable import make_searchable_pdf
from dokvault.models import Classification, Document, DocumentStatus, DocumentText
from dokvault.models.base import utcnow
from dokvault.models.documents import PENDING_STATUSES
from dokvault.services import notify, org, search
from dokvault.services.documents import attachments
from dokvault.services.documents.intake import temp_dir
from dokvault.settings import get_settings
from dokvault.storage.objects import LocalObjectStore, get_object_store

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 3
# The `process_document` actor's time limit (workers/documents.py).
PROCESSING_TIME_LIMIT = timedelta(hours=1)
FINAL = (DocumentStatus.READY, DocumentStatus.FAILED)

@contextlib.contextmanager
def _local_copy(key: str, ext: str) -> Iterator[Path]:
    store = get_object_store()
    if isinstance(store, LocalObjectStore):
        yield store.root / key
        return
    with tempfile.NamedTemporaryFile(dir=temp_dir(), prefix="proc-", suffix=ext) as fh:
        for chunk in store.iter_chunks(key):
            fh.write(chunk)
        fh.flush()
        yield Path(fh.name)


def _mark_failed(document_id: int, code: str) -> None:
    with db.session() as s:
        document = s.get(Document, document_id)
        if document is None:
            return
        document.status = DocumentStatus.FAILED
        document.error = code
        document.updated_at = document.processed_at = utcnow()
        s.add(document)
        s.commit()
        s.refresh(document)
    log.warning("document failed id=%s reason=%s", document_id, code)
    _tell_failed(document)


def _tell_failed(document: Document) -> None:
    """The uploader hears of it (a failure to tell is no reason to read the file again)."""
    try:
        notify.processing_failed(document)
    except Exception as exc:
        log.error("could not notify of failed document id=%s: %s", document.id, type(exc).__name__)


def _mark_waiting(document_id: int, exc: BaseException) -> None:
    """An outage, not the file: the document waits, and this attempt does not count
    towards MAX_ATTEMPTS. With the database away too, the row keeps its pending status,
    which the sweep picks up just the same."""
    try:
        with db.session() as s:
            s.execute(update(Document)
                      .where(col(Document.id) == document_id, col(Document.status).notin_(FINAL))
                      .values(status=DocumentStatus.WAITING, error=None, updated_at=utcnow(),
                              attempts=case((col(Document.attempts) > 0, col(Document.attempts) - 1),
                                             else_=0)))
            s.commit()
    except Exception as again:
        log.warning("document id=%s not marked waiting: %s", document_id, type(again).__name__)
    log.warning("document waiting id=%s: %s", document_id, type(exc).__name__)


def _stale_after() -> timedelta:
    return timedelta(seconds=get_settings().processing_stale_seconds)


@contextlib.contextmanager
def _heartbeat(document_id: int) -> Iterator[None]:
    """While the document is read, its `updated_at` is touched every quarter of the stale
    bound: a row whose heartbeat is silent longer has lost its worker (requeue_stuck)."""
    stop = threading.Event()
    every = _stale_after().total_seconds() / 4

    def beat() -> None:
        while not stop.wait(every):
            try:
                with db.session() as s:
                    s.execute(update(Document).where(
                        col(Document.id) == document_id,
                        col(Document.status) == DocumentStatus.PROCESSING).values(updated_at=utcnow()))
                    s.commit()
            except Exception as exc:  # the database away: the next beat tries again
                log.debug("heartbeat missed id=%s: %s", document_id, type(exc).__name__)

    thread = threading.Thread(target=beat, name=f"heartbeat-{document_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(5)


def _being_read(document: Document) -> bool:
    """Another reader is at it (its heartbeat is fresh): a second message waits for it."""
    if document.status != DocumentStatus.PROCESSING or document.updated_at is None:
        return False
    stamp = document.updated_at
    if stamp.tzinfo is None:  # SQLite gives the stored UTC time back without its zone
        stamp = stamp.replace(tzinfo=UTC)
    return stamp > utcnow() - _stale_after()


def process_document(document_id: int) -> None:
    """Extract text, render a thumbnail, index. Idempotent: a finished document is left alone."""
    with db.session() as s:
        document = s.get(Document, document_id)
        if document is None or document.status in FINAL or _being_read(document):
            return  # a message delivered twice; a dead reader's row goes stale for the sweep
        if document.attempts >= MAX_ATTEMPTS:  # it crashed the worker before: stop trying
            document.status, document.error = DocumentStatus.FAILED, "error.processing"
            document.updated_at = document.processed_at = utcnow()
            s.add(document)
            s.commit()
            s.refresh(document)
            log.warning("document failed id=%s after %s attempts", document_id, MAX_ATTEMPTS)
            _tell_failed(document)
            return
        document.status = DocumentStatus.PROCESSING
        document.attempts += 1
        document.updated_at = utcnow()
        s.add(document)
        s.commit()
    with _heartbeat(document_id):
        _read(document_id, document)


def _read(document_id: int, document: Document) -> None:
    store = get_object_store()
    started = time.monotonic()
    try:
        with _local_copy(document.object_key, document.ext) as path, \
                tempfile.TemporaryDirectory(dir=temp_dir(), prefix="att-") as attachments_dir:
            extracted = extract(path, document.ext, attachments_dir=Path(attachments_dir))
            try:
                thumb = thumbnail.render(path, document.ext, extracted.text)
            except Exception as exc:  # a missing preview is no reason to fail the document
                log.warning("thumbnail failed id=%s: %s", document_id, type(exc).__name__)
                thumb = None
            new_keys = _store_derived(document, path, extracted, thumb)
            try:
                finished = _save_result(document_id, extracted, new_keys)
            except Exception:
                for key in new_keys.values():
                    store.delete(key)  # a retry makes new ones
                raise
            if not finished:
                for key in new_keys.values():
                    store.delete(key)  # deleted meanwhile: leave no object behind
                return
            _record_reading(document_id, time.monotonic() - started, extracted)
            if extracted.attachments:
                _add_notices(document_id, attachments.ingest(document, extracted.attachments))
        log.info("document ready id=%s chars=%s ocr_pages=%s lang=%s notices=%s", document_id,
                 len(extracted.text), extracted.ocr_pages, extracted.language,
                 ",".join(str(n["code"]) for n in extracted.notices) or "-")
    except ExtractionError as exc:
        log.info("extraction refused id=%s: %s %s", document_id, exc.code, exc.detail[:200])
        _mark_failed(document_id, exc.code)
    except Exception as exc:
        if is_outage(exc):
            _mark_waiting(document_id, exc)
            raise  # tried again with a long backoff (workers/documents.py), then by the sweep
        log.exception("processing error id=%s attempt=%s", document_id, document.attempts)
        if document.attempts >= MAX_ATTEMPTS:
            _mark_failed(document_id, "error.processing")
        else:
            raise  # Dramatiq retries with backoff; the row stays pending meanwhile
    else:
        _link_assignment(document_id)
        _send_classification(document_id)


def _link_assignment(document_id: int) -> None:
    """The assignment its text names (services/org); a miss leaves the document as it is."""
    try:
        org.assignments.link_by_text(document_id)
    except Exception as exc:
        log.error("assignment not linked id=%s: %s", document_id, type(exc).__name__)
def _record_reading(document_id: int, seconds: float, extracted) -> None:
    """The reading's time for the analytics: OCR apart, the rest (text, thumbnail, searchable
    PDF, index) as extraction."""
    ocr = min(extracted.ocr_seconds, seconds) if extracted.ocr_pages else 0.0
    metrics.record_stage("extraction", document_id, seconds - ocr)
    if extracted.ocr_pages:
        metrics.record_stage("ocr", document_id, ocr)


def _send_classification(document_id: int) -> None:
    """Suggestions come from the `ai` queue: extraction does not wait for them. A document
    whose job could not be queued stays ready and unclassified."""
    try:
        jobs.send("classify_document", document_id)
    except Exception as exc:
        log.error("could not queue classification id=%s: %s", document_id, type(exc).__name__)


def _store_derived(document: Document, path: Path, extracted, thumb: bytes | None) -> dict:
    """The thumbnail, and for scans a searchable PDF (an OCR text layer) beside the original."""
    store = get_object_store()
    keys: dict[str, str] = {}
    prefix = f"{document.owner_id}/{document.uid}/{uuid.uuid4()}"
    if thumb:
        keys["thumbnail_key"] = f"{prefix}.png"
        store.put_bytes(keys["thumbnail_key"], thumb, "image/png")
    if extracted.text_layers:
        searchable = path.with_name(path.stem + "-ocr.pdf")
        try:
            if make_searchable_pdf(path, searchable, document.ext, extracted.text_layers):
                keys["searchable_key"] = f"{prefix}-ocr.pdf"
                store.put_file(keys["searchable_key"], searchable, "application/pdf")
        finally:
            searchable.unlink(missing_ok=True)
    return keys


def _add_notices(document_id: int, notices: list) -> None:
    """Note on a finished document what came after its text (the fate of its attachments)."""
    if not notices:
        return
    with db.session() as s:
        document = s.get(Document, document_id)
        if document is not None:
            document.notices = [*document.notices, *notices]
            s.add(document)
            s.commit()


def _save_result(document_id: int, extracted, keys: dict[str, str]) -> bool:
    """Store text, index, derived objects and status in one transaction; False if the
    document is gone."""
    with db.session() as s:
        current = s.get(Document, document_id)
        if current is None:
            return False
        text_row = s.get(DocumentText, document_id) or DocumentText(document_id=document_id)
        text_row.text = extracted.text
        text_row.layout = extracted.layout.to_json() if extracted.layout else None
        s.add(text_row)
        s.flush()
        search.index_document(s, document_id, current.name, extracted.text)
        replaced = [current.thumbnail_key, current.searchable_key]
        current.thumbnail_key = keys.get("thumbnail_key")
        current.searchable_key = keys.get("searchable_key")
        current.page_count = extracted.page_count
        current.language = extracted.language
        current.ocr_pages = extracted.ocr_pages
        current.notices = extracted.notices
        current.status = DocumentStatus.READY
        current.error = None
        current.updated_at = current.processed_at = utcnow()
        s.add(current)
        s.commit()
    for key in replaced:
        if key and key not in keys.values():
            get_object_store().delete(key)
    return True


def requeue_stuck() -> int:
    """Queue again what has sat unfinished too long (settings.py says how long): uploaded
    (its message was lost), waiting for a service, or being read by a reader whose
    heartbeat went silent (its worker died; put back to `uploaded` so the next reader
    takes it). Each is stamped when sent, so a long queue of uploads is sent once per
    bound, not at every sweep; a document sent twice is read once."""
    settings = get_settings()
    now = utcnow()
    lost = and_(col(Document.status) == DocumentStatus.UPLOADED,
                col(Document.updated_at) < now - timedelta(seconds=settings.requeue_after_seconds))
    waiting = and_(col(Document.status) == DocumentStatus.WAITING,
                   col(Document.updated_at) < now - timedelta(seconds=settings.waiting_retry_seconds))
    dead = and_(col(Document.status) == DocumentStatus.PROCESSING,
                col(Document.updated_at) < now - _stale_after())
    with db.session() as s:
        ids = s.exec(select(Document.id).where(or_(lost, waiting, dead))).all()
        if ids:
            chosen = col(Document.id).in_(ids)
            s.execute(update(Document).where(chosen, dead)
                      .values(status=DocumentStatus.UPLOADED, updated_at=now))
            s.execute(update(Document).where(chosen, or_(lost, waiting)).values(updated_at=now))
            s.commit()
    for document_id in ids:
        jobs.send("process_document", document_id)
    if ids:
        log.warning("requeued %s unfinished documents", len(ids))
    _requeue_lost_suggestions(now, timedelta(seconds=settings.requeue_after_seconds))
    return len(ids)


def _requeue_lost_suggestions(now, bound: timedelta) -> None:
    """Suggestions whose `ai` message was lost (the broker away when the document was
    ready): sent once more for documents ready between one and two bounds ago, so each
    is sent again about once, not at every sweep (requeue_pending does the rest)."""
    with db.session() as s:
        ids = [i for i in unclassified(s) if i is not None]
        if ids:
            ids = list(s.exec(select(Document.id).where(
                col(Document.id).in_(ids), col(Document.processed_at) < now - bound,
                col(Document.processed_at) >= now - 2 * bound)).all())
    for document_id in ids:
        jobs.send("classify_document", document_id)
    if ids:
        log.warning("requeued suggestions of %s documents", len(ids))


def unclassified(s: Session, ids: list[int] | None = None) -> list[int]:
    """Ready documents (of `ids`, or all) without suggestions yet: their `ai` job is queued,
    or was lost with an in-memory queue."""
    query = (select(Document.id).where(Document.status == DocumentStatus.READY)
             .where(~select(Classification.id).where(Classification.document_id == Document.id)
                    .exists()))
    if ids is not None:
        query = query.where(col(Document.id).in_(ids))
    return list(s.exec(query).all())


def with_attachments(s: Session, ids: list[int]) -> list[int]:
    """`ids` and every document their attachments made, all the way down."""
    family, frontier = list(ids), list(ids)
    while frontier:
        frontier = list(s.exec(select(Document.id).where(col(Document.parent_id).in_(frontier))).all())
        family += frontier
    return family


def requeue_pending() -> int:
    """Queue every document that is not finished, the suggestions of those that have none,
    and the re-indexing of search vectors of an older format. The database says what is
    pending. On the embedded default the readers lived in this process: one `processing`
    is dead, and goes back to `uploaded` for the new reader to take."""
    with db.session() as s:
        if get_settings().embedded_workers:
            s.execute(update(Document).where(col(Document.status) == DocumentStatus.PROCESSING)
                      .values(status=DocumentStatus.UPLOADED))
            s.commit()
        ids = s.exec(
            select(Document.id).where(col(Document.status).in_([str(p) for p in PENDING_STATUSES]))
        ).all()
        waiting = unclassified(s)
        stale = bool(search.stale_documents(s, 1))
    for document_id in ids:
        jobs.send("process_document", document_id)
    for document_id in waiting:
        jobs.send("classify_document", document_id)
    if ids or waiting:
        log.info("requeued %s pending documents and %s without suggestions", len(ids), len(waiting))
    if stale:
        log.info("search vectors of an older format: re-indexing in the background")
        jobs.send("reindex_search")
    return len(ids)


REINDEX_BATCH = 200


def reindex_stale(batch: int = REINDEX_BATCH) -> int:
    """Index again, from the stored text, up to `batch` documents whose search vector is
    of an older format; returns how many are left. One transaction per batch."""
    with db.session() as s:
        ids = search.stale_documents(s, batch)
        if not ids:
            return 0
        rows = s.exec(select(Document.id, Document.name, DocumentText.text)
                      .outerjoin(DocumentText, col(DocumentText.document_id) == col(Document.id))
                      .where(col(Document.id).in_(ids))).all()
        for document_id, name, text in rows:
            search.index_document(s, document_id, name, text or "")
        s.commit()
        left = len(search.stale_documents(s, batch))
    log.info("re-indexed %s search vectors, %s%s to go", len(rows), left, "+" if left == batch else "")
    return left
