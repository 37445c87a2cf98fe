"""/templates: the firm's templates, searchable and filtered by category and office; for
admins and office managers, new ones and an import from the network share."""

from __future__ import annotations

import reflex as rx

from dokvault.components.layout import LONG_NAME, WIDE_CELL, page_frame
from dokvault.pages.templates.listing_state import ALL, ORGANISATION, TemplatesState
from dokvault.pages.templates.share_import import TemplateImportState, import_dialog
from dokvault.state.base import AppState


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
            rx.cond(TemplatesState.can_import,
                    rx.button(rx.icon("hard-drive-download", size=16), tr["tpl.import"], variant="soft",
                              loading=TemplateImportState.browsing,
                              on_click=TemplateImportState.open_dialog, id="import-from-share")),
            rx.cond(TemplatesState.can_create,
                    rx.link(rx.button(rx.icon("plus", size=16), tr["tpl.new"]),
                            href="/templates/new", id="new-template")),
            align="center", width="100%", wrap="wrap",
        ),
        import_dialog(),
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
