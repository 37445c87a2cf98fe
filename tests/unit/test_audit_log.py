"""The audit log: document events are recorded (with ids, never content), the viewer tells
entries in words with names looked up in bulk, pages by keyset without gaps or repeats,
filters by person, kind, group, document and date, shows unknown kinds sensibly and the
raw record on demand; and entries cannot be changed or deleted."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, text, update
from sqlalchemy.exc import DatabaseError
from starlette.testclient import TestClient

from dokvault import db
from dokvault.core import audit
from dokvault.models import AuditEvent
from dokvault.services import documents
from dokvault.services.admin import audit_log, offices
from dokvault.services.admin.audit_log import AuditFilter
from dokvault.services.intelligence import review
from dokvault.services.intelligence.review import Decision
from tests.samples import KJOPEKONTRAKT, make_text
from tests.unit.helpers import access_token, handled, page_state, wait_final
from tests.unit.test_review import wait_classified

HOST = "http://localhost:3000"


def sentences(page) -> list[str]:
    return ["".join(p["text"] for p in e.parts) for e in page.events]


def events_of(document_id: int) -> list[str]:
    """What people did to the document, in order (the classifier's entry comes when it
    comes: asserted apart)."""
    return [e.kind for e in reversed(audit.search_events(kind="document.")[0])
            if e.document_id == document_id and e.kind != "document.classified"]


def test_document_events_are_audited_with_ids_never_content(admin, broker_user, tmp_path):
    office = offices.create_office(admin, "Bergen")
    offices.assign_user(admin, broker_user.id, office.id)
    path = make_text(tmp_path / "Kjøpekontrakt Storgata 12B.txt", KJOPEKONTRAKT)
    doc = wait_final(documents.ingest_path(broker_user.id, path).id)
    uid = str(doc.uid)
    offices.set_shared(broker_user, documents.get_document(broker_user, uid), True)

    client = TestClient(__import__("dokvault.api.routes", fromlist=["api"]).api, base_url=HOST)
    client.post("/api/auth/login", data={"email": "megler@example.no",
                                         "password": "megler passord 2024"},
                headers={"origin": HOST})
    assert client.get(f"/api/documents/{uid}/download").status_code == 200

    wait_classified(doc.id)
    review.decide(broker_user, uid, Decision("Tilstandsrapport", ["Bolig"], {}, "Ny tittel"))
    documents.trash_document(broker_user, uid)
    documents.restore_document(broker_user, uid)
    documents.trash_document(broker_user, uid)
    documents.delete_forever(broker_user, uid)
    assert events_of(doc.id) == [
        "document.uploaded", "document.shared", "document.downloaded", "document.reviewed",
        "document.metadata_changed", "document.trashed", "document.restored", "document.trashed",
        "document.deleted"]
    (classified,) = audit.search_events(kind="document.classified")[0]
    assert classified.document_id == doc.id and classified.actor_id is None
    recorded = json.dumps([e.detail for e in audit.search_events()[0]], ensure_ascii=False)
    assert "Kjøpekontrakt" not in recorded and "Strandkaien" not in recorded  # no names, no text
    assert "Ny tittel" not in recorded
    (changed,) = [json.loads(e.detail) for e in audit.search_events(kind="document.metadata_changed")[0]]
    assert changed["changed"][:3] == ["type", "tags", "title"] and changed["type_id_after"]
    assert all(name.startswith("field:") for name in changed["changed"][3:])  # names only
    download = audit.search_events(kind="document.downloaded")[0][0]
    assert download.actor_id == broker_user.id and download.ip


def test_entries_are_told_in_words_with_names_looked_up(admin, broker_user, tmp_path):
    from dokvault.services.admin import update_user

    update_user(admin, broker_user.id, "Per Olsen", "broker", "")
    office = offices.create_office(admin, "Bergen")
    offices.assign_user(admin, broker_user.id, office.id)
    path = make_text(tmp_path / "Kjøpekontrakt Storgata 12B.txt", "kontrakt")
    doc = wait_final(documents.ingest_path(broker_user.id, path).id)
    offices.set_shared(broker_user, documents.get_document(broker_user, str(doc.uid)), True)
    page = audit_log.page(admin, AuditFilter(kinds=("document.shared",)))
    assert sentences(page) == ["Per Olsen delte Kjøpekontrakt Storgata 12B.txt med Bergen"]
    (event,) = page.events
    assert [p for p in event.parts if p["em"]] == [
        {"text": "Kjøpekontrakt Storgata 12B.txt", "em": True}]  # the document stands out
    assert event.document_uid == str(doc.uid) and event.document_id == doc.id
    english = audit_log.page(admin, AuditFilter(kinds=("document.shared",)), lang="en")
    assert sentences(english) == ["Per Olsen shared Kjøpekontrakt Storgata 12B.txt with Bergen"]
    (changed,) = audit_log.page(admin, AuditFilter(kinds=("admin.user_changed",))).events
    assert "".join(p["text"] for p in changed.parts) == "admin@example.no endret Per Olsen"
    assert changed.changes == [{"field": "navn", "before": "–", "after": "Per Olsen"}]


def test_unknown_kinds_and_gone_names_still_read_sensibly(admin, broker_user):
    audit.record("share_link.created", actor_id=broker_user.id, document_id=987654,
                 expires="2027-01-01")
    audit.record("drive.synced", actor_id=None, target_user_id=424242, files=3)
    page = audit_log.page(admin, AuditFilter())
    assert sentences(page)[:2] == [
        "DokVault: drive.synced – slettet bruker #424242",
        "megler@example.no: share_link.created – slettet dokument #987654"]
    assert "expires: 2027-01-01" in page.events[1].detail and page.events[1].document_uid == ""


def test_keyset_paging_walks_the_whole_log_without_gaps_or_repeats(admin):
    start = datetime(2026, 11, 1, tzinfo=UTC)
    with db.session() as s:
        for i in range(130):  # several entries share a second: the id breaks the tie
            s.add(AuditEvent(kind="auth.sign_in.ok", actor_id=admin.id,
                             created_at=start + timedelta(seconds=i // 3)))
        s.commit()
    seen, cursor, pages = [], "", 0
    while True:
        page = audit_log.page(admin, AuditFilter(kinds=("auth.sign_in.ok",)), cursor, size=25)
        seen += [e.id for e in page.events]
        pages += 1
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    assert pages == 6 and len(seen) == len(set(seen)) == 130
    assert seen == sorted(seen, reverse=True)  # newest first


def test_filters_by_person_as_actor_or_target_group_document_and_day(admin, broker_user):
    audit.record("admin.user_activated", actor_id=admin.id, target_user_id=broker_user.id)
    audit.record("auth.sign_in.ok", actor_id=broker_user.id)
    audit.record("auth.sign_in.ok", actor_id=admin.id)
    audit.record("document.downloaded", actor_id=admin.id, document_id=5)
    with db.session() as s:
        s.add(AuditEvent(kind="auth.sign_out", actor_id=broker_user.id,
                         created_at=datetime(2026, 1, 15, 12, tzinfo=UTC)))
        s.commit()
    people = audit_log.user_ids_matching(admin, " MEGLER@example.no ")
    assert people == (broker_user.id,)
    kinds = [e.kind for e in audit_log.page(admin, AuditFilter(user_ids=people)).events]
    assert kinds == ["auth.sign_in.ok", "admin.user_activated", "auth.sign_out"]
    auth_kinds = audit_log.kinds_of("auth.", audit_log.kinds(admin))
    assert set(auth_kinds) == {"auth.sign_in.ok", "auth.sign_out"}
    mine = audit_log.page(admin, AuditFilter(user_ids=people, kinds=auth_kinds))
    assert [e.kind for e in mine.events] == ["auth.sign_in.ok", "auth.sign_out"]
    assert [e.kind for e in audit_log.page(admin, AuditFilter(document_id=5)).events] == [
        "document.downloaded"]
    january = AuditFilter(since=datetime(2026, 1, 15, tzinfo=UTC),
                          until=datetime(2026, 1, 16, tzinfo=UTC))
    assert [e.kind for e in audit_log.page(admin, january).events] == ["auth.sign_out"]
    assert audit_log.user_ids_matching(admin, "nobody@example.no") == (-1,)
    assert audit_log.page(admin, AuditFilter(user_ids=(-1,))).events == []


def test_kinds_are_found_by_a_loose_index_scan(admin):
    audit_log.forget_kinds()
    for kind in ("b.two", "a.one", "b.two", "c.three"):
        audit.record(kind)
    assert {"a.one", "b.two", "c.three"} <= set(audit_log.kinds(admin))
    assert audit_log.kinds(admin) == sorted(audit_log.kinds(admin))


def test_the_raw_record_and_the_times_in_the_firms_zone(admin):
    with db.session() as s:
        s.add(AuditEvent(kind="auth.sign_in.ok", actor_id=admin.id, ip="10.0.0.9",
                         created_at=datetime(2026, 7, 1, 10, 0, tzinfo=UTC), detail='{"a": 1}'))
        s.commit()
    (event,) = audit_log.page(admin, AuditFilter(user_ids=(admin.id,),
                                                  kinds=("auth.sign_in.ok",))).events
    assert event.time == "2026-07-01 12:00:00"  # Oslo in summer: UTC+2
    record = audit_log.raw(admin, event.id)
    assert record["created_at"] == "2026-07-01T10:00:00Z" and record["detail"] == {"a": 1}
    assert record["ip"] == "10.0.0.9"


def test_only_admins_read_the_log(admin, broker_user):
    from dokvault.services.access import Forbidden

    for read in (lambda: audit_log.page(broker_user, AuditFilter()),
                 lambda: audit_log.raw(broker_user, 1), lambda: audit_log.kinds(broker_user)):
        with pytest.raises(Forbidden):
            read()


def test_entries_cannot_be_changed_or_deleted(admin):
    audit.record("auth.sign_in.ok", actor_id=admin.id)
    with db.session() as s:
        with pytest.raises(DatabaseError, match="cannot be changed"):
            s.exec(update(AuditEvent).values(kind="forged"))
        s.rollback()
        with pytest.raises(DatabaseError, match="only after their day was exported"):
            s.exec(delete(AuditEvent))
        s.rollback()
        assert s.exec(text("SELECT count(*) FROM audit_event")).one()[0] >= 1


def test_the_audit_page_pages_filters_and_shows_the_raw_record(admin, broker_user):
    from dokvault.pages.admin.audit import AuditState
    from dokvault.services.auth import accounts

    with db.session() as s:
        for i in range(60):
            s.add(AuditEvent(kind="auth.sign_in.ok", actor_id=broker_user.id,
                             created_at=datetime(2026, 10, 1, tzinfo=UTC) + timedelta(minutes=i)))
        s.commit()
        session_id = accounts.open_session(s, admin, "pytest-browser")
    state = page_state(AuditState, access_token(admin.id, session_id))

    def call(name, *args):
        return handled(AuditState.event_handlers[name].fn(state, *args))

    call("load")
    assert len(state.events) == 50 and state.next_cursor and state.page_number == 1
    first = state.events[0]["id"]
    call("older")
    assert state.page_number == 2 and first not in {e["id"] for e in state.events}
    call("newer")
    assert state.events[0]["id"] == first
    call("apply", {"user": "megler@example.no", "since": "", "until": ""})
    assert len(state.events) == 50 and all(
        "".join(p["text"] for p in e["parts"]) == "megler@example.no logget inn"
        for e in state.events)
    call("apply", {"user": "", "since": "2026-10-01", "until": "2026-10-01"})
    assert len(state.events) == 50 and state.events[0]["time"].startswith("2026-10-01")
    call("set_kind", "group:auth.")
    assert all(e["kind"].startswith("auth.") for e in state.events)
    call("show_raw", state.events[0]["id"])
    assert state.raw_open and '"kind": "auth.sign_in.ok"' in state.raw_text
    call("raw_changed", False)
    assert not state.raw_open and state.raw_text == ""
