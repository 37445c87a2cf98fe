from datetime import date, datetime

from sqlalchemy import BigInteger, Index, Text
from sqlmodel import Field, SQLModel

from dokvault.models.base import utcnow


class AuditEvent(SQLModel, table=True):
    """Who did what to whom, from where. Never a secret, never document content.

    Append-only: the database refuses an UPDATE, and a DELETE of an entry whose day has
    not been exported yet (triggers of migration 0016); only the retention job removes
    entries. Every filter the viewer offers has an index ending in (created_at, id), the
    order it pages in by keyset (services/admin/audit_log.py)."""

    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_event_time", "created_at", "id"),
        # Also whose entries they are: sign-ins over time (analytics) read this index alone.
        Index("ix_audit_event_kind_time", "kind", "created_at", "id", "actor_id",
              "target_user_id"),
        Index("ix_audit_event_actor_time", "actor_id", "created_at", "id"),
        Index("ix_audit_event_target_time", "target_user_id", "created_at", "id"),
        Index("ix_audit_event_document_time", "document_id", "created_at", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow)
    kind: str = Field(max_length=64)
    # Plain ids, no foreign keys: the log outlives the users and documents it names.
    actor_id: int | None = None
    target_user_id: int | None = None
    document_id: int | None = None  # also in `detail`, where callers put it
    ip: str = Field(default="", max_length=64)
    user_agent: str = Field(default="", max_length=400)
    detail: str = Field(default="", sa_type=Text)  # a JSON object of short values


class AuditExport(SQLModel, table=True):
    """One UTC day of the audit log written to the object store (services/ops/audit_export.py):
    `audit/YYYY/MM/DD.jsonl`, `.csv` and `.manifest.json`. Entries of the day up to `last_id`
    are exported; only those may be removed by the retention job."""

    __tablename__ = "audit_export"

    day: date = Field(primary_key=True)
    rows: int = 0
    last_id: int = 0  # the newest entry exported (0: the day had none)
    jsonl_sha256: str = Field(default="", max_length=64)
    csv_sha256: str = Field(default="", max_length=64)
    jsonl_bytes: int = Field(default=0, sa_type=BigInteger)
    csv_bytes: int = Field(default=0, sa_type=BigInteger)
    exported_at: datetime = Field(default_factory=utcnow)
