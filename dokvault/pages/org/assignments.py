"""Oppdrag (/assignments and /assignments/[id]): the assignments of one's office (an admin:
every office's), and an assignment's page with its brokers and the documents linked to it
that the reader may see."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import reflex as rx

from dokvault.components.layout import LONG_NAME, WIDE_CELL, page_frame, status_badge
from dokvault.models import Role, User
from dokvault.services.admin import offices
from dokvault.services.org import assignments
from dokvault.state.base import AppState
from dokvault.state.guards import signed_in

ALL = "all"


class AssignmentsState(AppState):
    rows: list[dict[str, Any]] = []
    total: int = 0
    office: str = ALL
    office_options: list[dict[str, str]] = []
    query: str = ""
    detail: dict[str, Any] = {}
    not_found: bool = False

    def _reload(self, user: User) -> None:
        rows, self.total = assignments.list_assignments(
            user, office_id=None if self.office == ALL else int(self.office), query=self.query)
        self.rows = [asdict(r) for r in rows]
        if user.role == Role.ADMIN:
            self.office_options = [{"id": str(o.id), "name": o.name} for o in offices.list_offices(True)]

    @rx.event
    @signed_in
    def load(self, *, user: User):
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
    def load_detail(self, *, user: User):
        raw = self.router.url.path.rstrip("/").rsplit("/", 1)[-1]
        found = assignments.get_assignment(user, int(raw)) if raw.isdigit() else None
        self.not_found = found is None
        self.detail = {} if found is None else {
            **asdict(found),
            "documents": [{**d, "status_key": f"status.{d['status']}"} for d in found.documents]}
        return None


def assignment_row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.link(row["number"], href="/assignments/" + row["id"].to(str),
                              class_name="assignment-link")),
        rx.table.cell(rx.text(row["address"], ", ", row["city"], style=LONG_NAME)),
        rx.table.cell(row["office"], display=WIDE_CELL),
        rx.table.cell(row["status"], display=WIDE_CELL),
        rx.table.cell(row["documents"].to(str)),
        align="center", class_name="assignment-row",
    )


def assignments_page() -> rx.Component:
    tr = AppState.tr
    return page_frame(
        rx.heading(tr["assignments.title"], size="7"),
        rx.text(tr["assignments.hint"], size="2", color_scheme="gray"),
        rx.hstack(
            rx.cond(AppState.is_admin, rx.select.root(
                rx.select.trigger(id="assignments-office"),
                rx.select.content(rx.select.item(tr["filter.all_offices"], value=ALL),
                                  rx.foreach(AssignmentsState.office_options,
                                             lambda o: rx.select.item(o["name"], value=o["id"]))),
                value=AssignmentsState.office, on_change=AssignmentsState.filter_office)),
            rx.form(rx.hstack(rx.input(name="q", placeholder=tr["assignments.search"],
                                       id="assignments-search"),
                              rx.button(rx.icon("search", size=14), type="submit", variant="soft")),
                    on_submit=AssignmentsState.search),
            wrap="wrap", spacing="3"),
        rx.text(tr["assignments.count"].to(str).replace("{n}", AssignmentsState.total.to(str)), size="2",
                id="assignments-count"),
        rx.box(rx.table.root(
            rx.table.header(rx.table.row(
                rx.table.column_header_cell(tr["assignments.col_number"]),
                rx.table.column_header_cell(tr["assignments.col_address"]),
                rx.table.column_header_cell(tr["admin.col_office"], display=WIDE_CELL),
                rx.table.column_header_cell(tr["assignments.col_status"], display=WIDE_CELL),
                rx.table.column_header_cell(tr["assignments.col_documents"]),
            )),
            rx.table.body(rx.foreach(AssignmentsState.rows, assignment_row)),
            width="100%", variant="surface", id="assignments-table"), width="100%", overflow_x="auto"),
    )


def assignment_page() -> rx.Component:
    tr = AppState.tr
    detail = AssignmentsState.detail
    document = lambda d: rx.hstack(  # noqa: E731
        rx.link(d["name"], href="/documents/" + d["uid"].to(str), style=LONG_NAME),
        status_badge(d["status"], d["status_key"]),
        rx.badge(tr["assignments.how." + d["how"].to(str)], variant="outline"),
        rx.text(d["added"], size="1", color_scheme="gray"),
        wrap="wrap", spacing="2", align="center", class_name="assignment-document")
    return page_frame(
        rx.link(rx.hstack(rx.icon("arrow-left", size=16), tr["assignments.back"], align="center"),
                href="/assignments", size="2"),
        rx.cond(AssignmentsState.not_found,
                rx.callout(tr["assignments.not_found"], icon="triangle-alert", color_scheme="red"),
                rx.cond(detail.contains("id"), rx.vstack(
                    rx.heading(detail["address"].to(str), size="6", id="assignment-title"),
                    rx.data_list.root(
                        rx.data_list.item(rx.data_list.label(tr["assignments.col_number"]),
                                          rx.data_list.value(detail["number"].to(str),
                                                             id="assignment-number")),
                        rx.data_list.item(rx.data_list.label(tr["admin.col_office"]),
                                          rx.data_list.value(detail["office"].to(str))),
                        rx.data_list.item(rx.data_list.label(tr["assignments.col_status"]),
                                          rx.data_list.value(detail["status"].to(str))),
                        rx.data_list.item(rx.data_list.label(tr["assignments.place"]),
                                          rx.data_list.value(detail["postal_code"].to(str), " ",
                                                             detail["city"].to(str))),
                    ),
                    rx.heading(tr["assignments.brokers"], size="4"),
                    rx.foreach(detail["brokers"].to(list[dict[str, str]]), lambda b: rx.text(
                        b["name"], " · ", b["title"], size="2", class_name="assignment-broker")),
                    rx.heading(tr["assignments.documents"], size="4"),
                    rx.cond(detail["documents"].to(list).length() > 0,
                            rx.vstack(rx.foreach(detail["documents"].to(list[dict[str, str]]), document),
                                      spacing="2", id="assignment-documents"),
                            rx.text(tr["assignments.no_documents"], size="2", color_scheme="gray")),
                    spacing="3", width="100%"), rx.spinner())),
    )
