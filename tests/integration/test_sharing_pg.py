"""PostgreSQL: the search table's `readers` follow shares with people and offices (the
triggers of migration 0017), so a document shared with someone is found by their search
through the index; and the visibility rule's three forms agree on the real table."""

from __future__ import annotations

import pytest
from sqlalchemy import text as sql
from sqlmodel import col, select

from dokvault import db
from dokvault.models import Document
from dokvault.services import access, documents
from dokvault.services.admin import offices
from dokvault.services.intelligence import taxonomy
from dokvault.services.sharing import shares
from tests.integration.test_search_table_pg import document_id, row, uids
from tests.unit.test_search_filters import _user, add_document, utc

pytestmark = pytest.mark.integration


@pytest.fixture
def people(pg_admin):
    with db.session() as s:
        taxonomy.seed_once(s)
    strandkaien = offices.create_office(pg_admin, "Strandkaien Stavanger")
    sentrum = offices.create_office(pg_admin, "Sentrum Bergen")
    kari = _user("kari@example.no", "Kari Nordmann", strandkaien.id)
    per = _user("per@example.no", "Per Berg", sentrum.id)
    solo = _user("solo@example.no", "Solveig Li", None)
    return pg_admin, strandkaien, sentrum, kari, per, solo


def test_readers_follow_shares_with_people_and_offices(people):
    admin, strandkaien, sentrum, kari, per, solo = people
    uid = add_document(kari, "Kjøpekontrakt Storgata 12B.txt", "Kjøpekontrakt for Storgata 12B.",
                       type_name="Kjøpekontrakt", created_at=utc(2026, 3, 1, 10))
    doc = document_id(uid)
    assert row(doc)["readers"] == [kari.id]
    assert documents.find_documents(solo, "kjøpekontrakt").total == 0

    shares.share_with_user(kari, uid, solo.id)
    assert row(doc)["readers"] == [kari.id, solo.id]
    assert uids(documents.find_documents(solo, "kjøpekontrakt")) == [uid]
    assert {r.uid: r.sharing for r in documents.list_documents(solo)[0]} == {uid: "you"}
    assert {r.uid: r.sharing for r in documents.list_documents(kari)[0]} == {uid: "others"}
    assert documents.find_documents(per, "kjøpekontrakt").total == 0

    shares.share_with_office(kari, uid, sentrum.id)
    assert sorted(row(doc)["readers"]) == sorted([kari.id, solo.id, -sentrum.id])
    assert uids(documents.find_documents(per, "kjøpekontrakt")) == [uid]

    # Changes the document trigger (0008) writes keep the shares' keys: the owner's office
    # switch, a new type, the trash and back.
    offices.set_shared(kari, documents.get_document(kari, uid), True)
    assert sorted(row(doc)["readers"]) == sorted([kari.id, -strandkaien.id, solo.id, -sentrum.id])
    with db.session() as s:
        s.exec(sql("UPDATE document SET document_type_id = NULL, deleted_at = now() "
                   "WHERE id = :id").bindparams(id=doc))
        s.commit()
    assert documents.find_documents(solo, "kjøpekontrakt").total == 0  # trashed: the owner's
    documents.restore_document(kari, uid)
    assert solo.id in row(doc)["readers"]
    assert uids(documents.find_documents(solo, "kjøpekontrakt")) == [uid]

    # A removed share takes its key away; the others stay.
    for share in shares.list_shares(kari, uid):
        if share.kind == "user":
            shares.remove_share(kari, uid, share.id)
    assert sorted(row(doc)["readers"]) == sorted([kari.id, -strandkaien.id, -sentrum.id])
    assert documents.find_documents(solo, "kjøpekontrakt").total == 0
    assert uids(documents.find_documents(per, "kjøpekontrakt")) == [uid]


def test_the_three_forms_of_the_rule_agree_on_postgresql(people):
    admin, strandkaien, sentrum, kari, per, solo = people
    made = []
    for n, owner in enumerate((kari, per, solo) * 3):
        made.append(add_document(owner, f"Takst {n}.txt", f"Takst nummer {n}.",
                                 created_at=utc(2026, 3, 1, 10 + n)))
    shares.share_with_user(kari, made[0], solo.id)
    shares.share_with_office(per, made[1], strandkaien.id)
    shares.share_with_user(solo, made[2], per.id)
    offices.set_shared(kari, documents.get_document(kari, made[3]), True)
    shares.share_with_user(kari, made[6], per.id)
    documents.trash_document(kari, made[6])

    with db.session() as s:
        for reader in (admin, kari, per, solo):
            orm = set(s.exec(select(Document.id).where(access.visible_to(reader),
                                                       col(Document.deleted_at).is_(None))).all())
            where, params = access.visible_sql(reader)
            raw = {r[0] for r in s.execute(sql(f"SELECT d.id FROM document d WHERE {where}"),  # noqa: S608
                                           params)}
            on_search = {r[0] for r in s.execute(sql(
                f"SELECT d.id FROM document_search d WHERE {where}"), params)}  # noqa: S608
            keys = access.reader_keys(reader)
            index = "readers && CAST(:keys AS integer[])" if keys is not None else "true"
            by_index = {r[0] for r in s.execute(sql(
                f"SELECT id FROM document_search WHERE deleted_at IS NULL AND {index}"),  # noqa: S608
                {"keys": keys})}
            assert orm == raw == on_search == by_index, reader.email
        solo_sees = set(s.exec(select(Document.id).where(access.visible_to(solo))).all())
    assert document_id(made[0]) in solo_sees and document_id(made[6]) not in solo_sees
