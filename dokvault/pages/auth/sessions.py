"""The user's active sessions: device, address, last use; sign out any of them or all others."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import reflex as rx

from dokvault.components.layout import page_frame
from dokvault.services.auth import sessions
from dokvault.state.base import AppState
from dokvault.state.busy import while_busy


class SessionsState(AppState):
    rows: list[dict[str, Any]] = []
    revoking: bool = False  # signing the others out: the button takes no more clicks

    def _reload(self, who) -> None:
        self.rows = [asdict(v) for v in sessions.active_sessions(who.user, who.session_id)]

    @rx.event
    def load(self):
        who = self._signed_in()
        if who is None:
            return self._signed_out()
        self._reload(who)
        return None

    @rx.event
    def revoke(self, session_id: int):
        who = self._signed_in()
        if who is None:
            return self._signed_out()
        revoked = sessions.revoke(who.user, int(session_id), self._client())
        self._reload(who)
        if not revoked:
            return rx.toast.error(self._t("error.forbidden"))
        return rx.toast.info(self._t("sessions.revoked"))

    @rx.event
    @while_busy("revoking")
    def revoke_others(self):
        who = self._signed_in()
        if who is None:
            return self._signed_out()
        count = sessions.revoke_others(who.user, who.session_id, self._client())
        self._reload(who)
        if not count:
            return None  # none left to sign out (a double click's second): say nothing
        return rx.toast.info(self._t("sessions.revoked_others", n=count))


def session_row(row: rx.Var) -> rx.Component:
    tr = AppState.tr
    return rx.table.row(
        rx.table.cell(rx.hstack(rx.icon("monitor-smartphone", size=16), rx.text(row["device"]),
                                align="center")),
        rx.table.cell(rx.code(row["ip"], variant="ghost")),
        rx.table.cell(row["created_at"]),
        rx.table.cell(row["last_seen_at"]),
        rx.table.cell(
            rx.cond(
                row["current"],
                rx.badge(tr["sessions.current"], color_scheme="green", id="current-session"),
                rx.button(tr["sessions.revoke"], size="1", variant="soft", color_scheme="red",
                          on_click=SessionsState.revoke(row["id"]), class_name="revoke-session"),
            )
        ),
        align="center",
        class_name="session-row",
    )


def sessions_page() -> rx.Component:
    tr = AppState.tr
    return page_frame(
        rx.heading(tr["sessions.title"], size="7"),
        rx.text(tr["sessions.intro"], color_scheme="gray"),
        rx.table.root(
            rx.table.header(rx.table.row(
                rx.table.column_header_cell(tr["sessions.device"]),
                rx.table.column_header_cell(tr["sessions.ip"]),
                rx.table.column_header_cell(tr["sessions.created"]),
                rx.table.column_header_cell(tr["sessions.last_seen"]),
                rx.table.column_header_cell(""),
            )),
            rx.table.body(rx.foreach(SessionsState.rows, session_row)),
            width="100%",
            variant="surface",
        ),
        rx.button(rx.icon("log-out", size=16), tr["sessions.revoke_others"], variant="soft",
                  color_scheme="red", on_click=SessionsState.revoke_others,
                  disabled=SessionsState.rows.length() < 2, loading=SessionsState.revoking,
                  id="revoke-others"),
    )
