"""Full-text search on the embedded default (SQLite FTS5) through the document service."""

from __future__ import annotations

import pytest

from dokvault.services import documents
from dokvault.services.search import HIT_END, HIT_START, snippet_parts
from tests.samples import ENERGIATTEST, KJOPEKONTRAKT, SALGSOPPGAVE, TAKST, make_pdf, make_text
from tests.unit.helpers import wait_final


@pytest.fixture
def library(admin, tmp_path):
    """Four ready documents: a two-page PDF and three texts."""
    stored = {
        "pdf": documents.ingest_path(
            admin.id,
            make_pdf(tmp_path / "p.pdf", [ENERGIATTEST, KJOPEKONTRAKT]),
            "Energiattest og kontrakt.pdf",
        ),
        "salg": documents.ingest_path(
            admin.id, make_text(tmp_path / "s.txt", SALGSOPPGAVE), "Salgsoppgave.txt"
        ),
        "takst": documents.ingest_path(
            admin.id, make_text(tmp_path / "t.md", TAKST), "Verditakst.md"
        ),
        "navn": documents.ingest_path(
            admin.id,
            make_text(tmp_path / "o.txt", "Signert av begge parter."),
            "Oppdragsavtale Bryggen.txt",
        ),
    }
    for document in stored.values():
        assert wait_final(document.id).status == "ready"
    return {key: str(document.uid) for key, document in stored.items()}


def found(user, query: str, **kwargs) -> list[str]:
    rows, total = documents.search_documents(user, query, **kwargs)
    assert total >= len(rows)
    return [row.uid for row in rows]


def test_word_from_a_pdf(admin, library):
    assert found(admin, "Enova") == [library["pdf"]]
    assert found(admin, "klientkonto") == [library["pdf"]]  # second page


def test_norwegian_letters_and_case(admin, library):
    assert found(admin, "Vågen") == [library["salg"]]
    assert found(admin, "VÅGEN") == [library["salg"]]
    assert found(admin, "overtakelse") == [library["pdf"]]


def test_inflected_query_finds_other_forms(admin, library):
    # The text says "Eiendommene til kjøperen".
    assert found(admin, "eiendom kjøper") == [library["salg"]]
    assert found(admin, "eiendommer kjøpere") == [library["salg"]]
    # The contract says "kjøperne" and "selgeren".
    assert found(admin, "selger kjøper") == [library["pdf"]]
    assert found(admin, "takst") == [library["takst"]]  # "Taksten", "takstmann", "Verditakst"


def test_all_words_must_match(admin, library):
    assert found(admin, "eiendom energikarakter") == []


def test_prefix_of_a_word(admin, library):
    assert found(admin, "Strand") == [library["salg"]]


def test_file_name_is_searched(admin, library):
    assert found(admin, "oppdragsavtale") == [library["navn"]]
    assert found(admin, "Bryggen") == [library["navn"]]


def test_snippet_marks_the_hits(admin, library):
    rows, total = documents.search_documents(admin, "eiendom kjøper")
    assert total == 1
    parts = rows[0].snippet
    assert parts and all(set(part) == {"text", "hit"} for part in parts)
    hits = [part["text"].lower() for part in parts if part["hit"]]
    assert any(hit.startswith("eiendom") for hit in hits), parts
    assert any(hit.startswith("kjøper") for hit in hits), parts
    text = "".join(part["text"] for part in parts)
    assert "Strandkaien" in text
    assert HIT_START not in text and HIT_END not in text


def test_snippet_parts():
    snippet = f"Boligen {HIT_START}eiendommene{HIT_END} og {HIT_START}kjøperen"
    assert snippet_parts(snippet) == [
        {"text": "Boligen ", "hit": False},
        {"text": "eiendommene", "hit": True},
        {"text": " og ", "hit": False},
        {"text": "kjøperen", "hit": True},
    ]
    assert snippet_parts("") == []
    assert snippet_parts("<script>alert(1)</script>") == [
        {"text": "<script>alert(1)</script>", "hit": False}
    ]


def test_absent_word_finds_nothing(admin, library):
    assert documents.search_documents(admin, "helikopterlandingsplass") == ([], 0)


def test_empty_query_finds_nothing(admin, library):
    assert documents.search_documents(admin, "") == ([], 0)
    assert documents.search_documents(admin, "   ") == ([], 0)


def test_trashed_documents_are_not_found(admin, library):
    documents.trash_document(admin, library["salg"])
    assert documents.search_documents(admin, "Strandkaien") == ([], 0)
    documents.restore_document(admin, library["salg"])
    assert found(admin, "Strandkaien") == [library["salg"]]


def test_deleted_documents_leave_the_index(admin, library):
    documents.trash_document(admin, library["takst"])
    documents.delete_forever(admin, library["takst"])
    documents.restore_document(admin, library["takst"])
    assert documents.search_documents(admin, "takstmann") == ([], 0)


def test_search_pages(admin, library):
    # "kr" appears in the sales text, the contract and the valuation.
    first, total = documents.search_documents(admin, "kr", page=1, page_size=2)
    second, _ = documents.search_documents(admin, "kr", page=2, page_size=2)
    assert total == 3
    assert len(first) == 2 and len(second) == 1
    assert {row.uid for row in first + second} == {
        library["salg"],
        library["pdf"],
        library["takst"],
    }


HOSTILE_QUERIES = [
    '"',
    '""',
    '"eiendom',
    'eiendom"',
    "*",
    "eiendom*",
    "**",
    "NEAR(",
    "NEAR(eiendom kjøper, 2)",
    "-",
    "-eiendom",
    "eiendom -kjøper",
    ":",
    "name:eiendom",
    "body : Strandkaien",
    "{name body}: eiendom",
    "(",
    ")",
    "((eiendom",
    "eiendom))",
    "()",
    "AND",
    "OR",
    "NOT",
    "eiendom OR",
    "NOT eiendom",
    "eiendom AND NOT kjøper",
    "^eiendom",
    "+",
    "'",
    "''",
    "'; DROP TABLE document; --",
    "\x00",
    "eiendom\x00kjøper",
    "\ue000\ue001",
    "%_",
    "a" * 2000,
    "ord " * 200,
    "ø" * 300,
    'eiendom* kjøper* ^selger NEAR/3 "takst"',
]


def test_fts5_syntax_in_queries_never_raises(admin, library):
    for query in HOSTILE_QUERIES:
        rows, total = documents.search_documents(admin, query)
        assert isinstance(rows, list) and total >= len(rows), query
    # Nothing was changed by them and search still works.
    assert documents.list_documents(admin)[1] == 4
    assert found(admin, "Strandkaien") == [library["salg"]]
