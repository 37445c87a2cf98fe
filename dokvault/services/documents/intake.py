"""Taking a file in: streamed to a spool file while hashed and measured (never held
whole), checked, stored under `{user_id}/{document_id}/{uuid4}{ext}` with its row, and
queued for processing. Duplicates are flagged by checksum.

Every file DokVault keeps enters here, whatever brought it (the browser, `dokvault
import`, a mail's attachments, drives, the web): the quotas are checked here (before the
object is stored, and again where the row is inserted, see quotas.py) and each stored
document is audited (`document.uploaded`, with `via` saying what brought it)."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import queue
import shutil
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from sqlmodel import Session, col, func, select

from dokvault import db
from dokvault.core import audit, jobs, metrics
from dokvault.core.audit import Client
from dokvault.core.filenames import UploadRefused, clean_filename
from dokvault.extract.formats import (
    HEAD_BYTES,
    content_type_for,
    extension_of,
    is_supported,
    signature_matches,
)
from dokvault.models import Document, User
from dokvault.services.documents import quotas
from dokvault.settings import get_settings
from dokvault.storage.objects import get_object_store

log = logging.getLogger(__name__)
CHUNK = 1024 * 1024
PIPE_AFTER = 8 * CHUNK  # a file past this many bytes is spooled to disk in a thread of its own


def temp_dir() -> Path:
    path = get_settings().data_dir / "tmp"
    path.mkdir(parents=True, exist_ok=True)
    return path


class IncomingFile:
    """One upload being received: spooled to disk while hashed and measured, never held whole.

    `spooled`: a file already written in the spool folder (an e-mail's attachment), taken
    as it is: read once to be measured and hashed, then moved into the object store
    rather than copied again.

    `via` says what brought the file (the audit entry's): "upload", "import",
    "attachment", or an importer's own word; `client` who sent it, when known."""

    def __init__(self, owner_id: int, filename: str, spooled: Path | None = None, *,
                 via: str = "upload", client: Client = Client(), rows: RowWriter | None = None):
        self.owner_id = owner_id
        self.rows = rows  # the import's shared writer of rows, or None: a commit of its own
        self.via = via
        self.client = client
        self.name = clean_filename(filename)
        self.ext = extension_of(self.name)
        if not is_supported(self.name):
            raise UploadRefused("error.unsupported_type", self.name)
        self.max_bytes = get_settings().max_upload_bytes
        self.parent_id: int | None = None
        # Called with the session and the new row before its commit: what an importer records
        # about it (which remote file it was) is committed with it, or not at all.
        self.on_stored: Callable[[Session, Document], None] | None = None
        self.started = time.monotonic()  # the upload stage, for the analytics
        self.size = 0
        self._head = b""
        self._sha = hashlib.sha256()
        self._pipe: _Pipe | None = None
        if spooled is None:
            self._fh: IO[bytes] | None = tempfile.NamedTemporaryFile(  # noqa: SIM115
                dir=temp_dir(), prefix="up-", delete=False)
            self.path = Path(self._fh.name)
        else:
            self._fh, self.path = None, spooled

    def write(self, data: bytes) -> None:
        self._count(data)
        if self._pipe is None and self.size > PIPE_AFTER:
            self._pipe = _Pipe(self._spool)  # a large file: written to disk beside its download
        self._sha.update(data)  # meanwhile the pipe's thread writes the chunk before
        if self._pipe is not None:
            self._pipe.put(data)
        else:
            self._spool(data)

    def _spool(self, data: bytes) -> None:
        assert self._fh is not None
        self._fh.write(data)

    def _count(self, data: bytes) -> None:
        self.size += len(data)
        if self.size > self.max_bytes:
            self.abort()
            raise UploadRefused("error.too_large", self.name)
        if len(self._head) < HEAD_BYTES:
            self._head += data[:HEAD_BYTES - len(self._head)]

    def _measure(self, data: bytes) -> None:
        self._count(data)
        self._sha.update(data)

    def _drain(self) -> None:
        """What the pipe holds hashed and written (its error raised here)."""
        pipe, self._pipe = self._pipe, None
        if pipe is not None:
            pipe.close()

    def read_spooled(self) -> None:
        """Measure and hash the spooled file; one too large is refused before it is read."""
        if self.path.stat().st_size > self.max_bytes:
            self.abort()
            raise UploadRefused("error.too_large", self.name)
        with self.path.open("rb") as fh:
            while chunk := fh.read(CHUNK):
                self._measure(chunk)

    def abort(self) -> None:
        with contextlib.suppress(Exception):
            self._drain()
        if self._fh is not None:
            self._fh.close()
        self.path.unlink(missing_ok=True)

    def finish(self) -> Document:
        try:
            self._drain()
        except BaseException:
            self.abort()
            raise
        if self._fh is not None:
            self._fh.close()
        try:
            if self.size == 0:
                raise UploadRefused("error.empty_file", self.name)
            if not signature_matches(self.ext, self._head):
                raise UploadRefused("error.type_mismatch", self.name)
            return _store(self)
        finally:
            self.path.unlink(missing_ok=True)  # moved into the store already, or refused


class _Pipe:
    """`sink` called with each chunk in a thread of its own, in order, at most DEPTH chunks
    behind: a large download's spool write runs beside its reading from the network and its
    SHA-256 (all three let go of the GIL) instead of after each chunk. An error of `sink` is
    raised by the next `put` or by `close`; memory stays bounded (DEPTH chunks)."""

    DEPTH = 4

    def __init__(self, sink: Callable[[bytes], None]):
        self._sink = sink
        self._queue: queue.Queue[bytes | None] = queue.Queue(self.DEPTH)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="intake-pipe", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (data := self._queue.get()) is not None:
            if self._error is None:
                try:
                    self._sink(data)
                except BaseException as exc:  # raised in the caller's thread
                    self._error = exc

    def put(self, data: bytes) -> None:
        if self._error is not None:
            self.close()
        self._queue.put(data)

    def close(self) -> None:
        self._queue.put(None)
        self._thread.join()
        if self._error is not None:
            raise self._error


def _store(incoming: IncomingFile) -> Document:
    """The object first, under its final key, then its row: a row never points at nothing,
    and an object is deleted only when no row has it for sure."""
    sha256 = incoming._sha.hexdigest()
    if incoming.parent_id is not None and (known := _known_attachment(incoming, sha256)):
        return known  # the mail read again (a message delivered twice): no second child
    quotas.check(incoming.owner_id, incoming.size, name=incoming.name)  # before it is sent
    store = get_object_store()
    uid = uuid.uuid4()
    key = f"{incoming.owner_id}/{uid}/{uuid.uuid4()}{incoming.ext}"
    try:
        store.put_file(key, incoming.path, content_type_for(incoming.ext))
    except Exception as exc:
        try:  # a partial object: no row can have it yet
            store.delete(key)
        except Exception:
            raise UnsettledObject(key) from exc  # the store is away: delete it when back
        raise
    try:
        if incoming.rows is not None:
            document, original = incoming.rows.insert(incoming, uid, key, sha256)
        else:
            document, original = _insert_row(incoming, uid, key, sha256)
    except Exception as exc:
        if not _drop_if_unclaimed(key):
            raise UnsettledObject(key) from exc
        raise
    log.info("document stored id=%s size=%s duplicate=%s", document.id, document.size, bool(original))
    queue_document(document.id)
    return document


_queue_down = False  # said once per outage of the broker, not once per document


def queue_document(document_id: int) -> None:
    """Send the stored document to be read; with the broker away it stays `uploaded`,
    and the sweep (requeue_stuck) sends it again."""
    global _queue_down
    try:
        jobs.send("process_document", document_id)
    except Exception as exc:
        if not _queue_down:
            log.error("could not queue documents from id=%s (%s): they stay uploaded for the sweep",
                      document_id, type(exc).__name__)
        _queue_down = True
        return
    if _queue_down:
        log.warning("queueing documents again from id=%s", document_id)
        _queue_down = False


def file_sha256(path: Path) -> str:
    """The checksum a stored copy of the file at `path` has, read in chunks."""
    sha = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            sha.update(chunk)
    return sha.hexdigest()


def already_stored(owner_id: int, sha256: str) -> bool:
    """The owner has this file already (not in the trash): an import run again skips it."""
    with db.session() as s:
        return s.exec(select(Document.id).where(
            Document.owner_id == owner_id, Document.sha256 == sha256,
            col(Document.deleted_at).is_(None)).limit(1)).first() is not None


def _known_attachment(incoming: IncomingFile, sha256: str) -> Document | None:
    with db.session() as s:
        return s.exec(select(Document).where(
            Document.parent_id == incoming.parent_id, Document.sha256 == sha256,
            Document.name == incoming.name)).first()


def _insert_row(incoming: IncomingFile, uid: uuid.UUID, key: str, sha256: str,
                ) -> tuple[Document, int | None]:
    """The row of a stored object, flagged when its owner has the file already, with its
    audit entry, its upload time and what the importer records (`on_stored`), in one commit.
    Nothing is read back after the commit (the session keeps what it wrote)."""
    original_of = (select(Document.id)
                   .where(Document.owner_id == incoming.owner_id, Document.sha256 == sha256)
                   .where(col(Document.deleted_at).is_(None))
                   .order_by(col(Document.id))
                   .limit(1)
                   .scalar_subquery())
    with db.session() as s:
        # The owner's office and the first live copy of the file, in one query.
        office_id, original = s.exec(
            select(User.office_id, original_of).where(User.id == incoming.owner_id)).first() or (None, None)
        document = _new_document(incoming, uid, key, sha256, office_id, original)
        with quotas.held(s, incoming.owner_id, office_id, incoming.size, incoming.name):
            s.add(document)
            s.flush()  # its id, for what is written with it
            _write_with(s, incoming, document)
            s.commit()
    return document, original


def _new_document(incoming: IncomingFile, uid: uuid.UUID, key: str, sha256: str,
                  office_id: int | None, original: int | None) -> Document:
    return Document(uid=uid, owner_id=incoming.owner_id, office_id=office_id, name=incoming.name,
                    ext=incoming.ext, content_type=content_type_for(incoming.ext),
                    size=incoming.size, sha256=sha256, object_key=key,
                    duplicate_of_id=original, parent_id=incoming.parent_id)


def _write_with(s: Session, incoming: IncomingFile, document: Document) -> None:
    """What is written in the transaction of a new document's row (its id known)."""
    if incoming.on_stored is not None:
        incoming.on_stored(s, document)
    if incoming.parent_id is None:  # an attachment is part of its mail's reading, not an upload
        metrics.record_stage("upload", document.id, time.monotonic() - incoming.started, session=s)
    audit.record("document.uploaded", actor_id=incoming.owner_id, client=incoming.client,
                 session=s, commit=False, document_id=document.id, size=incoming.size,
                 via=incoming.via, duplicate=document.duplicate_of_id is not None,
                 parent_id=incoming.parent_id)


class RowWriter:
    """The rows of one import's files, stored by several threads at once, written a few in
    one transaction (a group commit): a thread whose object is stored queues its row and
    takes the pen; whoever holds it writes every row queued by then, so threads that
    finished while another wrote are written together. A small file then costs a fraction of
    a commit. Each file keeps its own outcome: a group that fails as a whole (a quota it
    would pass together, an error) is written again row by row."""

    def __init__(self):
        self._queued: list[_QueuedRow] = []
        self._queue_lock = threading.Lock()
        self._pen = threading.Lock()

    def insert(self, incoming: IncomingFile, uid: uuid.UUID, key: str, sha256: str,
               ) -> tuple[Document, int | None]:
        row = _QueuedRow(incoming, uid, key, sha256)
        with self._queue_lock:
            self._queued.append(row)
        with self._pen:
            if not row.written:
                with self._queue_lock:
                    group, self._queued = self._queued, []
                _write_group(group)
        if row.error is not None:
            raise row.error
        assert row.result is not None
        return row.result


@dataclass(eq=False)
class _QueuedRow:
    """A stored file's row waiting for the pen, then its outcome."""

    incoming: IncomingFile
    uid: uuid.UUID
    key: str
    sha256: str
    result: tuple[Document, int | None] | None = None
    error: BaseException | None = None
    written: bool = False


def _write_group(group: list[_QueuedRow]) -> None:
    """Every row of the group written, each with its result or its error."""
    if len(group) > 1 and len({r.incoming.owner_id for r in group}) == 1 \
            and len({r.sha256 for r in group}) == len(group):  # the same file twice: one by one
        try:
            for row, result in zip(group, _insert_rows(group), strict=True):
                row.result, row.written = result, True
            return
        except _CommitFailed as failed:  # it may have gone through: not written twice
            for row in group:
                row.error, row.written = failed.__cause__, True
            return
        except Exception as exc:
            log.info("%s rows written one by one after %s", len(group), type(exc).__name__)
    for row in group:
        try:
            row.result = _insert_row(row.incoming, row.uid, row.key, row.sha256)
        except Exception as exc:
            row.error = exc
        row.written = True


class _GroupRefused(Exception):
    """The group would pass a quota together: its files are tried one by one."""


class _CommitFailed(Exception):
    """The group's commit raised (its cause): each file gets that error, as alone."""


def _insert_rows(group: list[_QueuedRow]) -> list[tuple[Document, int | None]]:
    """`_insert_row` for files of one owner with different checksums, in one transaction:
    one query for the office and the first live copies, one for the quotas, one flush."""
    owner_id = group[0].incoming.owner_id
    with db.session() as s:
        office_id = s.exec(select(User.office_id).where(User.id == owner_id)).first()
        originals = dict(s.exec(
            select(Document.sha256, func.min(Document.id))
            .where(Document.owner_id == owner_id, col(Document.sha256).in_([r.sha256 for r in group]),
                   col(Document.deleted_at).is_(None))
            .group_by(Document.sha256)).all())
        documents = [_new_document(r.incoming, r.uid, r.key, r.sha256, office_id, originals.get(r.sha256))
                     for r in group]
        size = sum(r.incoming.size for r in group)
        with quotas.holding(s, owner_id, office_id, size, len(group)) as over:
            if over is not None:
                s.rollback()
                raise _GroupRefused()
            s.add_all(documents)
            s.flush()  # their ids, for what is written with them
            for row, document in zip(group, documents, strict=True):
                _write_with(s, row.incoming, document)
            try:
                s.commit()
            except Exception as exc:
                raise _CommitFailed() from exc
    return [(d, originals.get(d.sha256)) for d in documents]


class UnsettledObject(Exception):
    """The object `key` may be stored while whether a row has it is unknown (a service
    went away mid-way): settle_object(key) once it is back. Raised from the outage, so
    core.outages sees the outage through it; left unsettled, the sanity check finds it."""

    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


def settle_object(key: str) -> int | None:
    """The id of the row that has the object `key`, or None after deleting the object no
    row has (the commit did not go through). Raises while a service is still away."""
    with db.session() as s:
        claimed = s.exec(select(Document.id).where(Document.object_key == key)).first()
    if claimed is None:
        get_object_store().delete(key)
    return claimed


def _drop_if_unclaimed(key: str) -> bool:
    """After a failed insert, delete the object only if no row has it: the commit may have
    gone through before the error. False when that could not be known or done."""
    try:
        claimed = settle_object(key)
    except Exception as exc:
        log.warning("stored object kept, its row unknown (%s): to be settled when back",
                    type(exc).__name__)
        return False
    if claimed is not None:
        log.warning("document id=%s committed before the error: its object is kept", claimed)
    return True


def ingest_path(owner_id: int, path: Path, filename: str | None = None) -> Document:
    """Store a file from disk (someone else's: it is copied, never moved) through the same
    checks as a browser upload."""
    with path.open("rb") as fh:
        return ingest_stream(owner_id, filename or path.name, iter(lambda: fh.read(CHUNK), b""))


def ingest_stream(owner_id: int, filename: str, chunks: Iterable[bytes],
                  progress: Callable[[int], None] | None = None, via: str = "import",
                  on_stored: Callable[[Session, Document], None] | None = None,
                  rows: RowWriter | None = None) -> Document:
    """Store a file arriving in chunks (a cloud drive's download, a web page) through the
    same checks as a browser upload; `progress` hears the bytes received so far. A refusal
    (type, size) comes before the first byte is spooled where the name tells it.
    `on_stored(session, document)` writes what the importer keeps about the file in the
    document's own transaction, so a crash cannot leave one without the other. `rows`: the
    writer shared by the threads of one import (see RowWriter)."""
    incoming = IncomingFile(owner_id, filename, via=via, rows=rows)
    incoming.on_stored = on_stored
    try:
        for chunk in chunks:
            incoming.write(chunk)
            if progress is not None:
                progress(incoming.size)
    except BaseException:
        incoming.abort()
        raise
    return incoming.finish()


def ingest_spooled(owner_id: int, path: Path, filename: str, parent_id: int | None = None,
                   ) -> Document:
    """Store a file written into the spool folder (temp_dir) by DokVault itself, such as
    an e-mail's attachment, through the checks of an upload: the file is taken, not
    copied (`parent_id`: the e-mail it came attached to)."""
    if not path.resolve().is_relative_to(temp_dir()):
        raise ValueError(f"{path} is not in the spool folder")  # never move a file of someone else's
    incoming = IncomingFile(owner_id, filename, spooled=path,
                            via="attachment" if parent_id is not None else "import")
    incoming.parent_id = parent_id
    incoming.read_spooled()
    return incoming.finish()


def clean_temp_files(max_age_seconds: int = 3600) -> int:
    """Remove spool files and folders left by uploads and readings that never finished
    (a crash mid-upload, a worker killed while reading a mail)."""
    cutoff = time.time() - max_age_seconds
    removed = 0
    for path in temp_dir().glob("*"):
        with contextlib.suppress(FileNotFoundError):
            if path.stat().st_mtime >= cutoff:
                continue
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink()
            removed += 1
    if removed:
        log.info("removed %s abandoned upload files", removed)
    return removed
