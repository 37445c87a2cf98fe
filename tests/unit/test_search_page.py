"""The /search page's state, called as Reflex would call it on an event, with the access
cookie in the connection's headers (no browser, no running app): results with counts per
type and tag, a click on a count, the order switch, notes and suggestions."""

from __future__ import annotations

import dataclasses

import pytest

from dokvault import db
from dokvault.services import documents
from dokvault.services.auth import accounts
from tests.unit import test_search_filters
from tests.unit.helpers import access_token, page_state

brokerage = test_search_filters.brokerage  # the fixture: five documents, two offices


def search_state(user):
    from dokvault.pages.search.page import SearchState

    with db.session() as s:
        session_id = accounts.open_session(s, user, "this browser")
    return page_state(SearchState, access_token(user.id, session_id))


def fire(state, name: str, *args):
    """Run an event handler, then the events it chains (as the frontend would)."""
    from dokvault.pages.search.page import SearchState

    result = SearchState.event_handlers[name].fn(state, *args)
    if result is SearchState.run:
        SearchState.event_handlers["run"].fn(state)
    return result


def names(counts: list[dict]) -> list[tuple[str, int]]:
    return [(c["name"], c["count"]) for c in counts]


def test_search_shows_results_and_counts(brokerage):
    b = brokerage
    state = search_state(b.admin)
    fire(state, "submit", {"q": "eiendom"})
    assert state.searched and state.total == 5 and len(state.results) == 5
    assert names(state.tag_counts) == [("Bolig", 2), ("Haster", 2), ("Fritidsbolig", 1), ("Signert", 1)]
    assert dict(names(state.type_counts))["Faktura"] == 1
    assert state.notes == []


def test_a_click_on_a_count_narrows_the_search(brokerage):
    b = brokerage
    state = search_state(b.admin)
    fire(state, "submit", {"q": "eiendom"})
    fire(state, "add_tag", "Haster")
    assert state.query == "eiendom tag:Haster"
    assert {r["uid"] for r in state.results} == {b.docs["faktura"], b.docs["salg"]}
    fire(state, "add_type", "Takst/Verdivurdering")
    assert state.query == "eiendom tag:Haster type:Takst/Verdivurdering"
    assert state.total == 0 and state.tag_counts == [] and state.type_counts == []
    fire(state, "submit", {"q": "eiendom"})
    fire(state, "add_type", "Takst/Verdivurdering")
    fire(state, "add_tag", "Bolig")
    assert state.query == "eiendom type:Takst/Verdivurdering tag:Bolig"
    assert [r["uid"] for r in state.results] == [b.docs["takst"]]
    fire(state, "add_tag", "bolig")  # already there: the query stays as it is
    assert state.query == "eiendom type:Takst/Verdivurdering tag:Bolig"


def test_a_name_with_spaces_is_quoted(brokerage):
    from dokvault.pages.search.page import with_filter

    assert with_filter("", "office", "Strandkaien Stavanger") == 'office:"Strandkaien Stavanger"'
    assert with_filter('office:"Strandkaien Stavanger"', "office", "strandkaien stavanger") == (
        'office:"Strandkaien Stavanger"')
    assert with_filter("x", "tag", 'a"b') == 'x tag:"a"b"'  # parses, finds nothing: no crash


def test_sort_switch(brokerage):
    b = brokerage
    state = search_state(b.admin)
    fire(state, "submit", {"q": "eiendom"})
    fire(state, "set_sort", "date")
    assert state.sort == "date"
    assert [r["uid"] for r in state.results] == [
        b.docs[k] for k in ("kontrakt", "faktura", "salg", "notat", "takst")]
    fire(state, "set_sort", "'; DROP TABLE document; --")
    assert state.sort == "date"
    fire(state, "set_sort", "relevance")
    assert state.sort == "relevance" and state.total == 5


def test_notes_say_what_was_left_out_in_the_users_language(brokerage):
    b = brokerage
    state = search_state(b.admin)
    fire(state, "submit", {"q": "eiendom added:2026-13 type:Helikopter"})
    assert state.total == 0
    assert any("2026-13" in n and "dato" in n for n in state.notes), state.notes
    assert any("type:Helikopter" in n and "ingenting" in n for n in state.notes), state.notes
    state.lang = "en"
    fire(state, "run")
    assert any("type:Helikopter" in n and "nothing has this name" in n for n in state.notes)


def test_typing_suggests_and_picking_searches(brokerage):
    b = brokerage
    state = search_state(b.admin)
    fire(state, "type_query", "eiendom tag:ha")
    assert state.suggestions == ["eiendom tag:Haster"]
    assert state.query == "eiendom tag:ha" and not state.searched
    fire(state, "pick", "eiendom tag:Haster")
    assert state.suggestions == [] and state.searched and state.total == 2
    fire(state, "type_query", "eiendom tag:Haster ty")
    assert state.suggestions == ["eiendom tag:Haster type:"]
    fire(state, "pick", "eiendom tag:Haster type:")  # a key alone: wait for its value
    assert state.suggestions == [] and state.total == 2
    fire(state, "type_query", "strandk")
    assert state.suggestions == ["Strandkaien"]
    fire(state, "close_suggestions")
    assert state.suggestions == []


def test_a_late_keystroke_after_the_search_suggests_nothing(brokerage):
    state = search_state(brokerage.admin)
    fire(state, "submit", {"q": "tag:ha"})
    fire(state, "type_query", "tag:ha")  # the debounced event for the text just searched
    assert state.suggestions == []


def test_suggestions_and_results_respect_rights(brokerage):
    b = brokerage
    state = search_state(b.per)
    fire(state, "type_query", "strandk")
    assert state.suggestions == []
    fire(state, "submit", {"q": "eiendom"})
    assert [r["uid"] for r in state.results] == [b.docs["salg"]]
    assert names(state.tag_counts) == [("Fritidsbolig", 1), ("Haster", 1)]


def test_load_reads_the_query_and_order_from_the_address(brokerage):
    from reflex.istate.data import ReflexURL

    from dokvault.pages.search.page import SearchState

    b = brokerage
    state = search_state(b.admin)
    root = state.parent_state.parent_state
    root.router = dataclasses.replace(
        root.router, url=ReflexURL("http://localhost:3000/search?q=tag%3AHaster&sort=date"))
    assert fire(state, "load") is SearchState.run
    assert (state.query, state.sort, state.total) == ("tag:Haster", "date", 2)
    assert [r["uid"] for r in state.results] == [b.docs["faktura"], b.docs["salg"]]


def test_signed_out_gets_nothing(brokerage):
    from dokvault.pages.search.page import SearchState

    state = page_state(SearchState, None)
    fire(state, "type_query", "strandk")
    fire(state, "submit", {"q": "eiendom"})
    assert state.suggestions == [] and state.results == [] and state.total == 0


@pytest.mark.parametrize("query", ["a" * 5000, "\x00", 'tag:"', "type:%"])
def test_odd_input_is_cut_and_survives(admin, query):
    state = search_state(admin)
    fire(state, "submit", {"q": query})
    fire(state, "type_query", query)
    assert len(state.query) <= 300
    assert documents.list_documents(admin)[1] == 0


def test_the_page_compiles():
    from dokvault.pages.search.page import search_page

    search_page()


def test_show_more_adds_the_next_page(brokerage, monkeypatch):
    from dokvault.pages.search import page as search_page

    b = brokerage
    monkeypatch.setattr(search_page, "PAGE_SIZE", 2)
    state = search_state(b.admin)
    fire(state, "submit", {"q": "eiendom"})
    assert (len(state.results), state.more, state.total_shown, state.approximate) == (2, True, "5", False)
    fire(state, "load_more")
    fire(state, "load_more")
    assert len(state.results) == 5 and not state.more
    assert sorted(r["uid"] for r in state.results) == sorted(b.docs.values())
    fire(state, "load_more")  # nothing more: nothing changes
    assert len(state.results) == 5
    fire(state, "submit", {"q": "eiendom"})  # a new search starts at the first page again
    assert len(state.results) == 2 and state.page == 1
