"""Sharing a document with a person or another office: the owner (or an admin) decides;
the reader then finds it everywhere (list, search, detail, download) and may not change it;
trash, removal and the owner's rights work as for the office share; everything audited."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import event
from sqlmodel import select

from dokvault import db
from dokvault.core import audit
from dokvault.models import DocumentShare
from dokvault.services import documents, notify
from dokvault.services.access import Forbidden
from dokvault.services.admin import offices
from dokvault.services.intelligence import taxonomy
from dokvault.services.sharing import links, shares
from tests.unit.test_search_filters import _user, add_document


@pytest.fixture
def people(admin):
    """Kari (Strandkaien) owns a purchase contract; Per is at Sentrum, Solveig in no office."""
    with db.session() as s:
        taxonomy.seed_once(s)
    strandkaien = offices.create_office(admin, "Strandkaien Stavanger")
    sentrum = offices.create_office(admin, "Sentrum Bergen")
    kari = _user("kari@example.no", "Kari Nordmann", strandkaien.id)
    per = _user("per@example.no", "Per Berg", sentrum.id)
    solo = _user("solo@example.no", "Solveig Li", None)
    uid = add_document(kari, "Kjøpekontrakt Storgata 12B.txt",
                       "Kjøpekontrakt for Storgata 12B. Kjøperen overtar 1. mai.",
                       created_at=datetime(2026, 3, 1, 10, tzinfo=UTC))
    return admin, strandkaien, sentrum, kari, per, solo, uid


def sees(user, uid: str) -> dict[str, bool]:
    """Where the user finds the document: the list, search, the detail (and so download)."""
    listed = [r.uid for r in documents.list_documents(user)[0]]
    found = [r.uid for r in documents.find_documents(user, "kjøpekontrakt storgata").rows]
    return {"list": uid in listed, "search": uid in found,
            "detail": documents.get_document(user, uid) is not None}


def test_a_document_shared_with_a_person_is_theirs_to_read_everywhere(people):
    admin, _, _, kari, per, solo, uid = people
    assert sees(per, uid) == {"list": False, "search": False, "detail": False}
    before = documents.fingerprint(per)

    assert shares.share_with_user(kari, uid, per.id) is True
    assert sees(per, uid) == {"list": True, "search": True, "detail": True}
    assert sees(solo, uid) == {"list": False, "search": False, "detail": False}
    assert documents.fingerprint(per) != before  # Per's open list reloads by itself
    # Reading only: Per may not change, trash or share it.
    assert documents.get_document(per, uid, to_change=True) is None
    assert documents.trash_document(per, uid) is None
    with pytest.raises(Forbidden):
        shares.share_with_user(per, uid, solo.id)
    # Per sees who shared it; Kari's panel lists Per.
    assert shares.shared_by(per, documents.get_document(per, uid)) == "Kari Nordmann"
    [row] = shares.list_shares(kari, uid)
    assert (row.kind, row.label) == ("user", "Per Berg (per@example.no)")

    # A double click shares once.
    assert shares.share_with_user(kari, uid, per.id) is False
    with db.session() as s:
        assert len(s.exec(select(DocumentShare)).all()) == 1

    # Trash is the owner's own: it leaves Per's view, and comes back on restore.
    documents.trash_document(kari, uid)
    assert sees(per, uid) == {"list": False, "search": False, "detail": False}
    documents.restore_document(kari, uid)
    assert sees(per, uid)["detail"]

    assert shares.remove_share(kari, uid, row.id) is True
    assert shares.remove_share(kari, uid, row.id) is False  # gone already
    assert sees(per, uid) == {"list": False, "search": False, "detail": False}
    kinds = [e.kind for e in audit.search_events(kind="document.")[0]]
    assert kinds.count("document.shared_user") == 1 and kinds.count("document.share_revoked") == 1


def test_a_document_shared_with_another_office_reaches_everyone_there(people):
    admin, strandkaien, sentrum, kari, per, solo, uid = people
    ola = _user("ola@example.no", "Ola Hansen", sentrum.id)
    assert shares.share_with_office(kari, uid, sentrum.id) is True
    for reader in (per, ola):
        assert sees(reader, uid) == {"list": True, "search": True, "detail": True}
    assert not sees(solo, uid)["detail"]
    assert shares.shared_by(ola, documents.get_document(ola, uid)) == "Kari Nordmann"
    [row] = shares.list_shares(kari, uid)
    assert (row.kind, row.label) == ("office", "Sentrum Bergen")
    with pytest.raises(Forbidden, match="error.unknown_office"):
        shares.share_with_office(kari, uid, 9999)
    # The owner's own office keeps its switch (Document.shared_office_id), as before.
    offices.set_shared(kari, documents.get_document(kari, uid), True)
    assert documents.get_document(per, uid) is not None  # both shares at once


def test_only_the_owner_or_an_admin_shares_and_only_with_active_people(people):
    admin, _, _, kari, per, solo, uid = people
    with pytest.raises(Forbidden):
        shares.share_with_user(solo, uid, per.id)  # not hers
    with pytest.raises(Forbidden, match="error.share_with_owner"):
        shares.share_with_user(kari, uid, kari.id)
    with pytest.raises(Forbidden, match="error.unknown_user"):
        shares.share_with_user(kari, uid, 9999)
    assert shares.share_with_user(admin, uid, solo.id) is True  # an admin, for the owner
    assert sees(solo, uid)["detail"]
    with pytest.raises(Forbidden):
        shares.list_shares(per, uid)
    names = [r.label for r in shares.recipients(kari)]
    assert "Kari Nordmann (kari@example.no)" not in names and "Per Berg (per@example.no)" in names


def test_the_new_readers_are_told_once_with_a_link_to_the_document(people):
    """Every share goes through notify.share_received: a person, an office's people (the
    owner's office switch too), never the sharer or the owner, not twice while the first is
    unread; a share link tells nobody."""
    admin, strandkaien, sentrum, kari, per, solo, uid = people
    ola = _user("ola@example.no", "Ola Hansen", sentrum.id)
    lise = _user("lise@example.no", "Lise Dahl", strandkaien.id)
    link = f"/documents/{uid}"

    def told(user) -> list[tuple[str, str]]:
        return [(e.titles["nb"], e.link) for e in notify.recent(user.id)]

    assert shares.share_with_user(kari, uid, per.id) is True
    assert told(per) == [("Kari Nordmann delte «Kjøpekontrakt Storgata 12B.txt» med deg", link)]
    assert notify.unread_count(per.id) == 1
    assert shares.share_with_user(kari, uid, per.id) is False  # a double click: nothing more
    # Per's office: Ola hears of it; Per has it unread already, so he is not told twice.
    assert shares.share_with_office(kari, uid, sentrum.id) is True
    assert told(ola) == [("Kari Nordmann delte «Kjøpekontrakt Storgata 12B.txt» med Sentrum Bergen",
                          link)]
    assert notify.unread_count(per.id) == 1
    # The owner's office switch goes the same way: Lise is told, Kari (owner and sharer) not.
    offices.set_shared(kari, documents.get_document(kari, uid), True)
    assert [t for t, _ in told(lise)] == ["Kari Nordmann delte «Kjøpekontrakt Storgata 12B.txt» "
                                          "med Strandkaien Stavanger"]
    # An admin sharing for the owner: the owner is not told about her own document.
    assert shares.share_with_user(admin, uid, solo.id) is True
    assert told(kari) == [] and len(told(solo)) == 1
    # Read, and shared again after a removal: told again.
    notify.mark_all_read(per.id)
    [row] = [r for r in shares.list_shares(kari, uid) if r.label.startswith("Per")]
    shares.remove_share(kari, uid, row.id)
    shares.share_with_user(kari, uid, per.id)
    assert notify.unread_count(per.id) == 1 and len(told(per)) == 2
    # A link is for whoever holds it: no one in DokVault is told.
    before = {u.id: len(told(u)) for u in (per, ola, lise, solo, kari)}
    links.create_link(kari, uid, days=3)
    assert {u.id: len(told(u)) for u in (per, ola, lise, solo, kari)} == before


def test_the_list_marks_how_each_document_is_shared_in_one_query(people):
    """The owner sees "with the office" (the switch) or "shared" (a person, another office);
    a reader "shared with you"; the rows query stays one query, however many rows."""
    admin, strandkaien, sentrum, kari, per, solo, uid = people
    second = add_document(kari, "Takst Storgata 12B.txt", "Takst.",
                          created_at=datetime(2026, 3, 2, tzinfo=UTC))
    third = add_document(kari, "Salgsoppgave.txt", "Salg.", created_at=datetime(2026, 3, 3, tzinfo=UTC))
    lise = _user("lise@example.no", "Lise Dahl", strandkaien.id)

    def marks(user) -> dict[str, str]:
        return {r.uid: r.sharing for r in documents.list_documents(user)[0]}

    assert marks(kari) == {uid: "", second: "", third: ""}
    shares.share_with_user(kari, uid, per.id)
    offices.set_shared(kari, documents.get_document(kari, second), True)
    shares.share_with_office(kari, third, sentrum.id)
    offices.set_shared(kari, documents.get_document(kari, third), True)
    assert marks(kari) == {uid: "others", second: "office", third: "others"}
    assert marks(per) == {uid: "you", third: "you"}  # himself, and his office
    assert marks(lise) == {second: "you", third: "you"}  # her office, by the owner's switch
    assert marks(admin) == {uid: "", second: "", third: ""}  # sees all; none was shared with him

    statements: list[str] = []
    engine = db.get_engine()

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    for n in range(6):
        doc = add_document(kari, f"Vedlegg {n}.txt", "Vedlegg.", created_at=datetime(2026, 4, 1, tzinfo=UTC))
        shares.share_with_user(kari, doc, per.id)
    event.listen(engine, "before_cursor_execute", record)
    try:
        rows, total = documents.list_documents(per)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert total == 8 and {r.sharing for r in rows} == {"you"}
    # (The embedded worker may mail notifications meanwhile: only document queries count.)
    assert len([q for q in statements if "document" in q]) == 2  # the count and the rows
