"""Notifications: what happened that a person can act on, in the app (with its unread
state) and, by their choice per kind, by mail too."""

from datetime import datetime

from sqlalchemy import JSON, Index
from sqlmodel import Field, SQLModel

from dokvault.models.base import utcnow


class Notification(SQLModel, table=True):
    __table_args__ = (Index("ix_notification_user_unread", "user_id", "read_at"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=32)
    # The values its text is filled with ({"document": "Kontrakt.pdf", ...}): the text
    # itself is the catalogue's, in the reader's language of the moment.
    values: dict = Field(default_factory=dict, sa_type=JSON)
    link: str = Field(default="", max_length=300)  # a page of the app: /documents/<uid>
    created_at: datetime = Field(default_factory=utcnow, index=True)
    read_at: datetime | None = None
    mailed_at: datetime | None = None


class NotificationSettings(SQLModel, table=True):
    """A person's choices: which kinds also come by mail, and the language of the mails."""

    __tablename__ = "notification_settings"

    user_id: int = Field(foreign_key="user.id", primary_key=True, ondelete="CASCADE")
    language: str = Field(default="nb", max_length=8)
    # Kinds that come by mail too; None = the defaults (dokvault.services.notify.KINDS).
    mailed: list[str] | None = Field(default=None, sa_type=JSON)
    updated_at: datetime = Field(default_factory=utcnow)
