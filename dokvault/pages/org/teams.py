"""Teams (/admin/teams): Microsoft Teams as the last sync found them, their members (linked
to users and staff by e-mail), and the office each is mapped to."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import reflex as rx

from dokvault.components.layout import WIDE_CELL, page_frame
from dokvault.models import User
from dokvault.services.access import Forbidden
from dokvault.services.admin import offices
from dokvault.services.org import teams
from dokvault.state.base import AppState
from dokvault.state.guards import admin_only

NO_OFFICE = "none"


class TeamsState(AppState):
    teams: list[dict[str, Any]] = []
    office_options: list[dict[str, str]] = []
    open_team: int = 0
    members: list[dict[str, Any]] = []

    def _reload(self, user: User) -> None:
        self.teams = [asdict(t) for t in teams.list_teams(user)]
        self.office_options = [{"id": str(o.id), "name": o.name} for o in offices.list_offices(True)]

    @rx.event
    @admin_only
    def load(self, *, user: User):
        self.open_team, self.members = 0, []
        self._reload(user)
        return None

    @rx.event
    @admin_only
    def map_office(self, team_id: int, office: str, *, user: User):
        try:
            target = None if office in ("", NO_OFFICE) else int(office)
            changed = teams.map_to_office(user, int(team_id), target, self._client())
        except (Forbidden, ValueError) as exc:
            return rx.toast.error(self._t(getattr(exc, "code", "error.forbidden")))
        self._reload(user)
        return rx.toast.success(self._t("teams.mapped")) if changed else None

    @rx.event
    @admin_only
    def show_members(self, team_id: int, *, user: User):
        team_id = int(team_id)
        if self.open_team == team_id:
            self.open_team, self.members = 0, []
            return
        self.open_team, self.members = team_id, teams.members_of(user, team_id)


def team_row(team: rx.Var) -> rx.Component:
    tr = AppState.tr
    return rx.table.row(
        rx.table.cell(rx.vstack(rx.text(team["name"], weight="medium"),
                                rx.text(team["mail"], size="1", color_scheme="gray"), spacing="0")),
        rx.table.cell(rx.cond(team["active"].to(bool), rx.badge(tr["admin.active"], color_scheme="green"),
                              rx.badge(tr["admin.inactive"], color_scheme="red")), display=WIDE_CELL),
        rx.table.cell(rx.button(team["members"].to(str), " / ", team["linked"].to(str), size="1",
                                variant="ghost", on_click=TeamsState.show_members(team["id"]),
                                class_name="team-members")),
        rx.table.cell(rx.select.root(
            rx.select.trigger(placeholder=tr["admin.no_office"]),
            rx.select.content(rx.select.item(tr["admin.no_office"], value=NO_OFFICE),
                              rx.foreach(TeamsState.office_options,
                                         lambda o: rx.select.item(o["name"], value=o["id"]))),
            value=rx.cond(team["office_id"].to(str) == "", NO_OFFICE, team["office_id"].to(str)),
            on_change=lambda office: TeamsState.map_office(team["id"], office), size="1"),
            class_name="team-office"),
        align="center", class_name="team-row",
    )


def member_list() -> rx.Component:
    tr = AppState.tr
    return rx.cond(TeamsState.open_team != 0, rx.card(rx.vstack(
        rx.text(tr["teams.members"], weight="medium"),
        rx.foreach(TeamsState.members, lambda m: rx.hstack(
            rx.text(m["name"], size="2"), rx.text(m["email"], size="1", color_scheme="gray"),
            rx.cond(m["user"].to(bool), rx.badge(tr["teams.user"], color_scheme="green", size="1")),
            rx.cond(m["employee"].to(bool), rx.badge(tr["teams.employee"], color_scheme="blue", size="1")),
            wrap="wrap", spacing="2", class_name="team-member")),
        spacing="1"), width="100%", id="team-members"))


def teams_page() -> rx.Component:
    tr = AppState.tr
    return page_frame(
        rx.heading(tr["teams.title"], size="7"),
        rx.text(tr["teams.hint"], size="2", color_scheme="gray"),
        rx.link(tr["teams.to_integrations"], href="/admin/integrations", size="2"),
        rx.cond(TeamsState.teams.length() > 0,
                rx.box(rx.table.root(
                    rx.table.header(rx.table.row(
                        rx.table.column_header_cell(tr["teams.col_team"]),
                        rx.table.column_header_cell(tr["admin.col_status"], display=WIDE_CELL),
                        rx.table.column_header_cell(tr["teams.col_members"]),
                        rx.table.column_header_cell(tr["admin.col_office"]),
                    )),
                    rx.table.body(rx.foreach(TeamsState.teams, team_row)),
                    width="100%", variant="surface", id="teams-table"), width="100%", overflow_x="auto"),
                rx.callout(tr["teams.none"], icon="info", id="teams-none")),
        member_list(),
    )
