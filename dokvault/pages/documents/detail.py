"""One document's page, assembled: its name and state, what is known about it (and the
editor that corrects it), the file's facts and actions, where it belongs, sharing and its
text. The parts live beside it: detail_state.py (the state), detail_about.py (type, tags,
fields, origin), detail_fields.py (correcting them), detail_office.py (office, sharing with
it, assignment)."""

from __future__ import annotations

import reflex as rx

from dokvault.components.layout import LONG_NAME, page_frame, status_badge
from dokvault.pages.documents.detail_about import about, fact, notices
from dokvault.pages.documents.detail_fields import about_or_editor
from dokvault.pages.documents.detail_office import OfficeState, office_and_assignment, share_control
from dokvault.pages.documents.detail_state import DetailState
from dokvault.pages.drives.export_dialog import DriveExportState, export_button, export_dialog
from dokvault.pages.sharing.panel import sharing_card
from dokvault.state.base import AppState

__all__ = ["DETAIL_LOADS", "DetailState", "detail_page"]

# The page's on_load, in order (the sharing card adds its own after these).
DETAIL_LOADS = [DetailState.load, OfficeState.load_office]


def detail_page() -> rx.Component:
    tr = AppState.tr
    doc = DetailState.doc
    return page_frame(
        rx.link(rx.hstack(rx.icon("arrow-left", size=16), tr["detail.back"], align="center"),
                href="/documents", size="2"),
        rx.cond(
            DetailState.not_found,
            rx.callout(tr["detail.not_found"], icon="triangle-alert", color_scheme="red",
                       id="not-found"),
            rx.cond(
                doc.contains("uid"),
                rx.vstack(
                    rx.hstack(
                        rx.heading(doc["name"], size="6", id="document-title", style=LONG_NAME),
                        status_badge(doc["status"], doc["status_key"]),
                        align="center",
                        spacing="3",
                        wrap="wrap",
                    ),
                    about_or_editor(about()),
                    rx.cond(DetailState.in_trash,
                            rx.callout(tr["detail.in_trash"], icon="trash-2", color_scheme="amber",
                                       id="in-trash")),
                    rx.cond(doc["error"] != "",
                            rx.callout(tr[doc["error"].to(str)], icon="circle-x",
                                       color_scheme="red", id="document-error")),
                    rx.cond(doc["status"] == "waiting",
                            rx.callout(tr["detail.waiting"], icon="cloud-off",
                                       color_scheme="orange", id="document-waiting")),
                    rx.cond(DetailState.can_change & doc["retryable"].to(bool)
                            & ~DetailState.in_trash,
                            rx.button(rx.icon("rotate-cw", size=16), tr["detail.retry"],
                                      on_click=DetailState.retry, id="retry-button")),
                    notices(),
                    rx.hstack(
                        rx.box(
                            rx.cond(
                                doc["has_thumbnail"],
                                rx.image(src="/api/documents/" + doc["uid"].to(str) + "/thumbnail",
                                         width="240px", border_radius="6px", alt="",
                                         border=f"1px solid {rx.color('gray', 5)}",
                                         id="document-thumbnail"),
                                rx.center(rx.icon("file-text", size=48), width="240px",
                                          height="300px", background=rx.color("gray", 3)),
                            ),
                        ),
                        rx.vstack(
                            rx.data_list.root(
                                fact("detail.type", doc["ext"]),
                                fact("detail.size", doc["size_label"]),
                                fact("detail.pages", doc["page_count"]),
                                fact("detail.added", doc["created_at"]),
                                fact("detail.checksum",
                                     rx.code(DetailState.sha256, size="1", style=LONG_NAME)),
                                rx.cond(DetailState.meta["language"].to(str) != "",
                                        fact("detail.language",
                                             AppState.tr[DetailState.meta["language"].to(str)])),
                                rx.cond(DetailState.meta["ocr_pages"].to(int) > 0,
                                        fact("detail.ocr", DetailState.meta["ocr_pages"].to(str))),
                            ),
                            rx.cond(doc["duplicate"],
                                    rx.badge(tr["detail.duplicate_of"], color_scheme="amber")),
                            rx.hstack(
                                # The browser itself fetches the file (no client-side routing).
                                rx.el.a(
                                    rx.button(rx.icon("download", size=16), tr["detail.download"]),
                                    href="/api/documents/" + doc["uid"].to(str) + "/download",
                                    download=doc["name"],
                                    custom_attrs={"reloadDocument": True},
                                    id="download-link",
                                ),
                                rx.cond(
                                    DetailState.meta["searchable"].to(bool),
                                    rx.el.a(
                                        rx.button(rx.icon("file-search", size=16),
                                                  tr["detail.searchable"], variant="soft"),
                                        href="/api/documents/" + doc["uid"].to(str) + "/searchable",
                                        custom_attrs={"reloadDocument": True},
                                        id="searchable-link",
                                    ),
                                ),
                                rx.cond(
                                    ~DetailState.in_trash,
                                    export_button(DriveExportState.open_for_document(doc["uid"].to(str)),
                                                  id="export-to-drive"),
                                ),
                                rx.cond(
                                    DetailState.can_change,
                                    rx.cond(
                                        DetailState.in_trash,
                                        rx.button(rx.icon("undo-2", size=16), tr["detail.restore"],
                                                  variant="soft", on_click=DetailState.restore,
                                                  id="restore-button"),
                                        rx.button(rx.icon("trash-2", size=16), tr["detail.trash"],
                                                  variant="soft", color_scheme="red",
                                                  on_click=DetailState.trash, id="trash-button"),
                                    ),
                                ),
                                spacing="3", wrap="wrap",
                            ),
                            share_control(),
                            office_and_assignment(),
                            spacing="4", min_width="0", max_width="100%",
                        ),
                        spacing="6",
                        align="start",
                        wrap="wrap",
                    ),
                    sharing_card(),
                    export_dialog(),
                    rx.heading(tr["detail.text"], size="4", padding_top="0.5em"),
                    rx.cond(
                        DetailState.text != "",
                        rx.scroll_area(
                            rx.text(DetailState.text, white_space="pre-wrap", size="2",
                                    id="document-text"),
                            max_height="480px",
                            padding="1em",
                            border=f"1px solid {rx.color('gray', 5)}",
                            border_radius="8px",
                            type="auto",
                        ),
                        rx.text(tr["detail.no_text"], color_scheme="gray"),
                    ),
                    spacing="4",
                    width="100%",
                ),
                rx.center(rx.spinner(size="3"), height="40vh"),
            ),
        ),
    )
