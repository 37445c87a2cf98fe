"""The security policy an admin sets on /admin/security is enforced by the auth services,
not only stored: 2FA required of everyone, the session length (for new sessions, and for
those signed in already when it is shortened), and the password rules for every new
password."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import update

from dokvault import db
from dokvault.core import audit
from dokvault.core.validation import Invalid
from dokvault.models import UserSession
from dokvault.models.base import utcnow
from dokvault.services.access import Forbidden
from dokvault.services.auth import accounts, passwords, policy, tokens, two_factor
from tests.unit.helpers import access_token, handled, page_state

STRONG = "Strandkaien-14-Stavanger"


def save(actor, **changes):
    values = {"require_2fa": False, "session_hours": "720", "password_min_length": "12",
              "password_mixed": False, **changes}
    return policy.save(actor, **values)


def test_the_defaults_are_the_old_behaviour(embedded):
    current = policy.current()
    assert current == policy.SecurityPolicy(require_2fa=False, session_hours=30 * 24,
                                            password_min_length=12, password_mixed=False)


@pytest.mark.parametrize(("hours", "length", "errors"), [
    ("0", "12", {"session_hours": "error.policy_range"}),
    ("to uker", "12", {"session_hours": "error.policy_number"}),
    ("24", "7", {"password_min_length": "error.policy_range"}),
    ("99999", "129", {"session_hours": "error.policy_range",
                      "password_min_length": "error.policy_range"}),
])
def test_bad_values_are_refused_beside_their_field(admin, hours, length, errors):
    with pytest.raises(Invalid) as refused:
        save(admin, session_hours=hours, password_min_length=length)
    assert {k: e.code for k, e in refused.value.errors.items()} == errors
    assert policy.current().session_hours == 720
    assert audit.search_events(kind="admin.security_policy_changed")[1] == 0


def test_only_admins_change_it(admin, broker_user):
    with pytest.raises(Forbidden):
        save(broker_user, require_2fa=True)
    assert not policy.current().require_2fa


def test_a_change_is_audited_before_and_after(admin):
    save(admin, require_2fa=True, session_hours="8")
    (event,) = audit.search_events(kind="admin.security_policy_changed")[0]
    assert json.loads(event.detail) == {"before": {"require_2fa": False, "session_hours": 720},
                                        "after": {"require_2fa": True, "session_hours": 8}}


def test_the_password_rules_apply_to_every_new_password(admin):
    assert passwords.policy_violation("a@b.no", "Bare-tolv-12") is None
    save(admin, password_min_length="16", password_mixed=True)
    assert passwords.policy_violation("a@b.no", "Bare-tolv-12") == "error.password_too_short"
    assert passwords.policy_violation("a@b.no", "bareenlangsetningutentall") == \
        "error.password_not_mixed"
    assert passwords.policy_violation("a@b.no", "Seksten-tegn-2026") is None
    with db.session() as s, pytest.raises(accounts.AccountError) as refused:
        accounts.create_user(s, "ny@example.no", "Kort-men-12")
    assert refused.value.code == "error.password_too_short" and refused.value.values == {"n": 16}
    with db.session() as s, pytest.raises(accounts.AccountError):
        accounts.change_password(s, admin, "correct horse battery", "Kort-men-12", None)


def test_required_2fa_makes_everyone_enrol(admin, broker_user):
    assert not two_factor.must_enrol(broker_user)
    save(admin, require_2fa=True)
    assert two_factor.required() and two_factor.must_enrol(broker_user)
    save(admin, require_2fa=False)
    assert not two_factor.must_enrol(broker_user)


def test_the_session_length_applies_to_new_and_to_live_sessions(admin):
    with db.session() as s:
        live = accounts.open_session(s, admin, "the laptop")
    with db.session() as s:  # signed in three hours ago
        s.exec(update(UserSession).where(UserSession.id == live)
               .values(created_at=utcnow() - timedelta(hours=3)))
        s.commit()
        assert accounts.resolve_session(s, live) is not None
    save(admin, session_hours="2")
    with db.session() as s:
        assert accounts.resolve_session(s, live) is None  # past the new length: signed out
        fresh = accounts.open_session(s, admin, "the phone")
        row = s.get(UserSession, fresh)
        assert timedelta(hours=1, minutes=59) < row.expires_at - row.created_at <= timedelta(hours=2)
        assert accounts.resolve_session(s, fresh) is not None
    refresh = tokens.issue_refresh(live)
    assert tokens.rotate_refresh(refresh).user is None  # nor can it be refreshed


def test_the_cookies_last_as_long_as_the_policy_says(admin):
    from starlette.requests import Request
    from starlette.responses import Response

    from dokvault.api import cookies

    save(admin, session_hours="10")
    request = Request({"type": "http", "headers": [], "scheme": "http", "path": "/",
                       "server": ("localhost", 80)})
    with db.session() as s:
        session_id = accounts.open_session(s, admin)
    response = cookies.with_credentials(Response(), request, admin.id, session_id, "r")
    assert all("Max-Age=36000" in h.decode() for k, h in response.raw_headers
               if k == b"set-cookie")


def test_the_policy_page_shows_errors_beside_fields_and_saves(admin):
    from dokvault.pages.admin.security_policy import SecurityPolicyState

    with db.session() as s:
        session_id = accounts.open_session(s, admin, "pytest-browser")
    state = page_state(SecurityPolicyState, access_token(admin.id, session_id))

    def call(name, *args):
        return handled(SecurityPolicyState.event_handlers[name].fn(state, *args))

    call("load")
    assert (state.session_hours, state.password_min_length) == ("720", "12")
    assert call("save", {"session_hours": "0", "password_min_length": "12"}) is None
    assert state.errors == {"policy.session_hours": "Velg et tall fra 1 til 2160."}
    answer = call("save", {"require_2fa": "on", "session_hours": "12",
                           "password_min_length": "14", "password_mixed": "on"})
    assert "success" in str(answer) and state.errors == {}
    assert policy.current() == policy.SecurityPolicy(True, 12, 14, True)
    assert state.require_2fa and state.session_hours == "12"
