""""Eksporter til disk" where the documents are: on a document's page and for a selection in
the document list. A dialog chooses one of the person's drives that take exports and a folder
on it (FolderBrowser: breadcrumbs, paging), starts the export (services/drives/actions.py:
only documents the person may read; a name taken in the folder gets a number) and follows it
file by file until it is done."""

from __future__ import annotations

from typing import Any

import reflex as rx

from dokvault.components.layout import LONG_NAME
from dokvault.core import net
from dokvault.drives.types import DriveError
from dokvault.models import User
from dokvault.pages.drives.browsing import FolderBrowser, folder_pager
from dokvault.pages.drives.follow import follow, transfer_view
from dokvault.pages.drives.transfers import item_row
from dokvault.services import drives
from dokvault.services.access import Forbidden
from dokvault.settings import get_settings
from dokvault.state.base import AppState
from dokvault.state.busy import while_busy
from dokvault.state.guards import signed_in


class DriveExportState(FolderBrowser, AppState):
    open: bool = False
    count: int = 0  # the chosen documents the person may read
    targets: list[dict[str, str]] = []  # their drives that take exports
    target: str = ""  # the chosen one's id
    starting: bool = False
    transfer: dict[str, Any] = {}  # the export once started, as its card shows it
    _uids: list[str] = []
    _transfer_uid: str = ""
    _watching: bool = False

    @rx.var
    def folder_shown(self) -> str:
        return "/".join(c["name"] for c in self.crumbs[1:]) or "/"

    def _error(self, exc: Exception) -> str:
        values = exc.values if isinstance(exc, net.OutboundRefused) else {}
        return self._t(getattr(exc, "code", "error.drive_failed"), mb=get_settings().max_upload_mb, **values)

    def _browse_page(self, user: User, folder_id: str | None, token: str | None):
        return drives.browse(user, int(self.target), folder_id, token)

    def _open(self, user: User, uids: list[str]):
        # What the dialog counts is what the service will export: the documents this person may read.
        self._uids = [str(d.uid) for d in drives.actions.exportable(user, [str(u) for u in uids])]
        self.count = len(self._uids)
        self.targets = [{"id": str(c.id), "label": f"{c.label} ({self._t(f'drives.kind.{c.kind}')})"}
                        for c in drives.list_connections(user) if c.can_export]
        self.open, self.transfer, self._transfer_uid, self.browse_error = True, {}, "", ""
        self.target, self.crumbs, self.entries = "", [], []
        if len(self.targets) == 1:
            self._choose(user, self.targets[0]["id"])

    def _choose(self, user: User, target: str) -> None:
        chosen = next((t for t in self.targets if t["id"] == target), None)
        if chosen is None:
            return
        self.target = target
        self._start_browsing(chosen["label"])
        self._show(user, None, None)

    @rx.event
    @signed_in
    def open_for_document(self, uid: str, *, user: User):
        self._open(user, [uid])

    @rx.event
    @signed_in
    def open_for_selection(self, uids: list[str], *, user: User):
        self._open(user, list(uids))

    @rx.event
    def close(self):
        self.open = False

    @rx.event
    @signed_in
    @while_busy("browsing")
    def choose_target(self, target: str, *, user: User):
        self._choose(user, str(target))

    @rx.event
    @signed_in
    @while_busy("starting")
    def export_here(self, *, user: User):
        if self._transfer_uid or not self.target:  # a double click's second
            return None
        folder_id, name = self._current_folder()
        try:
            root = folder_id or drives.actions.root_id(user, int(self.target))
            uid = drives.export_documents(user, int(self.target), root, name, self._uids)
        except (Forbidden, DriveError, net.OutboundRefused) as exc:
            return rx.toast.error(self._error(exc))
        self._transfer_uid = uid
        self._reload(user)
        return [rx.toast.success(self._t("drives.export_started")), DriveExportState.watch]

    def _reload(self, user: User) -> None:
        if self._transfer_uid:
            self.transfer = transfer_view(self._t, drives.actions.transfer_view(user, self._transfer_uid))

    @rx.event(background=True)
    async def watch(self):
        """The export's progress each second while it moves files and the dialog is open."""
        async with self:
            uid = self._transfer_uid
        if not uid:
            return

        def moving(user: User) -> bool:
            return drives.actions.transfer_view(user, uid, items_each=0).status in ("queued", "running")

        await follow(self, lambda state: state.open and state._transfer_uid == uid, moving,
                     lambda state, user: state._reload(user))


def _entry(entry: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.icon(rx.cond(entry["folder"], "folder", "file"), size=16),
        rx.cond(
            entry["folder"],
            rx.link(entry["name"], on_click=DriveExportState.open_folder(entry["id"]), cursor="pointer",
                    style=LONG_NAME, class_name="export-folder"),
            rx.text(entry["name"], size="2", color_scheme="gray", style=LONG_NAME, class_name="export-file"),
        ),
        align="center", width="100%", spacing="2",
    )


def _choosing() -> rx.Component:
    tr = AppState.tr
    state = DriveExportState
    return rx.vstack(
        rx.select.root(
            rx.select.trigger(placeholder=tr["export.choose_drive"], id="export-drive", width="100%"),
            rx.select.content(rx.foreach(state.targets, lambda t: rx.select.item(t["label"], value=t["id"]))),
            value=state.target, on_change=DriveExportState.choose_target, width="100%",
        ),
        rx.cond(state.target != "", rx.vstack(
            rx.hstack(
                rx.foreach(state.crumbs, lambda crumb, i: rx.hstack(
                    rx.cond(i > 0, rx.icon("chevron-right", size=14)),
                    rx.link(crumb["name"], on_click=DriveExportState.open_crumb(i), cursor="pointer",
                            class_name="export-crumb"),
                    spacing="1", align="center")),
                spacing="1", flex_wrap="wrap", align="center", id="export-crumbs",
            ),
            rx.cond(state.browse_error != "",
                    rx.callout(state.browse_error, icon="triangle-alert", color_scheme="red",
                               id="export-browse-error")),
            rx.scroll_area(
                rx.vstack(rx.foreach(state.entries, _entry), spacing="2", padding_y="0.25em", width="100%"),
                max_height="35vh", type="auto",
            ),
            folder_pager(DriveExportState, id_prefix="export-folder", size="1"),
            rx.text(tr["export.clashes"], size="1", color_scheme="gray"),
            spacing="2", width="100%",
        )),
        rx.hstack(
            rx.dialog.close(rx.button(tr["export.close"], variant="soft", color_scheme="gray")),
            rx.button(
                rx.icon("upload", size=14),
                tr["export.here"].to(str).replace("{folder}", state.folder_shown),
                disabled=(state.target == "") | (state.count == 0) | (state.browse_error != ""),
                loading=state.starting, on_click=DriveExportState.export_here, id="export-start",
                style=LONG_NAME,
            ),
            justify="end", spacing="3", width="100%",
        ),
        spacing="3", width="100%",
    )


def _progress() -> rx.Component:
    tr = AppState.tr
    transfer = DriveExportState.transfer
    return rx.vstack(
        rx.hstack(
            rx.text(transfer["title"], weight="bold", style=LONG_NAME),
            rx.badge(transfer["status_label"], variant="soft", id="export-status"),
            align="center", flex_wrap="wrap",
        ),
        rx.text(transfer["folder"], size="1", color_scheme="gray", style=LONG_NAME),
        rx.progress(value=transfer["progress"].to(int), max=100, width="100%"),
        rx.text(transfer["summary"], size="2", id="export-summary"),
        rx.cond(transfer["error"] != "", rx.text(transfer["error"], size="2", color_scheme="red")),
        rx.table.root(rx.table.body(rx.foreach(transfer["items"].to(list[dict]), item_row)),
                      width="100%", size="1"),
        rx.hstack(
            rx.link(tr["export.to_drives"], href="/drives", size="2"),
            rx.spacer(),
            rx.dialog.close(rx.button(tr["export.close"], variant="soft", color_scheme="gray")),
            width="100%", align="center",
        ),
        spacing="2", width="100%", id="export-progress",
    )


def export_dialog() -> rx.Component:
    tr = AppState.tr
    state = DriveExportState
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(tr["export.title"]),
            rx.text(tr["export.what"].to(str).replace("{n}", state.count.to(str)), size="2",
                    color_scheme="gray", margin_bottom="0.75em"),
            rx.cond(
                state.transfer.contains("uid"),
                _progress(),
                rx.cond(
                    state.targets.length() > 0,
                    _choosing(),
                    rx.vstack(
                        rx.callout(tr["export.no_drives"], icon="info", width="100%", id="export-no-drives"),
                        rx.hstack(
                            rx.dialog.close(
                                rx.button(tr["export.close"], variant="soft", color_scheme="gray")),
                            rx.link(rx.button(rx.icon("hard-drive", size=14), tr["export.connect"]),
                                    href="/drives"),
                            justify="end", spacing="3", width="100%",
                        ),
                        spacing="3", width="100%",
                    ),
                ),
            ),
            max_width="640px",
            id="export-dialog",
        ),
        open=state.open,
        on_open_change=lambda _open: DriveExportState.close,
    )


def export_button(on_click, **props) -> rx.Component:
    """The button that opens the dialog (`on_click`: open_for_document or open_for_selection)."""
    return rx.button(rx.icon("hard-drive-upload", size=16), AppState.tr["export.button"],
                     variant="soft", on_click=on_click, **props)
