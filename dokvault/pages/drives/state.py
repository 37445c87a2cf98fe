"""The Disker page's state: connections, the folder being browsed (breadcrumbs, paging, the
files chosen: browsing.py's FolderBrowser), imports and exports with their progress, folders
kept in sync. Every handler checks the person on the server; the drive's listing is kept
server-side, so what is imported is what the server listed, never what a browser says a
file is."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import reflex as rx

from dokvault.core import clock, net
from dokvault.drives.types import DriveError
from dokvault.models import User
from dokvault.pages.drives.browsing import FolderBrowser
from dokvault.pages.drives.follow import follow, transfer_view
from dokvault.services import documents, drives
from dokvault.services.access import Forbidden
from dokvault.settings import get_settings
from dokvault.state.base import AppState
from dokvault.state.busy import while_busy
from dokvault.state.format import human_size
from dokvault.state.guards import signed_in

log = logging.getLogger(__name__)
ROUTE = "/drives"


class DrivesState(FolderBrowser, AppState):
    connections: list[dict[str, Any]] = []
    google_enabled: bool = False
    onedrive_enabled: bool = False
    form_error: str = ""
    connecting: bool = False
    # The connection being browsed (the folder: FolderBrowser).
    open_id: int = 0
    open_label: str = ""
    open_can_export: bool = False
    starting: bool = False
    # Export: the documents to choose from.
    export_open: bool = False
    export_query: str = ""
    export_rows: list[dict[str, str]] = []
    export_selected: list[str] = []
    transfers: list[dict[str, Any]] = []
    syncs: list[dict[str, Any]] = []
    _watching: bool = False

    @rx.var
    def export_count(self) -> int:
        return len(self.export_selected)

    @rx.var
    def folder_name(self) -> str:
        return self.crumbs[-1]["name"] if self.crumbs else ""

    # --- loading -----------------------------------------------------------------------

    def _error(self, exc: Exception) -> str:
        code = getattr(exc, "code", "error.drive_failed")
        values = exc.values if isinstance(exc, net.OutboundRefused | drives.DriveInputError) else {}
        return self._t(code, mb=get_settings().max_upload_mb, **values)

    def _load_connections(self, user: User) -> None:
        self.connections = [
            {
                "id": c.id,
                "kind": c.kind,
                "kind_label": self._t(f"drives.kind.{c.kind}"),
                "label": c.label,
                "server": c.server,
                "status": c.status,
                "status_label": self._t(f"drives.status.{c.status}"),
                "status_text": self._t(c.status_code) if c.status_code else "",
                "shared": c.shared,
                "oauth": c.kind in ("google", "onedrive"),
                "can_export": c.can_export,
            }
            for c in drives.list_connections(user)
        ]
        settings = get_settings()
        self.google_enabled = bool(
            settings.google_client_id and settings.google_client_secret.get_secret_value()
        )
        self.onedrive_enabled = bool(
            settings.onedrive_client_id and settings.onedrive_client_secret.get_secret_value()
        )

    def _load_transfers(self, user: User) -> None:
        self.transfers = [transfer_view(self._t, t) for t in drives.recent_transfers(user)]
        self.syncs = [
            {
                "id": s.id,
                "label": s.connection_label,
                "folder": s.folder_name or "/",
                "last_run": clock.shown(s.last_run_at) if s.last_run_at else self._t("drives.never"),
                "error": self._t(s.last_error) if s.last_error else "",
            }
            for s in drives.list_syncs(user)
        ]

    @rx.event
    @signed_in
    def load(self, *, user: User):
        self._load_connections(user)
        self._load_transfers(user)
        self.form_error = ""
        params = self.router.url.query_parameters
        if params.get("connected"):
            kind = self._t(f"drives.kind.{params.get('connected')}")
            return [rx.toast.success(self._t("drives.oauth_done", kind=kind)), DrivesState.watch]
        if params.get("error"):
            return [rx.toast.error(self._t("error.drive_oauth")), DrivesState.watch]
        return DrivesState.watch

    # --- connecting, testing, removing ---------------------------------------------------

    @rx.event
    @signed_in
    @while_busy("connecting")
    def connect(self, form: dict, *, user: User):
        try:
            drives.connect_with_password(
                user,
                str(form.get("kind") or "webdav"),
                str(form.get("url") or ""),
                str(form.get("username") or ""),
                str(form.get("password") or ""),
                client=self._client(),
            )
        except (drives.DriveInputError, DriveError, net.OutboundRefused, Forbidden) as exc:
            self.form_error = self._error(exc)
            return None
        self.form_error = ""
        self._load_connections(user)
        fields = ("connect-url", "connect-username", "connect-password")
        cleared = [rx.set_value(field, "") for field in fields]
        return [rx.toast.success(self._t("drives.connected")), *cleared]

    @rx.event
    @signed_in
    def test(self, connection_id: int, *, user: User):
        try:
            code = drives.test_connection(user, int(connection_id))
        except Forbidden as exc:
            return rx.toast.error(self._t(exc.code))
        self._load_connections(user)
        return rx.toast.success(self._t("drives.test_ok")) if not code else rx.toast.error(self._t(code))

    @rx.event
    @signed_in
    def remove(self, connection_id: int, *, user: User):
        try:
            drives.remove_connection(user, int(connection_id), client=self._client())
        except Forbidden as exc:
            return rx.toast.error(self._t(exc.code))
        if self.open_id == int(connection_id):
            self._close_browser()
        self._load_connections(user)
        self._load_transfers(user)
        return rx.toast.info(self._t("drives.removed"))

    # --- browsing -------------------------------------------------------------------------

    def _close_browser(self) -> None:
        self.open_id, self.open_label = 0, ""
        self._start_browsing("")
        self.crumbs = []

    def _browse_page(self, user: User, folder_id: str | None, token: str | None):
        return drives.browse(user, self.open_id, folder_id, token)

    def _browse_failed(self, user: User) -> None:
        self._load_connections(user)  # the connection's state follows the outcome

    @rx.event
    @signed_in
    @while_busy("browsing")
    def open_connection(self, connection_id: int, *, user: User):
        connection = next((c for c in self.connections if c["id"] == int(connection_id)), None)
        if connection is None:
            return None
        self._close_browser()
        self.open_id, self.open_label = int(connection_id), connection["label"]
        self.open_can_export = bool(connection["can_export"])
        self._start_browsing(connection["kind_label"])
        self._show(user, None, None)
        return None

    # --- importing, syncing ---------------------------------------------------------------

    @rx.event
    @signed_in
    @while_busy("starting")
    def import_selected(self, *, user: User):
        try:
            drives.import_files(user, self.open_id, self._chosen(), self._current_folder()[1])
        except (Forbidden, DriveError) as exc:
            return rx.toast.error(self._error(exc))
        self.selected = []
        self._load_transfers(user)
        return [rx.toast.success(self._t("drives.import_started")), DrivesState.watch]

    @rx.event
    @signed_in
    @while_busy("starting")
    def import_folder(self, *, user: User):
        folder_id, name = self._current_folder()
        try:
            drives.import_folder(
                user, self.open_id, folder_id or drives.actions.root_id(user, self.open_id), name
            )
        except (Forbidden, DriveError, net.OutboundRefused) as exc:
            return rx.toast.error(self._error(exc))
        self._load_transfers(user)
        return [rx.toast.success(self._t("drives.import_started")), DrivesState.watch]

    @rx.event
    @signed_in
    @while_busy("starting")
    def keep_in_sync(self, *, user: User):
        folder_id, name = self._current_folder()
        try:
            drives.keep_in_sync(
                user, self.open_id, folder_id or drives.actions.root_id(user, self.open_id), name
            )
        except (Forbidden, DriveError, net.OutboundRefused) as exc:
            return rx.toast.error(self._error(exc))
        self._load_transfers(user)
        return [
            rx.toast.success(self._t("drives.sync_started", minutes=get_settings().drive_sync_minutes)),
            DrivesState.watch_soon,
        ]

    @rx.event
    @signed_in
    def sync_now(self, sync_id: int, *, user: User):
        try:
            drives.sync_now(user, int(sync_id))
        except Forbidden as exc:
            return rx.toast.error(self._t(exc.code))
        return [rx.toast.info(self._t("drives.sync_sent")), DrivesState.watch_soon]

    @rx.event(background=True)
    async def watch_soon(self):
        """The folder's listing takes a moment before a transfer exists to watch."""
        for _ in range(10):
            await asyncio.sleep(0.5)
            async with self:
                user = self._current_user()
                if user is None:
                    return
            if await asyncio.to_thread(drives.actions.busy, user):
                break
        async with self:
            user = self._current_user()
            if user is not None:
                self._load_transfers(user)
        return DrivesState.watch

    @rx.event
    @signed_in
    def stop_sync(self, sync_id: int, *, user: User):
        try:
            drives.stop_sync(user, int(sync_id))
        except Forbidden as exc:
            return rx.toast.error(self._t(exc.code))
        self._load_transfers(user)
        return rx.toast.info(self._t("drives.sync_stopped"))

    # --- exporting ------------------------------------------------------------------------

    def _find_documents(self, user: User) -> None:
        query = self.export_query.strip()
        if query:
            rows, _ = documents.search_documents(user, query, page_size=50)
        else:
            rows, _ = documents.list_documents(user, page_size=50)
        self.export_rows = [{"uid": r.uid, "name": r.name, "size": human_size(r.size)} for r in rows]

    @rx.event
    @signed_in
    def open_export(self, *, user: User):
        self.export_open, self.export_query, self.export_selected = True, "", []
        self._find_documents(user)
        return None

    @rx.event
    def close_export(self):
        self.export_open = False

    @rx.event
    @signed_in
    def search_export(self, form: dict, *, user: User):
        self.export_query = str(form.get("query") or "")[:200]
        self._find_documents(user)
        return None

    @rx.event
    def toggle_export(self, uid: str, checked: bool):
        self.export_selected = [u for u in self.export_selected if u != uid] + ([uid] if checked else [])

    @rx.event
    @signed_in
    @while_busy("starting")
    def export_selected_documents(self, *, user: User):
        folder_id, name = self._current_folder()
        try:
            drives.export_documents(
                user,
                self.open_id,
                folder_id or drives.actions.root_id(user, self.open_id),
                name,
                self.export_selected,
            )
        except (Forbidden, DriveError, net.OutboundRefused) as exc:
            return rx.toast.error(self._error(exc))
        self.export_open, self.export_selected = False, []
        self._load_transfers(user)
        return [rx.toast.success(self._t("drives.export_started")), DrivesState.watch]

    # --- transfers ------------------------------------------------------------------------

    @rx.event
    @signed_in
    def retry(self, uid: str, *, user: User):
        try:
            n = drives.retry_failed(user, uid)
        except Forbidden as exc:
            return rx.toast.error(self._t(exc.code))
        self._load_transfers(user)
        return [rx.toast.info(self._t("drives.retried", n=n)), DrivesState.watch]

    @rx.event
    @signed_in
    def cancel(self, uid: str, *, user: User):
        try:
            drives.actions.cancel(user, uid)
        except Forbidden as exc:
            return rx.toast.error(self._t(exc.code))
        self._load_transfers(user)
        return rx.toast.info(self._t("drives.cancelled"))

    @rx.event(background=True)
    async def watch(self):
        """Refresh the transfers each second while one of this person's moves files."""
        await follow(self, ROUTE, drives.actions.busy, lambda state, user: state._load_transfers(user))
