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
    office_id: int | None = Field(default=None, foreign_key="office.id", index=True,
                                  ondelete="SET NULL")
    is_active: bool = True
    created_at: datetime = Field(default_factory=utcnow)
    last_login_at: datetime | None = None
    # Tokens issued before this instant (password reset links, sessions) are void.
    password_changed_at: datetime = Field(default_factory=utcnow)
    # TOTP secret, encrypted (dokvault.core.crypto); enabled once confirmed with a code.
    totp_secret: str | None = Field(default=None, max_length=512)
    totp_enabled_at: datetime | None = None
    # Invited by an admin and not yet signed up through the link: the invitation is pending.
    invited_at: datetime | None = None


class UserSession(SQLModel, table=True):
    """A signed-in browser: the family of its refresh tokens, named by the `sid` claim of
    its access tokens. Revoking it ends every token of the family at the next event."""

    __tablename__ = "user_session"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    created_at: datetime = Field(default_factory=utcnow)
    last_seen_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    revoked_at: datetime | None = None
    user_agent: str = Field(default="", max_length=400)
    ip: str = Field(default="", max_length=64)


class BackupCode(SQLModel, table=True):
    """A one-time second-factor code; only its Argon2id hash is kept."""

    __tablename__ = "backup_code"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    code_hash: str = Field(max_length=512)
    created_at: datetime = Field(default_factory=utcnow)
    used_at: datetime | None = None


class ExpiringKey(SQLModel, table=True):
    """Revoked token ids and used one-time codes on the embedded default (Redis in production)."""

    __tablename__ = "expiring_key"

    key: str = Field(primary_key=True, max_length=200)
    expires_at: datetime = Field(index=True)


class AppSetting(SQLModel, table=True):
    """Organisation-wide switches an admin sets in the UI (e.g. require 2FA)."""

    __tablename__ = "app_setting"

    key: str = Field(primary_key=True, max_length=64)
    value: str = Field(default="", max_length=2000)


class RefreshToken(SQLModel, table=True):
    """One refresh token of a session (its family). Used once, then replaced."""

    __tablename__ = "refresh_token"

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="user_session.id", index=True, ondelete="CASCADE")
    token_hash: str = Field(max_length=64, unique=True, index=True)
    created_at: datetime = Field(default_factory=utcnow)
    used_at: datetime | None = None
