"""The document list's page: the upload zone with per-file progress, a sortable, paginated
table (its state is listing_state.py)."""

from __future__ import annotations

import logging
from typing import Any

import reflex as rx
from reflex.vars import ArrayVar, ObjectVar
from reflex.vars.base import Var, VarData
from reflex_components_core.core.upload import get_upload_files_context_var_data

from dokvault.components.layout import LONG_NAME, WIDE_CELL, office_filter, page_frame, status_badge
from dokvault.components.thumbnail import thumbnail
from dokvault.extract import formats
from dokvault.i18n import register
from dokvault.pages.admin.system import health_banner
from dokvault.pages.documents.listing_state import UPLOAD_ID, DocumentsState
from dokvault.pages.drives.export_dialog import DriveExportState, export_button, export_dialog
from dokvault.settings import get_settings
from dokvault.state.base import AppState

log = logging.getLogger(__name__)
ACCEPT = formats.browser_accept()
_LABELS = formats.labels()
register({  # the hint under the drop zone names what the accept list takes
    "nb": {"docs.types_hint": ", ".join(_LABELS[:-1]) + " og " + _LABELS[-1]},
    "en": {"docs.types_hint": ", ".join(_LABELS[:-1]) + " and " + _LABELS[-1]},
})


def selected_file_sizes(upload_id: str) -> Var:
    """[name, size] of each chosen file, read from Reflex's own upload context."""
    return Var(
        _js_expr=f"(filesById[{upload_id!r}] ?? []).map((f) => [f.name, f.size])",
        _var_type=list[list[Any]],
        _var_data=VarData.merge(get_upload_files_context_var_data()),
    )


def rejection_reasons(rejected: Var) -> Var:
    """[name, [error codes]] per refused file: plain data instead of browser File objects."""
    return rejected.to(ArrayVar, list[dict[str, Any]]).map(
        lambda item: [
            item["file"].to(ObjectVar, dict[str, Any])["name"],
            item["errors"].to(ArrayVar, list[dict[str, Any]]).map(
                lambda error: error.to(ObjectVar, dict[str, Any])["code"]
            ),
        ]
    )


def upload_zone() -> rx.Component:
    tr = AppState.tr
    return rx.card(
        rx.vstack(
            rx.heading(tr["docs.upload_title"], size="4"),
            rx.upload(
                rx.vstack(
                    rx.icon("cloud-upload", size=36, color=rx.color("accent", 9)),
                    rx.text(tr["docs.drop_hint"], weight="medium"),
                    rx.text(tr["docs.types_hint"], size="2", color_scheme="gray"),
                    align="center",
                    spacing="2",
                ),
                id=UPLOAD_ID,
                multiple=True,
                accept=ACCEPT,
                max_size=get_settings().max_upload_bytes,
                on_drop_rejected=lambda rejected: DocumentsState.files_rejected(
                    rejection_reasons(rejected)
                ),
                border=f"2px dashed {rx.color('accent', 7)}",
                border_radius="12px",
                padding="1.6em",
                width="100%",
                cursor="pointer",
                background=rx.color("accent", 2),
            ),
            rx.cond(
                rx.selected_files(UPLOAD_ID).length() > 0,
                rx.hstack(
                    rx.text(tr["docs.selected"], ": ", rx.selected_files(UPLOAD_ID).join(", "),
                            size="2", id="selected-files"),
                    rx.spacer(),
                    rx.button(tr["docs.clear"], variant="soft", color_scheme="gray",
                              on_click=DocumentsState.clear_uploads),
                    rx.button(
                        rx.icon("upload", size=16),
                        tr["docs.upload"],
                        id="upload-button",
                        loading=DocumentsState.uploading,
                        on_click=DocumentsState.receive_upload(
                            rx.upload_files_chunk(upload_id=UPLOAD_ID),
                            selected_file_sizes(UPLOAD_ID),
                        ),
                    ),
                    width="100%",
                    align="center",
                ),
            ),
            rx.foreach(DocumentsState.uploads, upload_row),
            width="100%",
            spacing="3",
        ),
        width="100%",
    )


def upload_row(item: rx.Var) -> rx.Component:
    tr = AppState.tr
    return rx.hstack(
        rx.icon(
            rx.match(item["state"], ("stored", "circle-check"), ("refused", "circle-x"), "file"),
            size=18,
            color=rx.match(item["state"], ("stored", "green"), ("refused", "red"), "gray"),
        ),
        rx.text(item["name"], size="2", weight="medium", min_width="200px", max_width="340px",
                trim="both", truncate=True),
        rx.progress(value=item["percent"].to(int), max=100, width="180px"),
        rx.text(
            rx.match(
                item["state"],
                ("stored", tr["upload.stored"]),
                ("refused", tr["upload.refused"]),
                ("receiving", tr["upload.receiving"]),
                tr["upload.waiting"],
            ),
            size="2",
        ),
        rx.text(item["message"], size="2", color_scheme="red", class_name="upload-message"),
        width="100%",
        align="center",
        spacing="3",
        class_name="upload-row",
    )


def sort_header(label_key: str, column: str, **props) -> rx.Component:
    return rx.table.column_header_cell(
        rx.hstack(
            rx.text(AppState.tr[label_key]),
            rx.cond(
                DocumentsState.sort == column,
                rx.icon(rx.cond(DocumentsState.descending, "arrow-down", "arrow-up"), size=14),
                rx.icon("arrow-up-down", size=14, opacity="0.35"),
            ),
            spacing="1",
            align="center",
            cursor="pointer",
            on_click=DocumentsState.sort_by(column),
            id=f"sort-{column}",
        ),
        **props,
    )


def shared_badge(sharing: rx.Var) -> rx.Component:
    """How a row is shared: for its owner with the office or with others, for a reader with
    them (DocumentRow.sharing)."""
    tr = AppState.tr
    return rx.badge(
        rx.icon(rx.cond(sharing == "you", "user-check", "users"), size=12),
        rx.match(sharing, ("office", tr["docs.shared"]), ("others", tr["docs.shared_others"]),
                 tr["docs.shared_with_you"]),
        color_scheme="blue", variant="surface", class_name="shared-badge",
        custom_attrs={"data-sharing": sharing},
    )


def document_row(row: rx.Var) -> rx.Component:
    tr = AppState.tr
    return rx.table.row(
        rx.table.cell(rx.checkbox(
            checked=DocumentsState.selected.contains(row["uid"]),
            on_change=lambda checked: DocumentsState.toggle_selected(row["uid"], checked),
            aria_label=tr["docs.select_row"], class_name="select-document")),
        rx.table.cell(thumbnail(row)),
        rx.table.cell(
            rx.vstack(
                rx.link(row["name"], href="/documents/" + row["uid"].to(str), weight="medium",
                        class_name="document-link", style=LONG_NAME),
                rx.hstack(
                    rx.cond(row["duplicate"], rx.badge(tr["docs.duplicate"], color_scheme="amber",
                                                      variant="surface")),
                    rx.cond(row["doc_type"] != "", rx.badge(row["doc_type"], variant="soft",
                                                           class_name="type-badge")),
                    rx.cond(row["sharing"] != "", shared_badge(row["sharing"])),
                    rx.cond(row["error"] != "", rx.text(tr[row["error"].to(str)], size="1",
                                                         color_scheme="red")),
                    spacing="2",
                ),
                spacing="1",
            )
        ),
        rx.table.cell(row["ext"], display=WIDE_CELL),
        rx.table.cell(row["size_label"], display=WIDE_CELL),
        rx.table.cell(status_badge(row["status"], row["status_key"])),
        rx.table.cell(rx.text(row["created_at"], size="2", color_scheme="gray"),
                      display=WIDE_CELL),
        align="center",
        class_name="document-row",
    )


def document_table() -> rx.Component:
    tr = AppState.tr
    return rx.cond(
        DocumentsState.total > 0,
        rx.vstack(
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        rx.table.column_header_cell(
                            rx.checkbox(checked=DocumentsState.page_selected,
                                        on_change=DocumentsState.select_page,
                                        aria_label=tr["docs.select_page"], id="select-page"),
                            width="32px"),
                        rx.table.column_header_cell("", width="60px"),
                        sort_header("docs.col_name", "name"),
                        rx.table.column_header_cell(tr["docs.col_type"], display=WIDE_CELL),
                        sort_header("docs.col_size", "size", display=WIDE_CELL),
                        sort_header("docs.col_status", "status"),
                        sort_header("docs.col_added", "created_at", display=WIDE_CELL),
                    )
                ),
                rx.table.body(rx.foreach(DocumentsState.rows, document_row)),
                width="100%",
                variant="surface",
                id="document-table",
            ),
            pager(),
            width="100%",
        ),
        rx.callout(rx.cond(DocumentsState.filter_chips.length() > 0, tr["docs.filtered_empty"],
                           tr["docs.empty"]), icon="info", width="100%", id="list-empty"),
    )


def filter_bar() -> rx.Component:
    """The URL's filters (a dashboard widget's link), and the way back to the whole list."""
    tr = AppState.tr
    return rx.cond(
        DocumentsState.filter_chips.length() > 0,
        rx.hstack(
            rx.icon("list-filter", size=16, color=rx.color("accent", 10)),
            rx.text(tr["docs.filtered"], size="2", weight="medium"),
            rx.foreach(DocumentsState.filter_chips,
                       lambda chip: rx.badge(chip, variant="soft", size="2", class_name="filter-chip")),
            rx.button(rx.icon("x", size=14), tr["docs.clear_filters"], variant="ghost", size="1",
                      on_click=DocumentsState.clear_filters, id="clear-filters"),
            spacing="2",
            align="center",
            wrap="wrap",
            width="100%",
            id="list-filters",
        ),
    )


def selection_bar() -> rx.Component:
    """What can be done with the documents ticked: export them to a drive."""
    tr = AppState.tr
    return rx.cond(
        DocumentsState.selected_count > 0,
        rx.hstack(
            rx.text(tr["docs.selected_count"].to(str).replace("{n}", DocumentsState.selected_count.to(str)),
                    size="2", weight="medium", id="selected-count"),
            export_button(DriveExportState.open_for_selection(DocumentsState.selected), size="2",
                          id="export-selection"),
            rx.button(rx.icon("x", size=14), tr["docs.clear_selection"], variant="ghost", size="2",
                      on_click=DocumentsState.clear_selection, id="clear-selection"),
            spacing="3", align="center", wrap="wrap", width="100%", id="selection-bar",
        ),
    )


def pager() -> rx.Component:
    tr = AppState.tr
    return rx.hstack(
        rx.text(tr["docs.page_of"].to(str).replace("{page}", DocumentsState.page.to(str))
                .replace("{pages}", DocumentsState.pages.to(str)), size="2"),
        rx.spacer(),
        rx.button(tr["docs.previous"], variant="soft", disabled=DocumentsState.page <= 1,
                  on_click=DocumentsState.go_to_page(DocumentsState.page - 1), id="page-prev"),
        rx.button(tr["docs.next"], variant="soft",
                  disabled=DocumentsState.page >= DocumentsState.pages,
                  on_click=DocumentsState.go_to_page(DocumentsState.page + 1), id="page-next"),
        width="100%",
        align="center",
    )


def documents_page() -> rx.Component:
    tr = AppState.tr
    return page_frame(
        rx.hstack(
            rx.heading(tr["docs.title"], size="7"),
            rx.badge(tr["docs.count"].to(str).replace("{n}", DocumentsState.total.to(str)),
                     size="2", variant="soft", id="document-count"),
            rx.cond(
                DocumentsState.pending > 0,
                rx.badge(rx.spinner(size="1"),
                         tr["docs.processing_count"].to(str).replace(
                             "{n}", DocumentsState.pending.to(str)),
                         color_scheme="blue", size="2"),
            ),
            rx.spacer(),
            rx.cond(
                DocumentsState.retryable > 0,
                rx.button(rx.icon("rotate-cw", size=16),
                          tr["docs.retry_failed"].to(str).replace(
                              "{n}", DocumentsState.retryable.to(str)),
                          variant="soft", on_click=DocumentsState.retry_failed,
                          id="retry-failed-button"),
            ),
            align="center",
            spacing="3",
            flex_wrap="wrap",  # the counts go under the title on a phone
            width="100%",
        ),
        health_banner(),  # admins only: what is stuck (pages/admin/system.py)
        upload_zone(),
        office_filter(DocumentsState.office, DocumentsState.office_options, DocumentsState.filter_office,
                      "documents-office"),
        filter_bar(),
        selection_bar(),
        document_table(),
        export_dialog(),
    )
