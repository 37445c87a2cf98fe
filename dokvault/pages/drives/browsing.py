"""Browsing a drive's folder from a page: the breadcrumbs, one page of entries (and the page
tokens behind it), the files ticked. A state mixin, for the Disker page and the templates
page's import from the network share. The listing is kept server-side (`_listed`), so what a
page acts on is what the server listed, never what a browser says a file is. The files
ticked stay ticked while the pages of one folder are turned (a folder of more than a page is
imported in one go); another folder starts with none.

A state using it says where a page comes from (`_browse_page`) and how a failure is worded
(`_error`), and may react to one (`_browse_failed`)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from dokvault.core import clock, net
from dokvault.drives.types import DriveError, Entry, Page
from dokvault.models import User
from dokvault.pages.drives.follow import entry_dict, entry_of
from dokvault.services.access import Forbidden
from dokvault.state.base import AppState
from dokvault.state.busy import while_busy
from dokvault.state.format import human_size
from dokvault.state.guards import signed_in


class FolderBrowser(rx.State, mixin=True):
    crumbs: list[dict[str, str]] = []
    entries: list[dict[str, Any]] = []
    selected: list[str] = []
    has_next: bool = False
    has_previous: bool = False
    page_number: int = 1  # of the folder shown, the first 1
    browse_error: str = ""
    browsing: bool = False
    _listed: dict[str, dict] = {}
    _tokens: list[str] = []
    _next_token: str = ""

    @rx.var
    def selected_count(self) -> int:
        return len(self.selected)

    def _browse_page(self, user: User, folder_id: str | None, token: str | None) -> Page:
        raise NotImplementedError

    def _browse_failed(self, user: User) -> None:
        """After a failed listing (the page may refresh what shows the drive's state)."""

    def _start_browsing(self, root_name: str) -> None:
        self.crumbs = [{"id": "", "name": root_name}]
        self.entries, self.selected, self._listed, self._tokens, self._next_token = [], [], {}, [], ""
        self.has_next = self.has_previous = False
        self.page_number = 1

    def _show(self, user: User, folder_id: str | None, token: str | None, *, turning: bool = False) -> None:
        """One page of the folder; `turning` a page of the folder shown keeps the files ticked."""
        self.browse_error = ""
        ticked = {i: self._listed[i] for i in self.selected if i in self._listed} if turning else {}
        self.selected = list(ticked)
        self.page_number = len(self._tokens) + 1
        try:
            page = self._browse_page(user, folder_id, token)
        except (DriveError, net.OutboundRefused, Forbidden) as exc:
            self.browse_error = self._error(exc)
            self.entries, self._listed, self.has_next = [], ticked, False
            self.has_previous = bool(self._tokens)
            self._browse_failed(user)
            return
        self._listed = {**ticked, **{e.id: entry_dict(e) for e in page.entries}}
        self.entries = [{"id": e.id, "name": e.name, "folder": e.is_folder,
                         "size": "" if e.is_folder else human_size(e.size),
                         "modified": clock.shown(e.modified) if e.modified else ""}
                        for e in page.entries]
        self._next_token = page.next_token or ""
        self.has_next, self.has_previous = bool(page.next_token), bool(self._tokens)

    def _current_folder(self) -> tuple[str, str]:
        """(id, name) of the folder shown; "" is the drive's root."""
        crumb = self.crumbs[-1] if self.crumbs else {"id": "", "name": ""}
        return crumb["id"], "/".join(c["name"] for c in self.crumbs[1:]) or "/"

    def _chosen(self) -> list[Entry]:
        """The files ticked, as the server listed them."""
        return [entry_of(self._listed[i]) for i in self.selected if i in self._listed]

    @rx.event
    @signed_in
    @while_busy("browsing")
    def open_folder(self, folder_id: str, *, user: User):
        entry = self._listed.get(folder_id)
        if entry is None or not entry["is_folder"]:
            return None
        self.crumbs = [*self.crumbs, {"id": folder_id, "name": entry["name"]}]
        self._tokens = []
        self._show(user, folder_id, None)
        return None

    @rx.event
    @signed_in
    @while_busy("browsing")
    def open_crumb(self, index: int, *, user: User):
        if not 0 <= int(index) < len(self.crumbs):
            return None
        self.crumbs, self._tokens = self.crumbs[: int(index) + 1], []
        self._show(user, self.crumbs[-1]["id"] or None, None)
        return None

    @rx.event
    @signed_in
    @while_busy("browsing")
    def next_page(self, shown: int, *, user: User):
        # `shown`: the page the click was made on. A double click's second arrives after the
        # first has turned the page: it turns no other (compared as text: whatever else a
        # browser sends turns nothing).
        if self._next_token and str(shown) == str(self.page_number):
            self._tokens = [*self._tokens, self._next_token]
            self._show(user, self.crumbs[-1]["id"] or None, self._next_token, turning=True)
        return None

    @rx.event
    @signed_in
    @while_busy("browsing")
    def previous_page(self, shown: int, *, user: User):
        if self._tokens and str(shown) == str(self.page_number):
            self._tokens = self._tokens[:-1]
            self._show(user, self.crumbs[-1]["id"] or None, self._tokens[-1] if self._tokens else None,
                       turning=True)
        return None

    @rx.event
    def toggle(self, entry_id: str, checked: bool):
        if entry_id in self._listed and not self._listed[entry_id]["is_folder"]:
            self.selected = [i for i in self.selected if i != entry_id] + ([entry_id] if checked else [])


def folder_pager(state: type[FolderBrowser], *, id_prefix: str, size: str = "2") -> rx.Component:
    """Previous and next page of the folder `state` browses, each shown when there is a page
    that way (next stays at the right, where the last click was), and which page this is. A
    click says which page it was made on (see `next_page`)."""
    tr = AppState.tr
    return rx.cond(state.has_previous | state.has_next, rx.hstack(
        rx.cond(state.has_previous, rx.button(
            tr["drives.previous_page"], size=size, variant="soft",
            on_click=state.previous_page(state.page_number), id=f"{id_prefix}-prev")),
        rx.spacer(),
        rx.text(tr["drives.page"].to(str).replace("{n}", state.page_number.to(str)), size="2",
                color_scheme="gray", id=f"{id_prefix}-page"),
        rx.spacer(),
        rx.cond(state.has_next, rx.button(
            tr["drives.next_page"], size=size, variant="soft",
            on_click=state.next_page(state.page_number), id=f"{id_prefix}-next")),
        spacing="2", width="100%", align="center",
    ))
