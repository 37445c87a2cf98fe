"""The document list's state: the page of rows, sorting and paging, a watch that reloads
while documents are pending, the streaming upload, retrying the failed."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Any

import reflex as rx

from dokvault.core.filenames import UploadRefused, clean_filename
from dokvault.models import User
from dokvault.services import documents
from dokvault.services.admin import offices
from dokvault.services.documents import ListFilter, list_filters
from dokvault.services.documents.list_filters import LIST_PATH
from dokvault.services.documents.uploads import UploadReceiver, content_length
from dokvault.settings import get_settings
from dokvault.state import busy
from dokvault.state.base import AppState
from dokvault.state.format import row_view
from dokvault.state.guards import signed_in

log = logging.getLogger(__name__)
UPLOAD_ID = "documents"
PAGE_SIZE = 20
# While watching, the session is checked this often, and before every reload.
IDENTITY_EVERY_S = 10


class DocumentsState(AppState):
    rows: list[dict[str, Any]] = []
    total: int = 0
    page: int = 1
    sort: str = "created_at"
    descending: bool = True
    office: str = "all"  # the office select: "all" or an office's id (the URL's office=)
    office_options: list[dict[str, str]] = []
    uploads: list[dict[str, Any]] = []
    uploading: bool = False
    _uploaded: str = ""  # the files this tab sent last, see state/busy.py (a double click)
    _watching: bool = False
    _fingerprint: str = ""  # what the list was loaded at (documents.fingerprint)
    # The URL's filters (services/documents/list_filters.py), and what they say in words.
    _filter: dict[str, str] = {}
    filter_chips: list[str] = []
    # The documents ticked (their uids), kept across pages, for "Eksporter til disk".
    selected: list[str] = []

    @rx.var
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))

    @rx.var
    def pending(self) -> int:
        return sum(1 for r in self.rows if r["pending"])

    @rx.var
    def retryable(self) -> int:
        return sum(1 for r in self.rows if r["retryable"])

    @rx.var
    def selected_count(self) -> int:
        return len(self.selected)

    @rx.var
    def page_selected(self) -> bool:
        return bool(self.rows) and all(r["uid"] in self.selected for r in self.rows)

    @rx.event
    def toggle_selected(self, uid: str, checked: bool):
        self.selected = [u for u in self.selected if u != uid] + ([str(uid)] if checked else [])

    @rx.event
    def select_page(self, checked: bool):
        shown = [r["uid"] for r in self.rows]
        self.selected = [u for u in self.selected if u not in shown] + (shown if checked else [])

    @rx.event
    def clear_selection(self):
        self.selected = []

    @rx.event
    @signed_in
    def retry_failed(self, *, user: User):
        """Read again the failed and waiting documents shown (the service checks each:
        the owner's or an admin's only; the others are refused and said so)."""
        uids = [r["uid"] for r in self.rows if r["retryable"]]
        result = documents.retry_documents(user, uids, self._client())
        self._load(user)
        said = [rx.toast.success(self._t("docs.retried", n=result.sent))]
        if result.refused:
            said.append(rx.toast.warning(self._t("docs.retry_refused", n=result.refused)))
        return [*said, DocumentsState.watch_processing]

    def _load(self, user) -> None:
        self._fingerprint = documents.fingerprint(user)
        rows, self.total = documents.list_documents(
            user, sort=self.sort, descending=self.descending, page=self.page, page_size=PAGE_SIZE,
            filters=ListFilter.from_params(self._filter),
        )
        self.office_options = [{"id": str(o.id), "name": o.name} for o in offices.list_offices(True)]
        self.rows = [row_view(r) for r in rows]

    @rx.event
    @signed_in
    def load(self, *, user: User):
        params = self.router.url.query_parameters
        chosen = ListFilter.from_params(params)
        if chosen.params() != self._filter:  # another filter: from its first page
            self._filter, self.page = chosen.params(), 1
        self.office = str(chosen.office_id) if chosen.office_id else "all"
        if params.get("sort") in ("size", "name", "status", "created_at"):
            self.sort, self.descending = params["sort"], params["sort"] != "name"
        self.filter_chips = [self._t(key, **values) for key, values in list_filters.described(chosen)]
        self._load(user)
        return DocumentsState.watch_processing if self.pending else None

    @rx.event
    def filter_office(self, office: str):
        """The office select is one of the URL's filters: chosen, the list's address says it."""
        chosen = {k: v for k, v in self._filter.items() if k != "office"}
        if office.isdigit():
            chosen["office"] = office
        return rx.redirect(ListFilter.from_params(chosen).url(), replace=True)

    @rx.event
    def clear_filters(self):
        return rx.redirect(LIST_PATH, replace=True)

    @rx.event
    def sort_by(self, column: str):
        if column == self.sort:
            self.descending = not self.descending
        else:
            self.sort, self.descending = column, column == "created_at"
        self.page = 1
        return DocumentsState.load

    @rx.event
    def go_to_page(self, page: int):
        self.page = min(max(1, page), self.pages)
        return DocumentsState.load

    @rx.event(background=True)
    async def watch_processing(self):
        """Refresh the list while documents are being processed, so statuses move by
        themselves: a cheap fingerprint each second, the list only when it changed (fifty
        open tabs cost about one small query a second each)."""
        async with self:
            if self._watching:
                return
            self._watching = True
        try:
            deadline = time.monotonic() + 15 * 60
            user, checked = None, 0.0
            while time.monotonic() < deadline:
                await asyncio.sleep(1)
                async with self:
                    if self.router.url.path.rstrip("/") != LIST_PATH:
                        break
                    if user is None or time.monotonic() - checked > IDENTITY_EVERY_S:
                        user, checked = self._current_user(), time.monotonic()
                    if user is None:
                        break
                    known = self._fingerprint
                seen = await asyncio.to_thread(documents.fingerprint, user)
                if seen == known:
                    continue
                async with self:
                    user = self._current_user()  # what a reload shows is asked for again
                    if user is None:
                        break
                    self._fingerprint = seen
                    await asyncio.to_thread(self._load, user)
                    if not self.pending:
                        break
        finally:
            async with self:
                self._watching = False

    @rx.event(background=True)
    async def receive_upload(self, chunks: rx.UploadChunkIterator, sizes: list[list[Any]]):
        """Stream each file to disk as its chunks arrive; never hold a whole file in memory,
        and stop reading the request at a file over the limit (services/uploads.py)."""
        sent = busy.fingerprint(sizes)
        async with self:
            user = self._current_user()
            if user is None:
                return self._signed_out()
            # The same files while they are being sent, or again at once: a double click.
            repeat = self.uploading or busy.is_repeat(self._uploaded, sent)
            if not repeat:
                self._uploaded, self.uploading = busy.stamp(sent), True
                receiver = UploadReceiver(user.id, sizes, self._t, self._client())
                token = self.router.session.client_token
                self.uploads = [dict(u) for u in receiver.progress]
        if repeat:
            async for _ in chunks:  # read to the end (the request then ends well), keep nothing
                pass
            return None
        last_push = 0.0

        async def publish() -> None:
            nonlocal last_push
            if time.monotonic() - last_push > 0.25:
                last_push = time.monotonic()
                async with self:
                    self.uploads = [dict(p) for p in receiver.progress]

        if not receiver.refused_before_reading(content_length(token)):
            await receiver.receive(chunks, publish)
        stored, refused = receiver.counts
        async with self:
            self.uploads = receiver.progress
            self.uploading = False
            self.page = 1
            user = self._current_user()
            if user is not None:
                self._load(user)
        summary = self._t("upload.done", ok=stored, bad=refused)
        toast = rx.toast.success(summary) if not refused else rx.toast.warning(summary)
        return [toast, rx.clear_selected_files(UPLOAD_ID), DocumentsState.watch_processing]

    @rx.event
    def files_rejected(self, rejections: list[list[Any]]):
        """The browser refused files before upload (type or size); say which and why."""
        mb = get_settings().max_upload_mb
        messages = []
        for name, codes in rejections[:20]:
            key = "error.too_large" if "file-too-large" in codes else "error.unsupported_type"
            with contextlib.suppress(UploadRefused):
                name = clean_filename(str(name))
            messages.append(f"{name}: {self._t(key, mb=mb)}")
        log.info("browser refused %s files", len(rejections))
        return rx.toast.error("\n".join(messages), duration=8000,
                              style={"white_space": "pre-line"})

    @rx.event
    def clear_uploads(self):
        self.uploads = []
        return rx.clear_selected_files(UPLOAD_ID)
