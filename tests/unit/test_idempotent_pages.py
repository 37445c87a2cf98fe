"""A double click's second event, as the pages get it (called as Reflex calls them, no
browser): it finds the work done and says nothing: no second message, no error, no audit
line, no counted guess."""

from __future__ import annotations

import pyotp

from dokvault import db
from dokvault.core import audit
from dokvault.services import documents
from dokvault.services.auth import accounts
from tests.samples import make_text
from tests.unit.helpers import access_token, handled, page_state, wait_final
from tests.unit.test_two_factor import steady

NEW_PASSWORD = "Fjordgata 7 Ålesund, tredje etasje"


def _page(state_cls, user):
    with db.session() as s:
        session_id = accounts.open_session(s, user, "pytest-browser")
    return page_state(state_cls, access_token(user.id, session_id))


def _call(state, name: str, *args):
    return handled(type(state).event_handlers[name].fn(state, *args))


def _kind(kind: str) -> int:
    return audit.search_events(kind=kind)[1]


def test_delete_forever_clicked_twice(admin, tmp_path):
    from dokvault.pages.documents.trash import TrashState

    doc = wait_final(documents.ingest_path(admin.id, make_text(tmp_path / "d.txt", "tekst")).id)
    documents.trash_document(admin, str(doc.uid))
    state = _page(TrashState, admin)
    _call(state, "load")
    assert "Slettet for godt" in str(_call(state, "delete_forever", str(doc.uid)))
    assert _call(state, "delete_forever", str(doc.uid)) is None  # no "refused"
    assert state.rows == [] and not state.deleting


def test_invite_and_deactivate_clicked_twice(admin):
    from dokvault.pages.admin.users import AdminUsersState

    state = _page(AdminUsersState, admin)
    form = {"email": "Ny@Example.no", "name": "Ny", "role": "broker"}
    # No mail leaves on this embedded default: no "sent" toast, the link to copy instead.
    said = str(_call(state, "invite", form))
    assert "Ingen e-post er sendt" in said and "er sendt til" not in said
    assert state.link.startswith("http://localhost:3000/reset-password?token=")
    assert state.link_email == "ny@example.no" and not state.link_is_reset
    assert _call(state, "invite", form) is None  # not "the address is taken"
    assert _kind("admin.user_invited") == 1 and not state.inviting
    invited = next(u for u in state.users if u["email"] == "ny@example.no")
    assert "success" in str(_call(state, "set_active", invited["id"], False))
    assert _call(state, "set_active", invited["id"], False) is None
    assert _kind("admin.user_deactivated") == 1
    # Someone else's address is still refused, from this tab too, beside the e-mail field.
    assert _call(state, "invite", {"email": "admin@example.no", "role": "broker"}) is None
    assert "allerede i bruk" in state.errors["invite.email"]


def test_sign_out_the_others_clicked_twice(admin):
    from dokvault.pages.auth.sessions import SessionsState

    with db.session() as s:
        accounts.open_session(s, admin, "the phone")
    state = _page(SessionsState, admin)
    assert "info" in str(_call(state, "revoke_others"))
    assert _call(state, "revoke_others") is None
    assert _kind("auth.session.revoked_others") == 1


def test_taxonomy_save_clicked_twice(admin):
    from dokvault.pages.intelligence.taxonomy import TaxonomyAdminState

    state = _page(TaxonomyAdminState, admin)
    _call(state, "load")
    _call(state, "open_new", "type")
    form = {"name": "Leieavtale", "description": "", "algorithm": "none", "match": ""}
    assert "success" in str(_call(state, "save", form))
    assert _call(state, "save", form) is None
    assert state.errors == {} and _kind("admin.type_created") == 1


def test_enrol_and_disable_2fa_clicked_twice(admin):
    from dokvault.pages.auth.security import SecurityState

    state = _page(SecurityState, admin)
    _call(state, "load")
    _call(state, "start_enrolment")
    secret = state.secret
    _call(state, "start_enrolment")
    assert state.secret == secret  # the QR code shown stays the one enabled
    steady()
    form = {"code": pyotp.TOTP(secret).now()}
    assert "success" in str(_call(state, "confirm", form))
    assert _call(state, "confirm", form) is None
    assert state.error == "" and len(state.backup_codes) == 10 and state.enabled
    assert _kind("auth.2fa.enrolled") == 1

    steady()
    import time  # the enrolment's code is spent: the next step's (±1 step is accepted)
    form = {"code": pyotp.TOTP(secret).at(time.time() + 30)}
    assert "success" in str(_call(state, "regenerate", form))
    codes = list(state.backup_codes)
    assert _call(state, "regenerate", form) is None  # not "code already used"
    assert state.error == "" and state.backup_codes == codes and not state.busy
    assert _kind("auth.backup_codes.regenerated") == 1

    form = {"code": state.backup_codes[0]}
    assert "info" in str(_call(state, "disable", form))
    assert _call(state, "disable", form) is None
    assert state.error == "" and not state.enabled and not state.busy
    assert _kind("auth.2fa.disabled") == 1


def test_password_change_clicked_twice(admin):
    from dokvault.pages.auth.account import AccountState

    state = _page(AccountState, admin)
    form = {"current_password": "correct horse battery", "new_password": NEW_PASSWORD,
            "new_password_confirm": NEW_PASSWORD}
    _call(state, "change_password", form)
    assert state.message_key == "account.changed" and state.succeeded
    assert _call(state, "change_password", form) is None
    assert state.message_key == "account.changed" and state.succeeded and not state.changing
    assert _kind("auth.password_changed") == 1 and _kind("auth.password_change.failed") == 0
    # A wrong current password typed afresh is still one.
    _call(state, "change_password", {**form, "current_password": "feil passord her"})
    assert state.message_key == "error.current_password_wrong"
