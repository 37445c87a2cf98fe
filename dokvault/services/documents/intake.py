"""Taking a file in: streamed to a spool file while hashed and measured (never held
whole), checked, stored under `{user_id}/{document_id}/{uuid4}{ext}` with its row, and
queued for processing. Duplicates are flagged by checksum."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import tempfile
import uuid
from pathlib import Path

from sqlmodel import col, select

from dokvault import db
from dokvault.core import jobs
from dokvault.core.filenames import UploadRefused, clean_filename
from dokvault.extract.formats import content_type_for, extension_of, is_supported, signature_matches
from dokvault.models import Document
from dokvault.settings import get_settings
from dokvault.storage.objects import get_object_store

log = logging.getLogger(__name__)


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
