"""Search on PostgreSQL: every test of tests/unit/test_search.py (words, inflections,
phrases, OR, exclusions, snippets, hostile input) runs here again, with `admin` living
in a fresh PostgreSQL database (the deploy roles, migrated as the DDL role) instead of
SQLite. Objects stay in a local folder and the worker in-process: only the database
differs. Plus the tsquery text itself, fuzzed against the server."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import text as sql

from dokvault import db
from dokvault.services.search import terms as search_terms
from dokvault.services.search.query import parse
from tests.unit.test_query import ALPHABET
from tests.unit.test_search import *  # noqa: F403  (the tests and their fixtures, collected here again)
from tests.unit.test_search import MORE_HOSTILE_QUERIES

pytestmark = pytest.mark.integration


@pytest.fixture
def admin(pg_admin):
    """The tests' admin lives in PostgreSQL (tests/integration/conftest.py)."""
    return pg_admin


def test_the_database_is_postgresql(admin):
    with db.session() as s:
        assert s.exec(sql("SELECT to_regclass('document_fts')")).one()[0] is None  # no SQLite table
        index = "SELECT count(*) FROM pg_indexes WHERE indexname = 'ix_document_search_vector'"
        assert s.exec(sql(index)).one()[0] == 1


def test_fuzz_tsquery_text_never_fails_on_the_server(admin, library):
    """Random query syntax: every tsquery we build is valid input for to_tsquery, and the
    search runs with it against the real index."""
    rnd = random.Random(7)
    queries = ["".join(rnd.choice(ALPHABET) for _ in range(rnd.randint(0, 30))) for _ in range(1500)]
    queries += MORE_HOSTILE_QUERIES
    with db.session() as s:
        for text in queries:
            parsed = parse(text)
            parts = {
                "tq": search_terms.pg_tsquery(parsed),
                "xq": search_terms.pg_exclusion_tsquery(parsed),
                "hq": search_terms.pg_highlight_tsquery(parsed),
            }
            s.exec(
                sql(
                    "SELECT count(*) FROM document_search d WHERE "  # noqa: S608
                    f"{search_terms.pg_searchable('d')} @@ to_tsquery('simple', :tq) "
                    f"OR {search_terms.pg_searchable('d')} @@ to_tsquery('simple', :xq) "
                    "OR d.search_vector @@ to_tsquery('simple', :hq)"
                ).bindparams(**parts)
            ).one()


def test_tsquery_is_passed_as_a_parameter_not_spliced(admin, library):
    # A quote in a word cannot end the lexeme: the word is split, quoted and bound.
    for text in ("kr'); DROP TABLE document; --", "kr' | 'Enova", "kr\\' & !'x"):
        rows, total = documents.search_documents(admin, text)  # noqa: F405
        assert total == len(rows)
    assert documents.list_documents(admin)[1] == 4  # noqa: F405
