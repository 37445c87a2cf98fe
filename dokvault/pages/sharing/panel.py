"""The sharing card of a document's page: for its owner (and admins) the people and
offices it is shared with, its links (make, copy, revoke) and every use of them; for
someone it was shared with, who shared it."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import reflex as rx

from dokvault.components.copy_link import copy_events, link_to_copy
from dokvault.components.layout import LONG_NAME, WIDE_CELL
from dokvault.models import User
from dokvault.services import documents
from dokvault.services.access import Forbidden
from dokvault.services.admin import offices
from dokvault.services.sharing import links, shares
from dokvault.settings import get_settings
from dokvault.state import busy
from dokvault.state.base import AppState
from dokvault.state.busy import while_busy
from dokvault.state.guards import signed_in


class SharingState(AppState):
    owner_view: bool = False  # the owner or an admin: the whole card
    shared_by: str = ""  # for a reader it was shared with directly: who shared it
    shares: list[dict[str, Any]] = []
    people: list[dict[str, str]] = []
    other_offices: list[dict[str, str]] = []
    links: list[dict[str, Any]] = []
    accesses: list[dict[str, Any]] = []
    person: str = ""  # the chosen person's id (a select's value)
    office: str = ""
    new_link: str = ""  # the URL of the link just made, shown to copy
    sharing: bool = False
    linking: bool = False
    revoking: bool = False
    _made: str = ""  # the link form last sent from this tab ("<fingerprint>@<time>")

    def _uid(self) -> str:
        return self.router.url.path.rstrip("/").rsplit("/", 1)[-1]

    def _reload(self, user: User) -> None:
        uid = self._uid()
        self.shares = [asdict(r) for r in shares.list_shares(user, uid)]
        self.links = [asdict(r) for r in links.list_links(user, uid)]
        self.accesses = [asdict(r) for r in links.list_accesses(user, uid)]

    @rx.event
    @signed_in
    def load_sharing(self, *, user: User):
        """on_load of /documents/[uid], after DetailState.load."""
        self.new_link, self.person, self.office = "", "", ""
        document = documents.get_document(user, self._uid())
        self.owner_view = False
        self.shared_by = ""
        if document is None:
            return
        try:
            self._reload(user)
        except Forbidden:  # not theirs to share: who shared it with them, if anyone did
            self.shared_by = shares.shared_by(user, document)
            return
        self.owner_view = True
        with_office = offices.owner_office_id(document)
        self.people = [{"id": str(r.id), "label": r.label} for r in shares.recipients(user)
                       if r.id != document.owner_id]
        self.other_offices = [{"id": str(o.id), "name": o.name} for o in offices.list_offices()
                              if o.id != with_office]

    def _done(self, user: User, key: str, **values):
        self._reload(user)
        return rx.toast.success(self._t(key, **values))

    @rx.event
    @signed_in
    @while_busy("sharing")
    def share_with_person(self, *, user: User):
        if not self.person.isdigit():
            return rx.toast.error(self._t("share.choose_person"))
        try:
            added = shares.share_with_user(user, self._uid(), int(self.person), self._client())
        except Forbidden as exc:
            return rx.toast.error(self._t(exc.code))
        # The choice stays: a double click's second event finds the share made, says nothing.
        return self._done(user, "share.shared_person") if added else None

    @rx.event
    @signed_in
    @while_busy("sharing")
    def share_with_office(self, *, user: User):
        if not self.office.isdigit():
            return rx.toast.error(self._t("share.choose_office"))
        try:
            added = shares.share_with_office(user, self._uid(), int(self.office), self._client())
        except Forbidden as exc:
            return rx.toast.error(self._t(exc.code))
        return self._done(user, "share.shared_office") if added else None

    @rx.event
    @signed_in
    @while_busy("sharing")
    def remove_share(self, share_id: int, *, user: User):
        try:
            removed = shares.remove_share(user, self._uid(), int(share_id), self._client())
        except Forbidden as exc:
            return rx.toast.error(self._t(exc.code))
        return self._done(user, "share.removed") if removed else None

    @rx.event
    @signed_in
    @while_busy("linking")
    def make_link(self, form: dict, *, user: User):
        days, limit = str(form.get("days", "")).strip(), str(form.get("max_downloads", "")).strip()
        password = str(form.get("password", ""))
        if not days.isdigit() or (limit and not limit.isdigit()):
            return rx.toast.error(self._t("error.share_days" if not days.isdigit()
                                          else "error.share_max_downloads"))
        sent = busy.fingerprint(self._uid(), days, limit, password)
        if busy.is_repeat(self._made, sent):
            return None  # the same form a moment ago from this tab: one link
        try:
            made = links.create_link(user, self._uid(), days=int(days), password=password,
                                     max_downloads=int(limit) if limit else None,
                                     client=self._client())
        except Forbidden as exc:
            return rx.toast.error(self._t(exc.code, days=self._max_days()))
        self._made = busy.stamp(sent)
        self.new_link = made.url
        return self._done(user, "share.link_made")

    def _max_days(self) -> int:
        return get_settings().share_link_max_days

    @rx.event
    @signed_in
    @while_busy("revoking")
    def revoke(self, link_uid: str, *, user: User):
        try:
            revoked = links.revoke_link(user, self._uid(), str(link_uid), self._client())
        except Forbidden as exc:
            return rx.toast.error(self._t(exc.code))
        return self._done(user, "share.revoked") if revoked else None

    @rx.event
    def choose_person(self, value: str):
        self.person = value

    @rx.event
    def choose_office(self, value: str):
        self.office = value


def _picker(items: rx.Var, value: rx.Var, on_change, label_key: str, placeholder_key: str,
            button_key: str, on_click, ids: str, label: str = "label") -> rx.Component:
    tr = AppState.tr
    return rx.vstack(
        rx.text(tr[label_key], size="2", weight="medium"),
        rx.hstack(
            rx.select.root(
                rx.select.trigger(placeholder=tr[placeholder_key], id=f"{ids}-select",
                                  max_width="100%"),
                rx.select.content(rx.foreach(
                    items, lambda i: rx.select.item(i[label], value=i["id"].to(str)))),
                value=value,
                on_change=on_change,
            ),
            rx.button(rx.icon("share-2", size=14), tr[button_key], variant="soft",
                      loading=SharingState.sharing, on_click=on_click, id=f"{ids}-button"),
            spacing="2", wrap="wrap", align="center",
        ),
        spacing="1", width="100%",
    )


def _shares_list() -> rx.Component:
    return rx.cond(
        SharingState.shares.length() > 0,
        rx.hstack(
            rx.foreach(SharingState.shares, lambda s: rx.badge(
                rx.icon(rx.cond(s["kind"] == "user", "user", "building-2"), size=12),
                rx.text(s["label"], style=LONG_NAME),
                rx.icon_button(rx.icon("x", size=12), size="1", variant="ghost",
                               aria_label=AppState.tr["share.remove"],
                               disabled=SharingState.sharing,
                               on_click=SharingState.remove_share(s["id"]),
                               class_name="remove-share"),
                size="2", variant="surface", class_name="share-row")),
            wrap="wrap", spacing="2",
        ),
        rx.text(AppState.tr["share.none"], size="2", color_scheme="gray", id="no-shares"),
    )


def _link_form() -> rx.Component:
    tr = AppState.tr
    return rx.form(
        rx.hstack(
            rx.vstack(rx.text(tr["share.days"], size="1"),
                      rx.input(name="days", type="number", default_value="7", min=1,
                               max=get_settings().share_link_max_days, required=True,
                               width="7em", id="link-days"), spacing="1"),
            rx.vstack(rx.text(tr["share.password_optional"], size="1"),
                      rx.input(name="password", type="password", auto_complete="new-password",
                               min_length=links.MIN_PASSWORD, width="13em", id="link-password"),
                      spacing="1"),
            rx.vstack(rx.text(tr["share.max_downloads"], size="1"),
                      rx.input(name="max_downloads", type="number", min=1,
                               max=links.MAX_DOWNLOADS, width="8em", id="link-max-downloads"),
                      spacing="1"),
            rx.button(rx.icon("link", size=14), tr["share.make_link"], type="submit",
                      loading=SharingState.linking, id="make-link"),
            spacing="3", wrap="wrap", align="end",
        ),
        on_submit=SharingState.make_link,
        reset_on_submit=True,
        width="100%",
    )


def _status_badge(status: rx.Var) -> rx.Component:
    return rx.badge(AppState.tr["share.link_" + status.to(str)],
                    color_scheme=rx.cond(status == links.OK, "green", "gray"),
                    class_name="link-status")


def _links_table() -> rx.Component:
    tr = AppState.tr
    return rx.cond(
        SharingState.links.length() > 0,
        rx.table.root(
            rx.table.header(rx.table.row(
                rx.table.column_header_cell(tr["share.col_status"]),
                rx.table.column_header_cell(tr["share.col_expires"]),
                rx.table.column_header_cell(tr["share.col_downloads"]),
                rx.table.column_header_cell(tr["share.col_made"], display=WIDE_CELL),
                rx.table.column_header_cell(""),
            )),
            rx.table.body(rx.foreach(SharingState.links, lambda link: rx.table.row(
                rx.table.cell(rx.hstack(
                    _status_badge(link["status"]),
                    rx.cond(link["has_password"], rx.icon("lock", size=14)),
                    spacing="1", align="center")),
                rx.table.cell(rx.text(link["expires_at"], size="2")),
                rx.table.cell(rx.text(link["downloads"].to(str), rx.cond(
                    link["max_downloads"].to(int) > 0, " / " + link["max_downloads"].to(str), ""),
                    size="2")),
                rx.table.cell(rx.text(link["created_at"], " · ", link["created_by"], size="2"),
                              display=WIDE_CELL),
                rx.table.cell(rx.hstack(
                    rx.icon_button(rx.icon("copy", size=14), size="1", variant="soft",
                                   aria_label=tr["link.copy"], on_click=copy_events(link["url"]),
                                   class_name="copy-link"),
                    rx.cond(link["status"] == links.OK,
                            rx.button(tr["share.revoke"], size="1", variant="soft",
                                      color_scheme="red", disabled=SharingState.revoking,
                                      on_click=SharingState.revoke(link["uid"]),
                                      class_name="revoke-link")),
                    spacing="2")),
                align="center", class_name="link-row",
            ))),
            width="100%", size="1", id="links-table",
        ),
    )


def _access_log() -> rx.Component:
    tr = AppState.tr
    return rx.cond(
        SharingState.accesses.length() > 0,
        rx.vstack(
            rx.text(tr["share.accesses"], size="2", weight="medium"),
            rx.table.root(
                rx.table.header(rx.table.row(
                    rx.table.column_header_cell(tr["share.col_when"]),
                    rx.table.column_header_cell(tr["share.col_who"]),
                    rx.table.column_header_cell(tr["share.col_ip"], display=WIDE_CELL),
                    rx.table.column_header_cell(tr["share.col_outcome"]),
                )),
                rx.table.body(rx.foreach(SharingState.accesses, lambda a: rx.table.row(
                    rx.table.cell(rx.text(a["at"], size="1")),
                    rx.table.cell(rx.text(rx.cond(a["who"] != "", a["who"], tr["share.anonymous"]),
                                          size="1", style=LONG_NAME)),
                    rx.table.cell(rx.text(a["ip"], size="1"), display=WIDE_CELL),
                    rx.table.cell(rx.badge(tr["share.outcome_" + a["outcome"].to(str)],
                                           color_scheme=rx.cond(a["succeeded"], "green", "red"),
                                           size="1")),
                    class_name="access-row",
                ))),
                width="100%", size="1", id="access-log",
            ),
            spacing="2", width="100%",
        ),
    )


def sharing_card() -> rx.Component:
    """For the owner: everything about who else may read the document. For a reader it was
    shared with: who shared it."""
    tr = AppState.tr
    return rx.cond(
        SharingState.owner_view,
        rx.card(
            rx.vstack(
                rx.heading(tr["share.title"], size="4"),
                _shares_list(),
                rx.hstack(
                    _picker(SharingState.people, SharingState.person, SharingState.choose_person,
                            "share.with_person", "share.choose_person", "share.share",
                            SharingState.share_with_person, "share-person"),
                    rx.cond(SharingState.other_offices.length() > 0, _picker(
                        SharingState.other_offices, SharingState.office, SharingState.choose_office,
                        "share.with_office", "share.choose_office", "share.share",
                        SharingState.share_with_office, "share-office", label="name")),
                    spacing="5", wrap="wrap", width="100%",
                ),
                rx.divider(),
                rx.text(tr["share.links"], size="2", weight="medium"),
                rx.text(tr["share.links_hint"], size="1", color_scheme="gray"),
                _link_form(),
                rx.cond(SharingState.new_link != "", link_to_copy(
                    tr["share.new_link"], SharingState.new_link, link_id="new-link-url",
                    box_id="new-link")),
                _links_table(),
                _access_log(),
                spacing="3",
                width="100%",
            ),
            width="100%",
            id="sharing-card",
        ),
        rx.cond(SharingState.shared_by != "", rx.badge(
            rx.icon("user-check", size=12),
            tr["share.shared_with_you"].to(str).replace("{name}", SharingState.shared_by),
            color_scheme="blue", id="shared-with-me")),
    )
