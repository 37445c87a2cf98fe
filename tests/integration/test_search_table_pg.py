"""PostgreSQL's search table (migration 0008): the triggers that keep document_search in
step with documents and tags, pair lexemes for phrases, estimates for very large results
from the sample, the background re-indexing of vectors of an older format, and the
migration itself on a database with documents in it."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import text as sql
from sqlmodel import select

from alembic import command
from dokvault import db
from dokvault.migrations import alembic_config
from dokvault.models import Document, DocumentTag, DocumentText, DocumentType, Office, Tag, User
from dokvault.services import documents, search
from dokvault.services.admin import offices
from dokvault.services.intelligence import taxonomy
from dokvault.services.search import postgres as search_pg
from dokvault.services.search import terms as search_terms
from tests.unit.test_search_filters import _user, add_document, utc

pytestmark = pytest.mark.integration


def row(document_id: int) -> dict | None:
    with db.session() as s:
        found = s.exec(sql(
            "SELECT owner_id, shared_office_id, readers, document_type_id, tag_ids, added_day, day, "
            "deleted_at IS NOT NULL AS trashed, search_format FROM document_search WHERE id = :id"
        ).bindparams(id=document_id)).mappings().first()
        return dict(found) if found else None


def document_id(uid: str) -> int:
    with db.session() as s:
        return s.exec(select(Document.id).where(Document.uid == uid)).one()


def share(user, uid: str, shared: bool) -> None:
    with db.session() as s:
        document = s.exec(select(Document).where(Document.uid == uid)).one()
    offices.set_shared(user, document, shared)


def uids(result) -> list[str]:
    return [r.uid for r in result.rows]


@pytest.fixture
def office_people(pg_admin):
    with db.session() as s:
        taxonomy.seed_once(s)
    office = offices.create_office(pg_admin, "Strandkaien Stavanger")
    kari = _user("kari@example.no", "Kari Nordmann", office.id)
    ola = _user("ola@example.no", "Ola Hansen", office.id)
    return pg_admin, office, kari, ola


def test_the_search_row_follows_the_document(office_people):
    admin, office, kari, ola = office_people
    uid = add_document(kari, "Kjøpekontrakt.txt", "Kjøpekontrakt for Strandkaien 12.",
                       type_name="Kjøpekontrakt", tags=("Bolig",), created_at=utc(2026, 1, 31, 23, 30))
    doc = document_id(uid)
    with db.session() as s:
        bolig, signert = (s.exec(select(Tag.id).where(Tag.name == n)).one() for n in ("Bolig", "Signert"))
        faktura = s.exec(select(DocumentType.id).where(DocumentType.name == "Faktura")).one()
    first = row(doc)
    assert first["readers"] == [kari.id] and first["tag_ids"] == [bolig]
    assert first["day"] == first["added_day"] == date(2026, 2, 1)  # 23:30 UTC is 00:30 in Oslo
    assert first["search_format"] == search.SEARCH_FORMAT
    assert documents.find_documents(ola, "kjøpekontrakt").total == 0

    share(kari, uid, True)
    assert row(doc)["readers"] == [kari.id, -office.id]
    assert uids(documents.find_documents(ola, "kjøpekontrakt")) == [uid]

    with db.session() as s:
        document = s.get(Document, doc)
        document.document_type_id, document.document_date = faktura, date(2025, 6, 1)
        s.add(document)
        s.add(DocumentTag(document_id=doc, tag_id=signert))
        s.commit()
        s.delete(s.get(DocumentTag, (doc, bolig)))
        s.commit()
    changed = row(doc)
    assert (changed["document_type_id"], changed["tag_ids"], changed["day"]) == (faktura, [signert],
                                                                                 date(2025, 6, 1))
    assert uids(documents.find_documents(ola, "created:2025-06 type:Faktura tag:Signert")) == [uid]

    documents.trash_document(kari, uid)
    assert row(doc)["trashed"] and documents.find_documents(ola, "kjøpekontrakt").total == 0
    documents.restore_document(kari, uid)
    share(kari, uid, False)
    assert row(doc)["readers"] == [kari.id] and not row(doc)["trashed"]
    documents.trash_document(kari, uid)
    assert documents.delete_forever(kari, uid)
    assert row(doc) is None


def test_a_tag_deleted_leaves_every_search_row(office_people):
    admin, _, kari, _ = office_people
    docs = [document_id(add_document(kari, f"Notat {i}.txt", "Notat om visning.", tags=("Haster", "Bolig"),
                                     created_at=utc(2026, 1, 1 + i))) for i in range(30)]
    with db.session() as s:
        haster = s.exec(select(Tag).where(Tag.name == "Haster")).one()
        bolig = s.exec(select(Tag.id).where(Tag.name == "Bolig")).one()
        s.delete(haster)
        s.commit()
    assert {tuple(row(d)["tag_ids"]) for d in docs} == {(bolig,)}


def test_a_phrase_is_one_pair_lexeme(office_people):
    admin, _, kari, _ = office_people
    both = add_document(kari, "A.txt", "Leiligheten har tre soverom og stue.", created_at=utc(2026, 1, 1))
    add_document(kari, "B.txt", "Tre bad. Fire soverom.", created_at=utc(2026, 1, 2))
    with db.session() as s:
        vector = s.exec(sql("SELECT search_pairs::text FROM document_search WHERE id = :id")
                        .bindparams(id=document_id(both))).one()[0]
    assert "'ǂtreǂsoverom'" in vector and "'ǂǂ'" not in vector
    assert uids(documents.find_documents(admin, '"tre soverom"')) == [both]
    assert uids(documents.find_documents(admin, '"har tre soverom"')) == [both]
    assert documents.find_documents(admin, '"fire bad"').total == 0


def test_phrases_of_a_text_with_too_many_pairs_are_checked_by_positions(office_people, monkeypatch):
    admin, _, kari, _ = office_people
    monkeypatch.setattr(search_terms, "MAX_PAIRS", 3)
    long = add_document(kari, "Lang.txt", "En to tre fire fem seks. Til slutt: tre soverom.",
                        created_at=utc(2026, 1, 1))
    scattered = add_document(kari, "Spredt.txt", "Tre bad og sju rom. Fire soverom. En to tre fire fem.",
                             created_at=utc(2026, 1, 2))
    with db.session() as s:
        vector = s.exec(sql("SELECT search_pairs::text FROM document_search WHERE id = :id")
                        .bindparams(id=document_id(long))).one()[0]
    assert "'ǂǂ'" in vector and "'ǂtreǂsoverom'" not in vector
    assert uids(documents.find_documents(admin, '"tre soverom"')) == [long]
    assert uids(documents.find_documents(admin, '"to tre fire"')) == [scattered, long]
    assert documents.find_documents(admin, '"fire tre"').total == 0


def pages(user, query: str, sort: str = "relevance", size: int = 30) -> list[str]:
    """Every hit, page after page, until a page is empty."""
    seen: list[str] = []
    for page in range(1, 20):
        rows = uids(documents.find_documents(user, query, page=page, page_size=size, sort=sort))
        if not rows:
            return seen
        seen += rows
    raise AssertionError("more pages than expected")


@pytest.mark.parametrize("slack", [1.5, 0.05], ids=["a wide window", "a narrow window"])
def test_a_large_result_is_estimated_from_the_sample(office_people, configure_dokvault, monkeypatch, slack):
    """Beyond SEARCH_EXACT_LIMIT the total and the counts come from every SAMPLE_EVERY-th
    document, rounded; the pages are still every match once, in order, whether the
    newest documents looked among first hold the page or not (search_pg._windowed)."""
    admin, _, kari, _ = office_people
    monkeypatch.setattr(search_pg, "WINDOW_SLACK", slack)
    monkeypatch.setattr(search_pg, "WINDOW_MARGIN", 0)
    configure_dokvault(search_exact_limit=20)  # a tenth of that for phrases of three words
    monkeypatch.setattr(search_pg, "RANK_POOL", 10)
    added, made = {}, []
    for i in range(100):
        when = utc(2025, 1 + i % 12, 1 + i % 28, i % 24)
        uid = add_document(kari, f"Visning {i}.txt", f"Visning av den nye boligen, nummer {i}.",
                           type_name="Salgsoppgave" if i % 2 else "Annet", created_at=when,
                           document_date=date(2024, 1 + i % 12, 1) if i % 3 == 0 else None)
        added[uid] = when
        made.append(uid)
    decoy = add_document(kari, "Decoy.txt", "Visning av den gamle. Den nye er solgt.",
                         created_at=utc(2026, 1, 1))
    added[decoy] = utc(2026, 1, 1)
    for i in range(40):  # the newest documents do not match: the window must grow past them
        add_document(kari, f"Faktura {i}.txt", "Faktura for vask.",
                     created_at=utc(2026, 2, 1 + i % 28, i % 24))
    in_sample = sum(document_id(u) % search_pg.SAMPLE_EVERY == 0 for u in added)
    assert in_sample >= 2

    result = documents.find_documents(admin, "visning", page_size=30)
    assert result.approximate
    assert result.total == search_pg._rounded(in_sample * search_pg.SAMPLE_EVERY)  # 3 in the sample: 96
    assert sum(f.count for f in result.type_counts) <= result.total
    every = pages(admin, "visning")
    assert sorted(every) == sorted(added)
    newest = sorted(added, key=lambda u: added[u], reverse=True)
    assert set(every[:10]) == set(newest[:10])  # the newest ranked first, then the rest by age
    assert every[10:] == newest[10:]

    by_date = pages(admin, "visning", sort="date")
    assert sorted(by_date) == sorted(added)
    with db.session() as s:
        day = dict(s.exec(sql("SELECT d.uid::text, s.day FROM document d JOIN document_search s "
                              "ON s.id = d.id")).all())
    assert [day[u] for u in by_date] == sorted((day[u] for u in by_date), reverse=True)

    phrase = documents.find_documents(admin, '"av den nye"')  # positions read: CHECKED_SHARE
    assert phrase.approximate
    assert sorted(pages(admin, '"av den nye"')) == sorted(u for u in added if u != decoy)
    five, seven = made[5], made[7]
    left = pages(admin, '"av den nye" -"nummer 5" -"boligen nummer 7"')
    assert sorted(left) == sorted(u for u in added if u not in (decoy, five, seven))

    exact = documents.find_documents(admin, "solgt")
    assert not exact.approximate and uids(exact) == [decoy]
    configure_dokvault(search_exact_limit=5000)
    assert documents.find_documents(admin, "visning").total == 101


def test_vectors_of_an_older_format_are_indexed_again_in_the_background(office_people, stub_worker):
    admin, _, kari, _ = office_people
    uid = add_document(kari, "Salgsoppgave.txt", "Leiligheten har tre soverom.", created_at=utc(2026, 1, 1))
    doc = document_id(uid)
    with db.session() as s:  # as migration 0008 leaves a vector of before
        s.exec(sql("UPDATE document_search SET search_format = 1, search_vector = "
                   "to_tsvector('simple', 'salgsoppgav leilighet har tre soverom'), search_pairs = 'ǂǂ' "
                   "WHERE id = :id").bindparams(id=doc))
        s.commit()
        assert search.stale_documents(s, 10) == [doc]
    assert uids(documents.find_documents(admin, '"tre soverom"')) == [uid]  # by positions

    documents.requeue_pending()
    stub_worker.join("documents")
    assert row(doc)["search_format"] == search.SEARCH_FORMAT
    with db.session() as s:
        assert search.stale_documents(s, 10) == []
    assert uids(documents.find_documents(admin, '"tre soverom"')) == [uid]


def as_of_this_revision(session, row):
    """Insert `row` with only the columns its table has at the revision the database is at
    (an older schema lacks the newest columns the model knows); `row.id` is set."""
    table = type(row).__table__
    present = {c["name"] for c in sa_inspect(session.connection()).get_columns(table.name)}
    values = {c.name: getattr(row, c.name) for c in table.columns
              if c.name in present and c.name != "id" and getattr(row, c.name) is not None}
    # Plain SQL: a Core insert would add the model's defaulted columns the table lacks.
    names = ", ".join(values)
    marks = ", ".join(f":{name}" for name in values)
    bound = {k: str(v) if isinstance(v, uuid.UUID) else getattr(v, "value", v)
             for k, v in values.items()}
    statement = f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})'  # noqa: S608
    if "id" not in table.columns:
        session.execute(sql(statement), bound)
        return row
    row.id = session.execute(sql(statement + " RETURNING id"), bound).scalar_one()
    return row


def test_the_migration_moves_vectors_and_goes_back(pg_urls, configure_dokvault, stub_worker):
    configure_dokvault(database_url=pg_urls.app_url, database_migrate_url=pg_urls.migrate_url)
    config = alembic_config(pg_urls.migrate_url)
    command.upgrade(config, "0007")
    with db.session() as s:  # a library as it was before 0008
        office = as_of_this_revision(s, Office(name="Bergen"))
        owner = as_of_this_revision(s, User(email="a@example.no", password_hash="-"))
        indexed = as_of_this_revision(s, Document(
            owner_id=owner.id, name="Takst.txt", sha256="x", object_key="k",
            shared_office_id=office.id, created_at=utc(2026, 1, 31, 23, 30)))
        pending = as_of_this_revision(s, Document(owner_id=owner.id, name="Tom.txt", sha256="y",
                                                  object_key="l"))
        tag = as_of_this_revision(s, Tag(name="Bolig"))
        as_of_this_revision(s, DocumentText(document_id=indexed.id, text="Tre soverom"))
        as_of_this_revision(s, DocumentTag(document_id=indexed.id, tag_id=tag.id))
        s.exec(sql("UPDATE document_text SET search_vector = to_tsvector('simple', 'takst tre soverom') "
                   "WHERE document_id = :id").bindparams(id=indexed.id))
        s.commit()
        ids = (indexed.id, pending.id, office.id, owner.id, tag.id)
    indexed_id, pending_id, office_id, owner_id, tag_id = ids

    command.upgrade(config, "head")
    moved = row(indexed_id)
    assert (moved["readers"], moved["tag_ids"], moved["day"]) == ([owner_id, -office_id], [tag_id],
                                                                  date(2026, 2, 1))
    assert moved["search_format"] == 1 and row(pending_id)["search_format"] == 0
    with db.session() as s:
        vector, pairs = s.exec(sql("SELECT search_vector::text, search_pairs::text FROM document_search "
                                   "WHERE id = :id").bindparams(id=indexed_id)).one()
        assert pairs == "'ǂǂ'" and "'soverom':3" in vector  # its phrases go by positions
        assert search.stale_documents(s, 10) == [indexed_id]
        assert s.exec(sql("SELECT count(*) FROM information_schema.columns WHERE "
                          "table_name = 'document_text' AND column_name = 'search_vector'")).one()[0] == 0

    command.downgrade(config, "0007")
    with db.session() as s:
        assert s.exec(sql("SELECT to_regclass('document_search')")).one()[0] is None
        vector = s.exec(sql("SELECT search_vector::text FROM document_text WHERE document_id = :id")
                        .bindparams(id=indexed_id)).one()[0]
        assert "'soverom':3" in vector
    command.upgrade(config, "head")
    assert row(indexed_id)["readers"] == [owner_id, -office_id]
