from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from dokvault.models.base import utcnow


class AuditEvent(SQLModel, table=True):
    """Who did what to whom, from where. Never a secret, never document content."""

    __tablename__ = "audit_event"
    # Sign-ins over time (analytics) read only this index: a kind's rows in a date range,
    # with whose they are (migration 0015).
    __table_args__ = (Index("ix_audit_event_kind_time", "kind", "created_at", "actor_id",
                            "target_user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, index=True)
    kind: str = Field(max_length=64, index=True)
    # Plain ids, no foreign keys: the log outlives the users it names.
    actor_id: int | None = Field(default=None, index=True)
    target_user_id: int | None = Field(default=None, index=True)
    ip: str = Field(default="", max_length=64)
    user_agent: str = Field(default="", max_length=400)
    detail: str = Field(default="", max_length=2000)
