"""Imports from a drive and exports to one, file by file, in a worker (`run_drive_transfer`
on the `integrations` queue). The database says what is pending: each file is a
DriveTransferItem, so a worker that dies is replaced by the sweep and starts where it stopped,
and a file that fails (the drive went away, a name the intake refuses) is listed with its
reason while the rest go on. Every import enters through the documents' intake, like an
upload (size limit, duplicates, quotas), then the normal pipeline reads it."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from sqlalchemy import bindparam, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import col, select

from dokvault import db
from dokvault.core import jobs, net
from dokvault.core.filenames import UploadRefused
from dokvault.drives.types import CloudDrive, DriveError, Entry, numbered
from dokvault.models import Document, DriveConnection, DriveImportedVersion, DriveTransfer, DriveTransferItem
from dokvault.models.base import utcnow
from dokvault.models.drives import ItemStatus, TransferStatus
from dokvault.services.documents import RowWriter, ingest_stream
from dokvault.services.drives import connections, rows
from dokvault.services.drives.walk import walk_files
from dokvault.storage.objects import get_object_store

log = logging.getLogger(__name__)

RUN_BUDGET = 10 * 60.0      # a worker moves files this long, then queues the rest again
STALE = timedelta(minutes=2)  # a running transfer whose heartbeat is older has lost its worker
TICK = 1.0                  # progress written at most this often
BEAT = 5.0                  # the heartbeat written with files' ends at most this often
RATE_LIMIT_TRIES = 3
MAX_NAME_TRIES = 50
THREADS = 4                  # files of one transfer moved at once, at most (the drive's parallel_*)


class Cancelled(Exception):
    pass


def remote_key(remote_id: str) -> str:
    return hashlib.sha256(remote_id.encode()).hexdigest()


# --- starting ------------------------------------------------------------------------------


def create_transfer(owner_id: int, connection_id: int, direction: str, items: list[DriveTransferItem],
                    *, folder_id: str = "", folder_name: str = "", sync_id: int | None = None,
                    ) -> DriveTransfer:
    with db.session() as s:
        transfer = DriveTransfer(owner_id=owner_id, connection_id=connection_id, direction=direction,
                                 folder_id=folder_id, folder_name=folder_name[:500], sync_id=sync_id)
        s.add(transfer)
        s.flush()
        for item in items:
            item.transfer_id = transfer.id
            s.add(item)
        s.commit()
        s.refresh(transfer)
    jobs.send("run_drive_transfer", transfer.id)
    return transfer


def import_item(entry: Entry) -> DriveTransferItem:
    return DriveTransferItem(remote_id=entry.id, name=entry.name[:255], size=entry.size,
                             version=entry.version[:200])


# --- running (the worker) -------------------------------------------------------------------


def run_transfer(transfer_id: int) -> None:
    """Move the transfer's pending files; idempotent (done files stay done), and a second
    worker on the same transfer finds it taken and leaves it."""
    if not rows.claim(DriveTransfer, transfer_id, STALE):
        log.info("transfer id=%s is done or being moved by another worker", transfer_id)
        return
    with db.session() as s:
        transfer = s.get(DriveTransfer, transfer_id)
        connection = s.get(DriveConnection, transfer.connection_id) if transfer else None
    if transfer is None or connection is None:
        return
    try:
        drive = connections.open_drive(connection)
    except (DriveError, net.OutboundRefused) as exc:
        connections.note_outcome(connection.id, exc)
        _finish(transfer_id, error=exc.code, fail_pending=True)
        return
    try:
        finished = _move_files(transfer, connection, drive)
    finally:
        drive.close()
    if finished:
        _finish(transfer_id)
    else:  # the rest, after what waits in the queue (given back first, so the next run may claim it)
        rows.release(DriveTransfer, transfer_id)
        jobs.send("run_drive_transfer", transfer_id)


def _move_files(transfer: DriveTransfer, connection: DriveConnection, drive: CloudDrive) -> bool:
    """True when no file is left pending; False when the time budget ran out first."""
    run = _Run()
    if transfer.direction == "import" and transfer.folder_id and not _has_items(transfer.id):
        try:
            _expand_folder(transfer, drive)
        except (DriveError, net.OutboundRefused) as exc:
            connections.note_outcome(connection.id, exc)
            _finish(transfer.id, error=exc.code)
            return True
    # One query each for what was imported before and the names in the target folder; the
    # files are taken a batch at a time: a small file costs one commit (its row with its end).
    importing = transfer.direction == "import"
    known = known_versions(transfer.owner_id, connection.id) if importing else {}
    taken: _Names | None = None
    # A few files at once where the drive takes it (`parallel_reads`, `parallel_writes`): one
    # file's round trip overlaps another's hashing and rows. Elsewhere one at a time.
    at_once = getattr(drive, "parallel_reads" if importing else "parallel_writes", 1)
    threads = max(1, min(THREADS, int(at_once)))
    with ThreadPoolExecutor(threads, thread_name_prefix=f"transfer-{transfer.id}") if threads > 1 \
            else contextlib.nullcontext() as pool:
        while batch := _waiting_items(transfer.id):
            if _status(transfer.id) == TransferStatus.CANCELLED:
                _skip_pending(transfer.id)
                return True
            if importing:
                batch = _first_of_each_version(batch)  # a file listed twice: its second after its first
                move = functools.partial(_move_one, run, transfer, connection, drive, known=known)
            else:
                if taken is None:
                    taken = _Names(_names_in(drive, transfer.folder_id))
                move = functools.partial(_move_one, run, transfer, connection, drive, taken=taken,
                                         sources=_documents(batch))
            for _ in (pool.map(move, batch) if pool is not None else map(move, batch)):
                pass  # each file's outcome is in its row; an unexpected error is raised here
            if run.cancelled:
                _skip_pending(transfer.id)
                return True
            if run.reconnect is not None:
                _fail_pending(transfer.id, run.reconnect.code)  # nothing else will get through either
                connections.note_outcome(connection.id, run.reconnect)
                return True
            if run.out_of_time:
                return False
            _remember_learnt(connection, drive)
    connections.note_outcome(connection.id, run.last_error)
    return True


class _Run:
    """What the files of one run share (a few of them moved at once): when it
    started, the drive's last error, and why the files not started yet stay pending."""

    def __init__(self):
        self.started = time.monotonic()
        self.last_error: Exception | None = None
        self.cancelled = False
        self.reconnect: DriveError | None = None
        self.out_of_time = False
        self.writer = RowWriter()  # the imported files' rows, a few in one commit

    @property
    def stopped(self) -> bool:
        return self.cancelled or self.reconnect is not None or self.out_of_time


def _first_of_each_version(batch: list[DriveTransferItem]) -> list[DriveTransferItem]:
    """The batch without a second item of a version already in it: left pending, it comes in
    the next batch, after its first is done (and is then skipped as imported), as one by one."""
    seen: set[tuple[str, str]] = set()
    first = []
    for item in batch:
        key = (item.remote_id, item.version)
        if item.version and key in seen:
            continue
        seen.add(key)
        first.append(item)
    return first


def _move_one(run: _Run, transfer: DriveTransfer, connection: DriveConnection, drive: CloudDrive,
              item: DriveTransferItem, *, known: dict | None = None, taken: _Names | None = None,
              sources: dict[int, Document] | None = None) -> None:
    """One file moved and its outcome written to its row (a file that fails is listed with its
    reason; the rest go on). Nothing is started once the run stops or its budget is spent."""
    if run.stopped:
        return
    if time.monotonic() - run.started > RUN_BUDGET:
        run.out_of_time = True
        return
    try:
        if transfer.direction == "import":
            _import_one(transfer, connection, drive, item, known if known is not None else {}, run.writer)
        else:
            _export_one(transfer, drive, item, taken if taken is not None else _Names({}), sources or {})
        run.last_error = None
    except Cancelled:
        run.cancelled = True
        _end_item(transfer.id, item, ItemStatus.SKIPPED, error_code="error.drive_cancelled")
    except (DriveError, net.OutboundRefused, UploadRefused) as exc:
        code = getattr(exc, "code", "error.drive_failed")
        log.info("transfer id=%s file id=%s failed: %s", transfer.id, item.id, code)
        _end_item(transfer.id, item, ItemStatus.FAILED, error_code=code)
        run.last_error = exc if not isinstance(exc, UploadRefused) else None
        if isinstance(exc, DriveError) and exc.reconnect:
            run.reconnect = exc
    except Exception:
        log.exception("transfer id=%s file id=%s failed", transfer.id, item.id)
        _end_item(transfer.id, item, ItemStatus.FAILED, error_code="error.drive_failed")


def _import_one(transfer: DriveTransfer, connection: DriveConnection, drive: CloudDrive,
                item: DriveTransferItem, known: dict[tuple[str, str], int], writer: RowWriter) -> None:
    key = (remote_key(item.remote_id), item.version)
    if item.version and key in known:
        _end_item(transfer.id, item, ItemStatus.SKIPPED, document_id=known[key],
                  error_code="error.drive_already_imported")
        return
    def stored(s, document: Document) -> None:
        # Committed with the document: a worker that dies after it never imports the file again.
        _write_end(s, transfer.id, item, ItemStatus.DONE, document_id=document.id, bytes_done=document.size,
                   version_of=(transfer.owner_id, connection.id))

    # The intake's checks (type, size, duplicates, quotas) from the first byte, as an upload.
    document = ingest_stream(transfer.owner_id, item.name,
                             _with_rate_limit(lambda: drive.read(item.remote_id)),
                             progress=_ticker(transfer.id, item.id), on_stored=stored, rows=writer)
    if item.version:
        known[key] = document.id


class _Names:
    """The target folder's names (casefolded) and sizes, shared by the files of an export
    moved at once: a name is claimed (size -1 until written) by one file only."""

    def __init__(self, sizes: dict[str, int]):
        self._sizes = sizes
        self._lock = threading.Lock()

    def size_of(self, name: str) -> int | None:
        return self._sizes.get(name.casefold())

    def claim(self, name: str) -> bool:
        with self._lock:
            if name.casefold() in self._sizes:
                return False
            self._sizes[name.casefold()] = -1
            return True

    def written(self, name: str, size: int) -> None:
        self._sizes[name.casefold()] = size


def _export_one(transfer: DriveTransfer, drive: CloudDrive, item: DriveTransferItem,
                taken: _Names, documents: dict[int, Document]) -> None:
    document = documents.get(item.document_id or 0)
    if document is None or document.deleted_at is not None:
        raise DriveError("error.drive_document_gone")
    if item.target_name and taken.size_of(item.target_name) == document.size:
        # Written by a worker that died before it said so: the file is there, not sent twice.
        _end_item(transfer.id, item, ItemStatus.DONE, target_name=item.target_name, bytes_done=document.size)
        return
    base = drive.legal_name(document.name)
    tick = _ticker(transfer.id, item.id)
    for n in range(1, MAX_NAME_TRIES + 1):
        name = base if n == 1 else drive.legal_name(numbered(base, n))
        if not taken.claim(name):
            continue
        _mark_writing(item, name)
        try:
            with get_object_store().open(document.object_key) as fh:
                entry = drive.write(transfer.folder_id, name, fh, document.size, progress=tick)
        except DriveError as exc:
            if exc.code != "error.drive_name_taken":
                raise
            continue  # appeared since the listing (claimed, unknown size): the next number
        taken.written(name, document.size)
        _end_item(transfer.id, item, ItemStatus.DONE, remote_id=entry.id, target_name=name,
                  bytes_done=document.size)
        return
    raise DriveError("error.drive_name_taken", base)


def _with_rate_limit(read: Callable):
    """The stream, started again after a rate limit (before its first byte only)."""
    for attempt in range(RATE_LIMIT_TRIES):
        stream = read()
        try:
            first = next(stream, None)
        except DriveError as exc:
            if not (exc.code == "error.drive_rate_limited" and attempt < RATE_LIMIT_TRIES - 1):
                raise
            time.sleep(2 ** attempt)
            continue
        if first is not None:
            yield first
        yield from stream
        return


def _ticker(transfer_id: int, item_id: int) -> Callable[[int], None]:
    """Progress and heartbeat, written at most once a TICK; raises Cancelled when the person
    cancelled the transfer meanwhile."""
    last = [time.monotonic()]  # a file done within a TICK writes nothing until its end

    def tick(done: int) -> None:
        now = time.monotonic()
        if now - last[0] < TICK:
            return
        last[0] = now
        with db.session() as s:
            item = s.get(DriveTransferItem, item_id)
            transfer = s.get(DriveTransfer, transfer_id)
            if transfer is not None and transfer.status == TransferStatus.CANCELLED:
                raise Cancelled()
            if item is not None:
                item.status, item.bytes_done, item.updated_at = ItemStatus.RUNNING, done, utcnow()
                s.add(item)
            if transfer is not None:
                transfer.heartbeat_at = utcnow()
                s.add(transfer)
            s.commit()
    return tick


def _expand_folder(transfer: DriveTransfer, drive: CloudDrive) -> None:
    items = [import_item(e) for e in walk_files(drive, transfer.folder_id)]
    with db.session() as s:
        for item in items:
            item.transfer_id = transfer.id
            s.add(item)
        s.commit()
    log.info("transfer id=%s: %s files in the folder", transfer.id, len(items))


def _names_in(drive: CloudDrive, folder_id: str) -> dict[str, int]:
    """The names taken in the folder (case-folded) and their sizes (-1: a folder)."""
    names: dict[str, int] = {}
    token = None
    while True:
        page = drive.list(folder_id, token)
        names.update((e.name.casefold(), -1 if e.is_folder else e.size) for e in page.entries)
        if not (token := page.next_token):
            return names


def _remember_learnt(connection: DriveConnection, drive: CloudDrive) -> None:
    if getattr(drive, "root_only", False) and not (connection.options or {}).get("root_only"):
        connections.remember_options(connection.id, {"root_only": True})
        connection.options = {**(connection.options or {}), "root_only": True}


# --- versions already imported ------------------------------------------------------------


def known_versions(owner_id: int, connection_id: int) -> dict[tuple[str, str], int]:
    """(remote key, version) -> document of every version imported from this connection that
    is still a live document."""
    with db.session() as s:
        rows = s.exec(
            select(DriveImportedVersion.remote_key, DriveImportedVersion.version, Document.id)
            .join(Document, col(DriveImportedVersion.document_id) == col(Document.id))
            .where(DriveImportedVersion.owner_id == owner_id,
                   DriveImportedVersion.connection_id == connection_id,
                   col(Document.deleted_at).is_(None))).all()
    return {(k, v): d for k, v, d in rows}


def _has_items(transfer_id: int) -> bool:
    with db.session() as s:
        return s.exec(select(DriveTransferItem.id).where(
            DriveTransferItem.transfer_id == transfer_id).limit(1)).first() is not None


def _waiting_items(transfer_id: int, limit: int = 50) -> list[DriveTransferItem]:
    """The next files to move (one left `running` by a dead worker is started again)."""
    with db.session() as s:
        return list(s.exec(select(DriveTransferItem).where(
            DriveTransferItem.transfer_id == transfer_id,
            col(DriveTransferItem.status).in_((ItemStatus.PENDING, ItemStatus.RUNNING)))
            .order_by(col(DriveTransferItem.id)).limit(limit)).all())


def _end_item(transfer_id: int, item: DriveTransferItem, status: str, *,
              version_of: tuple[int, int] | None = None, error_code: str | None = None, **values) -> None:
    """A file's outcome, the transfer's heartbeat and (`version_of`: owner, connection) the
    version it imported, in one commit of plain UPDATEs (a small file costs little)."""
    with db.session() as s:
        _write_end(s, transfer_id, item, status, version_of=version_of, error_code=error_code, **values)
        s.commit()


def _write_end(s, transfer_id: int, item: DriveTransferItem, status: str, *,
               version_of: tuple[int, int] | None = None, error_code: str | None = None, **values) -> None:
    now = utcnow()
    # Core statements built once (per set of columns), run on the session's connection: the
    # ORM's bulk-UPDATE path cost more than the statement itself for a small file.
    connection = s.connection()
    connection.execute(_item_end(frozenset(values)), {
        "item_id": item.id, "v_status": status, "v_error_code": error_code, "v_updated_at": now,
        **{f"v_{k}": v for k, v in values.items()}})
    if _beat_due(transfer_id):
        connection.execute(_BEAT, {"transfer_id": transfer_id, "v_heartbeat_at": now})
    if version_of is not None and item.version:
        _record_version(s, *version_of, item, values.get("document_id"))


_ITEMS = DriveTransferItem.__table__
_BEAT = update(DriveTransfer.__table__).where(
    DriveTransfer.__table__.c.id == bindparam("transfer_id")).values(heartbeat_at=bindparam("v_heartbeat_at"))


@functools.cache
def _item_end(columns: frozenset[str]):
    """UPDATE drive_transfer_item SET status, error_code, attempts + 1, updated_at and
    `columns` (each bound as v_<column>) WHERE id = :item_id."""
    return update(_ITEMS).where(_ITEMS.c.id == bindparam("item_id")).values(
        attempts=_ITEMS.c.attempts + 1,
        **{name: bindparam(f"v_{name}") for name in ("status", "error_code", "updated_at", *sorted(columns))})


_beats: dict[int, float] = {}


def _beat_due(transfer_id: int) -> bool:
    """The transfer's heartbeat is written with a file's end at most once a BEAT (a small
    file's end is then one UPDATE); STALE is far longer."""
    now = time.monotonic()
    if now - _beats.get(transfer_id, -BEAT) < BEAT:
        return False
    if len(_beats) > 1000:
        _beats.clear()
    _beats[transfer_id] = now
    return True


def _mark_writing(item: DriveTransferItem, name: str) -> None:
    """An export's file is about to be written under `name`: said first, so a worker that dies
    during the write leaves what to look for (the file of that name and size)."""
    with db.session() as s:
        s.connection().execute(update(_ITEMS).where(_ITEMS.c.id == item.id).values(  # Core: see _write_end
            status=ItemStatus.RUNNING, target_name=name, updated_at=utcnow()))
        s.commit()
    item.target_name = name


def _record_version(s, owner_id: int, connection_id: int, item: DriveTransferItem,
                    document_id: int | None) -> None:
    """This version became `document_id` (again, when the first one was trashed): one
    INSERT ... ON CONFLICT DO UPDATE, so another worker recording it this instant changes
    nothing and costs no savepoint."""
    connection = s.connection()
    connection.execute(_version_upsert(connection.dialect.name), {
        "owner_id": owner_id, "connection_id": connection_id, "remote_key": remote_key(item.remote_id),
        "version": item.version, "document_id": document_id, "created_at": utcnow()})


@functools.cache
def _version_upsert(dialect: str):
    insert = {"postgresql": pg_insert, "sqlite": sqlite_insert}[dialect]
    statement = insert(DriveImportedVersion.__table__)
    return statement.on_conflict_do_update(
        index_elements=["owner_id", "connection_id", "remote_key", "version"],
        set_={"document_id": statement.excluded.document_id})


def _documents(items: list[DriveTransferItem]) -> dict[int, Document]:
    wanted = [i.document_id for i in items if i.document_id]
    with db.session() as s:
        return {d.id: d for d in s.exec(select(Document).where(col(Document.id).in_(wanted))).all()}


def _status(transfer_id: int) -> str | None:
    with db.session() as s:
        return s.exec(select(DriveTransfer.status).where(DriveTransfer.id == transfer_id)).first()


def _pending(s, transfer_id: int):
    return s.exec(select(DriveTransferItem).where(
        DriveTransferItem.transfer_id == transfer_id,
        col(DriveTransferItem.status).in_((ItemStatus.PENDING, ItemStatus.RUNNING)))).all()


def _close_pending(transfer_id: int, status: str, code: str, *, running_too: bool = True) -> None:
    with db.session() as s:
        for item in _pending(s, transfer_id):
            if item.status == ItemStatus.RUNNING and not running_too:
                continue
            item.status, item.error_code, item.updated_at = status, code, utcnow()
            s.add(item)
        s.commit()


def _skip_pending(transfer_id: int) -> None:
    _close_pending(transfer_id, ItemStatus.SKIPPED, "error.drive_cancelled")


def skip_waiting(transfer_id: int) -> None:
    """A cancelled transfer: the files not started are skipped."""
    _close_pending(transfer_id, ItemStatus.SKIPPED, "error.drive_cancelled", running_too=False)


def _fail_pending(transfer_id: int, code: str) -> None:
    _close_pending(transfer_id, ItemStatus.FAILED, code)


def _finish(transfer_id: int, *, error: str | None = None, fail_pending: bool = False) -> None:
    if fail_pending and error:
        _fail_pending(transfer_id, error)
    rows.finish(DriveTransfer, transfer_id, error)


def requeue_stale() -> int:
    """Send again the transfers a worker lost."""
    return rows.send_again_silent(DriveTransfer, "run_drive_transfer", STALE)


def requeue_at_start(*, workers_died: bool) -> int:
    """At start-up: send again the transfers that were queued or running when the process
    died (`workers_died`: the workers lived in it, as on the embedded default, so none still
    runs). Each is claimed by one worker, and done files stay done: none moves twice."""
    return rows.send_again_at_start(DriveTransfer, "run_drive_transfer", STALE, workers_died=workers_died)
