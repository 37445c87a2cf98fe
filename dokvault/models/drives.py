"""Cloud drives, the network share and web import: connections (credentials sealed), the
transfers between a drive and DokVault file by file, folders kept in sync, the versions already
imported, and web pages brought in through Firecrawl."""

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, BigInteger, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from dokvault.models.base import utcnow


class DriveKind(StrEnum):
    GOOGLE = "google"
    ONEDRIVE = "onedrive"
    NEXTCLOUD = "nextcloud"
    WEBDAV = "webdav"
    SHARE = "share"  # the organisation's network share (WEBDAV_URL), no owner


class ConnectionStatus(StrEnum):
    OK = "ok"
    RECONNECT = "reconnect"  # the provider no longer takes the token or password
    ERROR = "error"          # the last use failed for another reason (the drive is away, ...)


class TransferStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"            # every file done, failed or skipped
    CANCELLED = "cancelled"


class ItemStatus(StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    SKIPPED = "skipped"      # this version was imported before, or the transfer was cancelled


class DriveConnection(SQLModel, table=True):
    __tablename__ = "drive_connection"

    id: int | None = Field(default=None, primary_key=True)
    # None for the organisation's network share.
    owner_id: int | None = Field(default=None, foreign_key="user.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=16)
    label: str = Field(default="", max_length=200)  # the account or the host, as shown
    server_url: str = Field(default="", max_length=500)  # WebDAV and Nextcloud
    username: str = Field(default="", max_length=200)
    # The credentials (password, tokens), AES-GCM under the owner's key (services/drives).
    secret: str = Field(default="", sa_type=Text)
    status: str = Field(default=ConnectionStatus.OK, max_length=16)
    status_code: str | None = Field(default=None, max_length=64)  # an i18n key: why
    # What the adapter learnt about the server (auth scheme, PROPFIND only at the root).
    options: dict = Field(default_factory=dict, sa_type=JSON)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    last_used_at: datetime | None = None


class DriveSync(SQLModel, table=True):
    """A folder kept in sync: its new and changed files are imported by the schedule."""

    __tablename__ = "drive_sync"
    __table_args__ = (UniqueConstraint("owner_id", "connection_id", "folder_id"),)

    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    connection_id: int = Field(foreign_key="drive_connection.id", index=True, ondelete="CASCADE")
    folder_id: str = Field(max_length=1000)
    folder_name: str = Field(default="", max_length=500)
    enabled: bool = True
    last_run_at: datetime | None = None
    last_error: str | None = Field(default=None, max_length=64)
    created_at: datetime = Field(default_factory=utcnow)


class DriveTransfer(SQLModel, table=True):
    """An import from a drive or an export to one; its files are DriveTransferItems."""

    __tablename__ = "drive_transfer"

    id: int | None = Field(default=None, primary_key=True)
    uid: uuid.UUID = Field(default_factory=uuid.uuid4, unique=True)
    owner_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    connection_id: int = Field(foreign_key="drive_connection.id", index=True, ondelete="CASCADE")
    direction: str = Field(max_length=8)  # import | export
    folder_id: str = Field(default="", max_length=1000)  # export: the target folder
    folder_name: str = Field(default="", max_length=500)
    sync_id: int | None = Field(default=None, foreign_key="drive_sync.id", index=True,
                                ondelete="SET NULL")
    status: str = Field(default=TransferStatus.QUEUED, max_length=16, index=True)
    error_code: str | None = Field(default=None, max_length=64)  # the whole transfer failed: why
    heartbeat_at: datetime | None = None  # stamped while a worker moves its files
    created_at: datetime = Field(default_factory=utcnow, index=True)
    finished_at: datetime | None = None


class DriveTransferItem(SQLModel, table=True):
    __tablename__ = "drive_transfer_item"

    id: int | None = Field(default=None, primary_key=True)
    transfer_id: int = Field(foreign_key="drive_transfer.id", index=True, ondelete="CASCADE")
    remote_id: str = Field(default="", max_length=1000)  # import: the source; export: the result
    name: str = Field(max_length=255)
    size: int = Field(default=0, sa_type=BigInteger)
    version: str = Field(default="", max_length=200)  # etag, revision or modified time
    # import: the document made; export: the document sent.
    document_id: int | None = Field(default=None, foreign_key="document.id", index=True,
                                    ondelete="SET NULL")
    status: str = Field(default=ItemStatus.PENDING, max_length=16)
    error_code: str | None = Field(default=None, max_length=64)
    bytes_done: int = Field(default=0, sa_type=BigInteger)
    target_name: str | None = Field(default=None, max_length=255)  # export: the name written
    attempts: int = 0
    updated_at: datetime = Field(default_factory=utcnow)


class DriveImportedVersion(SQLModel, table=True):
    """One version of a remote file that became a document: never imported twice."""

    __tablename__ = "drive_imported_version"
    __table_args__ = (UniqueConstraint("owner_id", "connection_id", "remote_key", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    connection_id: int = Field(foreign_key="drive_connection.id", index=True, ondelete="CASCADE")
    remote_key: str = Field(max_length=64)  # SHA-256 of the remote id (ids may be long paths)
    version: str = Field(max_length=200)
    document_id: int | None = Field(default=None, foreign_key="document.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow)


class WebImport(SQLModel, table=True):
    """"Import from the web" (one page) or "import a site" (a crawl with a page limit)."""

    __tablename__ = "web_import"

    id: int | None = Field(default=None, primary_key=True)
    uid: uuid.UUID = Field(default_factory=uuid.uuid4, unique=True)
    owner_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=8)  # page | site
    url: str = Field(max_length=2000)
    page_limit: int = 1
    status: str = Field(default=TransferStatus.QUEUED, max_length=16, index=True)
    job_id: str | None = Field(default=None, max_length=200)  # Firecrawl's crawl id
    total: int = 0       # pages Firecrawl has found
    imported: int = 0    # pages that became documents
    failed: int = 0
    error_code: str | None = Field(default=None, max_length=64)
    heartbeat_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow, index=True)
    finished_at: datetime | None = None


class WebPage(SQLModel, table=True):
    """A page that became a document: where it came from, when, its HTML and its links."""

    __tablename__ = "web_page"
    __table_args__ = (UniqueConstraint("web_import_id", "url_key"),)

    id: int | None = Field(default=None, primary_key=True)
    web_import_id: int = Field(foreign_key="web_import.id", index=True, ondelete="CASCADE")
    document_id: int | None = Field(default=None, foreign_key="document.id", index=True,
                                    ondelete="SET NULL")
    url: str = Field(max_length=2000)
    url_key: str = Field(max_length=64)  # SHA-256 of the URL
    title: str = Field(default="", max_length=300)
    fetched_at: datetime = Field(default_factory=utcnow)
    links: list[str] = Field(default_factory=list, sa_type=JSON)
    html: str = Field(default="", sa_type=Text)
