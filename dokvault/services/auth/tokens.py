"""Access tokens (ES256 JWT, 15 minutes, jti, client fingerprint) and refresh tokens
(30 days, rotated on every use; reuse of a rotated one revokes the whole family).

A family is a `UserSession`: every refresh token of one sign-in belongs to it.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import jwt
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import update
from sqlmodel import col, select

from dokvault import db
from dokvault.core import audit, keystore
from dokvault.core.audit import Client
from dokvault.core.caches import per_settings
from dokvault.models import RefreshToken, User, UserSession
from dokvault.models.base import utcnow
from dokvault.services import notify
from dokvault.services.auth.accounts import session_end, token_hash
from dokvault.settings import get_settings

log = logging.getLogger(__name__)
ACCESS_LIFETIME = timedelta(minutes=15)
REUSE_GRACE = timedelta(seconds=10)
ALGORITHM = "ES256"
ISSUER = "dokvault"
# P-256 group order: a derived scalar must lie in [1, n-1].
P256_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551


class TokenError(Exception):
    """A refused token; `reason` says why (for the audit log, never shown with the token)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class AccessClaims:
    user_id: int
    session_id: int
    jti: str
    expires_at: datetime

    @property
    def expired(self) -> bool:
        return self.expires_at <= utcnow()


@per_settings
def signing_key() -> ec.EllipticCurvePrivateKey:
    """JWT_PRIVATE_KEY (PEM) if set; else a P-256 key derived from SECRET_KEY, so every
    process of a deployment signs and verifies with the same key and nothing is stored."""
    settings = get_settings()
    pem = settings.jwt_private_key.get_secret_value()
    if pem:
        key = serialization.load_pem_private_key(pem.encode(), password=None)
        if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
            raise ValueError("JWT_PRIVATE_KEY must be an EC P-256 private key")
        return key
    seed = HKDF(algorithm=hashes.SHA256(), length=48, salt=b"dokvault-es256",
                info=b"access-tokens").derive(settings.signing_key())
    return ec.derive_private_key(int.from_bytes(seed, "big") % (P256_ORDER - 1) + 1,
                                 ec.SECP256R1())


def public_key() -> ec.EllipticCurvePublicKey:
    return signing_key().public_key()


def fingerprint(user_agent: str, accept_language: str) -> str:
    """Binds a token to the client that got it; a stolen cookie elsewhere does not verify."""
    return hashlib.sha256(f"{user_agent}\n{accept_language}".encode()).hexdigest()[:32]


def issue_access(user_id: int, session_id: int, client_fingerprint: str) -> tuple[str, datetime]:
    now = utcnow()
    expires = now + ACCESS_LIFETIME
    claims = {
        "iss": ISSUER, "sub": str(user_id), "sid": session_id, "jti": uuid.uuid4().hex,
        "fgp": client_fingerprint, "iat": now, "nbf": now, "exp": expires,
    }
    return jwt.encode(claims, signing_key(), algorithm=ALGORITHM), expires


def verify_access(token: str | None, client_fingerprint: str, *,
                  allow_expired: bool = False) -> AccessClaims:
    """Signature (ES256 only: no `none`, no HS256 with the public key), lifetime, issuer,
    fingerprint and revocation of the jti. The session itself is the caller's to check.

    `allow_expired` is for a websocket that proved this very token valid earlier: its
    handshake cookie cannot change, so an expired token is checked in every other way."""
    if not token:
        raise TokenError("missing")
    try:
        claims = jwt.decode(
            token, public_key(), algorithms=[ALGORITHM], issuer=ISSUER,
            options={"require": ["exp", "nbf", "iat", "jti", "sub", "sid", "fgp"],
                     "verify_exp": not allow_expired},
        )
    except jwt.ExpiredSignatureError as exc:
        raise TokenError("expired") from exc
    except jwt.ImmatureSignatureError as exc:
        raise TokenError("not_yet_valid") from exc
    except jwt.PyJWTError as exc:
        raise TokenError("invalid") from exc
    if not secrets.compare_digest(str(claims["fgp"]), client_fingerprint):
        raise TokenError("fingerprint")
    if keystore.exists(f"jti:{claims['jti']}"):
        raise TokenError("revoked")
    return AccessClaims(int(claims["sub"]), int(claims["sid"]), str(claims["jti"]),
                        datetime.fromtimestamp(claims["exp"], tz=utcnow().tzinfo))


@per_settings(maxsize=1024)
def session_of(token: str | None, client_fingerprint: str) -> int | None:
    """The session a token of ours names for this browser, expired or not, else None:
    whose a tab's state is (the events themselves check lifetime and revocation)."""
    if not token:
        return None
    try:
        claims = jwt.decode(token, public_key(), algorithms=[ALGORITHM], issuer=ISSUER,
                            options={"require": ["sid", "fgp"], "verify_exp": False})
    except jwt.PyJWTError:
        return None
    if not secrets.compare_digest(str(claims["fgp"]), client_fingerprint):
        return None
    return int(claims["sid"])


def revoke_access(claims: AccessClaims) -> None:
    ttl = int((claims.expires_at - utcnow()).total_seconds()) + 1
    if ttl > 0:
        keystore.claim(f"jti:{claims.jti}", ttl)


def issue_refresh(session_id: int) -> str:
    token = secrets.token_urlsafe(32)
    with db.session() as s:
        s.add(RefreshToken(session_id=session_id, token_hash=token_hash(token)))
        s.commit()
    return token


@dataclass(frozen=True)
class Rotation:
    user: User | None = None
    session_id: int | None = None
    refresh_token: str | None = None  # None with a user: a raced refresh, keep the cookie
    reused: bool = False  # a rotated token came back: the family is revoked


def rotate_refresh(token: str | None, client: Client = Client(), lang: str = "nb") -> Rotation:
    """Trade a refresh token for a new one. A token that was already used means someone
    else holds a copy: every token of its family (the session) dies with it, the event is
    audited and the owner gets a security-alert mail. Within REUSE_GRACE of its rotation
    (two tabs refreshing at once) the family lives and only a new access token is due."""
    if not token:
        return Rotation()
    now = utcnow()
    with db.session() as s:
        row = s.exec(select(RefreshToken).where(RefreshToken.token_hash == token_hash(token))).first()
        family = s.get(UserSession, row.session_id) if row else None
        if row is None or family is None:
            return Rotation()
        user = s.get(User, family.user_id)
        alive = family.revoked_at is None and session_end(family) > now \
            and user is not None and user.is_active
        claimed = s.execute(  # atomic: of two concurrent uses, one wins
            update(RefreshToken)
            .where(RefreshToken.id == row.id, col(RefreshToken.used_at).is_(None))
            .values(used_at=now)
        ).rowcount == 1
        if not claimed:
            s.refresh(row)  # the winner's used_at
            if alive and row.used_at is not None and now - row.used_at < REUSE_GRACE:
                return Rotation(user=user, session_id=family.id)
            if family.revoked_at is None:
                family.revoked_at = now
                s.add(family)
            s.commit()
            log.warning("refresh token reuse: session %s revoked", family.id)
            audit.record("auth.refresh_token_reuse", target_user_id=family.user_id,
                         client=client, session_id=family.id)
            notify.security_alert(family.user_id, "refresh_token_reuse", client.ip, lang)
            return Rotation(user=user, session_id=family.id, reused=True)
        if not alive:
            s.commit()
            return Rotation()
        family.last_seen_at = now
        s.add(family)
        s.commit()
    return Rotation(user=user, session_id=family.id, refresh_token=issue_refresh(family.id))
