"""The admin form pattern and the forms built on it: errors per field collected at once,
changes audited with the values before and after (secrets masked, nothing recorded when
nothing changed), and the users page's edit, delete and pending invitations."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest

from dokvault import db
from dokvault.core import audit
from dokvault.core.caches import reset_caches
from dokvault.core.validation import Checks, Invalid
from dokvault.models import User
from dokvault.services import admin as admin_service
from dokvault.services import documents
from dokvault.services.access import Forbidden
from dokvault.services.admin import offices
from dokvault.services.auth import accounts, password_reset
from tests.samples import make_text
from tests.servers import free_port
from tests.unit.helpers import access_token, handled, page_state


def details(kind: str) -> list[dict]:
    return [json.loads(e.detail or "{}") for e in audit.search_events(kind=kind)[0]]


# --- the pattern -----------------------------------------------------------------------------


def test_checks_collect_every_field_and_keep_an_errors_own_field():
    def positive(value: int) -> int:
        if value <= 0:
            raise Invalid("error.too_small", "", min=1)
        return value

    def placed(_value):
        raise Invalid("error.elsewhere", "other")

    checks = Checks()
    assert checks.run("a", positive, 3) == 3
    assert checks.run("b", positive, 0) is None
    checks.run("c", placed, 1)
    checks.add("d", "error.missing")
    with pytest.raises(Invalid) as refused:
        checks.raise_if_any()
    assert {k: e.code for k, e in refused.value.errors.items()} == {
        "b": "error.too_small", "other": "error.elsewhere", "d": "error.missing"}
    assert refused.value.code == "error.too_small" and refused.value.values == {"min": 1}


def test_a_change_is_recorded_before_and_after_with_secrets_masked(embedded):
    before = {"name": "Bergen", "password": "old-secret-1", "limit": 5}
    after = {"name": "Bergen sentrum", "password": "new-secret-2", "limit": 5}
    assert audit.record_change("admin.thing_changed", before, after, secret=("password",),
                               actor_id=1)
    (detail,) = details("admin.thing_changed")
    assert detail == {"before": {"name": "Bergen", "password": "••••"},
                      "after": {"name": "Bergen sentrum", "password": "••••"}}
    assert "secret" not in audit.search_events()[0][0].detail
    assert not audit.record_change("admin.thing_changed", after, dict(after), actor_id=1)
    assert len(details("admin.thing_changed")) == 1  # nothing changed: nothing recorded


def test_detail_values_are_bounded_one_by_one_so_the_json_stays_whole(embedded):
    audit.record("admin.long", actor_id=1, text="ø" * 5000, items=list(range(500)))
    (detail,) = details("admin.long")
    assert len(detail["text"]) == audit.MAX_VALUE and len(detail["items"]) == audit.MAX_ITEMS


# --- users -----------------------------------------------------------------------------------


def users_page(user):
    from dokvault.pages.admin.users import AdminUsersState

    with db.session() as s:
        session_id = accounts.open_session(s, user, "pytest-browser")
    return page_state(AdminUsersState, access_token(user.id, session_id))


def call(state, name, *args):
    return handled(type(state).event_handlers[name].fn(state, *args))


def test_an_admin_edits_a_user_in_one_form(admin, broker_user):
    office = offices.create_office(admin, "Bergen")
    state = users_page(admin)
    call(state, "load")
    call(state, "open_edit", broker_user.id)
    assert state.edit_open and state.edit["email"] == "megler@example.no"
    assert call(state, "save_user", {"name": "x" * 201, "role": "wizard",
                                     "office_id": str(office.id)}) is None
    assert set(state.errors) == {"user.name", "user.role"} and state.edit_open
    answer = call(state, "save_user", {"name": "Kari  Megler", "role": "office_manager",
                                       "office_id": str(office.id)})
    assert "success" in str(answer) and state.errors == {} and not state.edit_open
    with db.session() as s:
        row = s.get(User, broker_user.id)
    assert (row.name, row.role, row.office_id) == ("Kari Megler", "office_manager", office.id)
    (change,) = details("admin.user_changed")
    assert change == {"before": {"name": "", "role": "broker", "office_id": None},
                      "after": {"name": "Kari Megler", "role": "office_manager",
                                "office_id": office.id}}
    row = next(u for u in state.users if u["id"] == broker_user.id)
    assert row["office_name"] == "Bergen" and row["role"] == "office_manager"


def test_an_admin_keeps_their_own_role(admin):
    with pytest.raises(Invalid) as refused:
        admin_service.update_user(admin, admin.id, "Meg", "broker", "")
    assert refused.value.errors["role"].code == "error.not_on_yourself"
    admin_service.update_user(admin, admin.id, "Meg selv", "admin", "")  # the name may change


def test_an_invitation_is_pending_until_the_password_is_chosen(admin, stub_worker, monkeypatch):
    invited = admin_service.invite_user(admin, "ny@example.no", "Ny Megler", "broker")
    view = next(u for u in admin_service.list_users(admin) if u.id == invited.id)
    assert view.pending and view.invited_at
    link = admin_service.invitation_link(admin, invited.id)
    token = parse_qs(urlsplit(link).query)["token"][0]
    # No mail leaves (the embedded default): nothing to resend; the link is copied instead.
    with pytest.raises(Forbidden) as refused:
        admin_service.resend_invitation(admin, invited.id)
    assert refused.value.code == "error.no_mail_transport"
    monkeypatch.setenv("SMTP_HOST", "127.0.0.1")  # mail leaves (its sending is not tested here)
    monkeypatch.setenv("SMTP_PORT", str(free_port()))
    reset_caches()
    admin_service.resend_invitation(admin, invited.id)
    assert [e.kind for e in audit.search_events(user_id=invited.id)[0]][:3] == [
        "admin.invitation_resent", "admin.invitation_link_copied", "admin.user_invited"]
    assert token not in json.dumps([e.detail for e in audit.search_events()[0]])
    password_reset.reset_password(token, "Strandkaien-14-Stavanger")
    view = next(u for u in admin_service.list_users(admin) if u.id == invited.id)
    assert not view.pending
    for action in (admin_service.invitation_link, admin_service.resend_invitation):
        with pytest.raises(Forbidden) as refused:
            action(admin, invited.id)
        assert refused.value.code == "error.not_pending"


def test_an_account_without_documents_is_deleted_one_with_documents_is_not(admin, broker_user,
                                                                          tmp_path):
    pending = admin_service.invite_user(admin, "glemt@example.no", "", "broker")
    state = users_page(admin)
    call(state, "load")
    assert "success" in str(call(state, "delete_user", pending.id))
    assert call(state, "delete_user", pending.id) is None  # a double click: nothing more
    with db.session() as s:
        assert s.get(User, pending.id) is None
    (deleted,) = details("admin.user_deleted")
    assert deleted == {"email": "glemt@example.no", "role": "broker", "pending": True}

    documents.ingest_path(broker_user.id, make_text(tmp_path / "a.txt", "tekst"))
    with pytest.raises(Forbidden) as refused:
        admin_service.delete_user(admin, broker_user.id)
    assert refused.value.code == "error.user_has_documents"
    with pytest.raises(Forbidden) as refused:
        admin_service.delete_user(admin, admin.id)
    assert refused.value.code == "error.not_on_yourself"
    with pytest.raises(Forbidden):
        admin_service.delete_user(broker_user, admin.id)


def test_the_users_page_shows_storage_against_the_quota(admin, broker_user, tmp_path):
    from dokvault.services.documents import quotas

    quotas.set_quota(admin, "user", broker_user.id, "1 MB", "10")
    documents.ingest_path(broker_user.id, make_text(tmp_path / "a.txt", "x" * 1000))
    state = users_page(admin)
    call(state, "load")
    row = next(u for u in state.users if u["id"] == broker_user.id)
    assert (row["usage_used"], row["usage_limit"], row["usage_documents"],
            row["usage_limited"]) == ("1000 B", "1.0 MB", "1 / 10", True)
    mine = next(u for u in state.users if u["id"] == admin.id)
    assert (mine["usage_limit"], mine["usage_limited"]) == ("", False)


def test_the_invite_form_shows_the_error_beside_the_email(admin):
    state = users_page(admin)
    call(state, "load")
    assert call(state, "invite", {"email": "ikke en adresse", "name": "", "role": "broker"}) is None
    assert state.errors == {"invite.email": "Skriv en gyldig e-postadresse."}
    assert "success" in str(call(state, "invite", {"email": "ok@example.no", "role": "broker"}))
    assert state.errors == {}
    link = call(state, "show_link", next(u["id"] for u in state.users if u["pending"]))
    assert link is None and state.link.startswith("http") and state.link_email == "ok@example.no"
    call(state, "close_link", False)
    assert state.link == ""  # the link leaves the page with the dialog
