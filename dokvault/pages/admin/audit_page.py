"""What /admin/audit shows: the filters, the entries in words with what changed, the
pager (newer, older, newest), an entry's raw record, and the daily exports."""

from __future__ import annotations

from typing import Any

import reflex as rx

from dokvault.components.layout import LONG_NAME, WIDE_CELL, page_frame
from dokvault.pages.admin.audit import AuditState
from dokvault.state.base import AppState

State = AuditState


def sentence(event: rx.Var) -> rx.Component:
    return rx.text(
        rx.foreach(event["parts"].to(list[dict[str, Any]]), lambda part: rx.cond(
            part["em"], rx.el.em(part["text"], class_name="audit-document"),
            rx.text.span(part["text"]))),
        size="2", class_name="audit-sentence", style=LONG_NAME,
    )


def change_list(event: rx.Var) -> rx.Component:
    return rx.cond(
        event["changes"].to(list).length() > 0,
        rx.vstack(rx.foreach(event["changes"].to(list[dict[str, str]]), lambda c: rx.text(
            rx.text.span(c["field"], ": ", weight="medium"), c["before"], " → ", c["after"],
            size="1", class_name="audit-change", style=LONG_NAME)), spacing="0"),
    )


def row_actions(event: rx.Var) -> rx.Component:
    tr = AppState.tr
    return rx.hstack(
        rx.cond(event["document_uid"] != "", rx.link(
            rx.icon("file-text", size=16), href="/documents/" + event["document_uid"].to(str),
            aria_label=tr["audit.open_document"], class_name="audit-open-document")),
        rx.cond(event["document_id"].to(int) > 0, rx.icon_button(
            rx.icon("filter", size=14), size="1", variant="ghost",
            aria_label=tr["audit.only_document"], class_name="audit-only-document",
            on_click=State.only_document(event["document_id"], event["document_name"]))),
        rx.icon_button(rx.icon("braces", size=14), size="1", variant="ghost",
                       aria_label=tr["audit.raw"], class_name="audit-raw",
                       on_click=State.show_raw(event["id"])),
        spacing="3", align="center",
    )


def audit_row(event: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.text(event["time"], size="1"), width="7em"),
        rx.table.cell(rx.vstack(
            sentence(event),
            change_list(event),
            rx.hstack(
                rx.code(event["kind"], size="1", variant="ghost", class_name="audit-kind"),
                rx.cond(event["detail"] != "",
                        rx.text(event["detail"], size="1", color_scheme="gray", style=LONG_NAME)),
                row_actions(event),
                spacing="3", wrap="wrap", align="center",
            ),
            spacing="1",
        ), min_width="14em"),
        rx.table.cell(rx.text(event["ip"], size="1"), display=WIDE_CELL),
        class_name="audit-row",
        align="start",
    )


def filters() -> rx.Component:
    tr = AppState.tr
    return rx.vstack(
        rx.form(
            rx.hstack(
                rx.vstack(rx.text(tr["audit.user"], size="1"),
                          rx.input(name="user", default_value=State.user_filter, id="audit-user",
                                   width=["100%", "100%", "260px"]), spacing="0"),
                rx.vstack(rx.text(tr["audit.from"], size="1"),
                          rx.input(name="since", type="date", id="audit-since"), spacing="0"),
                rx.vstack(rx.text(tr["audit.to"], size="1"),
                          rx.input(name="until", type="date", id="audit-until"), spacing="0"),
                rx.button(rx.icon("filter", size=16), tr["audit.filter"], type="submit",
                          id="audit-filter"),
                align="end", spacing="3", wrap="wrap",
            ),
            on_submit=State.apply,
            width="100%",
        ),
        rx.hstack(
            rx.select.root(
                rx.select.trigger(id="audit-kind"),
                rx.select.content(rx.foreach(
                    State.kinds, lambda k: rx.select.item(k["label"], value=k["value"]))),
                value=State.kind_filter,
                on_change=State.set_kind,
            ),
            rx.cond(State.document_filter > 0, rx.badge(
                rx.icon("file-text", size=12), State.document_name,
                rx.icon_button(rx.icon("x", size=12), size="1", variant="ghost",
                               aria_label=tr["audit.all_documents"], id="audit-clear-document",
                               on_click=State.clear_document),
                size="2", variant="surface", id="audit-document-filter")),
            spacing="3", align="center", wrap="wrap",
        ),
        spacing="3", width="100%",
    )


def pager() -> rx.Component:
    tr = AppState.tr
    return rx.hstack(
        rx.button(rx.icon("chevrons-left", size=16), tr["audit.newest"], variant="soft", size="2",
                  disabled=State.cursors.length() == 0, on_click=State.newest, id="audit-newest"),
        rx.button(rx.icon("chevron-left", size=16), tr["audit.newer"], variant="soft", size="2",
                  disabled=State.cursors.length() == 0, on_click=State.newer, id="audit-newer"),
        rx.text(tr["audit.page"].to(str).replace("{n}", State.page_number.to(str)), size="2",
                id="audit-page-number"),
        rx.button(tr["audit.older"], rx.icon("chevron-right", size=16), variant="soft", size="2",
                  disabled=State.next_cursor == "", on_click=State.older, id="audit-older"),
        spacing="3", align="center", wrap="wrap",
    )


def raw_dialog() -> rx.Component:
    tr = AppState.tr
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(tr["audit.raw_title"]),
            rx.box(rx.el.pre(State.raw_text, id="audit-raw-record",
                             style={"white_space": "pre-wrap", "overflow_wrap": "anywhere",
                                    "font_size": "12px", "margin": "0"}),
                   max_height="60vh", overflow_y="auto", padding="0.8em",
                   background=rx.color("gray", 2), border_radius="6px"),
            rx.hstack(rx.dialog.close(rx.button(tr["form.close"], variant="soft", id="audit-raw-close")),
                      justify="end", padding_top="1em"),
            max_width="680px",
        ),
        open=State.raw_open,
        on_open_change=State.raw_changed,
    )


def export_row(row: rx.Var) -> rx.Component:
    day = row["day"].to(str)
    return rx.table.row(
        rx.table.cell(rx.text(day, weight="medium")),
        rx.table.cell(rx.text(row["rows"])),
        rx.table.cell(rx.text(row["size"], size="2"), display=WIDE_CELL),
        rx.table.cell(rx.text(row["exported_at"], size="2"), display=WIDE_CELL),
        rx.table.cell(rx.hstack(*[
            rx.el.a(label, href="/api/admin/audit-exports/" + day + "/" + file, download=True,
                    custom_attrs={"reloadDocument": True},  # a file, not a page of the app
                    class_name=f"audit-export-{file.split('.')[0]}",
                    style={"color": rx.color("accent", 11), "font_size": "14px"})
            for label, file in (("JSONL", "jsonl"), ("CSV", "csv"), ("SHA-256", "manifest.json"))
        ], spacing="3")),
        class_name="audit-export-row",
    )


def exports_card() -> rx.Component:
    tr = AppState.tr
    return rx.card(
        rx.vstack(
            rx.heading(tr["audit.exports_title"], size="4"),
            rx.text(tr["audit.exports_hint"], size="2", color_scheme="gray"),
            rx.text(rx.cond(State.retention_days > 0,
                            tr["audit.retention_days"].to(str).replace(
                                "{n}", State.retention_days.to(str)),
                            tr["audit.retention_forever"]), size="2", id="audit-retention"),
            rx.cond(
                State.exports.length() > 0,
                rx.box(rx.table.root(
                    rx.table.header(rx.table.row(
                        rx.table.column_header_cell(tr["audit.col_day"]),
                        rx.table.column_header_cell(tr["audit.col_rows"]),
                        rx.table.column_header_cell(tr["audit.col_size"], display=WIDE_CELL),
                        rx.table.column_header_cell(tr["audit.col_exported"], display=WIDE_CELL),
                        rx.table.column_header_cell(tr["audit.col_files"]),
                    )),
                    rx.table.body(rx.foreach(State.exports, export_row)),
                    width="100%", variant="surface", size="1", id="audit-exports",
                ), width="100%", overflow_x="auto"),
                rx.text(tr["audit.no_exports"], size="2", color_scheme="gray", id="audit-no-exports"),
            ),
            spacing="3", width="100%",
        ),
        width="100%",
    )


def audit_page() -> rx.Component:
    tr = AppState.tr
    return page_frame(
        rx.heading(tr["audit.title"], size="7"),
        rx.text(tr["audit.hint"], size="2", color_scheme="gray"),
        filters(),
        rx.cond(
            State.events.length() > 0,
            rx.box(rx.table.root(
                rx.table.header(rx.table.row(
                    rx.table.column_header_cell(tr["audit.col_time"]),
                    rx.table.column_header_cell(tr["audit.col_event"]),
                    rx.table.column_header_cell(tr["audit.col_ip"], display=WIDE_CELL),
                )),
                rx.table.body(rx.foreach(State.events, audit_row)),
                width="100%", variant="surface", size="1", id="audit-table",
            ), width="100%", overflow_x="auto"),
            rx.callout(tr["audit.none"], icon="info", id="audit-none"),
        ),
        pager(),
        exports_card(),
        raw_dialog(),
    )
