"""One document: metadata, thumbnail, extracted text, download, trash and restore."""

from __future__ import annotations

from typing import Any

import reflex as rx

from dokvault.components.layout import page_frame, status_badge
from dokvault.formatting import human_size, row_view
from dokvault.i18n import register
from dokvault.services import documents, offices
from dokvault.services.admin import Forbidden
from dokvault.services.documents import DocumentRow
from dokvault.state.base import AppState

register({
    "nb": {
        "detail.share": "Del med kontoret",
        "detail.share_hint": "Alle på {office} kan lese dokumentet.",
        "detail.shared_on": "Delt med {office}.",
        "detail.shared_off": "Ikke lenger delt med kontoret.",
        "detail.shared_by_colleague": "Delt med kontoret ditt av en kollega.",
        "error.no_office": "Du hører ikke til et kontor ennå. Be en administrator om å legge deg til.",
    },
    "en": {
        "detail.share": "Share with my office",
        "detail.share_hint": "Everyone at {office} can read the document.",
        "detail.shared_on": "Shared with {office}.",
        "detail.shared_off": "No longer shared with the office.",
        "detail.shared_by_colleague": "Shared with your office by a colleague.",
        "error.no_office": "You do not belong to an office yet. Ask an administrator to add you.",
    },
})

# Text shown on the page; the download has the rest.
MAX_SHOWN_CHARS = 200_000


class DetailState(AppState):
    doc: dict[str, Any] = {}
    text: str = ""
    sha256: str = ""
    in_trash: bool = False
    not_found: bool = False
    can_change: bool = False  # the owner or an admin: trash, restore, share
    office_name: str = ""     # the owner's office, which a share would reach

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
            documents.note_refused(user, self._uid(), self.client())
            self.doc, self.text = {}, ""
            return None
        self.doc = row_view(DocumentRow.of(document))
        self.doc["size_label"] = human_size(document.size)
        self.sha256 = document.sha256
        self.in_trash = document.deleted_at is not None
        self.can_change = documents.get_document(user, self._uid(), to_change=True) is not None
        self.office_name = offices.office_name(offices.owner_office_id(document))
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
    def set_shared(self, shared: bool):
        user = self.current_user()
        if user is None:
            return self.signed_out()
        document = documents.get_document(user, self._uid(), to_change=True)
        if document is None:
            return rx.toast.error(self.t("error.forbidden"))
        try:
            offices.set_shared(user, document, bool(shared), self.client())
        except Forbidden as exc:
            return rx.toast.error(self.t(exc.code))
        self.doc["shared"] = bool(shared)
        key = "detail.shared_on" if shared else "detail.shared_off"
        return rx.toast.success(self.t(key, office=self.office_name))

    @rx.event
    def restore(self):
        user = self.current_user()
        if user is None:
            return self.signed_out()
        if documents.restore_document(user, self._uid()):
            self.in_trash = False
            return rx.toast.success(self.t("detail.restored"))
        return None


def share_control() -> rx.Component:
    """The owner shares with their office; a colleague sees who may read it."""
    tr = AppState.tr
    return rx.cond(
        DetailState.can_change & (DetailState.office_name != ""),
        rx.vstack(
            rx.hstack(
                rx.switch(checked=DetailState.doc["shared"].to(bool),
                          on_change=DetailState.set_shared, id="share-switch"),
                rx.text(tr["detail.share"], size="2", weight="medium"),
                align="center",
            ),
            rx.text(tr["detail.share_hint"].to(str).replace("{office}", DetailState.office_name),
                    size="1", color_scheme="gray"),
            spacing="1",
        ),
        rx.cond(
            ~DetailState.can_change & DetailState.doc["shared"].to(bool),
            rx.badge(rx.icon("users", size=12), tr["detail.shared_by_colleague"],
                     color_scheme="blue", id="shared-by-colleague"),
        ),
    )


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
                                spacing="3",
                            ),
                            share_control(),
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
