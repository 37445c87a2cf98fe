"""The text part of a parsed query as a PostgreSQL tsquery and an SQLite FTS5 MATCH
expression (services/search/terms.py), checked as text and, for FTS5, run on an in-memory
table. tests/integration/test_search_pg.py runs the tsquery side on PostgreSQL."""

from __future__ import annotations

import random
import sqlite3

import pytest

from dokvault.core import norwegian
from dokvault.services.search import terms as search_terms
from dokvault.services.search.query import parse
from tests.unit.test_query import ALPHABET

KJOP = norwegian.term("kjøperen")  # "kjøp"


def pair(first: str, second: str) -> str:
    return f"'ǂ{first}ǂ{second}'"


INCOMPLETE = "'ǂǂ'"


def test_tsquery_of_words_phrases_or_and_exclusions():
    parsed = parse('eiendom "til kjøperen" OR takst -selger -"tre soverom"')
    # A phrase of two words is its pair lexeme, or by positions where pairs are missing.
    til_kjop = f"({pair('til', KJOP)} | ({INCOMPLETE} & ('til' <-> '{KJOP}')))"
    tre_soverom = f"({pair('tre', 'soverom')} | ({INCOMPLETE} & ('tre' <-> 'soverom')))"
    assert search_terms.pg_tsquery(parsed) == (
        f"('eiendom':*) & ({til_kjop} | 'takst':*) & !('selg':* | {tre_soverom})"
    )
    assert search_terms.pg_exclusion_tsquery(parsed) == f"'selg':* | {tre_soverom}"
    assert search_terms.pg_highlight_tsquery(parsed) == f"'eiendom':* | 'til':* | '{KJOP}':* | 'takst':*"


def test_longer_phrases_are_checked_by_positions_where_all_their_pairs_are():
    assert search_terms.pg_tsquery(parse('"oppgjør via klientkonto"')) == (
        "((('oppgjør' <-> 'via' <-> 'klientkonto') & "
        f"({pair('oppgjør', 'via')} & {pair('via', 'klientkonto')} | {INCOMPLETE})))"
    )


def test_an_overlong_word_has_no_pair():
    long = "ø" * 150
    cut = "ø" * search_terms.MAX_TERM_CHARS
    assert search_terms.pg_tsquery(parse(f'"kort {long}"')) == f"(('kort' <-> '{cut}':*))"
    assert search_terms.pg_tsquery(parse(f'"{long} kort tre"')) == (
        f"((('{cut}':* <-> 'kort' <-> 'tre') & ({pair('kort', 'tre')} | {INCOMPLETE})))"
    )


def test_pair_lexemes_of_a_text():
    terms = norwegian.term_list("Tre soverom, tre soverom og " + "ø" * 150 + " bad")
    pairs, complete = search_terms.pair_lexemes(terms)
    assert pairs == ["ǂtreǂsoverom", "ǂsoveromǂtre", "ǂsoveromǂog"] and complete
    many = [f"ord{i}" for i in range(search_terms.MAX_PAIRS + 5)]
    pairs, complete = search_terms.pair_lexemes(many)
    assert len(pairs) == search_terms.MAX_PAIRS and not complete


def test_fts5_match_of_words_phrases_or_and_exclusions():
    parsed = parse('eiendom "til kjøperen" OR takst -selger')
    positive = f'("eiendom"*) AND ("til" + "{KJOP}" OR "takst"*)'
    assert search_terms.fts5_match(parsed) == (
        f"(({{terms}} : ({positive})) AND ({{terms}} : ({positive}) OR "
        '{name body} : ("eiendom"* OR "til"* OR "kjøperen"* OR "takst"*))) '
        'NOT ({terms} : ("selg"*))'
    )
    assert search_terms.fts5_exclusion(parsed) == '{terms} : ("selg"*)'


def test_a_token_of_several_words_is_matched_in_order():
    # "gnr:57" (no such key) and "e-post": the words follow each other, the last may go on.
    # ... and the last pair may go on too: 'ǂeǂpost':* finds "e-postadressen".
    assert search_terms.pg_tsquery(parse("gnr:57 e-post")) == (
        f"(({pair('gnr', '57')}:* | ({INCOMPLETE} & ('gnr' <-> '57':*)))) & "
        f"(({pair('e', 'post')}:* | ({INCOMPLETE} & ('e' <-> 'post':*))))"
    )
    assert search_terms.fts5_exclusion(parse("-gnr:57")) == '{terms} : ("gnr" + "57"*)'


def test_nothing_to_look_for():
    for text in ("", "-eiendom", "type:Faktura", "* ( ) :", '""', "OR -"):
        parsed = parse(text)
        assert search_terms.pg_tsquery(parsed) == "" and search_terms.fts5_match(parsed) == "", text
    assert search_terms.pg_exclusion_tsquery(parse("eiendom")) == ""
    assert search_terms.fts5_exclusion(parse("eiendom")) == ""


def test_query_words_are_limited():
    words = [f"ord{i}" for i in range(40)]
    parsed = parse(" ".join(words) + " -ekstra")
    groups, excluded = search_terms.text_matches(parsed)
    assert [m.words[0] for group in groups for m in group] == words[: search_terms.MAX_QUERY_WORDS]
    assert excluded == []  # the budget is spent
    long_phrase = parse('"' + " ".join(words) + '"')
    assert len(search_terms.text_matches(long_phrase)[0][0][0].terms) == search_terms.MAX_QUERY_WORDS


def test_overlong_words_are_cut_and_match_as_a_start():
    parsed = parse('"kort ' + "ø" * 1200 + '"')
    match = search_terms.text_matches(parsed)[0][0][0]
    assert [len(t) for t in match.terms] == [4, search_terms.MAX_TERM_CHARS]
    assert match.prefix == (False, True)


@pytest.fixture
def fts() -> sqlite3.Connection:
    """document_fts as the migration makes it, with one row indexed as search/index.py does."""
    conn = sqlite3.connect(":memory:")
    conn.execute(
        "CREATE VIRTUAL TABLE document_fts USING fts5("
        "name, body, terms, tokenize = 'unicode61 remove_diacritics 0')"
    )
    name, body = "Salgsoppgave.txt", "Eiendommene til kjøperen ligger ved Strandkaien, med tre soverom."
    conn.execute(
        "INSERT INTO document_fts(rowid, name, body, terms) VALUES (1, ?, ?, ?)",
        (name, body, norwegian.terms(f"{name}\n{body}")),
    )
    return conn


def rows(conn: sqlite3.Connection, expression: str) -> list[int]:
    sql = "SELECT rowid FROM document_fts WHERE document_fts MATCH ? ORDER BY rowid"
    return [r[0] for r in conn.execute(sql, (expression,)).fetchall()]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("eiendom kjøper", True),
        ("eiendommen kjøpere", True),
        ('"til kjøper"', True),
        ('"kjøper til"', False),
        ('"tre soverom"', True),
        ("Strand", True),
        ('"Strand"', False),
        ("Vågen OR soverom", True),
        ("eiendom Vågen OR peis", False),
        ("eiendom -soverom", False),
        ("eiendom -eiendommer", False),
        ('eiendom -"soverom tre"', True),
        ("salgsoppgave", True),  # the name
    ],
)
def test_fts5_expression_on_a_table(fts, text, expected):
    assert rows(fts, search_terms.fts5_match(parse(text))) == ([1] if expected else [])


def test_fts5_keywords_and_syntax_are_plain_words(fts):
    fts.execute(
        "INSERT INTO document_fts(rowid, name, body, terms) VALUES (2, 'x', ?, ?)",
        ("NEAR AND OR NOT", norwegian.terms("NEAR AND OR NOT")),
    )
    for text in ('"NEAR"', "NEAR(", '"AND" "NOT"', "(NEAR)", "near*", "^near", "NEAR:"):
        expression = search_terms.fts5_match(parse(text))
        assert rows(fts, expression) == [2], (text, expression)


def test_fuzz_fts5_expressions_never_fail(fts):
    rnd = random.Random(6)
    for _ in range(5_000):
        text = "".join(rnd.choice(ALPHABET) for _ in range(rnd.randint(0, 30)))
        parsed = parse(text)
        for expression in (search_terms.fts5_match(parsed), search_terms.fts5_exclusion(parsed)):
            if expression:
                rows(fts, expression)


def test_the_loose_and_positions_forms_of_a_query():
    """What the index answers alone (loose: a superset, leaving out only sure exclusions)
    and what search_vector alone answers (positions), for phrases of three words."""
    parsed = parse('"stue med peis" -"tre soverom" -"to tre fire" -hytte')
    tre_soverom = f"({pair('tre', 'soverom')} | ({INCOMPLETE} & ('tre' <-> 'soverom')))"
    assert search_terms.pg_loose_tsquery(parsed) == (
        f"(({pair('stue', 'med')} & {pair('med', 'peis')} | ({INCOMPLETE} & ('stue' & 'med' & 'peis')))) "
        f"& !({tre_soverom} | 'hyt':*)"
    )
    assert search_terms.pg_positions_tsquery(parsed) == (
        "(('stue' <-> 'med' <-> 'peis')) & !(('tre' <-> 'soverom') | ('to' <-> 'tre' <-> 'fir') | 'hyt':*)"
    )
    assert search_terms.pg_needs_positions(parsed)
    assert not search_terms.pg_needs_positions(parse('"tre soverom" -hytte'))
    assert search_terms.pg_needs_positions(parse('bolig -"to tre fire"'))
