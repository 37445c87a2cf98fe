"""Password reset by mail: a single-use signed link, valid one hour.

The token is a PyJWT HS256 token under a key derived from the server secret for this
purpose only. It names the user, carries a `jti` (claimed once in the keystore, so a used
link is refused) and `pwf`, an HMAC of the user's current password hash and
`password_changed_at`, so any password change voids every link issued before it.

`request_reset` answers the same whether or not the e-mail belongs to a user; the link is
minted by the `email` worker when the mail is rendered, so no link sits in the queue.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import jwt

from dokvault import db
from dokvault.core import audit, jobs, keystore, ratelimit
from dokvault.core.audit import Client
from dokvault.i18n import LANGUAGES
from dokvault.integrations import mail
from dokvault.models import User
from dokvault.models.base import utcnow
from dokvault.services.auth import accounts, sessions
from dokvault.settings import get_settings

log = logging.getLogger(__name__)

LIFETIME = timedelta(hours=1)
ALGORITHM = "HS256"
ISSUER = "dokvault"
AUDIENCE = "dokvault:password-reset"
KEY_PREFIX = "pwreset:"
# Reset mails: few per address, so nobody floods an inbox through us.
PASSWORD_RESET = ratelimit.Policy("password_reset", account="3/hour", ip="10/hour")



class ResetRefused(ValueError):
    """The link cannot be used; `reason` goes to the audit log, `code` to the user."""

    def __init__(self, reason: str, code: str = "reset.invalid", user_id: int | None = None):
        super().__init__(reason)
        self.reason, self.code, self.user_id = reason, code, user_id


def _key() -> bytes:
    return hmac.new(get_settings().signing_key(), b"dokvault password reset v1",
                    hashlib.sha256).digest()


def _changed_at(user: User) -> int:
    stamp = user.password_changed_at
    if stamp.tzinfo is None:  # SQLite and timestamp columns give naive UTC
        stamp = stamp.replace(tzinfo=UTC)
    return int(stamp.timestamp())


def fingerprint(user: User) -> str:
    """Changes whenever the password does (new hash, new `password_changed_at`)."""
    material = f"{user.id}|{user.password_hash}|{_changed_at(user)}".encode()
    return hmac.new(_key(), material, hashlib.sha256).hexdigest()[:32]


def issue_token(user: User, now: datetime | None = None, lifetime: timedelta = LIFETIME) -> str:
    issued = now or utcnow()
    claims = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": str(user.id),
        "jti": secrets.token_urlsafe(16),
        "iat": issued,
        "exp": issued + lifetime,
        "pwf": fingerprint(user),
    }
    return jwt.encode(claims, _key(), algorithm=ALGORITHM)


def reset_link(user: User, lifetime: timedelta = LIFETIME) -> str:
    """A set-password link; invitations live longer than reset links."""
    base = get_settings().frontend_url.rstrip("/")
    token = issue_token(user, lifetime=lifetime)
    return f"{base}/reset-password?{urlencode({'token': token})}"


def mail_leaves() -> bool:
    """Whether a reset mail would really be sent (else an admin hands on a link)."""
    return mail.delivers()


def request_reset(email: str, lang: str, client: Client = Client()) -> ratelimit.Limited | None:
    """Queue a reset mail if `email` is an active user's. Returns only the rate-limit verdict,
    so the caller answers the same for known and unknown addresses."""
    limited = ratelimit.hit(PASSWORD_RESET, account=email, ip=client.ip)
    if limited:
        audit.record("auth.rate_limited", client=client, action="password_reset")
        return limited
    with db.session() as s:
        user = accounts.find_user(s, email) if email.strip() else None
        if user is None or not user.is_active:
            audit.record("auth.password_reset.requested", client=client, session=s, known=False)
            return None
        user_id = user.id
        audit.record("auth.password_reset.requested", target_user_id=user_id, client=client,
                     session=s, known=True)
    if mail.delivers():  # else nothing is queued that would only pretend to be sent
        jobs.send("send_notification", "password_reset", user_id, lang if lang in LANGUAGES else "nb")
    return None


def _decode(token: str) -> dict:
    try:
        return jwt.decode(
            token, _key(), algorithms=[ALGORITHM], audience=AUDIENCE, issuer=ISSUER,
            options={"require": ["exp", "iat", "jti", "sub", "pwf"]},
        )
    except jwt.ExpiredSignatureError:
        raise ResetRefused("expired") from None
    except jwt.InvalidTokenError:
        raise ResetRefused("invalid") from None


def check_token(token: str) -> User:
    """The user a still-usable link belongs to (signature, expiry, fingerprint, not used)."""
    claims = _decode(token or "")
    try:
        user_id = int(claims["sub"])
    except (TypeError, ValueError):
        raise ResetRefused("invalid") from None
    with db.session() as s:
        user = s.get(User, user_id)
    if user is None or not user.is_active:
        raise ResetRefused("no_active_user", user_id=user_id)
    if not hmac.compare_digest(str(claims["pwf"]), fingerprint(user)):
        raise ResetRefused("password_changed", user_id=user_id)
    if keystore.exists(KEY_PREFIX + str(claims["jti"])):
        raise ResetRefused("already_used", user_id=user_id)
    return user


def reset_password(token: str, new_password: str, client: Client = Client()) -> int:
    """Set a new password through a reset link, once. Signs out every session of the user.
    Returns the user id. Raises ResetRefused (audited) or AccountError (policy; the link
    stays usable)."""
    try:
        user = check_token(token)
        accounts.check_password_policy(user.email, new_password)
        claims = _decode(token)
        remaining = int(claims["exp"] - utcnow().timestamp()) + 1  # remembered while valid
        if not keystore.claim(KEY_PREFIX + str(claims["jti"]), max(remaining, 1)):
            raise ResetRefused("already_used", user_id=user.id)  # raced by a second use
    except ResetRefused as exc:
        audit.record("auth.password_reset.refused", target_user_id=exc.user_id, client=client,
                     reason=exc.reason)
        log.info("password reset refused user=%s reason=%s", exc.user_id, exc.reason)
        raise
    now = utcnow()
    with db.session() as s:
        row = s.get(User, user.id)
        if row is None or fingerprint(row) != fingerprint(user):  # changed since the check
            audit.record("auth.password_reset.refused", target_user_id=user.id, client=client,
                         session=s, reason="password_changed")
            raise ResetRefused("password_changed", user_id=user.id)
        row.password_hash = accounts.password_hash.hash(new_password)
        row.password_changed_at = now
        invited = row.invited_at is not None
        row.invited_at = None  # an invitation is taken up by choosing the password
        s.add(row)
        revoked = sessions.revoke_all(row.id, session=s)
        s.commit()
        audit.record("auth.password_reset.done", actor_id=row.id, target_user_id=row.id,
                     client=client, session=s, sessions_revoked=revoked, invitation=invited)
    accounts.sign_in_succeeded(user.email)
    log.info("password reset done user=%s sessions_revoked=%s", user.id, revoked)
    return user.id
