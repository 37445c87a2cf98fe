"""Ansatte (/staff): Vitec's staff, for admins (every office, with a filter) and office
managers (their own office). An employee with no user is invited in one click; where
DokVault sends no mail, the set-password link is shown to copy instead."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import reflex as rx

from dokvault.components.copy_link import link_to_copy
from dokvault.components.layout import LONG_NAME, WIDE_CELL, page_frame
from dokvault.models import Role, User
from dokvault.services.access import Forbidden
from dokvault.services.admin import offices
from dokvault.services.org import staff
from dokvault.state.base import AppState
from dokvault.state.busy import while_busy
from dokvault.state.guards import signed_in

ALL = "all"


class StaffState(AppState):
    rows: list[dict[str, Any]] = []
    total: int = 0
    office_options: list[dict[str, str]] = []
    office: str = ALL
    query: str = ""
    refused: bool = False
    inviting: bool = False
    link: str = ""  # the invitation link to copy, where no mail leaves
    link_for: str = ""

    def _reload(self, user: User) -> None:
        try:
            rows, self.total = staff.list_staff(user, None if self.office == ALL else int(self.office),
                                                self.query)
        except Forbidden:
            self.refused, self.rows, self.total = True, [], 0
            return
        self.refused = False
        self.rows = [asdict(r) for r in rows]
        if user.role == Role.ADMIN:
            self.office_options = [{"id": str(o.id), "name": o.name} for o in offices.list_offices(True)]

    @rx.event
    @signed_in
    def load(self, *, user: User):
        self.link = ""
        self._reload(user)
        return None

    @rx.event
    @signed_in
    def filter_office(self, office: str, *, user: User):
        self.office = office or ALL
        self._reload(user)

    @rx.event
    @signed_in
    def search(self, form: dict, *, user: User):
        self.query = str(form.get("q", ""))[:100]
        self._reload(user)

    @rx.event
    @signed_in
    @while_busy("inviting")
    def invite(self, employee_id: int, *, user: User):
        try:
            invited, link = staff.invite_employee(user, int(employee_id), self.lang, self._client())
        except Forbidden as exc:
            self._reload(user)
            return rx.toast.error(self._t(exc.code))
        self._reload(user)
        if link:
            self.link, self.link_for = link, invited.email
            return None
        return rx.toast.success(self._t("admin.invited", email=invited.email))


def staff_row(person: rx.Var) -> rx.Component:
    tr = AppState.tr
    return rx.table.row(
        rx.table.cell(rx.hstack(
            rx.cond(person["has_picture"].to(bool),
                    rx.avatar(src="/api/org/pictures/employee/" + person["id"].to(str), size="2",
                              fallback="·", radius="full"),
                    rx.avatar(fallback=person["name"].to(str)[:1], size="2", radius="full")),
            rx.vstack(rx.text(person["name"], weight="medium"),
                      rx.text(person["title"], size="1", color_scheme="gray"), spacing="0"),
            align="center", spacing="2")),
        rx.table.cell(rx.text(person["email"], size="2", style=LONG_NAME)),
        rx.table.cell(person["office"], display=WIDE_CELL),
        rx.table.cell(person["phone"], display=WIDE_CELL),
        rx.table.cell(rx.cond(
            person["user_email"].to(str) != "",
            rx.badge(rx.icon("user-check", size=12), tr["staff.has_user"], color_scheme="green"),
            rx.cond(person["can_invite"].to(bool),
                    rx.button(rx.icon("send", size=14), tr["staff.invite"], size="1",
                              on_click=StaffState.invite(person["id"]), loading=StaffState.inviting,
                              class_name="invite-employee"),
                    rx.badge(tr["staff.no_email"], color_scheme="gray")))),
        align="center", class_name="staff-row",
    )


def link_callout() -> rx.Component:
    note = AppState.tr["invite.no_mail"].to(str).replace("{email}", StaffState.link_for)
    return rx.cond(StaffState.link != "", link_to_copy(note, StaffState.link, link_id="invite-link",
                                                       box_id="invite-link-note", color_scheme="amber"))


def staff_page() -> rx.Component:
    tr = AppState.tr
    return page_frame(
        rx.heading(tr["staff.title"], size="7"),
        rx.cond(StaffState.refused, rx.callout(tr["error.forbidden"], icon="lock", color_scheme="red"),
                rx.vstack(
                    rx.text(tr["staff.hint"], size="2", color_scheme="gray"),
                    rx.hstack(
                        rx.cond(AppState.is_admin, rx.select.root(
                            rx.select.trigger(id="staff-office"),
                            rx.select.content(rx.select.item(tr["filter.all_offices"], value=ALL),
                                              rx.foreach(StaffState.office_options, lambda o: rx.select.item(
                                                  o["name"], value=o["id"]))),
                            value=StaffState.office, on_change=StaffState.filter_office)),
                        rx.form(rx.hstack(rx.input(name="q", placeholder=tr["staff.search"],
                                                   id="staff-search"),
                                          rx.button(rx.icon("search", size=14), type="submit",
                                                    variant="soft")),
                                on_submit=StaffState.search),
                        wrap="wrap", spacing="3"),
                    link_callout(),
                    rx.text(tr["staff.count"].to(str).replace("{n}", StaffState.total.to(str)), size="2",
                            id="staff-count"),
                    rx.box(rx.table.root(
                        rx.table.header(rx.table.row(
                            rx.table.column_header_cell(tr["staff.col_name"]),
                            rx.table.column_header_cell(tr["staff.col_email"]),
                            rx.table.column_header_cell(tr["admin.col_office"], display=WIDE_CELL),
                            rx.table.column_header_cell(tr["staff.col_phone"], display=WIDE_CELL),
                            rx.table.column_header_cell(tr["staff.col_user"]),
                        )),
                        rx.table.body(rx.foreach(StaffState.rows, staff_row)),
                        width="100%", variant="surface", id="staff-table"), width="100%", overflow_x="auto"),
                    spacing="4", width="100%")),
    )
