"""The state of one document's page: the document, its text and what is known about it;
trash, restore and read again. The office, sharing and the field editor are substates of
their own (detail_office.py, detail_fields.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

import reflex as rx

from dokvault.i18n import LANGUAGES, translate_notice
from dokvault.models import User
from dokvault.services import documents
from dokvault.services.admin import offices
from dokvault.services.documents import DocumentRow
from dokvault.services.intelligence import classification, review, taxonomy
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
    can_change: bool = False  # the owner or an admin: trash, restore, share, correct
    office_name: str = ""     # the owner's office, which a share would reach
    meta: dict[str, Any] = {}  # type, tags, fields, title, summary, language, OCR, relations

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
        "fields": [{"key": k, "label": specs[k].label if k in specs else k,
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
