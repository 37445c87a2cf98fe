"""The /account page's state, called as Reflex would call it on an event, with the
access cookie in the connection's headers (no browser, no running app)."""

from __future__ import annotations

import pytest

from dokvault import db
from dokvault.core import audit
from dokvault.services.auth import accounts
from tests.unit.helpers import access_token, handled, page_state

OLD = "correct horse battery"
NEW = "Fjordgata 7 Ålesund, tredje etasje"


def account_state(session_id: int | None, user_id: int | None = None):
    from dokvault.pages.auth.account import AccountState

    token = access_token(user_id, session_id) if session_id else None
    return page_state(AccountState, token)


def submit(state, current=OLD, new=NEW, confirm=None):
    from dokvault.pages.auth.account import AccountState

    handler = AccountState.event_handlers["change_password"].fn
    form = {"current_password": current, "new_password": new,
            "new_password_confirm": new if confirm is None else confirm}
    return handled(handler(state, form))


@pytest.fixture
def signed_in(admin):
    with db.session() as s:
        mine = accounts.open_session(s, admin, "this browser")
        other = accounts.open_session(s, admin, "the phone")
    return mine, other


def resolve(session_id):
    with db.session() as s:
        return accounts.resolve_session(s, session_id)


def test_load_shows_who_is_signed_in(admin, signed_in):
    from dokvault.pages.auth.account import AccountState

    state = account_state(signed_in[0], admin.id)
    AccountState.event_handlers["load"].fn(state)
    assert (state.user_email, state.user_role) == ("admin@example.no", "admin")
    assert state.role_key == "account.role.admin"


def test_not_signed_in_is_sent_to_login(admin):
    state = account_state(None)
    submit(state)
    assert state.user_email == "" and state.message_key == ""
    with db.session() as s:
        assert accounts.authenticate(s, admin.email, OLD) is not None  # nothing changed


def test_change_keeps_this_browser_and_ends_the_others(admin, signed_in):
    mine, other = signed_in
    state = account_state(mine, admin.id)
    submit(state)
    assert state.message_key == "account.changed" and state.succeeded and state.message_n == 1
    assert resolve(mine) is not None and resolve(other) is None
    event = audit.search_events(kind="auth.password_changed")[0][0]
    assert event.ip == "10.9.8.7" and event.user_agent == "pytest-browser"


def test_mismatch_and_wrong_current_password(admin, signed_in):
    state = account_state(signed_in[0], admin.id)
    submit(state, confirm="something else entirely")
    assert state.message_key == "account.mismatch" and not state.succeeded
    submit(state, current="wrong horse battery")
    assert state.message_key == "error.current_password_wrong" and not state.succeeded
    assert resolve(signed_in[1]) is not None


def test_guessing_through_the_form_hits_the_sessions_limit(admin, signed_in):
    state = account_state(signed_in[0], admin.id)
    for _ in range(10):
        submit(state, current="wrong horse battery")
    submit(state)  # even the right password, until the window passes
    assert state.message_key == "error.rate_limited" and state.message_n >= 1
    assert audit.search_events(kind="auth.rate_limited")[1] == 1
    with db.session() as s:
        assert accounts.authenticate(s, admin.email, OLD) is not None


def test_someone_elses_failed_sign_ins_do_not_block_the_owners_change(admin, signed_in):
    for _ in range(11):  # the account is locked for every browser without a device cookie
        accounts.sign_in_attempt(admin.email, None, "203.0.113.5")
    assert accounts.sign_in_attempt(admin.email, None, "203.0.113.6") is not None
    state = account_state(signed_in[0], admin.id)
    submit(state)
    assert state.message_key == "account.changed" and state.succeeded


def test_the_page_compiles():
    from dokvault.pages.auth.account import account_page

    account_page()
