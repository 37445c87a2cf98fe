"""The second factor: TOTP (pyotp) with a replay guard, Argon2id-hashed backup codes, the
pending-sign-in token between password and code, and the organisation's "require 2FA" switch.

Secrets stay out of the audit log and the logs: events carry kinds and ids only.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta

import jwt
import pyotp
import segno
from sqlalchemy import delete, update
from sqlmodel import col, func, select

from dokvault import db
from dokvault.core import audit, crypto, keystore, ratelimit
from dokvault.core.audit import Client
from dokvault.models import AppSetting, BackupCode, Role, User
from dokvault.models.base import utcnow
from dokvault.services.auth import policy, sessions
from dokvault.services.auth.accounts import password_hash, password_stamp
from dokvault.settings import get_settings

log = logging.getLogger(__name__)

ISSUER = "DokVault"
CRYPTO_PURPOSE = "totp"
REPLAY_SECONDS = 90  # a code is valid for at most 3 steps of 30 s (window ±1)
VALID_WINDOW = 1
BACKUP_CODE_COUNT = 10
# No 0/o, 1/l/i: codes are read off paper and typed by hand.
BACKUP_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
BACKUP_HALF = 5
PENDING_SECONDS = 300

# Guesses at a code, per account and per IP; backup codes are fewer and longer-lived, so fewer.
TOTP = ratelimit.Policy("totp", account="10/15 minutes", ip="30/15 minutes")
BACKUP_CODE = ratelimit.Policy("backup_code", account="5/15 minutes", ip="20/15 minutes")
_CODE_POLICIES = {"totp": TOTP, "backup_code": BACKUP_CODE}
REQUIRE_2FA = policy.REQUIRE_2FA

_TOTP_FORMAT = re.compile(r"^\d{6}$")
_BACKUP_FORMAT = re.compile(rf"^[{BACKUP_ALPHABET}]{{{2 * BACKUP_HALF}}}$")


class TwoFactorError(ValueError):
    """A refused second-factor action; `code` is an i18n key."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Enrolment:
    """What the user needs to add DokVault to an authenticator app."""

    secret: str
    uri: str
    qr_data_uri: str  # an SVG rendered on the server, as a data: URI for <img src>


@dataclass(frozen=True)
class Pending:
    """A password that was right, waiting for its second factor."""

    user_id: int
    jti: str
    next: str


# --- helpers -------------------------------------------------------------------------------


def _fresh(user_id: int) -> User:
    with db.session() as s:
        user = s.get(User, user_id)
    if user is None:
        raise TwoFactorError("error.unknown_user")
    return user


def _secret(user: User) -> str | None:
    return crypto.decrypt(user.totp_secret, CRYPTO_PURPOSE) if user.totp_secret else None


def code_attempt(kind: str, user_id: int, ip: str) -> ratelimit.Limited | None:
    """Count one guess at a `totp` or `backup_code`; None if allowed, else how long to wait."""
    return ratelimit.hit(_CODE_POLICIES[kind], account=str(user_id), ip=ip)


def code_succeeded(kind: str, user_id: int) -> None:
    ratelimit.reset(_CODE_POLICIES[kind], account=str(user_id))


def is_enabled(user: User) -> bool:
    return user.totp_enabled_at is not None and bool(user.totp_secret)


def normalize_totp(code: str) -> str:
    return re.sub(r"\s+", "", code or "")


def normalize_backup_code(code: str) -> str:
    return re.sub(r"[\s-]+", "", (code or "").lower())


def _check_totp(user: User, secret: str | None, code: str, client: Client) -> None:
    """Verify a TOTP code (window ±1) and claim it for 90 s; raise TwoFactorError if refused."""
    code = normalize_totp(code)
    if not secret or not _TOTP_FORMAT.match(code) or \
            not pyotp.TOTP(secret).verify(code, valid_window=VALID_WINDOW):
        audit.record("auth.2fa.failed", target_user_id=user.id, client=client)
        raise TwoFactorError("error.2fa_invalid")
    # Hashed: a used code never sits in Redis or the database in the clear.
    replay_key = hashlib.sha256(f"{user.id}:{code}".encode()).hexdigest()[:32]
    if not keystore.claim(f"totp:{replay_key}", REPLAY_SECONDS):
        audit.record("auth.2fa.replay", target_user_id=user.id, client=client)
        raise TwoFactorError("error.2fa_replayed")


def _new_backup_codes(user_id: int) -> list[str]:
    """Replace every backup code of the user with ten new ones; return them in the clear."""
    codes = []
    for _ in range(BACKUP_CODE_COUNT):
        raw = "".join(secrets.choice(BACKUP_ALPHABET) for _ in range(2 * BACKUP_HALF))
        codes.append(f"{raw[:BACKUP_HALF]}-{raw[BACKUP_HALF:]}")
    hashes = [password_hash.hash(normalize_backup_code(c)) for c in codes]
    with db.session() as s:
        s.exec(delete(BackupCode).where(col(BackupCode.user_id) == user_id))
        s.add_all(BackupCode(user_id=user_id, code_hash=h) for h in hashes)
        s.commit()
    return codes


# --- enrolment -----------------------------------------------------------------------------


def start_enrolment(user: User) -> Enrolment:
    """A new secret, stored encrypted and not yet enabled; its URI and QR code."""
    user = _fresh(user.id)
    if is_enabled(user):
        raise TwoFactorError("error.2fa_already_on")
    secret = pyotp.random_base32()
    with db.session() as s:
        row = s.get(User, user.id)
        row.totp_secret = crypto.encrypt(secret, CRYPTO_PURPOSE)
        row.totp_enabled_at = None
        s.add(row)
        s.commit()
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)
    qr = segno.make(uri, error="m").svg_data_uri(scale=5, border=2, dark="#111", light="#fff")
    return Enrolment(secret=secret, uri=uri, qr_data_uri=qr)


def confirm_enrolment(user: User, code: str, client: Client = Client()) -> list[str]:
    """Enable TOTP with a first code; return the ten backup codes (shown once)."""
    user = _fresh(user.id)
    if is_enabled(user):
        raise TwoFactorError("error.2fa_already_on")
    secret = _secret(user)
    if not secret:
        raise TwoFactorError("error.2fa_not_started")
    _check_totp(user, secret, code, client)
    with db.session() as s:
        # One conditional UPDATE: of two confirmations at once only one enables the factor
        # (and makes the backup codes); the other is told it is on already.
        enabled = s.exec(update(User).where(col(User.id) == user.id,
                                            col(User.totp_enabled_at).is_(None),
                                            col(User.totp_secret) == user.totp_secret)
                         .values(totp_enabled_at=utcnow())).rowcount
        s.commit()
    if not enabled:
        raise TwoFactorError("error.2fa_already_on")
    codes = _new_backup_codes(user.id)
    audit.record("auth.2fa.enrolled", actor_id=user.id, target_user_id=user.id, client=client)
    return codes


# --- verification --------------------------------------------------------------------------


def verify_totp(user: User, code: str, client: Client = Client()) -> None:
    """Accept a current code once; raise TwoFactorError (wrong, replayed, not enabled)."""
    user = _fresh(user.id)
    if not is_enabled(user):
        raise TwoFactorError("error.2fa_not_enabled")
    _check_totp(user, _secret(user), code, client)


def use_backup_code(user: User, code: str, client: Client = Client()) -> None:
    """Accept an unused backup code and mark it used; raise TwoFactorError otherwise."""
    user = _fresh(user.id)
    if not is_enabled(user):
        raise TwoFactorError("error.2fa_not_enabled")
    normalized = normalize_backup_code(code)
    if _BACKUP_FORMAT.match(normalized):
        with db.session() as s:
            rows = s.exec(select(BackupCode).where(BackupCode.user_id == user.id,
                                                   col(BackupCode.used_at).is_(None))).all()
        for row in rows:
            if not password_hash.verify(normalized, row.code_hash):
                continue
            with db.session() as s:  # conditional: two requests cannot both spend it
                spent = s.exec(update(BackupCode)
                               .where(col(BackupCode.id) == row.id, col(BackupCode.used_at).is_(None))
                               .values(used_at=utcnow()))
                s.commit()
            if spent.rowcount == 1:
                audit.record("auth.backup_code.used", actor_id=user.id, target_user_id=user.id,
                             client=client, remaining=len(rows) - 1)
                return
            break
    audit.record("auth.backup_code.failed", target_user_id=user.id, client=client)
    raise TwoFactorError("error.backup_code_invalid")


def remaining_backup_codes(user: User) -> int:
    with db.session() as s:
        return s.exec(select(func.count()).select_from(BackupCode).where(
            BackupCode.user_id == user.id, col(BackupCode.used_at).is_(None))).one()


def regenerate_backup_codes(user: User, code: str, client: Client = Client()) -> list[str]:
    """Ten new backup codes (the old ones stop working); requires a current TOTP code."""
    verify_totp(user, code, client)
    codes = _new_backup_codes(user.id)
    audit.record("auth.backup_codes.regenerated", actor_id=user.id, target_user_id=user.id,
                 client=client)
    return codes


def _clear(user_id: int) -> None:
    with db.session() as s:
        row = s.get(User, user_id)
        row.totp_secret = None
        row.totp_enabled_at = None
        s.add(row)
        s.exec(delete(BackupCode).where(col(BackupCode.user_id) == user_id))
        s.commit()


def disable(user: User, code: str, client: Client = Client()) -> None:
    """Turn the second factor off; requires a current TOTP code or an unused backup code."""
    if _TOTP_FORMAT.match(normalize_totp(code)):
        verify_totp(user, code, client)
    else:
        use_backup_code(user, code, client)
    _clear(user.id)
    audit.record("auth.2fa.disabled", actor_id=user.id, target_user_id=user.id, client=client)


def _require_admin(actor: User | None, client: Client, action: str) -> User:
    if actor is not None:
        actor = _fresh(actor.id)  # the role as it is now, not as the caller last saw it
    if actor is None or not actor.is_active or actor.role != Role.ADMIN:
        audit.record("admin.refused", actor_id=actor.id if actor else None, client=client,
                     action=action)
        raise TwoFactorError("error.forbidden")
    return actor


def admin_reset(actor: User | None, user_id: int, client: Client = Client()) -> None:
    """An admin clears another user's second factor (a lost phone); they enrol again."""
    actor = _require_admin(actor, client, "2fa_reset")
    if user_id == actor.id:  # one's own factor is turned off with a code, not by decree
        raise TwoFactorError("error.not_on_yourself")
    target = _fresh(user_id)
    _clear(target.id)
    sessions.revoke_all(target.id)
    audit.record("auth.2fa.reset_by_admin", actor_id=actor.id, target_user_id=target.id,
                 client=client)


# --- organisation setting ------------------------------------------------------------------


def required() -> bool:
    """Whether the organisation requires a second factor on every account (the security
    policy, services/auth/policy.py)."""
    return policy.current().require_2fa


def set_required(actor: User | None, value: bool, client: Client = Client()) -> None:
    actor = _require_admin(actor, client, "require_2fa")
    with db.session() as s:
        row = s.get(AppSetting, REQUIRE_2FA) or AppSetting(key=REQUIRE_2FA)
        row.value = "1" if value else "0"
        s.add(row)
        s.commit()
    policy.forget()
    audit.record("admin.require_2fa_changed", actor_id=actor.id, client=client, required=value)


def must_enrol(user: User) -> bool:
    """True when the organisation requires 2FA and this user has not enrolled yet."""
    return not is_enabled(user) and required()


# --- the pending sign-in (between the password and the code) -------------------------------


def _pending_key() -> bytes:
    return hmac.new(get_settings().signing_key(), b"dokvault:2fa-pending", hashlib.sha256).digest()


def issue_pending(user: User, next_path: str = "/") -> str:
    """A signed, 5-minute token naming the user whose password was right."""
    now = utcnow()
    claims = {
        "typ": "2fa-pending",
        "sub": str(user.id),
        "jti": uuid.uuid4().hex,
        "iat": now,
        "exp": now + timedelta(seconds=PENDING_SECONDS),
        "pwd": password_stamp(user),
        "nxt": next_path,
    }
    return jwt.encode(claims, _pending_key(), algorithm="HS256")


def read_pending(token: str | None) -> Pending | None:
    """The pending sign-in in a cookie, or None if forged, expired, used or stale."""
    if not token:
        return None
    try:
        claims = jwt.decode(token, _pending_key(), algorithms=["HS256"],
                            options={"require": ["exp", "iat", "sub", "jti"]})
        user_id = int(claims["sub"])
    except (jwt.InvalidTokenError, ValueError, TypeError):
        return None
    if claims.get("typ") != "2fa-pending" or keystore.exists(f"2fa-pending:{claims['jti']}"):
        return None
    with db.session() as s:
        user = s.get(User, user_id)
    if user is None or not user.is_active or claims.get("pwd") != password_stamp(user):
        return None
    next_path = claims.get("nxt")
    return Pending(user_id=user_id, jti=str(claims["jti"]),
                   next=next_path if isinstance(next_path, str) else "/")


def consume_pending(pending: Pending) -> bool:
    """Spend the pending token; False if it was already spent (a replayed cookie)."""
    return keystore.claim(f"2fa-pending:{pending.jti}", PENDING_SECONDS + 60)
