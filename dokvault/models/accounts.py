from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from dokvault.models.base import utcnow


class Role(StrEnum):
    ADMIN = "admin"
    OFFICE_MANAGER = "office_manager"
    BROKER = "broker"


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=320, unique=True, index=True)
    name: str = Field(default="", max_length=200)
    password_hash: str = Field(max_length=512)
    role: str = Field(default=Role.BROKER, max_length=32)
    is_active: bool = True
    created_at: datetime = Field(default_factory=utcnow)
    last_login_at: datetime | None = None


class UserSession(SQLModel, table=True):
    """A signed-in browser. The cookie holds a random token; only its hash is stored."""

    __tablename__ = "user_session"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    token_hash: str = Field(max_length=64, unique=True, index=True)
    created_at: datetime = Field(default_factory=utcnow)
    last_seen_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    revoked_at: datetime | None = None
    user_agent: str = Field(default="", max_length=400)
    ip: str = Field(default="", max_length=64)
