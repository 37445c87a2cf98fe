"""Access and refresh tokens, and the attacks the issue names: alg none, HS256 signed with
the public key, expired, not yet valid, swapped fingerprint, revoked jti, refresh reuse."""

from datetime import timedelta

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from sqlmodel import select

from dokvault import db
from dokvault.models import RefreshToken, UserSession
from dokvault.models.base import utcnow
from dokvault.services.auth import accounts, tokens

FGP = tokens.fingerprint("Firefox/128.0", "nb-NO,nb;q=0.9")


@pytest.fixture
def family(admin):
    with db.session() as s:
        accounts.open_session(s, admin, "Firefox/128.0", "10.0.0.1")
        return s.exec(select(UserSession)).first()


def claims_for(admin, family, **override):
    now = utcnow()
    base = {"iss": "dokvault", "sub": str(admin.id), "sid": family.id, "jti": "j1", "fgp": FGP,
            "iat": now, "nbf": now, "exp": now + timedelta(minutes=15)}
    return {**base, **override}


def test_access_token_round_trip(admin, family):
    token, expires = tokens.issue_access(admin.id, family.id, FGP)
    assert jwt.get_unverified_header(token)["alg"] == "ES256"
    claims = tokens.verify_access(token, FGP)
    assert (claims.user_id, claims.session_id) == (admin.id, family.id)
    assert timedelta(minutes=14) < expires - utcnow() <= timedelta(minutes=15)


def test_same_key_in_every_process_from_secret_key(admin):
    pem = tokens.signing_key().private_bytes(serialization.Encoding.PEM,
                                             serialization.PrivateFormat.PKCS8,
                                             serialization.NoEncryption())
    tokens.signing_key.cache_clear()
    assert tokens.signing_key().private_bytes(serialization.Encoding.PEM,
                                              serialization.PrivateFormat.PKCS8,
                                              serialization.NoEncryption()) == pem


@pytest.mark.parametrize("attack", ["none", "hs256-public-key", "expired", "not-yet-valid",
                                    "fingerprint", "other-issuer", "tampered"])
def test_forged_and_stale_tokens_are_refused(admin, family, attack):
    public_pem = tokens.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    now = utcnow()
    if attack == "none":
        token = jwt.encode(claims_for(admin, family), key=None, algorithm="none")
    elif attack == "hs256-public-key":
        # Signed with the public key as an HMAC secret: the classic algorithm confusion.
        import hashlib
        import hmac
        import json
        from base64 import urlsafe_b64encode as b64

        def part(obj):
            return b64(json.dumps(obj, default=lambda d: int(d.timestamp())).encode()).rstrip(b"=")
        head_body = part({"alg": "HS256", "typ": "JWT"}) + b"." + part(claims_for(admin, family))
        signature = b64(hmac.new(public_pem, head_body, hashlib.sha256).digest()).rstrip(b"=")
        token = (head_body + b"." + signature).decode()
    elif attack == "expired":
        token = jwt.encode(claims_for(admin, family, exp=now - timedelta(seconds=1)),
                           tokens.signing_key(), algorithm="ES256")
    elif attack == "not-yet-valid":
        token = jwt.encode(claims_for(admin, family, nbf=now + timedelta(minutes=5)),
                           tokens.signing_key(), algorithm="ES256")
    elif attack == "fingerprint":
        token, _ = tokens.issue_access(admin.id, family.id, tokens.fingerprint("curl/8", ""))
    elif attack == "other-issuer":
        token = jwt.encode(claims_for(admin, family, iss="evil"), tokens.signing_key(),
                           algorithm="ES256")
    else:
        good, _ = tokens.issue_access(admin.id, family.id, FGP)
        head, body, sig = good.split(".")
        token = f"{head}.{body[:-2]}AA.{sig}"
    with pytest.raises(tokens.TokenError):
        tokens.verify_access(token, FGP)


def test_revoked_jti_is_refused(admin, family):
    token, _ = tokens.issue_access(admin.id, family.id, FGP)
    tokens.revoke_access(tokens.verify_access(token, FGP))
    with pytest.raises(tokens.TokenError) as refused:
        tokens.verify_access(token, FGP)
    assert refused.value.reason == "revoked"


def test_refresh_rotates_and_reuse_revokes_the_family(admin, family):
    first = tokens.issue_refresh(family.id)
    second = tokens.rotate_refresh(first)
    assert second.refresh_token and second.user.id == admin.id and not second.reused
    third = tokens.rotate_refresh(second.refresh_token)
    assert third.refresh_token

    used_long_ago(first)
    replay = tokens.rotate_refresh(first)  # a copy of an already rotated token comes back
    assert replay.reused and replay.refresh_token is None and replay.session_id == family.id
    with db.session() as s:
        assert s.get(UserSession, family.id).revoked_at is not None
    assert tokens.rotate_refresh(third.refresh_token).refresh_token is None  # family is dead


def used_long_ago(token: str) -> None:
    """Move a used token's rotation out of the grace window, as if a minute had passed."""
    with db.session() as s:
        row = s.exec(select(RefreshToken)
                     .where(RefreshToken.token_hash == accounts.token_hash(token))).one()
        row.used_at = utcnow() - timedelta(minutes=1)
        s.add(row)
        s.commit()


def test_two_tabs_refreshing_at_once_keep_the_session(admin, family):
    """The same token twice within seconds is a race between tabs, not theft: the second
    gets an access token only (the cookie already holds the successor); nothing is revoked."""
    first = tokens.issue_refresh(family.id)
    winner = tokens.rotate_refresh(first)
    loser = tokens.rotate_refresh(first)
    assert winner.refresh_token and not winner.reused
    assert loser.user.id == admin.id and loser.refresh_token is None and not loser.reused
    with db.session() as s:
        assert s.get(UserSession, family.id).revoked_at is None
    assert tokens.rotate_refresh(winner.refresh_token).refresh_token  # the family lives on


def test_unknown_or_missing_refresh_tokens_give_nothing(admin, family):
    assert tokens.rotate_refresh(None) == tokens.Rotation()
    assert tokens.rotate_refresh("not-a-token") == tokens.Rotation()
