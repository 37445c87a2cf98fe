"""Inflected Norwegian forms meet in one search term."""

from __future__ import annotations

import pytest

from dokvault.core import norwegian
from dokvault.services.search import query_terms

GROUPS = [
    ["eiendom", "eiendommen", "eiendommene", "eiendommer"],
    ["kjøper", "kjøperen", "kjøpere", "kjøperne"],
    ["selger", "selgeren", "selgere", "selgerne"],
    ["takst", "taksten", "takster", "takstene"],
    ["megler", "megleren", "meglere", "meglerne"],
    ["kontrakt", "kontrakten", "kontrakter", "kontraktene"],
]


@pytest.mark.parametrize("forms", GROUPS, ids=lambda forms: forms[0])
def test_inflections_meet_in_one_term(forms):
    terms = {norwegian.term(form) for form in forms}
    assert len(terms) == 1, dict(zip(forms, map(norwegian.term, forms), strict=True))


@pytest.mark.parametrize("forms", GROUPS, ids=lambda forms: forms[0])
def test_case_does_not_matter(forms):
    assert norwegian.term(forms[1].upper()) == norwegian.term(forms[1])


def test_different_words_stay_apart():
    assert norwegian.term("eiendom") != norwegian.term("selger")
    assert norwegian.term("kjøper") != norwegian.term("takst")


def test_words_and_terms_of_a_sentence():
    text = "Eiendommene til kjøperen ligger ved Strandkaien."
    assert norwegian.words(text) == [
        "Eiendommene",
        "til",
        "kjøperen",
        "ligger",
        "ved",
        "Strandkaien",
    ]
    terms = norwegian.terms(text).split()
    assert norwegian.term("eiendom") in terms
    assert norwegian.term("kjøper") in terms


def test_terms_are_limited():
    assert len(norwegian.terms("ord " * 100, limit=10).split()) == 10


def test_query_terms_ignore_punctuation_and_repeats():
    assert query_terms('"eiendom" eiendommen* -kjøper:') == [
        norwegian.term("eiendom"),
        norwegian.term("kjøper"),
    ]
    assert query_terms('()*:^-"') == []


def test_names_sort_as_in_norwegian():
    names = ["Åsgårdveien", "ærfuglveien", "Østre Strandgate", "Zinkgata", "Ørje", "éclair", "Aker",
             "Ålesund", "Ärlig", "Egeberg"]
    assert sorted(names, key=norwegian.sort_key) == [
        "Aker", "éclair", "Egeberg", "Zinkgata", "ærfuglveien", "Ärlig", "Ørje", "Østre Strandgate",
        "Ålesund", "Åsgårdveien"]
