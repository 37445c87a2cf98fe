"""What a person does with a drive: browse it, import files or a whole folder, export
documents to a folder, follow, cancel and retry transfers. Every call checks that the
connection is theirs (or the share) and that the documents are ones they may read."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import col, func, select

from dokvault import db
from dokvault.core import jobs, net
from dokvault.drives.types import DriveError, Entry, Page
from dokvault.models import Document, DriveConnection, DriveTransfer, DriveTransferItem, User
from dokvault.models.base import utcnow
from dokvault.models.drives import DriveKind, ItemStatus, TransferStatus
from dokvault.services.access import Forbidden, visible_to
from dokvault.services.drives import connections, rows, transfers

log = logging.getLogger(__name__)
MAX_SELECTED = 500
RECENT_TRANSFERS = 8


def browse(user: User, connection_id: int, folder_id: str | None, page_token: str | None = None) -> Page:
    """One page of a folder (the root when `folder_id` is None). Raises Forbidden, DriveError,
    OutboundRefused; the connection's state follows the outcome."""
    row = connections.get_connection(user, connection_id)
    try:
        drive = connections.open_drive(row)
        try:
            page = drive.list(folder_id or drive.root().id, page_token)
            if getattr(drive, "root_only", False) and not (row.options or {}).get("root_only"):
                connections.remember_options(row.id, {"root_only": True})
        finally:
            drive.close()
    except (DriveError, net.OutboundRefused) as exc:
        connections.note_outcome(row.id, exc)
        raise
    connections.note_outcome(row.id, None)
    return page


def root_id(user: User, connection_id: int) -> str:
    row = connections.get_connection(user, connection_id)
    drive = connections.open_drive(row)
    try:
        return drive.root().id
    finally:
        drive.close()


def import_files(user: User, connection_id: int, entries: list[Entry], folder_name: str = "") -> str:
    """Import the chosen files (entries from a listing the server made); returns the
    transfer's uid."""
    row = connections.get_connection(user, connection_id)
    files = [e for e in entries if not e.is_folder][:MAX_SELECTED]
    if not files:
        raise Forbidden("error.drive_nothing_chosen")
    transfer = transfers.create_transfer(user.id, row.id, "import",
                                         [transfers.import_item(e) for e in files],
                                         folder_name=folder_name)
    return str(transfer.uid)


def import_folder(user: User, connection_id: int, folder_id: str, folder_name: str) -> str:
    """Import every file in the folder and its subfolders (listed by the worker)."""
    row = connections.get_connection(user, connection_id)
    transfer = transfers.create_transfer(user.id, row.id, "import", [], folder_id=folder_id,
                                         folder_name=folder_name)
    return str(transfer.uid)


def exportable(user: User, document_uids: list[str]) -> list[Document]:
    """The documents of `document_uids` the person may read and that are not in the trash
    (at most MAX_SELECTED); unknown, unreadable and malformed uids are left out."""
    uids = []
    for uid in document_uids[:MAX_SELECTED]:
        try:
            uids.append(uuid.UUID(str(uid)))
        except ValueError:
            continue
    if not uids:
        return []
    with db.session() as s:
        return list(s.exec(select(Document).where(col(Document.uid).in_(uids), visible_to(user),
                                                  col(Document.deleted_at).is_(None))
                           .order_by(col(Document.id))).all())


def export_documents(user: User, connection_id: int, folder_id: str, folder_name: str,
                     document_uids: list[str]) -> str:
    """Send documents the person may read to a folder of their drive (a name that is taken
    there gets a number)."""
    row = connections.get_connection(user, connection_id, to_change=True)
    if row.kind == DriveKind.SHARE:
        raise Forbidden("error.drive_read_only")
    documents = exportable(user, document_uids)
    if not documents:
        raise Forbidden("error.drive_nothing_chosen")
    items = [DriveTransferItem(name=d.name, size=d.size, document_id=d.id) for d in documents]
    transfer = transfers.create_transfer(user.id, row.id, "export", items, folder_id=folder_id,
                                         folder_name=folder_name)
    return str(transfer.uid)


def cancel(user: User, uid: str) -> None:
    with db.session() as s:
        transfer = connections.owned(s, DriveTransfer, user, uid)
        if transfer.status in (TransferStatus.QUEUED, TransferStatus.RUNNING):
            transfer.status, transfer.finished_at = TransferStatus.CANCELLED, utcnow()
            s.add(transfer)
            s.commit()
            transfer_id = transfer.id
        else:
            return
    transfers.skip_waiting(transfer_id)  # the file being moved stops at its next tick


def retry_failed(user: User, uid: str) -> int:
    """Try the failed files again; returns how many."""
    with db.session() as s:
        transfer = connections.owned(s, DriveTransfer, user, uid)
        failed = s.exec(select(DriveTransferItem).where(
            DriveTransferItem.transfer_id == transfer.id,
            DriveTransferItem.status == ItemStatus.FAILED)).all()
        if not failed:
            return 0
        for item in failed:
            item.status, item.error_code, item.bytes_done = ItemStatus.PENDING, None, 0
            s.add(item)
        transfer.status, transfer.finished_at, transfer.error_code = TransferStatus.QUEUED, None, None
        transfer.heartbeat_at = None
        s.add(transfer)
        s.commit()
        transfer_id = transfer.id
    jobs.send("run_drive_transfer", transfer_id)
    return len(failed)


# --- what the page shows ----------------------------------------------------------------


@dataclass(frozen=True)
class ItemView:
    name: str
    status: str
    error_code: str
    size: int
    bytes_done: int
    target_name: str
    document_uid: str


@dataclass(frozen=True)
class TransferView:
    uid: str
    direction: str
    connection_label: str
    folder_name: str
    status: str
    error_code: str
    created_at: datetime
    counts: dict[str, int] = field(default_factory=dict)
    items: list[ItemView] = field(default_factory=list)


def recent_transfers(user: User, limit: int = RECENT_TRANSFERS, items_each: int = 200) -> list[TransferView]:
    with db.session() as s:
        rows = s.exec(select(DriveTransfer, DriveConnection.label)
                      .join(DriveConnection, col(DriveConnection.id) == col(DriveTransfer.connection_id))
                      .where(DriveTransfer.owner_id == user.id)
                      .order_by(col(DriveTransfer.created_at).desc()).limit(limit)).all()
        return [_transfer_view(s, transfer, label, items_each) for transfer, label in rows]


def transfer_view(user: User, uid: str, items_each: int = 200) -> TransferView:
    """One of this person's transfers as a page follows it; raises Forbidden otherwise."""
    with db.session() as s:
        transfer = connections.owned(s, DriveTransfer, user, uid)
        label = s.exec(select(DriveConnection.label)
                       .where(DriveConnection.id == transfer.connection_id)).first() or ""
        return _transfer_view(s, transfer, label, items_each)


def _transfer_view(s, transfer: DriveTransfer, label: str, items_each: int) -> TransferView:
    counts = dict(s.exec(select(DriveTransferItem.status, func.count())
                         .where(DriveTransferItem.transfer_id == transfer.id)
                         .group_by(col(DriveTransferItem.status))).all())
    items = s.exec(select(DriveTransferItem, Document.uid)
                   .outerjoin(Document, col(Document.id) == col(DriveTransferItem.document_id))
                   .where(DriveTransferItem.transfer_id == transfer.id)
                   .order_by(col(DriveTransferItem.id)).limit(items_each)).all()
    return TransferView(
        uid=str(transfer.uid), direction=transfer.direction, connection_label=label,
        folder_name=transfer.folder_name, status=transfer.status,
        error_code=transfer.error_code or "", created_at=transfer.created_at, counts=counts,
        items=[ItemView(name=i.name, status=i.status, error_code=i.error_code or "", size=i.size,
                        bytes_done=i.bytes_done, target_name=i.target_name or "",
                        document_uid=str(doc_uid) if doc_uid else "")
               for i, doc_uid in items])


def busy(user: User) -> bool:
    """A transfer of this person's is still moving files (the page refreshes while so)."""
    return rows.moving(DriveTransfer, user.id)
