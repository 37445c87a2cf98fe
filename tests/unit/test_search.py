"""Full-text search on the embedded default (SQLite FTS5) through the document service.
tests/integration/test_search_pg.py runs every test here on PostgreSQL as well."""

from __future__ import annotations

import pytest

from dokvault.services import documents
from dokvault.services.search import HIT_END, HIT_START, engine, filters, snippet_parts
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


# --- the query language: phrases, OR, exclusions ---------------------------------------


@pytest.fixture
def forms(admin, tmp_path):
    """Three notes, each with other forms of "eiendom" and "kjøper"."""
    texts = {
        "grunnform": "Eiendom i Stavanger selges. Kjøper betaler omkostninger.",
        "bestemt": "Eiendommen overtas av kjøperen ved tinglysing av skjøtet.",
        "flertall": "Eiendommene ble vist fram for flere kjøpere på visningen.",
    }
    stored = {
        key: documents.ingest_path(admin.id, make_text(tmp_path / f"{key}.txt", text), f"Notat {key}.txt")
        for key, text in texts.items()
    }
    for document in stored.values():
        assert wait_final(document.id).status == "ready"
    return {key: str(document.uid) for key, document in stored.items()}


def test_every_form_finds_every_other_form(admin, forms):
    queries = ("eiendom", "eiendommen", "eiendommene", "kjøper", "kjøperen", "kjøpere", "Eiendommene KJØPERE")
    for query in queries:
        assert set(found(admin, query)) == set(forms.values()), query


def test_phrase_needs_its_words_in_order(admin, library):
    assert found(admin, '"tre soverom"') == [library["salg"]]
    assert found(admin, '"soverom tre"') == []
    assert found(admin, '"Strandkaien Vågen"') == []  # both words are there, not side by side
    assert found(admin, "Strandkaien Vågen") == [library["salg"]]
    assert found(admin, '"Strandkaien 12"') == [library["salg"]]


def test_phrase_matches_inflected_forms_in_order(admin, forms):
    assert found(admin, '"eiendommen overtas"') == [forms["bestemt"]]
    assert found(admin, '"eiendom overtas"') == [forms["bestemt"]]
    assert found(admin, '"flere kjøper"') == [forms["flertall"]]
    assert found(admin, '"kjøperen eiendommen"') == []


def test_phrase_words_are_whole_words(admin, library):
    assert found(admin, "Strand") == [library["salg"]]  # a word may be the start of a longer one
    assert found(admin, '"Strand"') == []  # in quotes it may not


def test_or_finds_either(admin, library):
    assert set(found(admin, "Enova OR takstmann")) == {library["pdf"], library["takst"]}
    assert set(found(admin, "Vågen OR Enova OR oppdragsavtale")) == {
        library["salg"], library["pdf"], library["navn"]
    }
    assert set(found(admin, '"tre soverom" OR klientkonto')) == {library["salg"], library["pdf"]}


def test_or_binds_tighter_than_and(admin, library):
    # Vågen AND (Enova OR takstmann): no document has both; (Vågen AND Enova) OR takstmann
    # would have found the valuation.
    assert found(admin, "Vågen Enova OR takstmann") == []
    assert found(admin, "Stavanger Enova OR klientkonto") == [library["pdf"]]
    assert found(admin, "Vågen OR") == [library["salg"]]


def test_exclusion_leaves_documents_out(admin, library):
    assert set(found(admin, "kr")) == {library["salg"], library["pdf"], library["takst"]}
    assert set(found(admin, "kr -Enova")) == {library["salg"], library["takst"]}
    assert set(found(admin, 'kr -"tre soverom"')) == {library["pdf"], library["takst"]}
    assert set(found(admin, 'kr -"soverom tre"')) == {library["salg"], library["pdf"], library["takst"]}
    assert found(admin, "kr -kr") == []
    assert found(admin, "kr -Enova -takstmann -Vågen") == []


def test_exclusion_covers_inflected_forms(admin, forms):
    # "Eiendommene" is in one note only as that form; every form of the word excludes it.
    for word in ("eiendom", "eiendommen", "eiendommene", "eiendommer"):
        assert set(found(admin, f"kjøper -{word}")) == set(), word
    assert set(found(admin, "eiendom -kjøperen")) == set()
    assert set(found(admin, "eiendom -tinglysing")) == {forms["grunnform"], forms["flertall"]}
    assert set(found(admin, 'eiendom -"flere kjøpere"')) == {forms["grunnform"], forms["bestemt"]}


def test_only_exclusions_find_nothing(admin, library):
    assert documents.search_documents(admin, "-Enova") == ([], 0)
    assert documents.search_documents(admin, '-"tre soverom" -kr') == ([], 0)


def test_unknown_key_is_searched_as_words(admin, library):
    # The contract says "gnr. 57 bnr. 311".
    assert found(admin, "gnr:57") == [library["pdf"]]
    assert found(admin, "bnr:311") == [library["pdf"]]


def test_filters_from_compile_filters_narrow_the_search(admin, library, monkeypatch):
    """The boundary for the filters: what compile_filters returns is ANDed in, and a query
    with filters and no words lists the filtered documents."""

    def name_filter(parsed, dialect, vocabulary=None):
        return filters.FilterSQL("d.id IN (SELECT id FROM document WHERE lower(name) LIKE :filter_name)",
                                {"filter_name": "%takst%"})

    monkeypatch.setattr(engine, "compile_filters", name_filter)
    assert found(admin, "kr") == [library["takst"]]
    assert found(admin, "Vågen") == []
    rows, total = documents.search_documents(admin, "type:Takst")
    assert (total, [row.uid for row in rows], rows[0].snippet) == (1, [library["takst"]], [])
    assert documents.search_documents(admin, "type:Takst -takstmann") == ([], 0)
    assert found(admin, "type:Takst -Enova") == [library["takst"]]


def test_filters_narrow_the_search(admin, library):
    """The real filters (tests/unit/test_search_filters.py has them all): a type nobody
    has finds nothing, and the search says why."""
    assert found(admin, "Vågen") == [library["salg"]]
    result = documents.find_documents(admin, "Vågen type:Helikopter")
    assert (result.rows, result.total) == ([], 0)
    assert [e.code for e in result.errors] == ["unknown_value"]


def test_phrase_and_or_hits_are_marked_in_the_snippet(admin, library):
    rows, _ = documents.search_documents(admin, '"til kjøperen" OR helikopter')
    hits = {part["text"].lower() for part in rows[0].snippet if part["hit"]}
    assert "kjøperen" in hits, rows[0].snippet
    rows, _ = documents.search_documents(admin, "kjøpere")  # another form than in the text
    hits = {part["text"].lower() for part in rows[0].snippet if part["hit"]}
    assert hits & {"kjøperen", "kjøperne"}, rows[0].snippet


def test_name_hits_rank_first(admin, library, tmp_path):
    other = documents.ingest_path(
        admin.id, make_text(tmp_path / "x.txt", "Oppdragsavtale nevnes her en gang."), "Notat.txt"
    )
    assert wait_final(other.id).status == "ready"
    assert found(admin, "oppdragsavtale") == [library["navn"], str(other.uid)]


MORE_HOSTILE_QUERIES = [
    '"NEAR" "AND" "OR" "NOT"',
    'NEAR "a b" OR',
    "{terms}: kr",
    "terms:kr",
    "kr:*",
    "'kr':*",
    "kr & !Enova",
    "kr | Enova <-> Vågen",
    "!!kr",
    "\\",
    "kr\\",
    '"kr\\"',
    "-\"",
    'type:"',
    "added:..",
    "added:2026-02-30",
    "\ud800",
    "kr \u202e \u200b \u00ad",
    "😀 中文 العربية",
    "ø" * 1200,  # 2400 bytes: longer than a PostgreSQL lexeme may be
    " OR ".join(["kr"] * 100),
    " ".join(f'"{w} {w}"' for w in "abcdefghijklmnopqrstuvwxyz"),
]


def test_more_hostile_queries_never_raise(admin, library):
    for q in MORE_HOSTILE_QUERIES:
        rows, total = documents.search_documents(admin, q)
        assert isinstance(rows, list) and total >= len(rows), q
    assert found(admin, '"NEAR" "AND" "OR" "NOT"') == []
    assert found(admin, "kr | Enova <-> Vågen") == []  # the words kr, Enova and Vågen: none has all
    assert found(admin, "kr & !Enova") == [library["pdf"]]  # no tsquery syntax: two words
    assert documents.list_documents(admin)[1] == 4
