"""Search filters, counts per type and tag, order and rights, on the embedded default
(SQLite). tests/integration/test_search_filters_pg.py runs every test here on PostgreSQL.

The documents are written straight into the database (text indexed by the same
search.index_document the worker uses), so their types, tags, fields and dates are exactly
what each test expects, with no classifier in between."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from sqlmodel import select

from dokvault import db
from dokvault.models import (
    CustomField,
    Document,
    DocumentFieldValue,
    DocumentStatus,
    DocumentTag,
    DocumentText,
    DocumentType,
    Role,
    Tag,
    User,
)
from dokvault.services import documents, search
from dokvault.services.admin import offices
from dokvault.services.auth import accounts
from dokvault.services.intelligence import taxonomy
from dokvault.services.search import postgres as search_pg
from dokvault.services.search.filters import (
    FieldInfo,
    Named,
    Vocabulary,
    compile_filters,
    normalise_number,
)
from dokvault.services.search.query import parse


@dataclass
class Brokerage:
    admin: User
    kari: User  # Strandkaien
    ola: User  # Strandkaien
    per: User  # Sentrum
    solo: User  # no office
    docs: dict[str, str]  # key -> uid


def _user(email: str, name: str, office_id: int | None, role: str = Role.BROKER) -> User:
    with db.session() as s:
        user = accounts.create_user(s, email, "megler passord 2024", role, name)
        user.office_id = office_id
        s.add(user)
        s.commit()
        s.refresh(user)
        return user


def add_document(owner: User, name: str, text: str, *, type_name: str | None = None,
                 tags: tuple[str, ...] = (), fields: dict[str, str] | None = None,
                 document_date: date | None = None, created_at: datetime,
                 shared_office_id: int | None = None) -> str:
    """A ready, indexed document with exactly these taxonomy values."""
    with db.session() as s:
        type_id = None
        if type_name:
            type_id = s.exec(select(DocumentType.id).where(DocumentType.name == type_name)).one()
        document = Document(
            owner_id=owner.id, name=name, ext=".txt", content_type="text/plain", size=len(text),
            sha256=f"{abs(hash(name)):064d}"[:64], object_key=f"{owner.id}/test/{name}",
            status=DocumentStatus.READY, document_type_id=type_id, document_date=document_date,
            created_at=created_at, shared_office_id=shared_office_id,
            office_id=owner.office_id,  # as an upload sets it
        )
        s.add(document)
        s.flush()
        s.add(DocumentText(document_id=document.id, text=text))
        for tag in tags:
            tag_id = s.exec(select(Tag.id).where(Tag.name == tag)).one()
            s.add(DocumentTag(document_id=document.id, tag_id=tag_id))
        for key, value in (fields or {}).items():
            field_id = s.exec(select(CustomField.id).where(CustomField.key == key)).one()
            s.add(DocumentFieldValue(document_id=document.id, field_id=field_id, value=value))
        s.flush()
        search.index_document(s, document.id, name, text)
        s.commit()
        return str(document.uid)


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.fixture
def brokerage(admin) -> Brokerage:
    """Five documents across two offices, with types, tags, fields and dates set so that
    each filter picks a known set; two sit right at an Oslo midnight."""
    with db.session() as s:
        taxonomy.seed_once(s)
    strandkaien = offices.create_office(admin, "Strandkaien Stavanger")
    sentrum = offices.create_office(admin, "Sentrum Bergen")
    kari = _user("kari@example.no", "Kari Nordmann", strandkaien.id)
    ola = _user("ola@example.no", "Ola Hansen", strandkaien.id)
    per = _user("per@example.no", "Per Berg", sentrum.id)
    solo = _user("solo@example.no", "Solveig Li", None)
    docs = {
        "kontrakt": add_document(
            kari, "Kjøpekontrakt Strandkaien 12.txt",
            "Kjøpekontrakt for eiendommen Strandkaien 12. Kjøperen overtar 1. april.",
            type_name="Kjøpekontrakt", tags=("Bolig", "Signert"),
            fields={"address": "Strandkaien 12, 4005 Stavanger", "price": "4500000",
                    "contract_date": "2026-02-14", "seller": "Kari Nordmann"},
            document_date=date(2026, 2, 14), created_at=utc(2026, 3, 1, 10),
            shared_office_id=strandkaien.id),
        # 23:30 UTC on 31 January is 00:30 on 1 February in Oslo.
        "faktura": add_document(
            kari, "Faktura 1001.txt", "Faktura for fotografering av eiendommen. Haster.",
            type_name="Faktura", tags=("Haster",), fields={"amount": "12500.50"},
            created_at=utc(2026, 1, 31, 23, 30)),
        "takst": add_document(
            ola, "Takst Bryggen.txt", "Verditakst av eiendommene på Bryggen for kjøper.",
            type_name="Takst/Verdivurdering", tags=("Bolig",),
            fields={"address": "Bryggen 3, 5003 Bergen", "price": "3200000"},
            document_date=date(2025, 11, 20), created_at=utc(2026, 2, 10, 9)),
        "salg": add_document(
            per, "Salgsoppgave Vågen.txt", "Salgsoppgave: hytte og eiendom ved Vågen, Stavanger.",
            type_name="Salgsoppgave", tags=("Fritidsbolig", "Haster"),
            fields={"address": "Vågen 1, 4006 Stavanger"},
            document_date=date(2026, 1, 5), created_at=utc(2026, 1, 6, 12),
            shared_office_id=sentrum.id),
        # 23:30 UTC on 31 December 2025 is 00:30 on 1 January 2026 in Oslo.
        "notat": add_document(
            admin, "Notat.txt", "Internt notat om eiendom og rutiner.",
            created_at=utc(2025, 12, 31, 23, 30)),
    }
    return Brokerage(admin, kari, ola, per, solo, docs)


def found(user: User, query: str, **kwargs) -> set[str]:
    result = documents.find_documents(user, query, **kwargs)
    assert result.total == len(result.rows), (query, result.total)
    return {row.uid for row in result.rows}


def keys(b: Brokerage, *names: str) -> set[str]:
    return {b.docs[n] for n in names}


def errors(user: User, query: str) -> list[tuple[str, str]]:
    return [(e.code, e.fragment) for e in documents.find_documents(user, query).errors]


# --- type: --------------------------------------------------------------------------------


def test_type_by_exact_name_any_case(brokerage):
    b = brokerage
    assert found(b.admin, "type:Faktura") == keys(b, "faktura")
    assert found(b.admin, "type:faktura") == keys(b, "faktura")
    assert found(b.admin, "type:FAKTURA") == keys(b, "faktura")
    assert found(b.admin, 'type:"Takst/Verdivurdering"') == keys(b, "takst")
    assert found(b.admin, "type:kjøpekontrakt") == keys(b, "kontrakt")
    assert found(b.admin, "type:KJØPEKONTRAKT") == keys(b, "kontrakt")  # not only A-Z folds


def test_type_by_unique_prefix(brokerage):
    b = brokerage
    assert found(b.admin, "type:takst") == keys(b, "takst")
    assert found(b.admin, "type:salgs") == keys(b, "salg")
    assert errors(b.admin, "type:takst") == []


def test_ambiguous_or_unknown_type_matches_nothing_and_says_why(brokerage):
    b = brokerage
    assert found(b.admin, "type:k") == set()  # Kjøpekontrakt, Korrespondanse
    [(code, fragment)] = errors(b.admin, "type:k")
    assert code == "ambiguous_value" and "Kjøpekontrakt" in fragment and "Korrespondanse" in fragment
    assert found(b.admin, "eiendom type:Helikopter") == set()
    assert errors(b.admin, "eiendom type:Helikopter") == [("unknown_value", "type:Helikopter")]


def test_type_or_and(brokerage):
    b = brokerage
    assert found(b.admin, "type:Faktura OR type:Kjøpekontrakt") == keys(b, "faktura", "kontrakt")
    assert found(b.admin, "type:Faktura type:Kjøpekontrakt") == set()
    # An unknown value in an OR group does not spoil the others.
    assert found(b.admin, "type:Faktura OR type:Helikopter") == keys(b, "faktura")


# --- tag: ---------------------------------------------------------------------------------


def test_tag_filters(brokerage):
    b = brokerage
    assert found(b.admin, "tag:Haster") == keys(b, "faktura", "salg")
    assert found(b.admin, "tag:haster") == keys(b, "faktura", "salg")
    assert found(b.admin, "tag:bolig tag:signert") == keys(b, "kontrakt")
    assert found(b.admin, "tag:bolig OR tag:haster") == keys(b, "kontrakt", "faktura", "takst", "salg")
    assert found(b.admin, "(tag:Signert OR tag:Fritidsbolig)") == keys(b, "kontrakt", "salg")
    assert found(b.admin, "tag:Bolig") == keys(b, "kontrakt", "takst")  # exact beats the prefix
    assert found(b.admin, "tag:Utkast") == set()  # a tag nobody has


def test_tags_combine_with_words_and_exclusions(brokerage):
    b = brokerage
    assert found(b.admin, "eiendom tag:Bolig") == keys(b, "kontrakt", "takst")
    assert found(b.admin, "eiendom tag:Bolig -Bryggen") == keys(b, "kontrakt")
    assert found(b.admin, "tag:Haster -fotografering") == keys(b, "salg")


# --- office: and owner: -------------------------------------------------------------------


def test_office_means_its_people_and_what_is_shared_with_it(brokerage):
    b = brokerage
    assert found(b.admin, "office:Strandkaien") == keys(b, "kontrakt", "faktura", "takst")
    assert found(b.admin, 'office:"Sentrum Bergen"') == keys(b, "salg")
    assert found(b.admin, "office:sentrum OR office:strandkaien") == keys(
        b, "kontrakt", "faktura", "takst", "salg")
    assert found(b.admin, "office:Oslo") == set()


def test_office_filter_stays_within_what_the_user_may_see(brokerage):
    b = brokerage
    # Ola sees his own valuation and Kari's shared contract, not her invoice.
    assert found(b.ola, "office:Strandkaien") == keys(b, "kontrakt", "takst")
    assert found(b.ola, "office:Sentrum") == set()
    assert found(b.per, "office:Strandkaien") == set()
    assert found(b.per, "office:Sentrum") == keys(b, "salg")


def test_owner_by_email_name_prefix_and_me(brokerage):
    b = brokerage
    assert found(b.admin, "owner:kari@example.no") == keys(b, "kontrakt", "faktura")
    assert found(b.admin, "owner:KARI@EXAMPLE.NO") == keys(b, "kontrakt", "faktura")
    assert found(b.admin, 'owner:"Kari Nordmann"') == keys(b, "kontrakt", "faktura")
    assert found(b.admin, "owner:kari") == keys(b, "kontrakt", "faktura")
    assert found(b.admin, "owner:me") == keys(b, "notat")
    assert found(b.ola, "owner:me") == keys(b, "takst")
    assert found(b.ola, "owner:meg") == keys(b, "takst")
    assert found(b.admin, "owner:ola@example.no OR owner:per@example.no") == keys(b, "takst", "salg")


def test_owner_filter_never_widens_what_a_broker_sees(brokerage):
    b = brokerage
    assert found(b.ola, "owner:admin@example.no") == set()
    assert found(b.ola, "eiendom owner:admin@example.no") == set()
    assert found(b.ola, "owner:kari@example.no") == keys(b, "kontrakt")  # only what she shared
    assert found(b.solo, "owner:kari@example.no") == set()
    assert found(b.solo, "office:Strandkaien") == set()


def test_unknown_owner_says_nothing_about_who_exists(brokerage):
    b = brokerage
    assert found(b.ola, "owner:nobody@example.no") == set()
    assert errors(b.ola, "owner:nobody@example.no") == errors(b.ola, "owner:admin@example.no") == []


# --- added: and created: ------------------------------------------------------------------


def test_added_uses_oslo_days(brokerage):
    b = brokerage
    # The invoice came 23:30 UTC on 31 January: 1 February in Oslo.
    assert found(b.admin, "added:2026-02") == keys(b, "faktura", "takst")
    assert found(b.admin, "added:2026-01") == keys(b, "salg", "notat")
    assert found(b.admin, "added:2026-02-01") == keys(b, "faktura")
    assert found(b.admin, "added:2026-01-31") == set()
    assert found(b.admin, "added:01.02.2026") == keys(b, "faktura")
    assert found(b.admin, "added:2025") == set()  # the note came 00:30 on 1 January 2026
    assert found(b.admin, "added:2026-02..") == keys(b, "faktura", "takst", "kontrakt")
    assert found(b.admin, "added:..2026-01") == keys(b, "salg", "notat")
    assert found(b.admin, "added:2026-01..2026-02") == keys(b, "salg", "notat", "faktura", "takst")


def test_created_is_the_documents_own_date_else_the_upload_day(brokerage):
    b = brokerage
    assert found(b.admin, "created:2026-02") == keys(b, "kontrakt", "faktura")
    assert found(b.admin, "created:2025") == keys(b, "takst")  # dated 2025, uploaded 2026
    assert found(b.admin, "created:2026-01") == keys(b, "salg", "notat")
    assert found(b.admin, "created:2026-02-14") == keys(b, "kontrakt")
    assert found(b.admin, "created:..2025-12") == keys(b, "takst")
    assert found(b.admin, "created:2026-01..2026-02 tag:Haster") == keys(b, "faktura", "salg")


def test_ranges_that_cannot_match(brokerage):
    b = brokerage
    assert found(b.admin, "eiendom added:2026-03..2026-01") == set()
    assert found(b.admin, "added:2026-01 added:2026-02") == set()
    result = documents.find_documents(b.admin, "eiendom added:2026-13")
    assert [e.code for e in result.errors] == ["bad_date"]
    assert result.total == 5  # the bad range is left out, said so; the words still search


# --- custom fields ------------------------------------------------------------------------


def test_text_field_is_a_substring_in_any_case(brokerage):
    b = brokerage
    assert found(b.admin, "address:strandkaien") == keys(b, "kontrakt")
    assert found(b.admin, 'address:"Strandkaien 12"') == keys(b, "kontrakt")
    assert found(b.admin, "address:STAVANGER") == keys(b, "kontrakt", "salg")
    assert found(b.admin, "address:vågen") == keys(b, "salg")
    assert found(b.admin, "address:VÅGEN") == keys(b, "salg")
    assert found(b.admin, "Address:4005") == keys(b, "kontrakt")  # keys in any case
    assert found(b.admin, "address:Bergen OR address:4005") == keys(b, "kontrakt", "takst")
    assert found(b.admin, "address:Stavanger address:Vågen") == keys(b, "salg")
    assert found(b.admin, "seller:nordmann") == keys(b, "kontrakt")
    assert found(b.admin, "buyer:nordmann") == set()


def test_money_fields_match_the_amount_exactly(brokerage):
    b = brokerage
    for written in ("4500000", '"4 500 000"', '"4 500 000 kr"', "4.500.000", "kr4500000", "4500000,-"):
        assert found(b.admin, f"price:{written}") == keys(b, "kontrakt"), written
    assert found(b.admin, "price:450") == set()
    assert found(b.admin, "price:4500000 OR price:3200000") == keys(b, "kontrakt", "takst")
    assert found(b.admin, "amount:12500,50") == keys(b, "faktura")
    assert found(b.admin, "amount:12500.5") == keys(b, "faktura")
    assert found(b.admin, "amount:12500") == set()
    assert found(b.admin, "price:mye") == set()
    assert errors(b.admin, "price:mye") == [("bad_number", "price:mye")]


def test_date_fields_match_a_day_month_year_or_range(brokerage):
    b = brokerage
    for written in ("2026-02-14", "14.02.2026", "2026-02", "2026", "2026-02-01..2026-02-28"):
        assert found(b.admin, f"contract_date:{written}") == keys(b, "kontrakt"), written
    assert found(b.admin, "contract_date:2026-02-15") == set()
    assert found(b.admin, "contract_date:2026-13") == set()
    assert errors(b.admin, "contract_date:2026-13") == [("bad_date", "contract_date:2026-13")]


def test_an_unknown_key_is_still_searched_as_words(brokerage):
    b = brokerage
    assert found(b.admin, "bryggen:3") == set()  # "bryggen" and "3": no document has both
    assert found(b.admin, "kjøpekontrakt:strandkaien") == keys(b, "kontrakt")


# --- counts per type and tag, order, pages --------------------------------------------------


def test_counts_per_type_and_tag_cover_every_result_not_just_the_page(brokerage):
    b = brokerage
    result = documents.find_documents(b.admin, "eiendom", page_size=2)
    assert result.total == 5 and len(result.rows) == 2
    assert {(f.name, f.count) for f in result.type_counts} == {
        ("Kjøpekontrakt", 1), ("Faktura", 1), ("Takst/Verdivurdering", 1), ("Salgsoppgave", 1)}
    assert [(f.name, f.count) for f in result.tag_counts] == [
        ("Bolig", 2), ("Haster", 2), ("Fritidsbolig", 1), ("Signert", 1)]
    narrowed = documents.find_documents(b.admin, "eiendom tag:Haster")
    assert [(f.name, f.count) for f in narrowed.type_counts] == [("Faktura", 1), ("Salgsoppgave", 1)]
    assert [(f.name, f.count) for f in narrowed.tag_counts] == [
        ("Haster", 2), ("Fritidsbolig", 1)]


def test_counts_only_count_what_the_user_may_see(brokerage):
    b = brokerage
    result = documents.find_documents(b.ola, "eiendom")
    assert result.total == 2
    assert [(f.name, f.count) for f in result.tag_counts] == [("Bolig", 2), ("Signert", 1)]
    assert {f.name for f in result.type_counts} == {"Kjøpekontrakt", "Takst/Verdivurdering"}
    filters_only = documents.find_documents(b.per, "tag:Haster")
    assert filters_only.total == 1
    assert [(f.name, f.count) for f in filters_only.type_counts] == [("Salgsoppgave", 1)]


def test_no_results_no_counts(brokerage):
    result = documents.find_documents(brokerage.admin, "helikopterlandingsplass")
    assert (result.rows, result.total, result.type_counts, result.tag_counts) == ([], 0, [], [])


def test_sort_by_date_is_newest_document_date_first(brokerage):
    b = brokerage
    rows = documents.find_documents(b.admin, "eiendom", sort="date").rows
    # 2026-02-14, (uploaded) 2026-02-01, 2026-01-05, (uploaded) 2026-01-01, 2025-11-20
    assert [r.uid for r in rows] == [b.docs[k] for k in ("kontrakt", "faktura", "salg", "notat", "takst")]
    rows = documents.find_documents(b.admin, "eiendom", sort="date", page=2, page_size=2).rows
    assert [r.uid for r in rows] == [b.docs["salg"], b.docs["notat"]]
    filtered = documents.find_documents(b.admin, "tag:Bolig OR tag:Haster", sort="date").rows
    assert [r.uid for r in filtered] == [b.docs[k] for k in ("kontrakt", "faktura", "salg", "takst")]


def test_sort_by_relevance_puts_the_best_match_first(brokerage):
    b = brokerage
    by_relevance = documents.find_documents(b.admin, "kjøpekontrakt OR takst").rows
    assert {r.uid for r in by_relevance} == keys(b, "kontrakt", "takst")
    # Both have the word in the name; the contract also twice in the text.
    assert by_relevance[0].uid == b.docs["kontrakt"]
    assert documents.find_documents(b.admin, "eiendom", sort="nonsense").total == 5


def test_very_many_matches_rank_the_newest_then_list_the_rest_by_date(brokerage, monkeypatch):
    """PostgreSQL ranks only the newest (search_pg.RANK_POOL) when a word is in more than
    search_pg.RANK_ALL documents; the rest follow newest first, and the pages cover them all."""
    b = brokerage
    query = "eiendom OR kjøpekontrakt OR takst"
    exact = [r.uid for r in documents.find_documents(b.admin, query).rows]
    monkeypatch.setattr(search_pg, "RANK_ALL", 2)
    monkeypatch.setattr(search_pg, "RANK_POOL", 2)
    result = documents.find_documents(b.admin, query)
    assert result.total == 5 and sorted(r.uid for r in result.rows) == sorted(b.docs.values())
    pages = [documents.find_documents(b.admin, query, page=p, page_size=2) for p in (1, 2, 3)]
    assert [r.uid for page in pages for r in page.rows] == [r.uid for r in result.rows]
    assert all(page.total == 5 for page in pages)
    if db.is_postgres():
        # The two newest (contract 1 March, valuation 10 February) ranked, then by date.
        assert [r.uid for r in result.rows[:2]] == [u for u in exact if u in keys(b, "kontrakt", "takst")]
        assert [r.uid for r in result.rows[2:]] == [b.docs[k] for k in ("faktura", "salg", "notat")]
    else:
        assert [r.uid for r in result.rows] == exact  # SQLite ranks them all


def test_snippets_still_mark_hits_with_filters(brokerage):
    b = brokerage
    [row] = documents.find_documents(b.admin, "eiendom type:Faktura").rows
    assert any(p["hit"] and p["text"].lower().startswith("eiendom") for p in row.snippet)


def test_search_documents_keeps_its_tuple(brokerage):
    b = brokerage
    rows, total = documents.search_documents(b.admin, "tag:Haster", sort="date")
    assert total == 2 and [r.uid for r in rows] == [b.docs["faktura"], b.docs["salg"]]
    assert documents.search_documents(b.admin, "type:Helikopter") == ([], 0)


# --- rights -------------------------------------------------------------------------------


def test_every_filter_respects_rights(brokerage):
    b = brokerage
    queries = ["eiendom", "type:Faktura", "tag:Haster", "office:Strandkaien", "office:Sentrum",
               "owner:kari@example.no", "added:2026", "created:2025..2026", "address:a",
               "price:4500000", "tag:Bolig OR tag:Haster OR tag:Signert OR tag:Fritidsbolig"]
    may_see = {
        "admin": set(b.docs.values()),
        "kari": keys(b, "kontrakt", "faktura"),
        "ola": keys(b, "kontrakt", "takst"),
        "per": keys(b, "salg"),
        "solo": set(),
    }
    for who, visible in may_see.items():
        user = getattr(b, who)
        for query in queries:
            assert found(user, query) <= visible, (who, query)


def test_trashed_documents_are_not_found_by_filters(brokerage):
    b = brokerage
    documents.trash_document(b.kari, b.docs["faktura"])
    assert found(b.admin, "tag:Haster") == keys(b, "salg")
    assert [f.name for f in documents.find_documents(b.admin, "tag:Haster").type_counts] == ["Salgsoppgave"]


# --- hostile values -----------------------------------------------------------------------

HOSTILE_FILTERS = [
    "type:\"'; DROP TABLE document; --\"",
    "tag:%",
    "tag:_",
    "tag:\"' OR 1=1 --\"",
    "office:%",
    "owner:%",
    "owner:\"' OR ''='\"",
    "owner:me' OR 1=1",
    "address:%",
    'address:"_"',
    "address:\\",
    "address:'",
    'address:"%\' OR 1=1 --"',
    "price:1e10",
    "price:-1",
    "price:" + "9" * 40,
    "amount:0x10",
    "contract_date:..",
    "contract_date:0000-01-01",
    "contract_date:9999-12-31",
    "address:" + "ø" * 600,
    "tag:\x00",
    "type:\ue000",
    "address:\ud800",
    "added:" + "2026-" * 50,
    "created:-1",
    ":filter_0",
    "type::filter_0",
    "address:{name}",
    "tag:" + " OR tag:".join(["Haster"] * 200),
]


def test_hostile_filter_values_never_raise_or_widen(brokerage):
    b = brokerage
    for query in HOSTILE_FILTERS:
        for user in (b.admin, b.ola):
            result = documents.find_documents(user, query)
            assert result.total == len(result.rows), query
    for query in ("tag:%", "tag:_", "office:%", "owner:%", "address:%", 'address:"_"', "address:'",
                  "address:\\", "type:\"'; DROP TABLE document; --\"", "price:1e10"):
        assert found(b.admin, query) == set(), query  # a wildcard is a character, not "anything"
    assert documents.list_documents(b.admin)[1] == 5
    assert found(b.admin, "tag:Haster") == keys(b, "faktura", "salg")


def test_values_reach_sql_only_as_parameters():
    vocabulary = Vocabulary(
        tags=[Named(7, "x'; DROP", ("x'; drop",))],
        fields={"address": FieldInfo(3, "address", "text")},
        viewer_id=1,
    )
    hostile = "x'; DROP"
    parsed = parse(f'tag:"{hostile}" address:"{hostile} --" owner:me added:2026', ["address"])
    for dialect in ("sqlite", "postgresql"):
        out = compile_filters(parsed, dialect, vocabulary)
        assert "'" not in out.where and "DROP" not in out.where and "--" not in out.where
        assert out.params and all(name.startswith("filter_") for name in out.params)
        assert any(f"{hostile.lower()} --" in str(v) for v in out.params.values())
        assert out.unapplied == [] and out.errors == []


def test_without_a_vocabulary_only_the_dates_apply():
    parsed = parse('Vågen type:Faktura tag:haster added:2026 address:"Strandkaien 1"', ["address"])
    out = compile_filters(parsed, "sqlite")
    assert out.unapplied == ["type", "tag", "address"]
    assert "created_at" in out.where and "document_type_id" not in out.where


def test_normalise_number():
    cases = {"4500000": "4500000", "4 500 000 kr": "4500000", "kr 4.500.000,-": "4500000",
             "1.234,50": "1234.50", "1234.5": "1234.50", "12,00": "12", "NOK 99": "99",
             "0045": "45"}
    for text, number in cases.items():
        assert normalise_number(text) == number, text
    for text in ("", "mye", "1e10", "12,345", "1,2,3", "٣", "-5", "9" * 16):
        assert normalise_number(text) is None, text
    assert normalise_number("12,50", cents=False) is None
