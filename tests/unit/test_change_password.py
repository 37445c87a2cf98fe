"""Changing one's password: the current one is checked, the policy (HIBP included)
applies, the hash is Argon2id, every other session is signed out, and it is audited."""

from __future__ import annotations

import logging

import pytest

from dokvault import db
from dokvault.core import audit
from dokvault.core.audit import Client
from dokvault.models import User, UserSession
from dokvault.services.auth import accounts
from dokvault.services.auth.accounts import AccountError
from tests.fakes.hibp import sha1

OLD = "correct horse battery"  # the `admin` fixture's password
NEW = "Fjordgata 7 Ålesund, tredje etasje"
CLIENT = Client(ip="10.0.0.7", user_agent="Firefox/130")


def open_sessions(user, n: int) -> list[str]:
    with db.session() as s:
        return [accounts.open_session(s, user, user_agent=f"browser {i}") for i in range(n)]


def resolve(token):
    with db.session() as s:
        return accounts.resolve_session(s, token)


def change(user, current: str, new: str, keep: str | None) -> int:
    with db.session() as s:
        return accounts.change_password(s, user, current, new, keep, CLIENT)


def refused(user, current: str, new: str, keep: str | None = None) -> str:
    with pytest.raises(AccountError) as info:
        change(user, current, new, keep)
    return info.value.code


def stored(user) -> User:
    with db.session() as s:
        return s.get(User, user.id)


def test_password_change_keeps_this_session_and_signs_out_the_others(admin, broker_user, caplog):
    current, *others = open_sessions(admin, 3)
    broker_token = open_sessions(broker_user, 1)[0]
    before = stored(admin)

    with caplog.at_level(logging.DEBUG):
        assert change(admin, OLD, NEW, current) == 2

    after = stored(admin)
    assert after.password_hash.startswith("$argon2id$") and after.password_hash != before.password_hash
    assert after.password_changed_at > before.password_changed_at
    assert resolve(current).id == admin.id
    assert all(resolve(token) is None for token in others)
    assert resolve(broker_token).id == broker_user.id  # someone else's sessions: untouched
    with db.session() as s:
        assert accounts.authenticate(s, admin.email, OLD) is None
        assert accounts.authenticate(s, admin.email, NEW).id == admin.id

    events, total = audit.search_events(kind="auth.password_changed")
    assert total == 1
    event = events[0]
    assert event.actor_id == admin.id and event.target_user_id == admin.id
    assert event.ip == CLIENT.ip and event.user_agent == CLIENT.user_agent
    assert '"sessions_revoked": 2' in event.detail
    for secret in (OLD, NEW):
        assert secret not in event.detail and secret not in caplog.text


def test_the_wrong_current_password_is_refused_and_audited(admin):
    current, other = open_sessions(admin, 2)
    before = stored(admin)
    assert refused(admin, "wrong horse battery", NEW, current) == "error.current_password_wrong"
    after = stored(admin)
    assert after.password_hash == before.password_hash
    assert after.password_changed_at == before.password_changed_at
    assert resolve(other) is not None  # nothing was signed out
    events, total = audit.search_events(kind="auth.password_change.failed")
    assert total == 1 and events[0].actor_id == admin.id
    assert "wrong horse battery" not in events[0].detail and NEW not in events[0].detail
    assert audit.search_events(kind="auth.password_changed")[1] == 0


@pytest.mark.parametrize(("new", "code"), [
    ("kort", "error.password_too_short"),
    ("admin@example.no", "error.password_is_email"),
    (OLD, "error.password_unchanged"),
])
def test_the_policy_applies(admin, new, code):
    before = stored(admin).password_hash
    assert refused(admin, OLD, new) == code
    assert stored(admin).password_hash == before


def test_a_pwned_new_password_is_refused(admin, hibp_fake):
    hibp_fake.add(NEW)
    current, other = open_sessions(admin, 2)
    assert refused(admin, OLD, NEW, current) == "error.password_pwned"
    assert resolve(other) is not None
    assert hibp_fake.violations == []
    assert hibp_fake.requests[-1].path == f"/range/{sha1(NEW)[:5]}"


def test_hibp_down_does_not_block_a_change(admin, hibp_fake):
    hibp_fake.add(NEW)
    hibp_fake.go_down()
    change(admin, OLD, NEW, None)
    with db.session() as s:
        assert accounts.authenticate(s, admin.email, NEW) is not None


def test_without_a_token_to_keep_every_session_ends(admin):
    tokens = open_sessions(admin, 2)
    assert change(admin, OLD, NEW, None) == 2
    assert all(resolve(token) is None for token in tokens)


def test_a_deactivated_user_cannot_change_the_password(admin):
    with db.session() as s:
        row = s.get(User, admin.id)
        row.is_active = False
        s.add(row)
        s.commit()
    assert refused(admin, OLD, NEW) == "error.forbidden"


def test_revoked_sessions_stay_revoked(admin):
    current, old = open_sessions(admin, 2)
    with db.session() as s:
        accounts.close_session(s, old)
        revoked_at = s.get(UserSession, old).revoked_at
    assert change(admin, OLD, NEW, current) == 0  # the closed one is not counted again
    with db.session() as s:
        assert s.get(UserSession, old).revoked_at == revoked_at
