"""Device cookies (OWASP's defence against lockout by brute force): a browser that signed in
to an account gets a signed token naming that account. Its later sign-in attempts for the
account count against a limit of their own (per token), so someone else's wrong guesses,
which share the account's limit, do not lock the owner out.

The token is signed with a key derived from SECRET_KEY and carries the password stamp: a
password change or reset voids every device cookie of the account.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import uuid
from datetime import timedelta

import jwt

from dokvault import db
from dokvault.models import User
from dokvault.models.base import utcnow
from dokvault.services.auth import accounts
from dokvault.settings import get_settings

log = logging.getLogger(__name__)
LIFETIME = timedelta(days=365)
KIND = "device"


def _key() -> bytes:
    return hmac.new(get_settings().signing_key(), b"dokvault:device-cookie", hashlib.sha256).digest()


def issue(user_id: int) -> str | None:
    """A new device token for this browser, after a successful sign-in to `user_id`."""
    with db.session() as s:
        user = s.get(User, user_id)
    if user is None:
        return None
    now = utcnow()
    claims = {"typ": KIND, "sub": str(user.id), "jti": uuid.uuid4().hex, "iat": now,
              "exp": now + LIFETIME, "pwd": accounts.password_stamp(user)}
    return jwt.encode(claims, _key(), algorithm="HS256")


def recognise(token: str | None, email: str) -> str | None:
    """The device id when `token` is a valid device token of the account `email` names;
    None for no token, a forged or expired one, another account's or a voided one."""
    if not token:
        return None
    try:
        claims = jwt.decode(token, _key(), algorithms=["HS256"],
                            options={"require": ["exp", "sub", "jti"]})
        user_id = int(claims["sub"])
    except (jwt.InvalidTokenError, ValueError, TypeError):
        log.info("device cookie ignored: invalid")
        return None
    with db.session() as s:
        user = accounts.find_user(s, email)
    if (claims.get("typ") != KIND or user is None or user.id != user_id
            or claims.get("pwd") != accounts.password_stamp(user)):
        log.info("device cookie ignored: not for this account or voided by a password change")
        return None
    return str(claims["jti"])
