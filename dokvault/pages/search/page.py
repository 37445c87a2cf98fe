"""Full-text search with filters: highlighted snippets, counts per type and tag beside the
results (a click narrows the search), relevance or date order, and completions while
typing.

Element ids for browser tests: #search-input, #search-button, #search-suggestions
(items .search-suggestion), #sort-select (items #sort-relevance, #sort-date),
#search-count (data-approximate when it is an estimate), #search-more, #search-none,
#search-notes, #search-syntax, #facets (buttons .facet-type and .facet-tag, each with
data-name and a .facet-count), results .search-result.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from dokvault.components.layout import page_frame, status_badge
from dokvault.components.thumbnail import thumbnail
from dokvault.models import User
from dokvault.services import documents
from dokvault.services.search import SORTS, suggestions
from dokvault.services.search.query import QueryError, parse
from dokvault.state.base import AppState
from dokvault.state.format import grouped, row_view
from dokvault.state.guards import signed_in

MAX_QUERY = 300
PAGE_SIZE = 50
SUGGESTIONS = 8



def with_filter(query: str, key: str, name: str) -> str:
    """The query with `key:"name"` added, unless it already filters on that value."""
    if any(name.casefold() in (v.casefold() for v in group)
           for group in parse(query).filters.get(key, [])):
        return query
    value = name if name and not any(c.isspace() or c in '"()[]{},;' for c in name) else f'"{name}"'
    return f"{query.rstrip()} {key}:{value}".strip()[:MAX_QUERY]


def _facet(facet) -> dict[str, Any]:
    return {"name": facet.name, "count": facet.count, "shown": grouped(facet.count)}


class SearchState(AppState):
    query: str = ""
    results: list[dict[str, Any]] = []
    total: int = 0
    total_shown: str = "0"  # with its thousands apart
    approximate: bool = False  # the total and the counts are estimates (a very large result)
    page: int = 1
    more: bool = False  # another page may follow
    searched: bool = False
    sort: str = "relevance"
    type_counts: list[dict[str, Any]] = []  # {"name", "count", "shown"} per document type
    tag_counts: list[dict[str, Any]] = []
    notes: list[str] = []  # what of the query was left out, in the user's language
    suggestions: list[str] = []
    _searched_query: str = ""  # a late keystroke event for this text suggests nothing

    @rx.event
    def load(self):
        if self._current_user() is None:
            return self._signed_out()
        params = self.router.url.query_parameters
        if params.get("sort") in SORTS:
            self.sort = params["sort"]
        q = params.get("q", "")
        if q:
            self.query = str(q)[:MAX_QUERY]
            return SearchState.run
        return None

    @rx.event
    def submit(self, form: dict):
        self.query = str(form.get("q", ""))[:MAX_QUERY]
        return SearchState.run

    @rx.event
    @signed_in
    def run(self, *, user: User):
        self.suggestions = []
        self._searched_query = self.query
        self.page = 1
        found = documents.find_documents(user, self.query, page_size=PAGE_SIZE, sort=self.sort)
        self.total, self.total_shown, self.approximate = found.total, grouped(found.total), found.approximate
        self.results = [row_view(r) for r in found.rows]
        self.more = len(found.rows) == PAGE_SIZE and len(self.results) < found.total
        self.type_counts = [_facet(f) for f in found.type_counts]
        self.tag_counts = [_facet(f) for f in found.tag_counts]
        self.notes = [self._note(e) for e in found.errors]
        if found.unapplied:
            self.notes.append(self._t("search.unapplied", keys=", ".join(found.unapplied)))
        self.searched = bool(self.query.strip())
        return None

    @rx.event
    @signed_in
    def load_more(self, *, user: User):
        """The next page of the same search, below the ones shown."""
        if not self.more:
            return None
        self.page += 1
        found = documents.find_documents(user, self._searched_query, page=self.page, page_size=PAGE_SIZE,
                                         sort=self.sort)
        shown = {r["uid"] for r in self.results}
        self.results = self.results + [row_view(r) for r in found.rows if r.uid not in shown]
        self.more = len(found.rows) == PAGE_SIZE and (found.approximate or len(self.results) < found.total)
        return None

    def _note(self, error: QueryError) -> str:
        return self._t(f"search.error.{error.code}", fragment=error.fragment)

    @rx.event
    def set_sort(self, value: str):
        if value not in SORTS:
            return None
        self.sort = value
        return SearchState.run if self.searched else None

    @rx.event
    def add_type(self, name: str):
        self.query = with_filter(self.query, "type", str(name))
        return SearchState.run

    @rx.event
    def add_tag(self, name: str):
        self.query = with_filter(self.query, "tag", str(name))
        return SearchState.run

    @rx.event
    @signed_in
    def type_query(self, value: str, *, user: User):
        """Each (debounced) keystroke: keep the text, offer completions of its last word."""
        self.query = str(value)[:MAX_QUERY]
        if self.query == self._searched_query:
            self.suggestions = []  # the keystroke arrived after its search ran
            return None
        self.suggestions = suggestions.suggest(user, self.query, SUGGESTIONS)
        return None

    @rx.event
    def pick(self, suggestion: str):
        """A completion chosen: a finished filter or word searches at once."""
        self.query = str(suggestion)[:MAX_QUERY]
        self.suggestions = []
        if self.query.endswith(":"):
            return rx.set_focus("search-input")
        return SearchState.run

    @rx.event
    def close_suggestions(self):
        self.suggestions = []


def snippet(parts: rx.Var) -> rx.Component:
    return rx.text(
        rx.foreach(
            parts,
            lambda part: rx.cond(
                part["hit"],
                rx.el.mark(part["text"], class_name="search-hit"),
                rx.el.span(part["text"]),
            ),
        ),
        size="2",
        color_scheme="gray",
        class_name="search-snippet",
    )


def result(row: rx.Var) -> rx.Component:
    return rx.card(
        rx.hstack(
            thumbnail(row, "56px"),
            rx.vstack(
                rx.hstack(
                    rx.link(row["name"], href="/documents/" + row["uid"].to(str), weight="bold",
                            class_name="result-link"),
                    status_badge(row["status"], row["status_key"]),
                    align="center",
                ),
                snippet(row["snippet"].to(list[dict[str, Any]])),
                spacing="1",
            ),
            spacing="4",
            align="start",
        ),
        width="100%",
        class_name="search-result",
    )


def suggestion_list() -> rx.Component:
    return rx.cond(
        SearchState.suggestions.length() > 0,
        rx.card(
            rx.vstack(
                rx.foreach(
                    SearchState.suggestions,
                    lambda s: rx.button(
                        s, variant="ghost", size="2", width="100%", justify="start",
                        type="button", class_name="search-suggestion",
                        on_click=SearchState.pick(s),
                    ),
                ),
                spacing="1",
                width="100%",
            ),
            id="search-suggestions",
            role="listbox",
            position="absolute",
            top="100%",
            left="0",
            right="0",
            z_index="20",
            margin_top="4px",
        ),
    )


def facet_group(title_key: str, counts: rx.Var, event, class_name: str) -> rx.Component:
    return rx.cond(
        counts.length() > 0,
        rx.vstack(
            rx.text(AppState.tr[title_key], size="2", weight="bold"),
            rx.foreach(
                counts,
                lambda facet: rx.button(
                    rx.text(facet["name"], trim="end"),
                    rx.spacer(),
                    rx.badge(rx.cond(SearchState.approximate, "≈ ", "") + facet["shown"].to(str),
                             variant="soft", color_scheme="gray", class_name="facet-count"),
                    variant="ghost", size="2", width="100%", type="button",
                    class_name=class_name,
                    custom_attrs={"data-name": facet["name"]},
                    on_click=event(facet["name"]),
                ),
            ),
            spacing="1",
            width="100%",
        ),
    )


def facets() -> rx.Component:
    return rx.vstack(
        facet_group("search.facet_types", SearchState.type_counts, SearchState.add_type, "facet-type"),
        facet_group("search.facet_tags", SearchState.tag_counts, SearchState.add_tag, "facet-tag"),
        spacing="4",
        width="240px",
        min_width="240px",
        id="facets",
    )


def hit_count() -> rx.Component:
    tr = AppState.tr
    label = rx.cond(SearchState.approximate, tr["search.hits_about"], tr["search.hits"])
    count = rx.text(label.to(str).replace("{n}", SearchState.total_shown), size="2", color_scheme="gray",
                    id="search-count", custom_attrs={"data-approximate": SearchState.approximate.to(str)})
    return rx.cond(SearchState.approximate, rx.tooltip(count, content=tr["search.about"]), count)


def sort_select() -> rx.Component:
    tr = AppState.tr
    return rx.select.root(
        rx.select.trigger(id="sort-select", aria_label=tr["search.sort"]),
        rx.select.content(
            rx.select.item(tr["search.sort.relevance"], value="relevance", id="sort-relevance"),
            rx.select.item(tr["search.sort.date"], value="date", id="sort-date"),
        ),
        value=SearchState.sort,
        on_change=SearchState.set_sort,
        size="2",
    )


def notes() -> rx.Component:
    return rx.cond(
        SearchState.notes.length() > 0,
        rx.callout.root(
            rx.callout.icon(rx.icon("info", size=16)),
            rx.vstack(
                rx.text(AppState.tr["search.notes"], size="2"),
                rx.foreach(SearchState.notes, lambda n: rx.text(n, size="2", class_name="search-note")),
                spacing="1",
            ),
            color_scheme="gray",
            variant="surface",
            size="1",
            id="search-notes",
        ),
    )


def search_page() -> rx.Component:
    tr = AppState.tr
    return page_frame(
        rx.heading(tr["search.title"], size="7"),
        rx.form(
            rx.hstack(
                rx.box(
                    # Controlled with on_change: Reflex sends the keystrokes debounced (300 ms).
                    rx.input(
                        name="q",
                        value=SearchState.query,
                        on_change=SearchState.type_query,
                        on_blur=SearchState.close_suggestions.debounce(200),
                        placeholder=tr["search.placeholder"],
                        size="3",
                        width="100%",
                        max_length=MAX_QUERY,
                        auto_complete=False,
                        id="search-input",
                    ),
                    suggestion_list(),
                    position="relative",
                    width="100%",
                ),
                rx.button(rx.icon("search", size=16), tr["search.submit"], size="3", type="submit",
                          id="search-button"),
                width="100%",
            ),
            on_submit=SearchState.submit,
            width="100%",
        ),
        rx.text(tr["search.syntax"], size="1", color_scheme="gray", id="search-syntax"),
        notes(),
        rx.cond(
            SearchState.searched,
            rx.cond(
                SearchState.total > 0,
                rx.hstack(
                    rx.vstack(
                        rx.hstack(
                            hit_count(),
                            rx.spacer(),
                            sort_select(),
                            width="100%",
                            align="center",
                        ),
                        rx.foreach(SearchState.results, result),
                        rx.cond(
                            SearchState.more,
                            rx.button(tr["search.more"], variant="soft", size="2", type="button",
                                      id="search-more", on_click=SearchState.load_more),
                        ),
                        width="100%",
                    ),
                    facets(),
                    spacing="5",
                    align="start",
                    width="100%",
                ),
                rx.callout(tr["search.none"], icon="search-x", id="search-none"),
            ),
            rx.text(tr["search.hint"], size="2", color_scheme="gray"),
        ),
    )
