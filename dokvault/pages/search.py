"""Full-text search over names and text, with highlighted snippets."""

from __future__ import annotations

from typing import Any

import reflex as rx

from dokvault.components.layout import page_frame, status_badge
from dokvault.formatting import row_view
from dokvault.pages.documents import thumbnail
from dokvault.services import documents
from dokvault.state.base import AppState

MAX_QUERY = 300


class SearchState(AppState):
    query: str = ""
    results: list[dict[str, Any]] = []
    total: int = 0
    searched: bool = False

    @rx.event
    def load(self):
        if self.current_user() is None:
            return self.signed_out()
        q = self.router.url.query_parameters.get("q", "")
        if q:
            self.query = q[:MAX_QUERY]
            return SearchState.run
        return None

    @rx.event
    def submit(self, form: dict):
        self.query = str(form.get("q", ""))[:MAX_QUERY]
        return SearchState.run

    @rx.event
    def run(self):
        user = self.current_user()
        if user is None:
            return self.signed_out()
        rows, self.total = documents.search_documents(user, self.query, page_size=50)
        self.results = [row_view(r) for r in rows]
        self.searched = bool(self.query.strip())
        return None


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


def search_page() -> rx.Component:
    tr = AppState.tr
    return page_frame(
        rx.heading(tr["search.title"], size="7"),
        rx.form(
            rx.hstack(
                rx.input(
                    rx.input.slot(rx.icon("search", size=16)),
                    name="q",
                    default_value=SearchState.query,
                    placeholder=tr["search.placeholder"],
                    size="3",
                    width="100%",
                    max_length=MAX_QUERY,
                    id="search-input",
                ),
                rx.button(tr["search.submit"], size="3", type="submit", id="search-button"),
                width="100%",
            ),
            on_submit=SearchState.submit,
            width="100%",
        ),
        rx.cond(
            SearchState.searched,
            rx.cond(
                SearchState.total > 0,
                rx.vstack(
                    rx.text(tr["search.hits"].to(str).replace("{n}", SearchState.total.to(str)),
                            size="2", color_scheme="gray", id="search-count"),
                    rx.foreach(SearchState.results, result),
                    width="100%",
                ),
                rx.callout(tr["search.none"], icon="search-x", id="search-none"),
            ),
            rx.text(tr["search.hint"], size="2", color_scheme="gray"),
        ),
    )
