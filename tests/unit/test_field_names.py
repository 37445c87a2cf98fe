"""Names and addresses wherever a text has them (issue 17: the right name must be among the
field model's candidates, whatever the label), parties named in sentences read by the role
words and verbs around them, and what is not a name (firms, streets, places, a form's rows)."""

from __future__ import annotations

from dokvault.ai.field_learn import candidates
from dokvault.ai.field_names import name_candidates, prose_parties
from dokvault.ai.fields import extract_fields
from dokvault.ai.taxonomy_seed import FIELDS
from dokvault.ai.validate import as_gnr_bnr


def values(text: str) -> set[str]:
    return {value for _, value in name_candidates(text)}


def test_names_and_lists_of_parties_are_candidates_whatever_stands_before_them():
    text = ("Underteikna Kari Dahl (f. 12.03.1980), Per Berg (1/4) og Anne-Lise van der Berg sel med dette "
            "til Åse Hansen og Ola Dunk eigedomen.\nHilsen Marte Jensen")
    found = values(text)
    assert "Kari Dahl og Per Berg og Anne-Lise van der Berg" in found  # shares and birth dates left out
    assert {"Kari Dahl", "Åse Hansen og Ola Dunk", "Marte Jensen"} <= found
    assert not any("Underteikna" in v or "Hilsen" in v for v in found)
    # The same names are the field model's candidates for both parties.
    assert "Åse Hansen og Ola Dunk" in {c.value for c in candidates(text, "buyer")}


def test_firms_streets_places_and_municipalities_are_not_names():
    text = ("Eiendomshuset Vest AS\nStrandkaien 12, 4005 Stavanger Sentrum\nGjelder Bergen kommune\n"
            "Fjordgata Nord 7")
    assert values(text) == set()


def test_parties_in_sentences_are_read_by_their_role_words_and_verbs():
    cases = {
        "Mellom Kari Dahl (f. 12.03.1980) som seljar og Per Berg og Line Moe som kjøpar er det gjort avtale.":
            {"seller": "Kari Dahl", "buyer": "Per Berg og Line Moe"},
        "Kari Dahl (1/2) og Ola Dahl (1/2) aksepterer herved budet fra Per Berg på kr 4 100 000.":
            {"seller": "Kari Dahl og Ola Dahl", "buyer": "Per Berg"},
        "Budet fra Per Berg er i dag akseptert av Kari Dahl. Gjelder Storgata 5.":
            {"buyer": "Per Berg", "seller": "Kari Dahl"},
        "Kjøparen er Per Berg, og seljaren er Kari Dahl.": {"buyer": "Per Berg", "seller": "Kari Dahl"},
        "Per Berg og Line Moe kjøper eigedomen av Kari Dahl i dag.":
            {"buyer": "Per Berg og Line Moe", "seller": "Kari Dahl"},
        "Takk for tilliten! Kari Dahl har i dag gitt oss oppdraget med salg av boligen.":
            {"seller": "Kari Dahl"},
    }
    for text, want in cases.items():
        assert prose_parties(text) == want, text
    # In the rules: a labelled party stands; the sentences only fill in what no label names.
    fields = extract_fields("Selger: Nina Aas\nVi bekrefter at Per Berg har kjøpt boligen for kr 3 000 000.",
                            FIELDS)
    assert (fields["seller"], fields["buyer"]) == ("Nina Aas", "Per Berg")


def test_names_without_a_sentence_or_a_role_are_left_alone():
    # A scanned form's row of names under a row of labels is the layout's to pair, not prose.
    assert prose_parties("Selger Kjøper Kjøpesum\nKari Nordmann Ola Dunk kr 3 450 000") == {}
    assert prose_parties("Hei Kari Dahl, takk for praten i går om hytta.") == {}
    assert prose_parties("Megler: Per Hansen\nSaksbehandler: Line Moe") == {}


def test_address_candidates_with_a_dash_or_after_i_and_nynorsk_labels():
    found = {c.value for c in candidates("Strandvegen 83 C - 5035 Bergen. Hytta ligg i Stølsvegen 23 i Øyer.",
                                         "address")}
    assert {"Strandvegen 83 C, 5035 Bergen", "Stølsvegen 23, Øyer"} <= found
    fields = extract_fields("Avtale om sal av einebustad på adressa Havnegata 133, Fyllingsdalen, gnr. 10.",
                            FIELDS)
    assert fields["address"] == "Havnegata 133, Fyllingsdalen"
    # The firm's own address right after its name is a letterhead, still not the property's.
    letter = ("Solide Eiendom AS: Klubbgata 3, 4013 Stavanger\n"
              "Vi selger boligen i Sjøgata 138, 4006 Stavanger.")
    assert extract_fields(letter, FIELDS)["address"] == "Sjøgata 138, 4006 Stavanger"


def test_gnr_bnr_as_a_person_types_it():
    assert [as_gnr_bnr(v) for v in ("12/34", "12 / 34 / 0 / 5", "gnr 12 bnr 34", "Gnr. 12, bnr. 034")] == \
        ["12/34", "12/34/0/5", "12/34", "12/34"]
    assert [as_gnr_bnr(v) for v in ("12", "abc", "12/34/5/6/7")] == [None, None, None]
