from datetime import datetime

from sqlalchemy import BigInteger
from sqlmodel import Field, SQLModel

from dokvault.models.base import utcnow


class Quota(SQLModel, table=True):
    """A storage limit of one user or one office (exactly one of the two ids), in bytes
    and in documents; None = no limit. No row = unlimited (the default)."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int | None = Field(default=None, foreign_key="user.id", unique=True,
                                ondelete="CASCADE")
    office_id: int | None = Field(default=None, foreign_key="office.id", unique=True,
                                  ondelete="CASCADE")
    max_bytes: int | None = Field(default=None, sa_type=BigInteger)
    max_documents: int | None = None
    updated_at: datetime = Field(default_factory=utcnow)
