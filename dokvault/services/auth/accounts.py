"""Users, passwords and signed-in sessions."""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from datetime import datetime, timedelta
from functools import lru_cache

from pwdlib import PasswordHash
from pwdlib.exceptions import PwdlibError
from pwdlib.hashers.argon2 import Argon2Hasher
from pwdlib.hashers.bcrypt import BcryptHasher
from sqlmodel import Session, func, select

from dokvault.core import audit, ratelimit
from dokvault.core.audit import Client
from dokvault.models import Role, User, UserSession
from dokvault.models.base import utcnow
from dokvault.services.auth import passwords, policy, sessions
from dokvault.settings import get_settings

log = logging.getLogger(__name__)

# Argon2id first: new hashes use it; bcrypt hashes (Dokumenthub's APP_PASSWORD_HASH) verify
# and are rehashed to Argon2id on the next sign-in.
password_hash = PasswordHash((Argon2Hasher(), BcryptHasher()))
MIN_PASSWORD_LENGTH = passwords.MIN_PASSWORD_LENGTH
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

# Password guesses at sign-in: a browser that signed in to the account before counts its own
# (dokvault.services.auth.devices); every other client shares the account's limit.
SIGN_IN = ratelimit.Policy("sign_in", account="10/15 minutes", device="10/15 minutes",
                           ip="30/15 minutes")
# The current password on the account page: guesses are counted per session, so someone
# else's failed sign-ins never block the owner's change.
PASSWORD_CHANGE = ratelimit.Policy("password_change", session="10/15 minutes", ip="30/15 minutes")


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """A hash to verify against when the e-mail is unknown, so timing tells nothing."""
    return password_hash.hash(secrets.token_urlsafe(16))


class AccountError(ValueError):
    """A refused account action; `code` is an i18n key, `values` fill its placeholders
    (a password's minimum length is `n`)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code
        self.values = {"n": passwords.minimum()} if code.startswith("error.password_") else {}


def normalize_email(email: str) -> str:
    return email.strip().lower()


def check_password_policy(email: str, password: str) -> None:
    """The policy's length and mix, not the e-mail, not known to HIBP (fail-open)."""
    if code := passwords.policy_violation(normalize_email(email), password):
        raise AccountError(code)


def user_count(session: Session) -> int:
    return session.exec(select(func.count()).select_from(User)).one()


def create_user(
    session: Session, email: str, password: str, role: Role = Role.BROKER, name: str = ""
) -> User:
    email = normalize_email(email)
    if not EMAIL.match(email):
        raise AccountError("error.invalid_email")
    check_password_policy(email, password)
    if session.exec(select(User).where(User.email == email)).first():
        raise AccountError("error.email_taken")
    user = User(email=email, name=name.strip()[:200], password_hash=password_hash.hash(password),
                role=role)
    session.add(user)
    session.commit()
    session.refresh(user)
    log.info("user created id=%s role=%s", user.id, user.role)
    return user


def create_first_admin(session: Session, email: str, password: str, name: str = "") -> User:
    if user_count(session):
        raise AccountError("error.setup_done")
    return create_user(session, email, password, Role.ADMIN, name)


def find_user(session: Session, email: str) -> User | None:
    return session.exec(select(User).where(User.email == normalize_email(email))).first()


def authenticate(session: Session, email: str, password: str) -> User | None:
    user = find_user(session, email)
    if user is None or not user.is_active:
        password_hash.verify(password, _dummy_hash())
        return None
    try:
        valid, new_hash = password_hash.verify_and_update(password, user.password_hash)
    except (ValueError, PwdlibError):  # bcrypt refuses > 72 bytes; an unknown hash: no match
        return None
    if not valid:
        return None
    if new_hash:
        user.password_hash = new_hash
    user.last_login_at = utcnow()
    session.add(user)
    session.commit()
    return user


def _sign_in_scope(email: str, device: str | None) -> dict[str, str]:
    return {"device": device} if device else {"account": email}


def sign_in_attempt(email: str, device: str | None, ip: str) -> ratelimit.Limited | None:
    """Count one sign-in attempt; None if allowed, else how long to wait."""
    return ratelimit.hit(SIGN_IN, **_sign_in_scope(email, device), ip=ip)


def sign_in_succeeded(email: str, device: str | None = None) -> None:
    """The password was right (or was just reset): its guesses are forgotten."""
    ratelimit.reset(SIGN_IN, **_sign_in_scope(email, device))


def password_change_attempt(session_id: int, ip: str) -> ratelimit.Limited | None:
    return ratelimit.hit(PASSWORD_CHANGE, session=str(session_id), ip=ip)


def password_change_succeeded(session_id: int) -> None:
    ratelimit.reset(PASSWORD_CHANGE, session=str(session_id))


def ensure_bootstrap_admin(session: Session) -> None:
    """Create the admin named by ADMIN_EMAIL with ADMIN_PASSWORD (or APP_PASSWORD_HASH)."""
    settings = get_settings()
    email = normalize_email(settings.admin_email)
    password = settings.admin_password.get_secret_value()
    bcrypt_hash = settings.app_password_hash.get_secret_value()
    if not email or not (password or bcrypt_hash):
        return
    if session.exec(select(User).where(User.email == email)).first():
        return
    if not password and not BcryptHasher.identify(bcrypt_hash):
        log.error("APP_PASSWORD_HASH is not a bcrypt hash; bootstrap admin not created")
        return
    hashed = password_hash.hash(password) if password else bcrypt_hash
    session.add(User(email=email, name="Admin", password_hash=hashed, role=Role.ADMIN))
    session.commit()
    log.info("bootstrap admin created")


def password_stamp(user: User) -> str:
    """Changes when the password does: what is signed with it (a pending second step, a
    device cookie) dies with the old password."""
    return hashlib.sha256(user.password_changed_at.replace(tzinfo=None).isoformat().encode()
                          ).hexdigest()[:16]


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(session: Session, user: User, user_agent: str = "", ip: str = "") -> int:
    """Start a signed-in session (a refresh-token family); returns its id, the `sid` claim."""
    row = UserSession(
        user_id=user.id,
        expires_at=utcnow() + policy.current().session_lifetime,
        user_agent=user_agent[:400],
        ip=ip[:64],
    )
    session.add(row)
    session.commit()
    return row.id


def session_end(row: UserSession) -> datetime:
    """When a session ends: its own expiry, or sooner when the policy's session length was
    shortened since it began."""
    return min(row.expires_at, row.created_at + policy.current().session_lifetime)


def resolve_session(session: Session, session_id: int | None) -> User | None:
    """The signed-in user of a session, or None if it is unknown, revoked or expired."""
    if not session_id:
        return None
    row = session.get(UserSession, session_id)
    now = utcnow()
    if row is None or row.revoked_at is not None or session_end(row) <= now:
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.is_active:
        return None
    if (now - row.last_seen_at) > timedelta(minutes=1):
        row.last_seen_at = now
        session.add(row)
        session.commit()
    return user


def close_session(session: Session, session_id: int | None) -> None:
    row = session.get(UserSession, session_id) if session_id else None
    if row and row.revoked_at is None:
        row.revoked_at = utcnow()
        session.add(row)
        session.commit()


def change_password(
    session: Session,
    user: User,
    current: str,
    new: str,
    keep_session_id: int | None,
    client: Client = Client(),
) -> int:
    """Change a signed-in user's password: verify the current one, apply the policy, rehash
    with Argon2id, move `password_changed_at`, and sign out every other session
    (`keep_session_id` stays). Returns how many sessions were signed out."""
    row = session.get(User, user.id)
    if row is None or not row.is_active:
        raise AccountError("error.forbidden")
    try:
        valid = password_hash.verify(current, row.password_hash)
    except (ValueError, PwdlibError):
        valid = False
    if not valid:
        audit.record("auth.password_change.failed", actor_id=row.id, target_user_id=row.id,
                     client=client, session=session, reason="wrong_current_password")
        raise AccountError("error.current_password_wrong")
    if new == current:
        raise AccountError("error.password_unchanged")
    check_password_policy(row.email, new)
    now = utcnow()
    row.password_hash = password_hash.hash(new)
    row.password_changed_at = now
    session.add(row)
    revoked = sessions.revoke_all(row.id, except_session_id=keep_session_id, session=session)
    session.commit()
    session.refresh(row)
    audit.record("auth.password_changed", actor_id=row.id, target_user_id=row.id, client=client,
                 session=session, sessions_revoked=revoked)
    log.info("password changed user=%s sessions_revoked=%s", row.id, revoked)
    return revoked
