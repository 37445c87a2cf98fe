"""/drives (Disker): connect a drive, browse it, import files or a folder, export documents to
a folder, keep a folder in sync, and follow the transfers file by file."""

from __future__ import annotations

import reflex as rx

from dokvault.components.layout import LONG_NAME, WIDE_CELL, page_frame
from dokvault.pages.drives.browsing import folder_pager
from dokvault.pages.drives.connections import connect_form, connection_card
from dokvault.pages.drives.state import DrivesState
from dokvault.pages.drives.transfers import syncs, transfer_card
from dokvault.state.base import AppState


def tabs(active: str) -> rx.Component:
    tr = AppState.tr

    def tab(href: str, key: str, name: str) -> rx.Component:
        return rx.link(
            rx.button(tr[key], variant="solid" if name == active else "soft", size="2"),
            href=href,
            id=f"tab-{name}",
        )

    return rx.hstack(
        tab("/drives", "drives.tab_drives", "drives"),
        tab("/drives/web", "drives.tab_web", "web"),
        spacing="2",
    )


def entry_row(entry: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(
            rx.cond(
                entry["folder"],
                rx.icon("folder", size=16),
                rx.checkbox(
                    checked=DrivesState.selected.contains(entry["id"]),
                    on_change=lambda checked: DrivesState.toggle(entry["id"], checked),
                    class_name="entry-check",
                ),
            )
        ),
        rx.table.cell(
            rx.cond(
                entry["folder"],
                rx.link(
                    entry["name"],
                    on_click=DrivesState.open_folder(entry["id"]),
                    cursor="pointer",
                    class_name="folder-link",
                    style=LONG_NAME,
                ),
                rx.text(entry["name"], style=LONG_NAME, class_name="file-name"),
            )
        ),
        rx.table.cell(entry["size"], display=WIDE_CELL),
        rx.table.cell(rx.text(entry["modified"], size="2", color_scheme="gray"), display=WIDE_CELL),
        class_name="entry-row",
    )


def browser() -> rx.Component:
    tr = AppState.tr
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.foreach(
                    DrivesState.crumbs,
                    lambda crumb, i: rx.hstack(
                        rx.cond(i > 0, rx.icon("chevron-right", size=14)),
                        rx.link(
                            crumb["name"],
                            on_click=DrivesState.open_crumb(i),
                            cursor="pointer",
                            class_name="crumb",
                        ),
                        spacing="1",
                        align="center",
                    ),
                ),
                spacing="1",
                flex_wrap="wrap",
                align="center",
                id="breadcrumbs",
            ),
            rx.text(DrivesState.open_label, size="1", color_scheme="gray"),
            rx.cond(
                DrivesState.browse_error != "",
                rx.callout(
                    DrivesState.browse_error,
                    icon="triangle-alert",
                    color_scheme="red",
                    width="100%",
                    id="browse-error",
                ),
            ),
            rx.hstack(
                rx.button(
                    rx.icon("download", size=14),
                    tr["drives.import_selected"],
                    rx.badge(DrivesState.selected_count),
                    size="2",
                    disabled=DrivesState.selected_count == 0,
                    loading=DrivesState.starting,
                    on_click=DrivesState.import_selected,
                    id="import-selected",
                ),
                rx.button(
                    rx.icon("folder-down", size=14),
                    tr["drives.import_folder"],
                    size="2",
                    variant="soft",
                    loading=DrivesState.starting,
                    on_click=DrivesState.import_folder,
                    id="import-folder",
                ),
                rx.button(
                    rx.icon("refresh-cw", size=14),
                    tr["drives.keep_in_sync"],
                    size="2",
                    variant="soft",
                    loading=DrivesState.starting,
                    on_click=DrivesState.keep_in_sync,
                    id="keep-in-sync",
                ),
                rx.cond(
                    DrivesState.open_can_export,
                    rx.button(
                        rx.icon("upload", size=14),
                        tr["drives.export_here"],
                        size="2",
                        variant="soft",
                        on_click=DrivesState.open_export,
                        id="export-here",
                    ),
                ),
                spacing="2",
                flex_wrap="wrap",
            ),
            rx.cond(
                DrivesState.entries.length() > 0,
                rx.table.root(
                    rx.table.header(
                        rx.table.row(
                            rx.table.column_header_cell("", width="40px"),
                            rx.table.column_header_cell(tr["drives.name"]),
                            rx.table.column_header_cell(tr["drives.size"], display=WIDE_CELL),
                            rx.table.column_header_cell(tr["drives.modified"], display=WIDE_CELL),
                        )
                    ),
                    rx.table.body(rx.foreach(DrivesState.entries, entry_row)),
                    width="100%",
                    variant="surface",
                    id="drive-entries",
                ),
                rx.cond(
                    DrivesState.browse_error == "", rx.text(tr["drives.empty_folder"], color_scheme="gray")
                ),
            ),
            folder_pager(DrivesState, id_prefix="drive"),
            spacing="3",
            width="100%",
        ),
        width="100%",
        id="drive-browser",
    )


def export_dialog() -> rx.Component:
    tr = AppState.tr
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(tr["drives.export_title"].to(str).replace("{folder}", DrivesState.folder_name)),
            rx.form(
                rx.hstack(
                    rx.input(
                        name="query", placeholder=tr["drives.export_search"], width="100%", id="export-query"
                    ),
                    rx.button(rx.icon("search", size=14), type="submit", variant="soft"),
                    width="100%",
                ),
                on_submit=DrivesState.search_export,
                reset_on_submit=False,
            ),
            rx.scroll_area(
                rx.vstack(
                    rx.foreach(
                        DrivesState.export_rows,
                        lambda row: rx.hstack(
                            rx.checkbox(
                                checked=DrivesState.export_selected.contains(row["uid"]),
                                on_change=lambda checked: DrivesState.toggle_export(row["uid"], checked),
                                class_name="export-check",
                            ),
                            rx.text(row["name"], style=LONG_NAME, size="2"),
                            rx.text(row["size"], size="1", color_scheme="gray"),
                            spacing="2",
                            align="center",
                            class_name="export-row",
                        ),
                    ),
                    rx.cond(DrivesState.export_rows.length() == 0, rx.text(tr["drives.export_none"])),
                    spacing="2",
                    padding_y="0.5em",
                ),
                max_height="50vh",
                type="auto",
            ),
            rx.hstack(
                rx.button("✕", variant="soft", color_scheme="gray", on_click=DrivesState.close_export),
                rx.button(
                    tr["drives.export_button"],
                    rx.badge(DrivesState.export_count),
                    disabled=DrivesState.export_count == 0,
                    loading=DrivesState.starting,
                    on_click=DrivesState.export_selected_documents,
                    id="export-button",
                ),
                justify="end",
                spacing="3",
                margin_top="1em",
            ),
            max_width="600px",
        ),
        open=DrivesState.export_open,
        on_open_change=lambda _open: DrivesState.close_export,
    )


def drives_page() -> rx.Component:
    tr = AppState.tr
    return page_frame(
        rx.heading(tr["drives.title"], size="7"),
        tabs("drives"),
        rx.text(tr["drives.intro"], color_scheme="gray"),
        rx.heading(tr["drives.connections"], size="4"),
        rx.cond(
            DrivesState.connections.length() > 0,
            rx.flex(
                rx.foreach(DrivesState.connections, connection_card),
                gap="1em",
                flex_wrap="wrap",
                width="100%",
                id="connections",
            ),
            rx.text(tr["drives.none"], color_scheme="gray"),
        ),
        rx.cond(DrivesState.open_id > 0, browser()),
        export_dialog(),
        connect_form(),
        syncs(),
        rx.heading(tr["drives.transfers"], size="4"),
        rx.cond(
            DrivesState.transfers.length() > 0,
            rx.vstack(
                rx.foreach(DrivesState.transfers, transfer_card), spacing="3", width="100%", id="transfers"
            ),
            rx.text(tr["drives.no_transfers"], color_scheme="gray"),
        ),
    )
