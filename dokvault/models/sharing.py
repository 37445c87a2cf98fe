"""Sharing a document beyond its owner: with a person or another office (a share row),
and by link (a secret URL with an expiry, an optional password and a download limit,
every use of it recorded). The owner's own office is Document.shared_office_id."""

import uuid
from datetime import datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from dokvault.models.base import utcnow


class DocumentShare(SQLModel, table=True):
    """One reader of a document beside its owner: a user, or an office (exactly one)."""

    __tablename__ = "document_share"
    __table_args__ = (
        UniqueConstraint("document_id", "user_id", name="uq_document_share_user"),
        UniqueConstraint("document_id", "office_id", name="uq_document_share_office"),
    )

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True, ondelete="CASCADE")
    user_id: int | None = Field(default=None, foreign_key="user.id", index=True,
                                ondelete="CASCADE")
    office_id: int | None = Field(default=None, foreign_key="office.id", index=True,
                                  ondelete="CASCADE")
    created_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow)


class ShareLink(SQLModel, table=True):
    """A link anyone who has it may open, without signing in. Only a digest of its secret
    is looked up; the secret itself is kept encrypted so the owner can copy it again."""

    __tablename__ = "share_link"

    id: int | None = Field(default=None, primary_key=True)
    uid: uuid.UUID = Field(default_factory=uuid.uuid4, unique=True)
    document_id: int = Field(foreign_key="document.id", index=True, ondelete="CASCADE")
    created_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    token_hash: str = Field(max_length=64, unique=True)  # SHA-256 of the secret, hex
    token_sealed: str = Field(max_length=512)  # the secret, encrypted (core.crypto)
    password_hash: str | None = Field(default=None, max_length=512)  # Argon2id
    expires_at: datetime
    max_downloads: int | None = None
    downloads: int = 0
    revoked_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)


class ShareAccess(SQLModel, table=True):
    """One use of a share link: who (when signed in), when, from where, and how it went."""

    __tablename__ = "share_access"
    __table_args__ = (Index("ix_share_access_link_at", "link_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    link_id: int = Field(foreign_key="share_link.id", ondelete="CASCADE")
    at: datetime = Field(default_factory=utcnow)
    user_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    ip: str = Field(default="", max_length=64)
    user_agent: str = Field(default="", max_length=400)
    # viewed, unlocked, downloaded (succeeded); wrong_password, expired, revoked,
    # exhausted, unavailable, limited (refused)
    outcome: str = Field(max_length=32)
    succeeded: bool = False
