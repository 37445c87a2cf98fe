"""One document: metadata, thumbnail, extracted text, download, trash and restore."""

from __future__ import annotations

from datetime import date
from typing import Any

import reflex as rx

from dokvault.components.layout import LONG_NAME, page_frame, status_badge
from dokvault.i18n import LANGUAGES, translate_notice
from dokvault.models import User
from dokvault.pages.sharing.panel import sharing_card
from dokvault.services import documents
from dokvault.services.access import Forbidden
from dokvault.services.admin import offices
from dokvault.services.documents import DocumentRow
from dokvault.services.intelligence import classification, review, taxonomy
from dokvault.services.org import assignments
from dokvault.state.base import AppState
from dokvault.state.format import human_size, row_view
from dokvault.state.guards import signed_in

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
    meta: dict[str, Any] = {}  # type, tags, fields, title, summary, language, OCR, relations
    # The office it belongs to (changeable by who may change it) and its assignment.
    office_id: str = ""
    office_options: list[dict[str, str]] = []
    assignment: dict[str, Any] = {}
    assignment_choices: list[dict[str, Any]] = []

    @rx.var
    def office_label(self) -> str:
        return next((o["name"] for o in self.office_options if o["id"] == self.office_id), "")

    def _uid(self) -> str:
        return self.router.url.path.rstrip("/").rsplit("/", 1)[-1]

    @rx.event
    @signed_in
    def load(self, *, user: User):
        document = documents.get_document(user, self._uid())
        self.not_found = document is None
        if document is None:
            documents.note_refused(user, self._uid(), self._client())
            self.doc, self.text = {}, ""
            return None
        self.doc = row_view(DocumentRow.of(document))
        self.doc["size_label"] = human_size(document.size)
        self.sha256 = document.sha256
        self.in_trash = document.deleted_at is not None
        self.can_change = documents.get_document(user, self._uid(), to_change=True) is not None
        self.office_name = offices.office_name(offices.owner_office_id(document))
        self.text = documents.document_text(document)[:MAX_SHOWN_CHARS]
        self.meta = describe(user, document)
        self.office_id = str(document.office_id or "")
        self.office_options = [{"id": str(o.id), "name": o.name} for o in offices.list_offices(True)
                               if o.active or o.id == document.office_id]
        self.assignment = assignments.link_of(document.id) or {}
        if self._changing():
            return DetailState.poll
        return None

    def _changing(self) -> bool:
        """Still being read, or its suggestions are still on their way."""
        return bool(self.doc) and bool(self.doc.get("pending") or self.meta.get("classifying"))

    @rx.event(background=True)
    async def poll(self):
        import asyncio

        for _ in range(600):
            await asyncio.sleep(1)
            async with self:
                if not self._changing():
                    return
                self.load()

    @rx.event
    @signed_in
    def trash(self, *, user: User):
        if documents.trash_document(user, self._uid(), self._client()):
            self.in_trash = True
            return rx.toast.info(self._t("detail.trashed"))
        return rx.toast.error(self._t("error.forbidden"))

    @rx.event
    @signed_in
    def set_shared(self, shared: bool, *, user: User):
        document = documents.get_document(user, self._uid(), to_change=True)
        if document is None:
            return rx.toast.error(self._t("error.forbidden"))
        try:
            offices.set_shared(user, document, bool(shared), self._client())
        except Forbidden as exc:
            return rx.toast.error(self._t(exc.code))
        self.doc["shared"] = bool(shared)
        key = "detail.shared_on" if shared else "detail.shared_off"
        return rx.toast.success(self._t(key, office=self.office_name))

    @rx.event
    @signed_in
    def set_office(self, office_id: str, *, user: User):
        document = documents.get_document(user, self._uid(), to_change=True)
        if document is None:
            return rx.toast.error(self._t("error.forbidden"))
        try:
            target = int(office_id) if office_id not in ("", NO_OFFICE) else None
            changed = offices.set_document_office(user, document, target, self._client())
        except (Forbidden, ValueError) as exc:
            return rx.toast.error(self._t(getattr(exc, "code", "error.forbidden")))
        self.office_id = str(target or "")
        name = offices.office_name(target) or self._t("admin.no_office")
        return rx.toast.success(self._t("detail.office_saved", office=name)) if changed else None

    @rx.event
    @signed_in
    def find_assignments(self, form: dict, *, user: User):
        query = str(form.get("q", "")).strip()[:100]
        self.assignment_choices = assignments.find(user, query) if query else []

    @rx.event
    @signed_in
    def link_assignment(self, assignment_id: int, *, user: User):
        document = documents.get_document(user, self._uid(), to_change=True)
        if document is None:
            return rx.toast.error(self._t("error.forbidden"))
        target = int(assignment_id) or None
        try:
            assignments.link_document(user, document, target, self._client())
        except Forbidden as exc:
            return rx.toast.error(self._t(exc.code))
        self.assignment = assignments.link_of(document.id) or {}
        self.assignment_choices = []
        said = "detail.assignment_linked" if target else "detail.assignment_unlinked"
        return rx.toast.success(self._t(said))

    @rx.event
    @signed_in
    def retry(self, *, user: User):
        """Read it again (checked in the service: the owner or an admin)."""
        if documents.retry_documents(user, [self._uid()], self._client()).refused:
            return rx.toast.error(self._t("error.forbidden"))
        follow = self.load()
        return [rx.toast.success(self._t("detail.retried")), *([follow] if follow else [])]

    @rx.event
    @signed_in
    def restore(self, *, user: User):
        if documents.restore_document(user, self._uid(), self._client()):
            self.in_trash = False
            return rx.toast.success(self._t("detail.restored"))
        return rx.toast.error(self._t("error.forbidden"))


def describe(user, document) -> dict[str, Any]:
    """What the page shows about a document beyond its file: classification and origin."""
    values = review.current_values(document)
    specs = {f.key: f for f in taxonomy.load().fields}
    links = documents.related(user, document)
    return {
        "type": values.document_type or "",
        "tags": values.tags,
        "fields": [{"label": specs[k].label if k in specs else k,
                    "value": field_value(v, specs[k].kind if k in specs else "text")}
                   for k, v in values.fields.items()],
        "title": values.title if values.title and values.title != document.name else "",
        "summary": document.summary or "",
        "language": f"lang.{document.language}" if document.language else "",
        "ocr_pages": document.ocr_pages,
        "searchable": bool(document.searchable_key),
        "unconfirmed": review.is_unconfirmed(document.id),
        "classifying": classification.awaits_suggestions(document),
        "parent": links.parent or {},
        "attachments": links.attachments,
        # Each notice in both languages, so switching language needs no reload.
        "notices": [{lang: translate_notice(lang, n) for lang in LANGUAGES}
                    for n in document.notices or []],
    }


def field_value(value: str, kind: str) -> str:
    """As Norwegians write it: "kr 6 300 000", "15.03.2026"."""
    try:
        if kind == "money":
            amount = float(value)
            whole = f"{amount:,.0f}" if amount == int(amount) else f"{amount:,.2f}"
            return "kr " + whole.replace(",", "\u00a0").replace(".", ",")
        if kind == "date":
            return date.fromisoformat(value).strftime("%d.%m.%Y")
    except ValueError:
        pass
    return value


def about() -> rx.Component:
    """Type, tags, fields and origin; a suggestion not yet confirmed says so."""
    tr, meta = AppState.tr, DetailState.meta
    return rx.vstack(
        rx.cond(meta["title"].to(str) != "",
                rx.text(meta["title"], size="3", color_scheme="gray", id="document-doc-title")),
        rx.hstack(
            rx.cond(meta["type"].to(str) != "",
                    rx.badge(rx.icon("file-type", size=12), meta["type"], size="2",
                             id="document-type")),
            rx.foreach(meta["tags"].to(list[str]),
                       lambda t: rx.badge(t, variant="outline", class_name="document-tag")),
            rx.cond(meta["unconfirmed"].to(bool) & DetailState.can_change,
                    rx.link(rx.badge(rx.icon("list-checks", size=12), tr["detail.unconfirmed"],
                                     color_scheme="amber", variant="soft"),
                            href="/review", id="unconfirmed")),
            wrap="wrap", spacing="2", align="center",
        ),
        rx.cond(meta["summary"].to(str) != "",
                rx.text(meta["summary"], size="2", id="document-summary")),
        rx.cond(
            meta["fields"].to(list).length() > 0,
            rx.data_list.root(rx.foreach(
                meta["fields"].to(list[dict[str, str]]),
                lambda f: rx.data_list.item(rx.data_list.label(f["label"]),
                                            rx.data_list.value(f["value"]),
                                            class_name="document-field"))),
        ),
        rx.cond(meta["parent"].to(dict).contains("uid"),
                rx.hstack(rx.icon("mail", size=14), rx.text(tr["detail.attached_to"], size="2"),
                          rx.link(meta["parent"].to(dict[str, str])["name"],
                                  href="/documents/" + meta["parent"].to(dict[str, str])["uid"],
                                  size="2",
                                  id="attached-to"),
                          align="center", spacing="2")),
        rx.cond(
            meta["attachments"].to(list).length() > 0,
            rx.vstack(
                rx.text(tr["detail.attachments"], size="2", weight="medium"),
                rx.foreach(meta["attachments"].to(list[dict[str, str]]), lambda a: rx.link(
                    rx.hstack(rx.icon("paperclip", size=14), a["name"], align="center"),
                    href="/documents/" + a["uid"].to(str), size="2", class_name="attachment-link")),
                spacing="1",
            ),
        ),
        spacing="2", width="100%",
    )


def notices() -> rx.Component:
    """What reading left out (pages past the budget, attachments not imported), and why."""
    items = DetailState.meta["notices"].to(list[dict[str, str]])
    return rx.cond(
        items.length() > 0,
        rx.callout.root(
            rx.callout.icon(rx.icon("info")),
            rx.vstack(
                rx.text(AppState.tr["detail.notices"], weight="medium", size="2"),
                rx.foreach(items, lambda n: rx.text(n[AppState.lang], size="2",
                                                    class_name="document-notice")),
                spacing="1",
            ),
            color_scheme="amber", id="document-notices", width="100%",
        ),
    )


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


NO_OFFICE = "none"  # a select item cannot have an empty value


def office_and_assignment() -> rx.Component:
    """The office the document belongs to and the assignment it is linked to: changeable by
    who may change the document, shown to the others."""
    tr = AppState.tr
    linked = DetailState.assignment.contains("id")
    return rx.vstack(
        rx.hstack(
            rx.text(tr["detail.office"], size="2", weight="medium", min_width="5em"),
            rx.cond(
                DetailState.can_change,
                rx.select.root(
                    rx.select.trigger(placeholder=tr["admin.no_office"], id="document-office"),
                    rx.select.content(
                        rx.select.item(tr["admin.no_office"], value=NO_OFFICE),
                        rx.foreach(DetailState.office_options,
                                   lambda o: rx.select.item(o["name"], value=o["id"]))),
                    value=rx.cond(DetailState.office_id == "", NO_OFFICE, DetailState.office_id),
                    on_change=DetailState.set_office, size="1"),
                rx.text(DetailState.office_label, size="2", id="document-office-name"),
            ),
            align="center", spacing="2", wrap="wrap"),
        rx.hstack(
            rx.text(tr["detail.assignment"], size="2", weight="medium", min_width="5em"),
            rx.cond(linked,
                    rx.hstack(
                        rx.link(DetailState.assignment["label"].to(str),
                                href="/assignments/" + DetailState.assignment["id"].to(str), size="2",
                                id="document-assignment"),
                        rx.badge(tr["assignments.how." + DetailState.assignment["how"].to(str)],
                                 variant="outline", size="1"),
                        rx.cond(DetailState.can_change,
                                rx.button(tr["detail.assignment_unlink"], size="1", variant="ghost",
                                          on_click=DetailState.link_assignment(0), id="unlink-assignment")),
                        align="center", spacing="2", wrap="wrap"),
                    rx.text(tr["detail.assignment_none"], size="2", color_scheme="gray")),
            align="center", spacing="2", wrap="wrap"),
        rx.cond(DetailState.can_change, rx.vstack(
            rx.form(rx.hstack(
                rx.input(name="q", placeholder=tr["detail.assignment_search"], size="1",
                         id="assignment-search", width="16em"),
                rx.button(rx.icon("search", size=14), type="submit", size="1", variant="soft"),
                spacing="2"), on_submit=DetailState.find_assignments),
            rx.foreach(DetailState.assignment_choices, lambda a: rx.button(
                a["label"], size="1", variant="outline", on_click=DetailState.link_assignment(a["id"]),
                class_name="assignment-choice")),
            spacing="1")),
        spacing="2", width="100%", id="office-and-assignment",
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
                    about(),
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
