"""paperless-ngx matching rules for types and tags (dokvault/ai/matching.py)."""

from __future__ import annotations

import logging

import pytest

from dokvault.ai.matching import match, match_labels, matches, split_match
from dokvault.ai.taxonomy_seed import DOCUMENT_TYPES, TAGS
from dokvault.ai.types import Label, MatchAlgorithm

ANY, ALL, EXACT, REGEX, FUZZY, NONE = (
    MatchAlgorithm.ANY, MatchAlgorithm.ALL, MatchAlgorithm.EXACT, MatchAlgorithm.REGEX,
    MatchAlgorithm.FUZZY, MatchAlgorithm.NONE,
)


def label(rule: str, algorithm: MatchAlgorithm, case_sensitive: bool = False, name: str = "L") -> Label:
    return Label(name, match=rule, algorithm=algorithm, case_sensitive=case_sensitive)


def test_split_match_keeps_quoted_phrases_together():
    assert split_match('  hytte "fritids   bolig"  tomt ') == ["hytte", r"fritids\s+bolig", "tomt"]


@pytest.mark.parametrize(("text", "expected"), [
    ("Hytte til salgs på Geilo", True),         # case-insensitive by default
    ("Vi selger hytta i år", True),               # the other word
    ("Hyttefeltet er regulert", False),           # whole words only
    ("Leilighet i Bergen", False),
])
def test_any_word(text, expected):
    assert matches(label("hytte hytta", ANY), text) is expected


def test_any_quoted_phrase_tolerates_other_whitespace():
    rule = label('"oppdrag om salg"', ANY)
    assert matches(rule, "OPPDRAG  OM\nSALG AV BOLIG")
    assert not matches(rule, "oppdrag om utleie")


def test_all_words_in_any_order():
    rule = label("kjøpesum overtakelse", ALL)
    assert matches(rule, "Overtakelse 1. juni. Kjøpesummen er ... Kjøpesum: kr 4 000 000")
    assert not matches(rule, "Kjøpesum: kr 4 000 000")


def test_exact_phrase_and_case_sensitivity():
    assert matches(label("Utskrift fra grunnboken", EXACT), "utskrift fra grunnboken for gnr. 12")
    assert not matches(label("Utskrift fra grunnboken", EXACT), "utskrift av grunnboken")
    sensitive = label("Utskrift fra grunnboken", EXACT, case_sensitive=True)
    assert not matches(sensitive, "UTSKRIFT FRA GRUNNBOKEN")
    assert matches(sensitive, "Utskrift fra grunnboken")


def test_a_word_ending_in_punctuation_still_matches():
    # paperless would build \bkr\.\b here, which never matches before a space
    assert matches(label("kr.", ANY), "Pris kr. 4 500 000")


def test_norwegian_letters_are_word_characters():
    assert matches(label("tomt", ANY), "Ubebygd tomt, 800 m²")
    assert not matches(label("tomt", ANY), "Tomten er opparbeidet")
    assert not matches(label("skjøte", ANY), "skjøtet tinglyses")
    assert matches(label("skjøte", ANY), "Skjøte utstedes")


def test_regex():
    rule = label(r"\bTG\s?[23]\b", REGEX)
    assert matches(rule, "Våtrom: TG 3, fukt i vegg")
    assert not matches(rule, "Våtrom: TG1")


def test_bad_regex_never_matches_and_is_logged(caplog):
    rule = label(r"(tilstands[", REGEX, name="Ødelagt")
    with caplog.at_level(logging.ERROR, logger="dokvault.ai.matching"):
        assert match(rule, "tilstandsrapport") is None
        assert match(rule, "tilstandsrapport igjen") is None
    assert any("bad regular expression" in r.getMessage() for r in caplog.records)


def test_unknown_algorithm_is_refused_quietly(caplog):
    rule = Label("Rar", match="x", algorithm="sometimes")  # e.g. a bad value in the database
    with caplog.at_level(logging.ERROR, logger="dokvault.ai.matching"):
        assert match(rule, "x x x") is None
    assert "unknown matching algorithm" in caplog.text


def test_fuzzy_matches_scan_errors_but_not_other_words():
    rule = label("egenerklæring", FUZZY)
    assert matches(rule, "Selgers egenerkiæring om eiendommen")   # one letter misread
    assert matches(rule, "EGENERKLÆRINGSSKJEMA")
    assert not matches(rule, "Selgers erklæring om konsesjonsfrihet")


def test_none_and_empty_rules_never_match():
    assert not matches(label("faktura", NONE), "faktura")
    assert not matches(label("   ", ANY), "faktura")
    assert not matches(label('""', ANY), "faktura")


def test_match_reports_where_it_matched():
    found = match(label("faktura", ANY), "Hei!\nVedlagt faktura for mars")
    assert found is not None and found.position == len("Hei!\nVedlagt ")
    assert "faktura" in found.reason


def test_match_labels_orders_by_first_occurrence():
    labels = [label("energiattest", ANY, name="Energiattest"),
              label("tilstandsrapport", ANY, name="Tilstand"), label("faktura", ANY, name="Faktura")]
    hits = match_labels("TILSTANDSRAPPORT\nSe også vedlagt energiattest.", labels)
    assert [h.label for h in hits] == ["Tilstand", "Energiattest"]


def test_every_seed_rule_is_valid_and_finds_its_own_name(caplog):
    """Each seeded type and tag rule compiles; a type's rule matches its own name (except the
    e-mail header rule of Korrespondanse and the catch-all Annet)."""
    with caplog.at_level(logging.ERROR, logger="dokvault.ai.matching"):
        for item in DOCUMENT_TYPES + TAGS:
            match(item, "x")
        for item in DOCUMENT_TYPES:
            if item.name not in ("Korrespondanse", "Annet"):
                assert matches(item, f"{item.name.upper()}\nside 1"), item.name
    assert not caplog.records


def test_seed_correspondence_rule_matches_mail_headers_only():
    rule = next(t for t in DOCUMENT_TYPES if t.name == "Korrespondanse")
    assert matches(rule, "Fra: Kari <kari@example.no>\nSendt: mandag\nEmne: Visning")
    assert not matches(rule, "Kjøpesum fra kjøper: kr 2 000 000")


def test_a_regex_that_backtracks_without_end_gives_up_in_time(caplog):
    """(a|aa)+$ on a long run of a's and one b backtracks for hours with `re`."""
    import time

    from dokvault.ai import matching

    rule = label(r"(a|aa)+$", REGEX, name="Slow")
    text = "a" * 40 + "b"
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="dokvault.ai.matching"):
        assert match(rule, text) is None
    assert time.monotonic() - started < 10 * matching.RULE_SECONDS
    assert "'Slow' gave up" in caplog.text
    with pytest.raises(TimeoutError):
        matching.match_in_time(rule, text)
    # The same rule on a text it can finish matches as usual, and so do the other labels.
    assert matches(rule, "aaaa")
    found = match_labels(text, [rule, label("b", REGEX, name="B")])
    assert [m.label for m in found] == ["B"]
