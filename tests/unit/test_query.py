"""The search query language (services/query.py): parsing only, no database."""

from __future__ import annotations

import random
from datetime import date

import pytest

from dokvault.services.search.date_ranges import DateRange, parse_date_range
from dokvault.services.search.query import (
    MAX_QUERY_CHARS,
    ParsedQuery,
    QueryError,
    Term,
    parse,
)

FIELDS = ("address", "gnr", "Kjøpesum")


def W(text: str) -> Term:  # noqa: N802  (reads like the grammar)
    return Term(text)


def P(text: str) -> Term:  # noqa: N802
    return Term(text, phrase=True)


def codes(parsed: ParsedQuery) -> list[str]:
    return [error.code for error in parsed.errors]


# --- words, phrases, OR, exclusions --------------------------------------------------


def test_words_are_all_required():
    q = parse("eiendom  kjøper\tStavanger")
    assert q.groups == [[W("eiendom")], [W("kjøper")], [W("Stavanger")]]
    assert (q.excluded, q.filters, q.ranges, q.fields, q.errors) == ([], {}, {}, {}, [])
    assert q.has_text and not q.is_empty()


def test_phrases_keep_their_words_together():
    q = parse('"tre  soverom" Vågen "Strandkaien 12, Stavanger"')
    assert q.groups == [[P("tre soverom")], [W("Vågen")], [P("Strandkaien 12, Stavanger")]]


@pytest.mark.parametrize(
    ("query", "groups"),
    [
        ("a b OR c", [["a"], ["b", "c"]]),  # a AND (b OR c), as in Google
        ("a OR b c", [["a", "b"], ["c"]]),
        ("a OR b OR c d", [["a", "b", "c"], ["d"]]),
        ("a OR b c OR d", [["a", "b"], ["c", "d"]]),
        ('"tre soverom" OR peis', [[P("tre soverom"), "peis"]]),
    ],
)
def test_or_binds_tighter_than_the_implicit_and(query, groups):
    expected = [[t if isinstance(t, Term) else W(t) for t in group] for group in groups]
    assert parse(query).groups == expected


@pytest.mark.parametrize(
    "query",
    ["OR a", "a OR", "OR", "OR OR", "a OR OR", "OR a OR", " OR  OR a OR OR "],
)
def test_dangling_or_is_ignored(query):
    q = parse(query)
    assert q.groups == ([[W("a")]] if "a" in query else [])
    assert q.errors == []


def test_or_or_collapses():
    assert parse("a OR OR b").groups == [[W("a"), W("b")]]


def test_only_uppercase_or_is_an_operator():
    # "or" is a Norwegian word (the tree), so only OR joins terms.
    assert parse("a or b").groups == [[W("a")], [W("or")], [W("b")]]
    assert parse("a Or b").groups == [[W("a")], [W("Or")], [W("b")]]


def test_and_written_out_changes_nothing():
    assert parse("a AND b") == parse("a b")
    assert parse("AND") == ParsedQuery()


def test_exclusions_of_words_and_phrases():
    q = parse('eiendom -kjøper -"tre soverom" --selger')
    assert q.groups == [[W("eiendom")]]
    assert q.excluded == [W("kjøper"), P("tre soverom"), W("selger")]
    assert not parse("-kjøper").has_text


def test_a_lone_dash_is_ignored():
    assert parse("- a -").groups == [[W("a")]]
    assert parse("-").is_empty()
    assert parse("e-post").groups == [[W("e-post")]]  # a hyphen inside a word stays


def test_or_does_not_reach_over_an_exclusion():
    q = parse("a OR -b c")
    assert q.groups == [[W("a")], [W("c")]]
    assert q.excluded == [W("b")]


def test_unbalanced_quote_makes_the_rest_a_phrase():
    assert parse('eiendom "til kjøperen OR x -y').groups == [
        [W("eiendom")],
        [P("til kjøperen OR x -y")],
    ]
    assert parse('eiendom"kjøper').groups == [[W("eiendom")], [P("kjøper")]]
    assert parse('"').is_empty() and parse('""').is_empty() and parse('" "').is_empty()
    assert parse('a "" OR b').groups == [[W("a"), W("b")]]


def test_punctuation_around_words_is_not_searched():
    assert parse("(eiendom) kjøper, *Strand* ^takst").groups == [
        [W("eiendom")], [W("kjøper")], [W("Strand")], [W("takst")]
    ]
    assert parse("* () : ^ + ; ...").is_empty()
    assert parse("(a OR b) c").groups == [[W("a"), W("b")], [W("c")]]


def test_norwegian_letters_and_repeats():
    q = parse("Æøå ÆØÅ æøå Tromsø tromsø")
    assert q.groups == [[W("Æøå")], [W("Tromsø")]]  # case-insensitive; first spelling kept
    assert parse("Kjøper OR kjøper").groups == [[W("Kjøper")]]
    assert parse('"Eiendom" eiendom').groups == [[P("Eiendom")], [W("eiendom")]]  # different kinds


def test_repeated_groups_are_kept_apart_from_ors():
    # "a" alone already requires a: the OR after the second "a" must not widen it.
    assert parse("a a OR b").groups == [[W("a")], [W("a"), W("b")]]
    assert parse("a OR b b OR a").groups == [[W("a"), W("b")]]


# --- filters and custom fields -------------------------------------------------------


def test_the_four_filters():
    q = parse(
        'type:"Takst/Verdivurdering" tag:haster office:Tromsø owner:kari@example.no eiendom'
    )
    assert q.filters == {
        "type": [["Takst/Verdivurdering"]],
        "tag": [["haster"]],
        "office": [["Tromsø"]],
        "owner": [["kari@example.no"]],
    }
    assert q.groups == [[W("eiendom")]]


def test_keys_are_case_insensitive_and_values_keep_their_letters():
    assert parse("TYPE:Egenerklæring Tag:Høy").filters == {
        "type": [["Egenerklæring"]],
        "tag": [["Høy"]],
    }
    assert parse('TaG:" Må  følges\topp"').filters == {"tag": [["Må følges opp"]]}


def test_filter_values_or_and():
    assert parse("tag:haster OR tag:ny tag:styre").filters == {"tag": [["haster", "ny"], ["styre"]]}
    assert parse("type:Faktura OR type:Skjøte OR type:faktura").filters == {
        "type": [["Faktura", "Skjøte"]]
    }
    assert parse("tag:a tag:A").filters == {"tag": [["a"]]}


def test_or_between_different_kinds_applies_both():
    q = parse("tag:haster OR type:Faktura")
    assert q.filters == {"tag": [["haster"]], "type": [["Faktura"]]}
    assert codes(q) == ["or_between_kinds"]
    q = parse("eiendom OR tag:haster")
    assert (q.groups, q.filters, codes(q)) == ([[W("eiendom")]], {"tag": [["haster"]]}, ["or_between_kinds"])


def test_parentheses_around_filters_are_not_part_of_the_value():
    assert parse("(tag:haster OR tag:ny)").filters == {"tag": [["haster", "ny"]]}
    assert parse('tag:"a)"').filters == {"tag": [["a)"]]}  # quoted: kept as written


def test_unbalanced_quote_in_a_value_takes_the_rest():
    assert parse('type:"Takst/Verdi vurdering eiendom').filters == {
        "type": [["Takst/Verdi vurdering eiendom"]]
    }


@pytest.mark.parametrize("query", ["type:", 'type:""', "type: Faktura", 'tag:"  "', "owner:"])
def test_empty_filter_value_is_reported_and_left_out(query):
    q = parse(query)
    assert q.filters == {}
    assert codes(q) == ["empty_value"]
    assert q.groups == ([[W("Faktura")]] if "Faktura" in query else [])


def test_excluded_filters_are_reported_not_applied():
    q = parse('eiendom -tag:haster -type:"Takst/Verdivurdering"')
    assert (q.filters, q.excluded) == ({}, [])
    assert codes(q) == ["negated_filter", "negated_filter"]
    assert str(q.errors[0]) == "-tag:haster: filters cannot be excluded with -"


def test_custom_fields_for_declared_keys():
    q = parse('address:"Strandkaien 1" GNR:57 kjøpesum:6450000 eiendom', field_keys=FIELDS)
    assert q.fields == {
        "address": [["Strandkaien 1"]],
        "gnr": [["57"]],
        "Kjøpesum": [["6450000"]],  # the caller's spelling of the key
    }
    assert q.groups == [[W("eiendom")]]


def test_unknown_keys_are_plain_words():
    q = parse("kl:14 address:Strandkaien https://example.no")
    assert q.groups == [[W("kl:14")], [W("address:Strandkaien")], [W("https://example.no")]]
    assert (q.fields, q.filters, q.errors) == ({}, {}, [])


def test_built_in_keys_win_over_fields_of_the_same_name():
    q = parse("type:Faktura", field_keys=["Type", "gnr"])
    assert (q.filters, q.fields) == ({"type": [["Faktura"]]}, {})


# --- dates -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "start", "end"),
    [
        ("2026", date(2026, 1, 1), date(2027, 1, 1)),
        ("2026-02", date(2026, 2, 1), date(2026, 3, 1)),
        ("2024-02", date(2024, 2, 1), date(2024, 3, 1)),
        ("2026-12", date(2026, 12, 1), date(2027, 1, 1)),
        ("2026-2", date(2026, 2, 1), date(2026, 3, 1)),
        ("2026-02-14", date(2026, 2, 14), date(2026, 2, 15)),
        ("14.02.2026", date(2026, 2, 14), date(2026, 2, 15)),
        ("02.2026", date(2026, 2, 1), date(2026, 3, 1)),
        ("2026-01..2026-03", date(2026, 1, 1), date(2026, 4, 1)),
        ("2026-01-15..", date(2026, 1, 15), None),
        ("..2026-03-31", None, date(2026, 4, 1)),
        ("..2026-03", None, date(2026, 4, 1)),
        ("2025..2026", date(2025, 1, 1), date(2027, 1, 1)),
        ("2026-12-31..2027", date(2026, 12, 31), date(2028, 1, 1)),
        ("15.01.2026..31.03.2026", date(2026, 1, 15), date(2026, 4, 1)),
    ],
)
def test_date_ranges_are_half_open(value, start, end):
    assert parse_date_range(value) == DateRange(start, end)
    assert parse(f"added:{value}").ranges == {"added": DateRange(start, end)}


def test_the_end_of_a_range_is_included_as_written():
    q1 = parse_date_range("2026-01..2026-03")
    assert q1.contains(date(2026, 1, 1)) and q1.contains(date(2026, 3, 31))
    assert not q1.contains(date(2025, 12, 31)) and not q1.contains(date(2026, 4, 1))
    assert q1.last_day == date(2026, 3, 31)
    assert DateRange(None, None).contains(date(1999, 1, 1))
    assert parse_date_range("..2026-03-31").last_day == date(2026, 3, 31)


@pytest.mark.parametrize(
    "value", ["2026-13", "2026-02-30", "2025-02-29", "26", "januar", "2026/02", "..", "x..y", "9999", "0999"]
)
def test_bad_dates_are_reported_and_left_out(value):
    with pytest.raises(ValueError):
        parse_date_range(value)
    q = parse(f"created:{value} eiendom")
    assert (q.ranges, q.groups, codes(q)) == ({}, [[W("eiendom")]], ["bad_date"])


def test_reversed_range_matches_nothing_and_says_so():
    q = parse("created:2026-03..2026-01")
    assert q.ranges["created"].is_empty
    assert codes(q) == ["empty_range"]


def test_repeated_range_keys_intersect():
    q = parse("added:2026 added:2026-03.. created:2025")
    assert q.ranges == {
        "added": DateRange(date(2026, 3, 1), date(2027, 1, 1)),
        "created": DateRange(date(2025, 1, 1), date(2026, 1, 1)),
    }
    q = parse("added:2025 OR added:2026")  # no OR for ranges: both apply, which is nothing
    assert q.ranges["added"].is_empty
    assert codes(q) == ["or_between_ranges", "empty_range"]


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("2026", "2026"),
        ("2026-02", "2026-02"),
        ("2026-02-14", "2026-02-14"),
        ("14.02.2026", "2026-02-14"),
        ("2026-01..2026-03", "2026-01..2026-03"),
        ("2026-01-01..2026-03-31", "2026-01..2026-03"),
        ("2025..2026", "2025..2026"),
        ("2026-01-15..", "2026-01-15.."),
        ("..2026-03-31", "..2026-03"),
        ("2026-01-15..2026-03", "2026-01-15..2026-03-31"),
    ],
)
def test_date_range_text_is_short_and_parses_back(value, text):
    span = parse_date_range(value)
    assert span.to_text() == text
    assert parse_date_range(text) == span


# --- hostile input -------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "\x00", "eiendom\x00kjøper", "\ud800", "a\udfffb", "\ue000\ue001", "\u202eeiendom",
        "\u200b", "eien\u00addom", "a\r\nb", "\x1b[31m", "😀 中文 العربية", "e\u0301", "ø" * 5000,
        "'; DROP TABLE document; --", "NEAR(a b, 2)", "{name body}: x", "a:*", "type:\x00",
    ],
)
def test_hostile_input_never_raises_and_leaves_no_control_characters(query):
    q = parse(query)
    text = q.to_text()
    assert all(ch.isprintable() for ch in text), repr(text)
    assert "\x00" not in repr(q) and "\ue000" not in text
    text.encode("utf-8")  # no lone surrogate left


def test_invisible_characters_do_not_split_words():
    assert parse("eien\u00addom kjø\u200bper").groups == [[W("eiendom")], [W("kjøper")]]


def test_decomposed_letters_are_composed():
    assert parse("Va\u030agen").groups == [[W("Vågen")]]


def test_overlong_query_is_cut_and_says_so():
    q = parse("eiendom " * 1000)
    assert q.groups == [[W("eiendom")]]
    assert codes(q) == ["too_long"]
    assert str(q.errors[0]) == f"the query was cut after {MAX_QUERY_CHARS} characters"


def test_not_a_string():
    assert parse(None).is_empty()  # type: ignore[arg-type]


def test_query_error_messages():
    assert str(QueryError("bad_date", "added:2026-13")).startswith("added:2026-13 is not a date")
    assert str(QueryError("something_new", "x")) == "x"


# --- round trip ----------------------------------------------------------------------

ROUND_TRIPS = [
    ("a b OR c", "a b OR c"),
    ('  eiendom   "tre   soverom"  ', 'eiendom "tre soverom"'),
    ("OR a OR OR b OR", "a OR b"),
    ("-kjøper eiendom", "eiendom -kjøper"),
    ('TYPE:"Takst/Verdivurdering"', "type:Takst/Verdivurdering"),
    ('tag:"Må følges opp" OR tag:ny', 'tag:"Må følges opp" OR tag:ny'),
    ("created:01.01.2026..31.03.2026", "created:2026-01..2026-03"),
    ('ADDRESS:"Strandkaien 1" gnr:57', 'address:"Strandkaien 1" gnr:57'),
    ('"unbalanced phrase', '"unbalanced phrase"'),
    ("(type:Faktura)", "type:Faktura"),
    ("kl:14", "kl:14"),
    ("-", ""),
]


@pytest.mark.parametrize(("query", "text"), ROUND_TRIPS)
def test_to_text_is_the_normalised_query(query, text):
    q = parse(query, FIELDS)
    assert q.to_text() == text
    assert parse(text, FIELDS) == q


ALPHABET = [
    *'"-:()*^+{}.,;\'!&|<>\\/ \t\n_@', "a", "b", "æ", "ø", "å", "Å", "1", "9",
    "OR", "AND", "NOT", "NEAR", "or", "type:", "TAG:", "office:", "owner:", "added:", "created:",
    "address:", "gnr:", "kl:", "..", "2026", "-02", "-14", "\x00", "\ud800", "\u0301", "\u200b",
    "\u00ad", "\ue000", "😀", "中", "ß", "ﬁ", "İ", "\u0663", "ـ", "²",
]


def test_fuzz_parse_never_raises_and_round_trips():
    rnd = random.Random(4)
    for _ in range(20_000):
        query = "".join(rnd.choice(ALPHABET) for _ in range(rnd.randint(0, 40)))
        q = parse(query, FIELDS)
        text = q.to_text()
        again = parse(text, FIELDS)
        assert again == q, (query, text)
        assert again.to_text() == text, (query, text)
        for term in [t for group in q.groups for t in group] + q.excluded:
            assert term.text and term.text == term.text.strip(), (query, term)


def test_fuzz_random_unicode_never_raises():
    rnd = random.Random(5)
    for _ in range(3_000):
        query = "".join(chr(rnd.randint(0, 0x10FFFF)) for _ in range(rnd.randint(0, 30)))
        q = parse(query)
        assert parse(q.to_text()) == q
