"""Suggestions while typing (services/suggestions.py) on the embedded default; the same
tests run on PostgreSQL in tests/integration/test_search_filters_pg.py."""

from __future__ import annotations

from dokvault.services.search.suggestions import suggest
from tests.unit import test_search_filters

brokerage = test_search_filters.brokerage  # the fixture: five documents, two offices


def test_keys_are_completed(brokerage):
    b = brokerage
    assert suggest(b.admin, "ty") == ["type:"]
    assert suggest(b.admin, "eiendom TA") == ["eiendom tag:", "eiendom takeover_date:", "eiendom Takst"]
    assert suggest(b.admin, "ad") == ["added:", "address:"]
    assert "contract_date:" in suggest(b.admin, "con")
    assert suggest(b.admin, "eiendom ") == []  # nothing being typed
    assert suggest(b.admin, "") == []


def test_taxonomy_values_are_completed(brokerage):
    b = brokerage
    assert suggest(b.admin, "type:ta") == ["type:Takst/Verdivurdering"]
    assert suggest(b.admin, "eiendom type:EGEN") == ["eiendom type:Egenerklæring"]
    assert suggest(b.admin, "tag:ha") == ["tag:Haster"]
    assert suggest(b.admin, 'tag:"ha') == ["tag:Haster"]
    assert suggest(b.admin, "office:str") == ['office:"Strandkaien Stavanger"']
    assert suggest(b.admin, "type:verdi") == ["type:Takst/Verdivurdering"]
    assert suggest(b.admin, "type:k") == ["type:Kjøpekontrakt", "type:Korrespondanse"]
    assert len(suggest(b.admin, "type:")) == 8
    assert suggest(b.admin, "type:", limit=3) == [
        "type:Annet", "type:Budjournal/Aksept", "type:Egenerklæring"]
    assert suggest(b.admin, "tag:bolig") == []  # typed already; no word of "Fritidsbolig" begins so


def test_owner_completes_to_me_only(brokerage):
    b = brokerage
    assert suggest(b.ola, "owner:m") == ["owner:me"]
    assert suggest(b.ola, "owner:k") == []  # who owns what is not listed


def test_field_values_come_only_from_visible_documents(brokerage):
    b = brokerage
    assert suggest(b.admin, "address:strand") == ['address:"Strandkaien 12, 4005 Stavanger"']
    assert suggest(b.ola, "address:STRAND") == ['address:"Strandkaien 12, 4005 Stavanger"']  # shared
    assert suggest(b.per, "address:strand") == []
    assert suggest(b.admin, "address:vå") == ['address:"Vågen 1, 4006 Stavanger"']
    assert suggest(b.admin, "address:VÅ") == ['address:"Vågen 1, 4006 Stavanger"']
    assert suggest(b.admin, "address:%") == []  # a wildcard is a character
    assert suggest(b.admin, "address:_") == []
    assert suggest(b.admin, "price:4") == []  # numbers are not completed


def test_words_come_only_from_visible_documents(brokerage):
    b = brokerage
    assert suggest(b.admin, "strandk") == ["Strandkaien"]
    assert suggest(b.admin, "eiendom Strandk") == ["eiendom Strandkaien"]
    assert suggest(b.per, "strandk") == []  # only in Kari's contract
    assert suggest(b.ola, "strandk") == ["Strandkaien"]
    words = suggest(b.admin, "eiendomm")
    assert set(words) == {"eiendommen", "eiendommene"}
    assert words[0] == "eiendommen"  # in two documents
    assert suggest(b.per, "eiendomm") == []
    assert suggest(b.admin, "fotograf") == ["fotografering"]
    assert suggest(b.solo, "fotograf") == []


def test_trashed_documents_suggest_nothing(brokerage):
    from dokvault.services import documents

    b = brokerage
    documents.trash_document(b.kari, b.docs["faktura"])
    assert suggest(b.admin, "fotograf") == []


HOSTILE = [
    '"', "-", "-eiend", "'", "%", "_", "\\", ":", "::", "type::", 'type:"', 'address:"', "\x00",
    "\ue000", "\ud800", "ø" * 300, "a" * 5000, "eiendom OR", "(eiend", "e-pos", "57/3",
    "tag:%' OR 1=1 --", "address:' OR ''='", "NEAR(", "{name body}: ei", "ei*", "ei'",
]


def test_hostile_prefixes_never_raise(brokerage):
    for text in HOSTILE:
        for user in (brokerage.admin, brokerage.ola):
            out = suggest(user, text)
            assert isinstance(out, list) and len(out) <= 8, text
            assert all(isinstance(s, str) for s in out), text
    assert suggest(brokerage.admin, "tag:%") == []
