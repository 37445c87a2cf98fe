"""Kontorer (/admin/offices): every office with its people, documents, staff and
assignments; manual offices are created, renamed, merged into another and deactivated here
(Vitec's come and go with Vitec)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import reflex as rx

from dokvault.components.layout import WIDE_CELL, page_frame
from dokvault.models import User
from dokvault.services.access import Forbidden
from dokvault.services.admin import offices
from dokvault.state.base import AppState
from dokvault.state.busy import while_busy
from dokvault.state.guards import admin_only


class OfficesState(AppState):
    offices: list[dict[str, Any]] = []
    working: bool = False
    merge_source: str = ""
    merge_target: str = ""

    @rx.var
    def merge_source_name(self) -> str:
        return next((o["name"] for o in self.offices if o["id"] == self.merge_source), "")

    def _reload(self) -> None:
        self.offices = [{**asdict(o), "id": str(o.id)} for o in offices.list_offices(counted=True)]

    @rx.event
    @admin_only
    def load(self, *, user: User):
        self._reload()
        return None

    def _done(self, changed: bool, key: str = "admin.saved", **values):
        self._reload()
        return rx.toast.success(self._t(key, **values)) if changed else None

    @rx.event
    @admin_only
    @while_busy("working")
    def create(self, form: dict, *, user: User):
        try:
            office = offices.create_office(user, str(form.get("name", "")), self._client())
        except Forbidden as exc:
            return rx.toast.error(self._t(exc.code))
        return self._done(True, "admin.office_added", name=office.name)

    @rx.event
    @admin_only
    @while_busy("working")
    def rename(self, form: dict, *, user: User):
        try:
            changed = offices.rename_office(user, int(form.get("office_id", 0)), str(form.get("name", "")),
                                            self._client())
        except (Forbidden, ValueError) as exc:
            return rx.toast.error(self._t(getattr(exc, "code", "error.forbidden")))
        return self._done(changed)

    @rx.event
    @admin_only
    @while_busy("working")
    def set_active(self, office_id: str, active: bool, *, user: User):
        try:
            changed = offices.set_office_active(user, int(office_id), bool(active), self._client())
        except (Forbidden, ValueError) as exc:
            return rx.toast.error(self._t(getattr(exc, "code", "error.forbidden")))
        return self._done(changed)

    @rx.event
    def choose_merge(self, source: str):
        self.merge_source, self.merge_target = source, ""

    @rx.event
    def choose_target(self, target: str):
        self.merge_target = target

    @rx.event
    @admin_only
    @while_busy("working")
    def merge(self, *, user: User):
        if not self.merge_source or not self.merge_target:
            return None
        try:
            moved = offices.merge_offices(user, int(self.merge_source), int(self.merge_target),
                                          self._client())
        except (Forbidden, ValueError) as exc:
            self.merge_source = ""
            self._reload()
            return rx.toast.error(self._t(getattr(exc, "code", "error.forbidden")))
        self.merge_source = self.merge_target = ""
        return self._done(True, "offices.merged", users=moved["users"], documents=moved["documents"])


def office_row(office: rx.Var) -> rx.Component:
    tr = AppState.tr
    manual = office["source"].to(str) == "manual"
    return rx.table.row(
        rx.table.cell(rx.vstack(
            rx.cond(manual, rx.form(
                rx.hstack(
                    rx.el.input(type="hidden", name="office_id", value=office["id"].to(str)),
                    rx.input(name="name", default_value=office["name"].to(str), size="1",
                             max_length=200, required=True, class_name="office-name-input"),
                    rx.icon_button(rx.icon("check", size=14), type="submit", size="1", variant="soft",
                                   aria_label=tr["offices.rename"], class_name="office-rename",
                                   disabled=OfficesState.working),
                    spacing="1", align="center"),
                on_submit=OfficesState.rename), rx.text(office["name"], weight="medium")),
            rx.text(office["city"], size="1", color_scheme="gray"), spacing="1"), min_width="12em"),
        rx.table.cell(rx.badge(tr["offices.source." + office["source"].to(str)],
                               color_scheme=rx.cond(manual, "gray", "blue"))),
        rx.table.cell(rx.cond(office["active"].to(bool), rx.badge(tr["admin.active"], color_scheme="green"),
                              rx.badge(tr["admin.inactive"], color_scheme="red"))),
        rx.table.cell(office["members"].to(str)),
        rx.table.cell(office["documents"].to(str), display=WIDE_CELL),
        rx.table.cell(office["staff"].to(str), display=WIDE_CELL),
        rx.table.cell(office["assignments"].to(str), display=WIDE_CELL),
        rx.table.cell(rx.cond(manual, rx.hstack(
            rx.cond(office["active"].to(bool),
                    rx.button(tr["admin.deactivate"], size="1", variant="soft", color_scheme="red",
                              on_click=OfficesState.set_active(office["id"].to(str), False),
                              disabled=OfficesState.working, class_name="office-deactivate"),
                    rx.button(tr["admin.activate"], size="1", variant="soft",
                              on_click=OfficesState.set_active(office["id"].to(str), True),
                              disabled=OfficesState.working, class_name="office-activate")),
            rx.button(tr["offices.merge"], size="1", variant="outline",
                      on_click=OfficesState.choose_merge(office["id"].to(str)), class_name="office-merge"),
            spacing="2"))),
        align="center", class_name="office-row",
    )


def merge_panel() -> rx.Component:
    tr = AppState.tr
    return rx.cond(OfficesState.merge_source != "", rx.callout(rx.vstack(
        rx.text(tr["offices.merge_hint"], " ", rx.text.strong(OfficesState.merge_source_name), size="2"),
        rx.hstack(
            rx.select.root(rx.select.trigger(placeholder=tr["offices.merge_into"], id="merge-target"),
                           rx.select.content(rx.foreach(OfficesState.offices, lambda o: rx.cond(
                               o["id"] != OfficesState.merge_source,
                               rx.select.item(o["name"], value=o["id"].to(str))))),
                           value=OfficesState.merge_target, on_change=OfficesState.choose_target),
            rx.button(tr["offices.merge_confirm"], color_scheme="red", on_click=OfficesState.merge,
                      disabled=(OfficesState.merge_target == "") | OfficesState.working, id="merge-confirm"),
            rx.button(tr["offices.cancel"], variant="ghost", on_click=OfficesState.choose_merge("")),
            wrap="wrap", spacing="2"),
        spacing="2"), icon="merge", color_scheme="amber", width="100%", id="merge-panel"))


def offices_page() -> rx.Component:
    tr = AppState.tr
    return page_frame(
        rx.heading(tr["offices.title"], size="7"),
        rx.text(tr["offices.hint"], size="2", color_scheme="gray"),
        rx.form(rx.hstack(
            rx.input(name="name", placeholder=tr["admin.office_name"], required=True, max_length=200,
                     id="office-name", width="260px"),
            rx.button(rx.icon("plus", size=16), tr["admin.office_add"], type="submit", variant="soft",
                      disabled=OfficesState.working, id="add-office"),
            spacing="3", align="center", wrap="wrap"), on_submit=OfficesState.create, reset_on_submit=True),
        merge_panel(),
        rx.box(rx.table.root(
            rx.table.header(rx.table.row(
                rx.table.column_header_cell(tr["offices.col_name"]),
                rx.table.column_header_cell(tr["offices.col_source"]),
                rx.table.column_header_cell(tr["admin.col_status"]),
                rx.table.column_header_cell(tr["offices.col_people"]),
                rx.table.column_header_cell(tr["offices.col_documents"], display=WIDE_CELL),
                rx.table.column_header_cell(tr["offices.col_staff"], display=WIDE_CELL),
                rx.table.column_header_cell(tr["offices.col_assignments"], display=WIDE_CELL),
                rx.table.column_header_cell(""),
            )),
            rx.table.body(rx.foreach(OfficesState.offices, office_row)),
            width="100%", variant="surface", id="offices-table"), width="100%", overflow_x="auto"),
    )
