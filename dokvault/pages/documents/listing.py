"""The document list: streaming upload with per-file progress, a sortable, paginated table."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Any

import reflex as rx
from reflex.vars import ArrayVar, ObjectVar
from reflex.vars.base import Var, VarData
from reflex_components_core.core.upload import get_upload_files_context_var_data

from dokvault.components.layout import LONG_NAME, WIDE_CELL, page_frame, status_badge
from dokvault.components.thumbnail import thumbnail
from dokvault.core.filenames import UploadRefused, clean_filename
from dokvault.extract import formats
from dokvault.i18n import register
from dokvault.models import User
from dokvault.pages.admin.system import health_banner
from dokvault.services import documents
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


class DocumentsState(AppState):
    rows: list[dict[str, Any]] = []
    total: int = 0
    page: int = 1
    sort: str = "created_at"
    descending: bool = True
    uploads: list[dict[str, Any]] = []
    uploading: bool = False
    _uploaded: str = ""  # the files this tab sent last, see state/busy.py (a double click)
    _watching: bool = False
    _fingerprint: str = ""  # what the list was loaded at (documents.fingerprint)

    @rx.var
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))

    @rx.var
    def pending(self) -> int:
        return sum(1 for r in self.rows if r["pending"])

    @rx.var
    def retryable(self) -> int:
        return sum(1 for r in self.rows if r["retryable"])

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
            user, sort=self.sort, descending=self.descending, page=self.page, page_size=PAGE_SIZE
        )
        self.rows = [row_view(r) for r in rows]

    @rx.event
    @signed_in
    def load(self, *, user: User):
        self._load(user)
        return DocumentsState.watch_processing if self.pending else None

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
                    if self.router.url.path.rstrip("/") != "":
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
                receiver = UploadReceiver(user.id, sizes, self._t)
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


def document_row(row: rx.Var) -> rx.Component:
    tr = AppState.tr
    return rx.table.row(
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
                    rx.cond(row["shared"], rx.badge(rx.icon("users", size=12), tr["docs.shared"],
                                                   color_scheme="blue", variant="surface",
                                                   class_name="shared-badge")),
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
        rx.callout(tr["docs.empty"], icon="info", width="100%"),
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
        document_table(),
    )
