"""One document: metadata, thumbnail, extracted text, download, trash and restore."""

from __future__ import annotations

from typing import Any

import reflex as rx

from dokvault.components.layout import page_frame, status_badge
from dokvault.formatting import human_size, row_view
from dokvault.services import documents
from dokvault.services.documents import DocumentRow
from dokvault.state.base import AppState

# Text shown on the page; the download has the rest.
MAX_SHOWN_CHARS = 200_000


class DetailState(AppState):
    doc: dict[str, Any] = {}
    text: str = ""
    sha256: str = ""
    in_trash: bool = False
    not_found: bool = False

    def _uid(self) -> str:
        return self.router.url.path.rstrip("/").rsplit("/", 1)[-1]

    @rx.event
    def load(self):
        user = self.current_user()
        if user is None:
            return self.signed_out()
        document = documents.get_document(user, self._uid())
        self.not_found = document is None
        if document is None:
            self.doc, self.text = {}, ""
            return None
        self.doc = row_view(DocumentRow.of(document))
        self.doc["size_label"] = human_size(document.size)
        self.sha256 = document.sha256
        self.in_trash = document.deleted_at is not None
        self.text = documents.document_text(document)[:MAX_SHOWN_CHARS]
        if self.doc["pending"]:
            return DetailState.poll
        return None

    @rx.event(background=True)
    async def poll(self):
        import asyncio

        for _ in range(600):
            await asyncio.sleep(1)
            async with self:
                if not self.doc or not self.doc.get("pending"):
                    return
                self.load()

    @rx.event
    def trash(self):
        user = self.current_user()
        if user is None:
            return self.signed_out()
        if documents.trash_document(user, self._uid()):
            self.in_trash = True
            return rx.toast.info(self.t("detail.trashed"))
        return None

    @rx.event
    def restore(self):
        user = self.current_user()
        if user is None:
            return self.signed_out()
        if documents.restore_document(user, self._uid()):
            self.in_trash = False
            return rx.toast.success(self.t("detail.restored"))
        return None


def fact(label_key: str, value) -> rx.Component:
    return rx.data_list.item(
        rx.data_list.label(AppState.tr[label_key]), rx.data_list.value(value)
    )


def detail_page() -> rx.Component:
    tr = AppState.tr
    doc = DetailState.doc
    return page_frame(
        rx.link(rx.hstack(rx.icon("arrow-left", size=16), tr["detail.back"], align="center"),
                href="/", size="2"),
        rx.cond(
            DetailState.not_found,
            rx.callout(tr["detail.not_found"], icon="triangle-alert", color_scheme="red",
                       id="not-found"),
            rx.cond(
                doc.contains("uid"),
                rx.vstack(
                    rx.hstack(
                        rx.heading(doc["name"], size="6", id="document-title"),
                        status_badge(doc["status"], doc["status_key"]),
                        align="center",
                        spacing="3",
                        wrap="wrap",
                    ),
                    rx.cond(DetailState.in_trash,
                            rx.callout(tr["detail.in_trash"], icon="trash-2", color_scheme="amber",
                                       id="in-trash")),
                    rx.cond(doc["error"] != "",
                            rx.callout(tr[doc["error"].to(str)], icon="circle-x",
                                       color_scheme="red", id="document-error")),
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
                                fact("detail.checksum", rx.code(DetailState.sha256, size="1")),
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
                                    DetailState.in_trash,
                                    rx.button(rx.icon("undo-2", size=16), tr["detail.restore"],
                                              variant="soft", on_click=DetailState.restore,
                                              id="restore-button"),
                                    rx.button(rx.icon("trash-2", size=16), tr["detail.trash"],
                                              variant="soft", color_scheme="red",
                                              on_click=DetailState.trash, id="trash-button"),
                                ),
                                spacing="3",
                            ),
                            spacing="4",
                        ),
                        spacing="6",
                        align="start",
                        wrap="wrap",
                    ),
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
