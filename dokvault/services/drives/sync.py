"""Folders kept in sync: the schedule (`sync_drives`, every minute) sends each folder that is
due (DRIVE_SYNC_MINUTES) to `sync_drive_folder`, which lists it and imports the files whose
version was never imported - by remote id and ETag/revision, so no version comes in twice,
however often the job runs or is delivered."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from dokvault import db
from dokvault.core import jobs, net
from dokvault.drives.types import DriveError
from dokvault.models import DriveConnection, DriveSync, DriveTransfer, User
from dokvault.models.base import utcnow
from dokvault.models.drives import ConnectionStatus, TransferStatus
from dokvault.services.access import Forbidden
from dokvault.services.drives import connections, transfers, web
from dokvault.services.drives.walk import walk_files
from dokvault.settings import get_settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SyncView:
    id: int
    connection_id: int
    connection_label: str
    folder_name: str
    last_run_at: datetime | None
    last_error: str


def keep_in_sync(user: User, connection_id: int, folder_id: str, folder_name: str) -> int:
    """Follow the folder (once; asking again changes nothing) and fetch it now."""
    row = connections.get_connection(user, connection_id)
    with db.session() as s:
        sync = s.exec(select(DriveSync).where(DriveSync.owner_id == user.id,
                                              DriveSync.connection_id == row.id,
                                              DriveSync.folder_id == folder_id)).first()
        if sync is None:
            sync = DriveSync(owner_id=user.id, connection_id=row.id, folder_id=folder_id,
                             folder_name=folder_name[:500])
            s.add(sync)
            try:
                s.commit()
            except IntegrityError:  # a double click's second
                s.rollback()
                return keep_in_sync(user, connection_id, folder_id, folder_name)
            s.refresh(sync)
            jobs.send("sync_drive_folder", sync.id)
        return sync.id


def sync_now(user: User, sync_id: int) -> None:
    """Fetch the folder's new and changed files now rather than at its next turn."""
    with db.session() as s:
        sync = s.get(DriveSync, sync_id)
        if sync is None or sync.owner_id != user.id:
            raise Forbidden("error.drive_unknown")
    jobs.send("sync_drive_folder", sync_id)


def stop_sync(user: User, sync_id: int) -> None:
    with db.session() as s:
        sync = s.get(DriveSync, sync_id)
        if sync is None or sync.owner_id != user.id:
            raise Forbidden("error.drive_unknown")
        s.delete(sync)
        s.commit()


def list_syncs(user: User) -> list[SyncView]:
    with db.session() as s:
        rows = s.exec(select(DriveSync, DriveConnection.label)
                      .join(DriveConnection, col(DriveConnection.id) == col(DriveSync.connection_id))
                      .where(DriveSync.owner_id == user.id).order_by(col(DriveSync.id))).all()
    return [SyncView(id=r.id, connection_id=r.connection_id, connection_label=label,
                     folder_name=r.folder_name, last_run_at=r.last_run_at, last_error=r.last_error or "")
            for r, label in rows]


def requeue_at_start(*, workers_died: bool) -> int:
    """At app and worker start: the transfers and web imports that were queued or running
    when the process died, sent again (see transfers.requeue_at_start). Returns how many."""
    return (transfers.requeue_at_start(workers_died=workers_died)
            + web.requeue_at_start(workers_died=workers_died))


def tick() -> int:
    """The schedule's job: stalled transfers and web imports sent again, due folders sent to
    be synced. Returns how many folders were sent."""
    transfers.requeue_stale()
    web.requeue_stale()
    due_before = utcnow() - timedelta(minutes=get_settings().drive_sync_minutes)
    with db.session() as s:
        ids = s.exec(select(DriveSync.id).join(
            DriveConnection, col(DriveConnection.id) == col(DriveSync.connection_id))
            .where(col(DriveSync.enabled), DriveConnection.status != ConnectionStatus.RECONNECT,
                   col(DriveSync.last_run_at).is_(None) | (col(DriveSync.last_run_at) < due_before))).all()
    for sync_id in ids:
        jobs.send("sync_drive_folder", sync_id)
    return len(ids)


def sync_folder(sync_id: int) -> int:
    """List the folder and import what is new or changed; returns how many files. Skipped
    while the last round's transfer is still moving files."""
    with db.session() as s:
        sync = s.get(DriveSync, sync_id)
        if sync is None or not sync.enabled:
            return 0
        moving = s.exec(select(DriveTransfer.id).where(
            DriveTransfer.sync_id == sync_id,
            col(DriveTransfer.status).in_((TransferStatus.QUEUED, TransferStatus.RUNNING)))).first()
        connection = s.get(DriveConnection, sync.connection_id)
        owner = s.get(User, sync.owner_id)
    if moving is not None or connection is None or owner is None or not owner.is_active:
        return 0
    known = transfers.known_versions(sync.owner_id, connection.id)
    error: str | None = None
    new = []
    try:
        drive = connections.open_drive(connection)
        try:
            new = [e for e in walk_files(drive, sync.folder_id)
                   if e.version and (transfers.remote_key(e.id), e.version) not in known]
        finally:
            drive.close()
        connections.note_outcome(connection.id, None)
    except (DriveError, net.OutboundRefused) as exc:
        connections.note_outcome(connection.id, exc)
        error = exc.code
        log.info("sync id=%s: %s", sync_id, exc.code)
    with db.session() as s:
        stored = s.get(DriveSync, sync_id)
        if stored is not None:
            stored.last_run_at, stored.last_error = utcnow(), error
            s.add(stored)
            s.commit()
    if new:
        transfers.create_transfer(sync.owner_id, connection.id, "import",
                                  [transfers.import_item(e) for e in new],
                                  folder_name=sync.folder_name, sync_id=sync_id)
        log.info("sync id=%s: %s new or changed files", sync_id, len(new))
    return len(new)
