"""Page events check the access token of their websocket and its session on every event:
a revoked session loses access at its next event; an expired token is good only if this
tab's websocket proved it valid before; forged tokens and other browsers are refused and
audited; a broker calling an admin event handler gets nothing."""

from __future__ import annotations

from datetime import timedelta

import jwt

from dokvault import db
from dokvault.core import audit
from dokvault.models.base import utcnow
from dokvault.services.auth import accounts, tokens
from tests.unit.helpers import BROWSER, access_token, handshake, page_state


def session_for(user) -> int:
    with db.session() as s:
        return accounts.open_session(s, user, BROWSER[0], "10.9.8.7")


def expired_token(user_id: int, session_id: int, jti: str) -> str:
    past = utcnow() - timedelta(minutes=20)
    claims = {"iss": "dokvault", "sub": str(user_id), "sid": session_id, "jti": jti,
              "fgp": tokens.fingerprint(*BROWSER), "iat": past, "nbf": past,
              "exp": past + tokens.ACCESS_LIFETIME}
    return jwt.encode(claims, tokens.signing_key(), algorithm="ES256")


def sessions_state(token):
    from dokvault.pages.auth.sessions import SessionsState

    return page_state(SessionsState, token)


def load(state):
    from dokvault.pages.auth.sessions import SessionsState

    return SessionsState.event_handlers["load"].fn(state)


def test_a_valid_token_lists_the_sessions_and_marks_this_one(admin):
    mine, other = session_for(admin), session_for(admin)
    state = sessions_state(access_token(admin.id, mine))
    assert load(state) is None
    assert {(r["id"], r["current"]) for r in state.rows} == {(mine, True), (other, False)}


def test_a_revoked_session_loses_access_at_its_next_event(admin):
    from dokvault.services.auth import sessions

    mine = session_for(admin)
    state = sessions_state(access_token(admin.id, mine))
    assert load(state) is None
    sessions.revoke(admin, mine)
    assert load(state) is not None and state.user_email == ""  # sent away at once


def test_an_expired_token_is_refused_unless_this_tab_proved_it_valid(admin):
    from dokvault.state.base import AppState

    mine = session_for(admin)
    stale = page_state(AppState, expired_token(admin.id, mine, "stale"))
    assert stale._signed_in() is None and stale._refusal == "expired"
    assert "auth.token_refused" in {e.kind for e in audit.search_events()[0]}
    # The page is sent to the refresh route (its cookie is good), not to sign-in.
    assert "/api/auth/refresh?next=" in str(stale._signed_out())

    # A websocket keeps its handshake cookie: a token it proved valid stays good on that
    # connection while the session lives, and dies with it.
    fresh_then_expired = page_state(AppState, access_token(admin.id, mine))
    who = fresh_then_expired._signed_in()
    assert who is not None and fresh_then_expired._verified_jti == who.jti
    socket = fresh_then_expired.router.session.session_id
    handshake(fresh_then_expired, expired_token(admin.id, mine, who.jti), socket=socket)
    assert fresh_then_expired._signed_in() is not None
    with db.session() as s:
        accounts.close_session(s, mine)
    assert fresh_then_expired._signed_in() is None


def test_a_new_connection_never_revives_an_expired_token(admin):
    """The tab's client token (in websocket URLs) is no key to an expired access token:
    a new socket reusing the tab with the expired cookie goes through the refresh route."""
    from dokvault.state.base import AppState

    mine = session_for(admin)
    tab = page_state(AppState, access_token(admin.id, mine))
    who = tab._signed_in()
    assert who is not None
    handshake(tab, expired_token(admin.id, mine, who.jti))  # a new socket, 17 minutes on
    assert tab._signed_in() is None and tab._refusal == "expired"


def test_another_browser_with_the_cookie_is_refused_and_audited(admin):
    from dokvault.state.base import AppState

    token = access_token(admin.id, session_for(admin))
    thief = page_state(AppState, token, browser=("curl/8.5", "en-US"))
    assert thief._signed_in() is None and thief._refusal == "fingerprint"
    [event], _ = audit.search_events(kind="auth.token_refused")
    assert "fingerprint" in event.detail and event.user_agent == "curl/8.5"


def test_alg_none_is_refused_on_page_events(admin):
    from dokvault.state.base import AppState

    now = utcnow()
    claims = {"iss": "dokvault", "sub": str(admin.id), "sid": session_for(admin), "jti": "x",
              "fgp": tokens.fingerprint(*BROWSER), "iat": now, "nbf": now,
              "exp": now + timedelta(minutes=5)}
    state = page_state(AppState, jwt.encode(claims, None, algorithm="none"))
    assert state._signed_in() is None and state._refusal == "invalid"


def test_a_broker_calling_an_admin_event_handler_gets_nothing(admin, broker_user):
    from dokvault.models import User
    from dokvault.pages.admin.users import AdminUsersState

    state = page_state(AdminUsersState, access_token(broker_user.id, session_for(broker_user)))
    handlers = AdminUsersState.event_handlers
    handlers["open_edit"].fn(state, admin.id)
    handlers["set_active"].fn(state, admin.id, False)
    handlers["invite"].fn(state, {"email": "spy@example.no", "role": "admin"})
    assert state.users == []
    with db.session() as s:
        row = s.get(User, admin.id)
        assert (row.role, row.is_active) == ("admin", True)
        assert accounts.find_user(s, "spy@example.no") is None
    assert audit.search_events(kind="admin.refused")[1] == 3
