"""/templates: the firm's templates, searchable and filtered by category and office."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import reflex as rx

from dokvault.components.layout import LONG_NAME, WIDE_CELL, page_frame
from dokvault.models import User
from dokvault.services.admin import offices
from dokvault.services.templates import hub
from dokvault.state.base import AppState
from dokvault.state.guards import signed_in

ALL = "all"  # a select item cannot have an empty value
ORGANISATION = "org"


class TemplatesState(AppState):
    templates: list[dict[str, Any]] = []
    categories: list[str] = []
    offices: list[dict[str, str]] = []
    query: str = ""
    category: str = ALL
    office: str = ALL
    can_create: bool = False
    loaded: bool = False

    def _reload(self, user: User) -> None:
        self.templates = [asdict(t) for t in hub.list_templates(
            user, self.query, "" if self.category == ALL else self.category,
            "" if self.office == ALL else self.office)]
        self.loaded = True

    @rx.event
    @signed_in
    def load(self, *, user: User):
        self.categories = hub.categories()
        self.offices = [{"id": str(o.id), "name": o.name} for o in offices.list_offices()]
        self.can_create = hub.may_create(user)
        self._reload(user)

    @rx.event
    @signed_in
    def search(self, query: str, *, user: User):
        self.query = query[:200]
        self._reload(user)

    @rx.event
    @signed_in
    def choose_category(self, value: str, *, user: User):
        self.category = value
        self._reload(user)

    @rx.event
    @signed_in
    def choose_office(self, value: str, *, user: User):
        self.office = value
        self._reload(user)


def _filters() -> rx.Component:
    tr = AppState.tr
    return rx.hstack(
        rx.input(rx.input.slot(rx.icon("search", size=16)), placeholder=tr["tpl.search"],
                 default_value=TemplatesState.query, on_change=TemplatesState.search.debounce(300),
                 width=["100%", "100%", "280px"], id="template-search"),
        rx.select.root(
            rx.select.trigger(id="template-category-filter"),
            rx.select.content(
                rx.select.item(tr["tpl.all_categories"], value=ALL),
                rx.foreach(TemplatesState.categories, lambda c: rx.select.item(c, value=c)),
            ),
            value=TemplatesState.category, on_change=TemplatesState.choose_category,
        ),
        rx.select.root(
            rx.select.trigger(id="template-office-filter"),
            rx.select.content(
                rx.select.item(tr["tpl.all_offices"], value=ALL),
                rx.select.item(tr["tpl.organisation"], value=ORGANISATION),
                rx.foreach(TemplatesState.offices,
                           lambda o: rx.select.item(o["name"], value=o["id"])),
            ),
            value=TemplatesState.office, on_change=TemplatesState.choose_office,
        ),
        spacing="3", wrap="wrap", width="100%",
    )


def _row(t: rx.Var) -> rx.Component:
    tr = AppState.tr
    return rx.table.row(
        rx.table.cell(rx.link(t["title"], href="/templates/" + t["uid"].to(str), weight="medium",
                              style=LONG_NAME, class_name="template-link")),
        rx.table.cell(rx.cond(t["category"] != "", rx.badge(t["category"], variant="soft"))),
        rx.table.cell(rx.text(rx.cond(t["office"] != "", t["office"], tr["tpl.organisation"]),
                              size="2"), display=WIDE_CELL),
        rx.table.cell(rx.text(t["version"].to(str), size="2"), display=WIDE_CELL),
        rx.table.cell(rx.text(t["updated_at"], size="2"), display=WIDE_CELL),
        align="center", class_name="template-row",
    )


def templates_page() -> rx.Component:
    tr = AppState.tr
    return page_frame(
        rx.hstack(
            rx.heading(tr["tpl.title"], size="7"),
            rx.spacer(),
            rx.cond(TemplatesState.can_create,
                    rx.link(rx.button(rx.icon("plus", size=16), tr["tpl.new"]),
                            href="/templates/new", id="new-template")),
            align="center", width="100%",
        ),
        rx.text(tr["tpl.intro"], size="2", color_scheme="gray"),
        _filters(),
        rx.cond(
            TemplatesState.templates.length() > 0,
            rx.table.root(
                rx.table.header(rx.table.row(
                    rx.table.column_header_cell(tr["tpl.col_title"]),
                    rx.table.column_header_cell(tr["tpl.col_category"]),
                    rx.table.column_header_cell(tr["tpl.col_office"], display=WIDE_CELL),
                    rx.table.column_header_cell(tr["tpl.col_version"], display=WIDE_CELL),
                    rx.table.column_header_cell(tr["tpl.col_updated"], display=WIDE_CELL),
                )),
                rx.table.body(rx.foreach(TemplatesState.templates, _row)),
                width="100%", variant="surface", id="templates-table",
            ),
            rx.cond(TemplatesState.loaded,
                    rx.callout(rx.cond((TemplatesState.query != "")
                                       | (TemplatesState.category != ALL)
                                       | (TemplatesState.office != ALL),
                                       tr["tpl.none_found"], tr["tpl.empty"]),
                               icon="file-text", id="templates-empty")),
        ),
    )
