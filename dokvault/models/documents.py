import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, BigInteger, Index, Text, text
from sqlmodel import Field, SQLModel

from dokvault.models.base import utcnow


class DocumentStatus(StrEnum):
    UPLOADED = "uploaded"
    PROCESSING = "processing"
    READY = "ready"
    FAILED = "failed"
    # A service it needs (database, object store, broker) is away: it resumes by itself.
    WAITING = "waiting"


PENDING_STATUSES = (DocumentStatus.UPLOADED, DocumentStatus.PROCESSING, DocumentStatus.WAITING)


LIVE = text("deleted_at IS NULL")


class Document(SQLModel, table=True):
    # The documents not in the trash, narrow: the dashboard's storage figure and counts by
    # owner or office read it alone (an index-only scan; migration 0015).
    __table_args__ = (Index("ix_document_live", "owner_id", "office_id", "id", "size",
                            postgresql_where=LIVE, sqlite_where=LIVE),)

    id: int | None = Field(default=None, primary_key=True)
    uid: uuid.UUID = Field(default_factory=uuid.uuid4, unique=True, index=True)
    owner_id: int = Field(foreign_key="user.id", index=True)
    # The human file name lives only here, never in the object key.
    name: str = Field(max_length=255)
    ext: str = Field(default="", max_length=16)
    content_type: str = Field(default="application/octet-stream", max_length=128)
    size: int = Field(default=0, sa_type=BigInteger)
    sha256: str = Field(max_length=64, index=True)
    object_key: str = Field(max_length=300)
    thumbnail_key: str | None = Field(default=None, max_length=300)
    status: str = Field(default=DocumentStatus.UPLOADED, max_length=16, index=True)
    error: str | None = Field(default=None, max_length=500)
    page_count: int | None = None
    duplicate_of_id: int | None = Field(default=None, foreign_key="document.id")
    # The office the document belongs to (its owner's at upload; changeable): the office
    # dimension of lists, search and analytics. Sharing is a separate choice (below).
    office_id: int | None = Field(default=None, foreign_key="office.id", index=True,
                                  ondelete="SET NULL")
    # Shared with this office (the owner's, when shared): everyone there may read it.
    shared_office_id: int | None = Field(default=None, foreign_key="office.id", index=True,
                                         ondelete="SET NULL")
    attempts: int = 0
    # What the document is (suggested by the classifier, confirmed in review).
    document_type_id: int | None = Field(default=None, foreign_key="document_type.id",
                                         index=True, ondelete="SET NULL")
    title: str | None = Field(default=None, max_length=300)
    summary: str | None = Field(default=None, max_length=1000)
    document_date: date | None = Field(default=None, index=True)  # its own date, for `created:`
    language: str | None = Field(default=None, max_length=8)
    ocr_pages: int = 0
    searchable_key: str | None = Field(default=None, max_length=300)  # OCRed PDF beside it
    # An e-mail's attachment points at the mail it came in (and outlives it).
    parent_id: int | None = Field(default=None, foreign_key="document.id", index=True,
                                  ondelete="SET NULL")
    # What reading left out, and why: [{"code": "notice.…", **values}] (dokvault.extract).
    notices: list[dict] = Field(default_factory=list, sa_type=JSON)
    # On an upload: the documents its attachments have made, at any depth.
    derived_documents: int = 0
    created_at: datetime = Field(default_factory=utcnow, index=True)
    # Stamped by every change a list shows (library.fingerprint reads its maximum).
    updated_at: datetime = Field(default_factory=utcnow, index=True)
    processed_at: datetime | None = None
    deleted_at: datetime | None = Field(default=None, index=True)


class DocumentText(SQLModel, table=True):
    """Extracted text, kept apart so document lists never load it."""

    __tablename__ = "document_text"

    document_id: int = Field(foreign_key="document.id", primary_key=True, ondelete="CASCADE")
    text: str = Field(default="", sa_type=Text)
    # The first pages' lines and table cells as JSON (dokvault/extract/layout.py), for fields.
    layout: str | None = Field(default=None, sa_type=Text)
