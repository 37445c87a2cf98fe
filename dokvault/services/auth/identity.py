"""Who is asking: an access token, checked on the server at every request and every page
event, and the live session it names."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from dokvault import db
from dokvault.core import audit
from dokvault.core.audit import Client
from dokvault.models import User
from dokvault.services.auth import accounts, tokens, two_factor
from dokvault.services.auth.tokens import TokenError

log = logging.getLogger(__name__)
# Refusals worth an audit entry: a token that is forged, stale or someone else's. A missing
# token is a signed-out visitor; a dead session was audited when it was revoked.
AUDITED_REASONS = frozenset({"invalid", "expired", "not_yet_valid", "fingerprint", "revoked"})


@dataclass(frozen=True)
class SignedIn:
    user: User
    session_id: int
    jti: str
    fresh: bool  # the token itself is unexpired (not only vouched for by `known_jti`)


def identify(token: str | None, fingerprint: str, client: Client = Client(), *,
             known_jti: str = "", enrolling: bool = False) -> SignedIn:
    """The signed-in user, or TokenError. `known_jti` is the token this very websocket
    already proved valid: its handshake cookie cannot change, so that token may run past
    its 15 minutes while the session lives (revoking the session still ends it at once);
    a new connection never gets that grace. While the organisation requires 2FA, a user
    who has not enrolled is refused ("enrol") except where `enrolling` (the enrolment page
    itself, signing out)."""
    try:
        claims = tokens.verify_access(token, fingerprint, allow_expired=bool(known_jti))
        if claims.expired and claims.jti != known_jti:
            raise TokenError("expired")
        with db.session() as s:
            user = accounts.resolve_session(s, claims.session_id)
        if user is None or user.id != claims.user_id:
            raise TokenError("session")
        if not enrolling and two_factor.must_enrol(user):
            raise TokenError("enrol")
    except TokenError as exc:
        if exc.reason in AUDITED_REASONS:
            log.info("access token refused: %s", exc.reason)
            audit.record("auth.token_refused", client=client, reason=exc.reason)
        raise
    return SignedIn(user, claims.session_id, claims.jti, fresh=not claims.expired)
