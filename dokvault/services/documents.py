"""Documents: streaming intake, processing, listing, trash.

Every function that reads documents for a person takes the `User` and scopes
the query to what that user may see.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import tempfile
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Literal

from sqlmodel import Session, col, func, select

from dokvault import db
from dokvault.core import audit, jobs
from dokvault.core.audit import Client
from dokvault.core.filenames import UploadRefused, clean_filename
from dokvault.extract import ExtractionError, extract, thumbnail
from dokvault.extract.formats import content_type_for, extension_of, is_supported, signature_matches
from dokvault.extract.searchable import make_searchable_pdf
from dokvault.models import Document, DocumentStatus, DocumentText, DocumentType, User
from dokvault.models.base import utcnow
from dokvault.models.documents import PENDING_STATUSES
from dokvault.services import attachments, search
from dokvault.services.access import changeable_by, reader_keys, visible_sql, visible_to
from dokvault.services.search.query import QueryError
from dokvault.settings import get_settings
from dokvault.storage.objects import LocalObjectStore, get_object_store

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 3
# Unfinished for longer than this, a document is queued again by the scheduled sweep: more
# than reading one takes (its OCR budget and the rest).
STUCK_AFTER = timedelta(minutes=20)
FINAL = (DocumentStatus.READY, DocumentStatus.FAILED)
SortKey = Literal["created_at", "name", "size", "status"]


def temp_dir() -> Path:
    path = get_settings().data_dir / "tmp"
    path.mkdir(parents=True, exist_ok=True)
    return path


class IncomingFile:
    """One upload being received: spooled to disk while hashed and measured, never held whole."""

    def __init__(self, owner_id: int, filename: str):
        self.owner_id = owner_id
        self.name = clean_filename(filename)
        self.ext = extension_of(self.name)
        if not is_supported(self.name):
            raise UploadRefused("error.unsupported_type", self.name)
        self.max_bytes = get_settings().max_upload_bytes
        self.parent_id: int | None = None
        self.size = 0
        self._head = b""
        self._sha = hashlib.sha256()
        self._fh = tempfile.NamedTemporaryFile(dir=temp_dir(), prefix="up-", delete=False)  # noqa: SIM115
        self.path = Path(self._fh.name)

    def write(self, data: bytes) -> None:
        self.size += len(data)
        if self.size > self.max_bytes:
            self.abort()
            raise UploadRefused("error.too_large", self.name)
        if len(self._head) < 8:
            self._head += data[:8]
        self._sha.update(data)
        self._fh.write(data)

    def abort(self) -> None:
        self._fh.close()
        self.path.unlink(missing_ok=True)

    def finish(self) -> Document:
        self._fh.close()
        try:
            if self.size == 0:
                raise UploadRefused("error.empty_file", self.name)
            if not signature_matches(self.ext, self._head):
                raise UploadRefused("error.type_mismatch", self.name)
            return _store(self)
        finally:
            self.path.unlink(missing_ok=True)


def _store(incoming: IncomingFile) -> Document:
    store = get_object_store()
    uid = uuid.uuid4()
    key = f"{incoming.owner_id}/{uid}/{uuid.uuid4()}{incoming.ext}"
    content_type = content_type_for(incoming.ext)
    sha256 = incoming._sha.hexdigest()
    store.put_file(key, incoming.path, content_type)
    try:
        with db.session() as s:
            original = s.exec(
                select(Document.id)
                .where(Document.owner_id == incoming.owner_id, Document.sha256 == sha256)
                .where(col(Document.deleted_at).is_(None))
                .order_by(col(Document.id))
                .limit(1)
            ).first()
            document = Document(
                uid=uid,
                owner_id=incoming.owner_id,
                name=incoming.name,
                ext=incoming.ext,
                content_type=content_type,
                size=incoming.size,
                sha256=sha256,
                object_key=key,
                duplicate_of_id=original,
                parent_id=incoming.parent_id,
            )
            s.add(document)
            s.commit()
            s.refresh(document)
    except Exception:
        store.delete(key)  # no object without its row
        raise
    log.info("document stored id=%s size=%s duplicate=%s", document.id, document.size, bool(original))
    try:
        jobs.send("process_document", document.id)
    except Exception as exc:  # stored and pending: requeue_pending sends it again
        log.error("could not queue document id=%s: %s", document.id, type(exc).__name__)
    return document


def ingest_path(owner_id: int, path: Path, filename: str | None = None,
                parent_id: int | None = None) -> Document:
    """Store a file from disk through the same checks as a browser upload (`parent_id`: the
    e-mail it came attached to)."""
    incoming = IncomingFile(owner_id, filename or path.name)
    incoming.parent_id = parent_id
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(1024 * 1024):
                incoming.write(chunk)
    except BaseException:
        incoming.abort()
        raise
    return incoming.finish()


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
    log.warning("document failed id=%s reason=%s", document_id, code)


def process_document(document_id: int) -> None:
    """Extract text, render a thumbnail, index. Idempotent: a finished document is left alone."""
    with db.session() as s:
        document = s.get(Document, document_id)
        if document is None or document.status in FINAL:
            return
        if document.attempts >= MAX_ATTEMPTS:  # it crashed the worker before: stop trying
            document.status, document.error = DocumentStatus.FAILED, "error.processing"
            document.updated_at = document.processed_at = utcnow()
            s.add(document)
            s.commit()
            log.warning("document failed id=%s after %s attempts", document_id, MAX_ATTEMPTS)
            return
        document.status = DocumentStatus.PROCESSING
        document.attempts += 1
        document.updated_at = utcnow()
        s.add(document)
        s.commit()
    store = get_object_store()
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
            if extracted.attachments:
                _add_notices(document_id, attachments.ingest(document, extracted.attachments))
        log.info("document ready id=%s chars=%s ocr_pages=%s lang=%s notices=%s", document_id,
                 len(extracted.text), extracted.ocr_pages, extracted.language,
                 ",".join(str(n["code"]) for n in extracted.notices) or "-")
    except ExtractionError as exc:
        log.info("extraction refused id=%s: %s %s", document_id, exc.code, exc.detail[:200])
        _mark_failed(document_id, exc.code)
    except Exception:
        log.exception("processing error id=%s attempt=%s", document_id, document.attempts)
        if document.attempts >= MAX_ATTEMPTS:
            _mark_failed(document_id, "error.processing")
        else:
            raise  # Dramatiq retries with backoff; the row stays pending meanwhile
    else:
        _send_classification(document_id)


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


def requeue_stuck(older_than: timedelta = STUCK_AFTER) -> int:
    """Queue again what has sat unfinished longer than any processing takes (a worker that
    died with it, a queue that was lost); processing a document twice does no harm."""
    cutoff = utcnow() - older_than
    with db.session() as s:
        ids = s.exec(select(Document.id).where(
            col(Document.status).in_([str(p) for p in PENDING_STATUSES]),
            col(Document.updated_at) < cutoff)).all()
    for document_id in ids:
        jobs.send("process_document", document_id)
    if ids:
        log.warning("requeued %s documents stuck for more than %s", len(ids), older_than)
    return len(ids)


def requeue_pending() -> int:
    """Queue every document that is not finished, and the re-indexing of search vectors
    of an older format. The database says what is pending."""
    with db.session() as s:
        ids = s.exec(
            select(Document.id).where(col(Document.status).in_([str(p) for p in PENDING_STATUSES]))
        ).all()
        stale = bool(search.stale_documents(s, 1))
    for document_id in ids:
        jobs.send("process_document", document_id)
    if ids:
        log.info("requeued %s pending documents", len(ids))
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


# --- reading, scoped to the user -------------------------------------------------------------


@dataclass
class DocumentRow:
    uid: str
    name: str
    ext: str
    size: int
    status: str
    error: str
    created_at: str
    page_count: int
    has_thumbnail: bool
    duplicate: bool
    owner_id: int
    shared: bool = False
    doc_type: str = ""
    snippet: list[dict] | None = None

    @classmethod
    def of(cls, d: Document, type_names: dict[int, str] | None = None) -> DocumentRow:
        return cls(
            uid=str(d.uid),
            name=d.name,
            ext=d.ext.lstrip(".").upper(),
            size=d.size,
            status=d.status,
            error=d.error or "",
            created_at=d.created_at.strftime("%Y-%m-%d %H:%M"),
            page_count=d.page_count or 0,
            has_thumbnail=bool(d.thumbnail_key),
            duplicate=d.duplicate_of_id is not None,
            owner_id=d.owner_id,
            shared=d.shared_office_id is not None,
            doc_type=(type_names or {}).get(d.document_type_id or 0, ""),
        )


def type_names(session: Session, documents: Sequence[Document]) -> dict[int, str]:
    """Names of the types of these documents, in one query."""
    ids = {d.document_type_id for d in documents if d.document_type_id}
    if not ids:
        return {}
    return dict(session.exec(select(DocumentType.id, DocumentType.name)
                             .where(col(DocumentType.id).in_(ids))).all())


def list_documents(
    user: User,
    *,
    trashed: bool = False,
    sort: SortKey = "created_at",
    descending: bool = True,
    page: int = 1,
    page_size: int = 25,
) -> tuple[list[DocumentRow], int]:
    column = getattr(Document, sort if sort in SortKey.__args__ else "created_at")
    trash_filter = (
        col(Document.deleted_at).is_not(None) if trashed else col(Document.deleted_at).is_(None)
    )
    rights = changeable_by(user) if trashed else visible_to(user)  # a trash is one's own
    with db.session() as s:
        total = s.exec(
            select(func.count()).select_from(Document).where(rights, trash_filter)
        ).one()
        order = col(column).desc() if descending else col(column).asc()
        rows = s.exec(
            select(Document)
            .where(rights, trash_filter)
            .order_by(order, col(Document.id).desc())
            .offset(max(page - 1, 0) * page_size)
            .limit(page_size)
        ).all()
        types = type_names(s, rows)
    return [DocumentRow.of(d, types) for d in rows], total


def _parse_uid(uid: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(uid))
    except ValueError:
        return None


def get_document(user: User, uid: str, session: Session | None = None, *,
                 to_change: bool = False) -> Document | None:
    """The document if this user may see it (or change it, with `to_change`), else None:
    unknown and forbidden look the same."""
    parsed = _parse_uid(uid)
    if parsed is None:
        return None
    rights = changeable_by(user) if to_change else visible_to(user)
    with contextlib.ExitStack() as stack:
        s = session or stack.enter_context(db.session())
        return s.exec(select(Document).where(Document.uid == parsed, rights)).first()


@dataclass
class Related:
    """The e-mail a document came attached to, and the attachments of an e-mail, as far as
    this user may see them."""

    parent: dict[str, str] | None
    attachments: list[dict[str, str]]


def searchable_name(document: Document) -> str:
    """"Skannet kontrakt.png" -> "Skannet kontrakt (OCR).pdf"."""
    return f"{Path(document.name).stem} (OCR).pdf"


def related(user: User, document: Document) -> Related:
    with db.session() as s:
        parent = s.exec(select(Document).where(Document.id == document.parent_id,
                                               visible_to(user))).first() \
            if document.parent_id else None
        children = s.exec(select(Document)
                          .where(Document.parent_id == document.id, visible_to(user),
                                 col(Document.deleted_at).is_(None))
                          .order_by(col(Document.name))).all()
    return Related(
        parent={"uid": str(parent.uid), "name": parent.name} if parent else None,
        attachments=[{"uid": str(c.uid), "name": c.name} for c in children],
    )


def note_refused(user: User, uid: str, client: Client = Client()) -> None:
    """Audit a request for a document that exists but is not this user's to see (a probe
    for an unknown id is not worth an entry); the answer stays the same "not found"."""
    parsed = _parse_uid(uid)
    if parsed is None:
        return
    with db.session() as s:
        hidden = s.exec(select(Document.id).where(Document.uid == parsed)).first()
    if hidden is not None:
        log.warning("document access refused id=%s user=%s", hidden, user.id)
        audit.record("document.access_refused", actor_id=user.id, client=client,
                     document_id=hidden)


def document_text(document: Document) -> str:
    with db.session() as s:
        row = s.get(DocumentText, document.id)
        return row.text if row else ""


def pending_count(user: User) -> int:
    with db.session() as s:
        return s.exec(
            select(func.count())
            .select_from(Document)
            .where(visible_to(user), col(Document.status).in_([str(p) for p in PENDING_STATUSES]))
        ).one()


def _set_trashed(user: User, uid: str, trashed: bool) -> Document | None:
    with db.session() as s:
        document = get_document(user, uid, s, to_change=True)
        if document is None:
            return None
        document.deleted_at = utcnow() if trashed else None
        document.updated_at = utcnow()
        s.add(document)
        s.commit()
        log.info("document %s id=%s by user=%s", "trashed" if trashed else "restored",
                 document.id, user.id)
        return document


def trash_document(user: User, uid: str) -> Document | None:
    return _set_trashed(user, uid, True)


def restore_document(user: User, uid: str) -> Document | None:
    return _set_trashed(user, uid, False)


def delete_forever(user: User, uid: str) -> bool:
    """Remove a trashed document, its objects and its index entry."""
    store = get_object_store()
    with db.session() as s:
        document = get_document(user, uid, s, to_change=True)
        if document is None or document.deleted_at is None:
            return False
        keys = [k for k in (document.object_key, document.thumbnail_key,
                            document.searchable_key) if k]
        for dup in s.exec(select(Document).where(Document.duplicate_of_id == document.id)).all():
            dup.duplicate_of_id = None
            s.add(dup)
        search.remove_from_index(s, document.id)
        text_row = s.get(DocumentText, document.id)
        if text_row:
            s.delete(text_row)
            s.flush()  # the text row first: no ORM relationship orders these deletes
        s.delete(document)
        s.commit()
    for key in keys:
        store.delete(key)
    log.info("document deleted id=%s by user=%s", document.id, user.id)
    return True


@dataclass
class SearchResult:
    """A page of search results and what is known about all of them."""

    rows: list[DocumentRow]
    total: int
    type_counts: list[search.FacetCount] = field(default_factory=list)
    tag_counts: list[search.FacetCount] = field(default_factory=list)
    errors: list[QueryError] = field(default_factory=list)  # parts of the query left out
    unapplied: list[str] = field(default_factory=list)  # filter keys that could not be used
    approximate: bool = False  # total and counts are estimates (a very large result)


def find_documents(user: User, query: str, page: int = 1, page_size: int = 25,
                   sort: str = "relevance") -> SearchResult:
    """Search what this user may see: words, phrases, OR, exclusions and filters
    (services/query.py), with counts per type and tag over the whole result. `sort` is
    "relevance" or "date" (newest first)."""
    where, params = visible_sql(user)
    with db.session() as s:
        outcome = search.run_search(
            s, query, where, params, readers=reader_keys(user), viewer_id=user.id,
            limit=page_size, offset=max(page - 1, 0) * page_size, sort=sort,
        )
        documents = {}
        if outcome.hits:
            wanted = [h.document_id for h in outcome.hits]
            documents = {d.id: d for d in s.exec(select(Document).where(col(Document.id).in_(wanted))).all()}
    rows = []
    for hit in outcome.hits:
        if hit.document_id in documents:
            row = DocumentRow.of(documents[hit.document_id])
            row.snippet = search.snippet_parts(hit.snippet)
            rows.append(row)
    return SearchResult(rows, outcome.total, outcome.type_counts, outcome.tag_counts,
                        outcome.errors, outcome.unapplied, outcome.approximate)


def search_documents(user: User, query: str, page: int = 1, page_size: int = 25,
                     sort: str = "relevance") -> tuple[list[DocumentRow], int]:
    """find_documents for callers that want only the rows and the total."""
    result = find_documents(user, query, page, page_size, sort)
    return result.rows, result.total


def clean_temp_files(max_age_seconds: int = 3600) -> int:
    """Remove spool files left by uploads that never finished (a crash mid-upload)."""
    import time

    cutoff = time.time() - max_age_seconds
    removed = 0
    for path in temp_dir().glob("*"):
        with contextlib.suppress(FileNotFoundError):
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
    if removed:
        log.info("removed %s abandoned upload files", removed)
    return removed
