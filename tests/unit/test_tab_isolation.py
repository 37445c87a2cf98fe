"""What a tab's state holds stays with the person it was filled for, and page events are
refused in every way the outside probe found them open (issue 11, items 1, 6, 8, 15, 16)."""

from __future__ import annotations

import ast
import asyncio
from pathlib import Path

import pytest

from dokvault import db
from dokvault.services import documents
from dokvault.services.admin import offices
from dokvault.services.auth import two_factor
from tests.samples import SALGSOPPGAVE, make_text
from tests.unit.helpers import access_token, handled, handshake, page_state, wait_final
from tests.unit.test_offices import brokerage, reload  # noqa: F401  (fixture)
from tests.unit.test_page_tokens import session_for

ROOT = Path(__file__).resolve().parents[2]


def guard(state) -> None:
    """The app's first middleware, as Reflex runs it before an event."""
    from dokvault.state.owner import TabOwnerGuard

    root = state
    while root.parent_state is not None:
        root = root.parent_state
    assert asyncio.run(TabOwnerGuard().preprocess(None, root, None)) is None


def filled_admin_tab(admin):
    """One tab's state after an admin's visit: users, audit, a document, search, 2FA."""
    from dokvault.pages.admin.audit import AuditState
    from dokvault.pages.admin.users import AdminUsersState
    from dokvault.pages.auth.security import SecurityState
    from dokvault.pages.documents.detail import DetailState
    from dokvault.pages.search.page import SearchState

    users = page_state(AdminUsersState, access_token(admin.id, session_for(admin)))
    guard(users)
    root = users.parent_state.parent_state
    users.users = [{"email": "megler@example.no"}]
    pages = {cls: root.get_substate(cls.get_full_name().split(".")[1:])
             for cls in (AuditState, DetailState, SearchState, SecurityState)}
    pages[AuditState].events = [{"kind": "admin.user_deactivated"}]
    pages[DetailState].text = "Fortrolig ledernotat"
    pages[SearchState].query = "budrunden"
    pages[SecurityState].secret = "JBSWY3DPEHPK3PXP"
    pages[SecurityState].backup_codes = ["abcde-fghij"]
    users.lang = "en"
    return users, pages


def test_a_new_person_on_the_same_tab_gets_a_fresh_state(admin, broker_user):
    from dokvault.pages.admin.audit import AuditState
    from dokvault.pages.auth.security import SecurityState
    from dokvault.pages.documents.detail import DetailState
    from dokvault.pages.search.page import SearchState

    users, pages = filled_admin_tab(admin)
    guard(users)  # the admin's own next event keeps everything
    assert pages[DetailState].text == "Fortrolig ledernotat"

    handshake(users, access_token(broker_user.id, session_for(broker_user)))
    guard(users)
    assert users.users == [] and pages[AuditState].events == []
    assert pages[DetailState].text == "" and pages[SearchState].query == ""
    assert pages[SecurityState].secret == "" and pages[SecurityState].backup_codes == []
    assert users.lang == "en"  # the browser's language cookie is the browser's


def test_signing_out_empties_the_tab_and_a_forged_token_is_nobody(admin):
    from dokvault.pages.documents.detail import DetailState
    from dokvault.services.auth import tokens

    users, pages = filled_admin_tab(admin)
    handshake(users, None)  # signed out: the sign-in page's socket has no cookie
    guard(users)
    assert pages[DetailState].text == "" and users._owner == ""

    users, pages = filled_admin_tab(admin)
    session = users._owner
    forged = access_token(admin.id, int(session), browser=("curl/8.5", "en"))  # another browser
    handshake(users, forged)
    assert tokens.session_of(*users._credentials()) is None
    guard(users)
    assert pages[DetailState].text == ""


def test_2fa_required_is_enforced_at_every_event_not_only_at_page_load(admin, broker_user):
    from dokvault.pages.auth.security import SecurityState
    from dokvault.pages.documents.listing_state import DocumentsState
    from dokvault.state.base import AppState

    two_factor.set_required(admin, True)
    token = access_token(broker_user.id, session_for(broker_user))
    listing = page_state(DocumentsState, token)
    refused = DocumentsState.event_handlers["load"].fn(listing)
    assert listing._refusal == "enrol" and "/account/security" in str(refused)
    assert listing.rows == []
    # The frame and the enrolment page still work: that is where the user is sent.
    frame = page_state(AppState, token)
    assert "/account/security" in str(AppState.event_handlers["require_user"].fn(frame))
    assert frame.user_email == "megler@example.no"
    security = page_state(SecurityState, token)
    assert handled(SecurityState.event_handlers["start_enrolment"].fn(security)) is None
    assert security.secret


def test_routes_refuse_a_user_who_must_enrol(admin, broker_user, tmp_path):
    from starlette.testclient import TestClient

    from dokvault.api.routes import api
    from tests.unit.helpers import BROWSER

    doc = wait_final(documents.ingest_path(broker_user.id, make_text(tmp_path / "a.txt",
                                                                     SALGSOPPGAVE)).id)
    client = TestClient(api, headers={"user-agent": BROWSER[0], "accept-language": BROWSER[1]})
    client.cookies.set("dokvault_access", access_token(broker_user.id, session_for(broker_user)))
    assert client.get(f"/api/documents/{doc.uid}/download").status_code == 200
    two_factor.set_required(admin, True)
    assert client.get(f"/api/documents/{doc.uid}/download").status_code == 401


def test_a_trashed_shared_document_is_the_owners_alone(admin, brokerage, tmp_path):  # noqa: F811
    _, kari, ola, _ = brokerage
    doc = wait_final(documents.ingest_path(kari.id, make_text(tmp_path / "brief.txt",
                                                              SALGSOPPGAVE)).id)
    uid = str(doc.uid)
    offices.set_shared(kari, doc, True)
    assert documents.get_document(ola, uid) is not None
    documents.trash_document(kari, uid)
    assert documents.get_document(ola, uid) is None  # detail, download, thumbnail
    assert documents.list_documents(ola) == ([], 0)
    assert documents.get_document(kari, uid) is not None
    assert documents.get_document(admin, uid) is not None


def test_refused_document_actions_say_so(admin, broker_user, tmp_path):
    from dokvault.pages.auth.sessions import SessionsState
    from dokvault.pages.documents.trash import TrashState

    doc = wait_final(documents.ingest_path(admin.id, make_text(tmp_path / "a.txt",
                                                               SALGSOPPGAVE)).id)
    documents.trash_document(admin, str(doc.uid))
    trash = page_state(TrashState, access_token(broker_user.id, session_for(broker_user)))
    for name in ("restore", "delete_forever"):
        answer = str(handled(TrashState.event_handlers[name].fn(trash, str(doc.uid))))
        assert "Forespørselen ble avvist." in answer and "success" not in answer
    sessions = page_state(SessionsState, access_token(broker_user.id, session_for(broker_user)))
    answer = str(SessionsState.event_handlers["revoke"].fn(sessions, session_for(admin)))
    assert "Forespørselen ble avvist." in answer
    with db.session() as s:
        from dokvault.models import Document

        assert s.get(Document, doc.id).deleted_at is not None  # untouched


def _public_undecorated_methods() -> list[str]:
    """Public methods of state classes not declared as event handlers or vars: Reflex
    would make each of them callable from the browser."""
    found = []
    for path in sorted((ROOT / "dokvault").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.ClassDef):
                continue
            for item in node.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef) \
                        and not item.name.startswith("_"):
                    decorators = [ast.unparse(d) for d in item.decorator_list]
                    if not any(d.startswith(("rx.event", "rx.var")) for d in decorators) \
                            and any("State" in ast.unparse(b) for b in node.bases):
                        found.append(f"{path.relative_to(ROOT)}:{node.name}.{item.name}")
    return found


def test_only_declared_event_handlers_are_callable_from_the_browser():
    import dokvault.dokvault  # noqa: F401  (every page state)
    from dokvault.state.base import AppState

    assert _public_undecorated_methods() == []
    handlers = set(AppState.event_handlers)
    assert handlers.isdisjoint({"t", "signed_in", "current_user", "current_admin", "client",
                                "signed_out"})


@pytest.mark.parametrize("line", [
    "Error processing event for Event(token='4f1c2a9e-0000-4000-8000-00000000abcd', "
    "router_data={'headers': {'cookie': 'dokvault_lang=nb; dokvault_access=eyJhbGciOiJFUzI1"
    "NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl'}})",
    "GET /_event/?EIO=4&transport=websocket&token=4f1c2a9e-0000-4000-8000-00000000abcd",
    "Authorization: Bearer sk-proj-0123456789abcdef",
    '{"refresh_token": "r4nd0m-refresh-v4lue", "password": "hunter2-hunter2"}',
])
def test_credentials_never_reach_the_log(line, caplog):
    import logging

    from dokvault.core.logs import configure_logging

    configure_logging()
    with caplog.at_level(logging.INFO):
        logging.getLogger("reflex.app").error("%s", line)
        try:
            raise KeyError(line)
        except KeyError:
            logging.getLogger("reflex_base.event").exception("event failed")
    text = caplog.text + "".join(r.exc_text or "" for r in caplog.records)
    for secret in ("4f1c2a9e-0000", "eyJhbGciOiJFUzI1", "sk-proj-0123", "r4nd0m-refresh",
                   "hunter2"):
        assert secret not in text
    assert "[redacted]" in text
