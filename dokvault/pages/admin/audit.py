"""The audit log: every sign-in, failure, 2FA event, password change and admin action,
filtered by user, event and date."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import reflex as rx

from dokvault.components.layout import LONG_NAME, page_frame
from dokvault.core import audit, clock
from dokvault.models import User
from dokvault.services import admin
from dokvault.state.base import AppState
from dokvault.state.guards import admin_only


def _parse_day(value: str) -> datetime | None:
    try:
        # A day as the reader means it: midnight in TIME_ZONE.
        return datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=clock.zone())
    except ValueError:
        return None


ALL_KINDS = "*"  # the event filter's "every kind"


class AuditState(AppState):
    events: list[dict[str, Any]] = []
    total: int = 0
    kinds: list[str] = []
    user_filter: str = ""
    kind_filter: str = ALL_KINDS
    since: str = ""
    until: str = ""

    def _reload(self) -> None:
        emails = admin.emails_by_id()
        user_id = None
        if self.user_filter.strip():
            wanted = self.user_filter.strip().lower()
            user_id = next((i for i, e in emails.items() if e == wanted), -1)
        until = _parse_day(self.until)
        rows, self.total = audit.search_events(
            user_id=user_id,
            kind="" if self.kind_filter == ALL_KINDS else self.kind_filter,
            since=since.astimezone(UTC) if (since := _parse_day(self.since)) else None,
            until=(until + timedelta(days=1)).astimezone(UTC) if until else None,
            page_size=200,
        )
        self.events = [
            {
                "time": clock.shown(e.created_at, "%Y-%m-%d %H:%M:%S"),
                "kind": e.kind,
                "actor": emails.get(e.actor_id, "") if e.actor_id else "",
                "target": emails.get(e.target_user_id, "") if e.target_user_id else "",
                "ip": e.ip,
                "detail": ", ".join(f"{k}={v}" for k, v in json.loads(e.detail).items())
                if e.detail else "",
            }
            for e in rows
        ]
        self.kinds = [ALL_KINDS, *audit.kinds()]

    @rx.event
    @admin_only
    def load(self, *, user: User):
        self._reload()
        return None

    @rx.event
    @admin_only
    def apply(self, form: dict, *, user: User):
        self.user_filter = str(form.get("user", ""))[:320]
        self.since = str(form.get("since", ""))[:10]
        self.until = str(form.get("until", ""))[:10]
        self._reload()
        return None

    @rx.event
    @admin_only
    def set_kind(self, kind: str, *, user: User):
        self.kind_filter = kind
        self._reload()
        return None


def audit_row(event: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.text(event["time"], size="1")),
        rx.table.cell(rx.code(event["kind"], size="1")),
        rx.table.cell(rx.text(event["actor"], size="1", style=LONG_NAME), min_width="9em"),
        rx.table.cell(rx.text(event["target"], size="1", style=LONG_NAME), min_width="9em"),
        rx.table.cell(rx.text(event["ip"], size="1")),
        rx.table.cell(rx.text(event["detail"], size="1", color_scheme="gray")),
        class_name="audit-row",
    )


def audit_page() -> rx.Component:
    tr = AppState.tr
    return page_frame(
        rx.heading(tr["audit.title"], size="7"),
        rx.form(
            rx.hstack(
                rx.input(name="user", placeholder=tr["audit.user"], default_value=AuditState.user_filter,
                         id="audit-user", width="260px"),
                rx.vstack(rx.text(tr["audit.from"], size="1"),
                          rx.input(name="since", type="date", id="audit-since"), spacing="0"),
                rx.vstack(rx.text(tr["audit.to"], size="1"),
                          rx.input(name="until", type="date", id="audit-until"), spacing="0"),
                rx.button(tr["audit.filter"], type="submit", id="audit-filter"),
                align="end",
                spacing="3",
                wrap="wrap",
            ),
            on_submit=AuditState.apply,
        ),
        rx.select.root(
            rx.select.trigger(id="audit-kind"),
            rx.select.content(rx.foreach(
                AuditState.kinds,
                lambda kind: rx.select.item(
                    rx.cond(kind == ALL_KINDS, tr["audit.all_kinds"], kind), value=kind),
            )),
            value=AuditState.kind_filter,
            on_change=AuditState.set_kind,
        ),
        rx.text(tr["audit.count"].to(str).replace("{n}", AuditState.total.to(str)), size="2",
                color_scheme="gray", id="audit-count"),
        rx.cond(
            AuditState.total > 0,
            rx.table.root(
                rx.table.header(rx.table.row(
                    rx.table.column_header_cell(tr["audit.col_time"]),
                    rx.table.column_header_cell(tr["audit.kind"]),
                    rx.table.column_header_cell(tr["audit.col_actor"]),
                    rx.table.column_header_cell(tr["audit.col_target"]),
                    rx.table.column_header_cell(tr["audit.col_ip"]),
                    rx.table.column_header_cell(tr["audit.col_detail"]),
                )),
                rx.table.body(rx.foreach(AuditState.events, audit_row)),
                width="100%",
                variant="surface",
                size="1",
                id="audit-table",
            ),
            rx.callout(tr["audit.none"], icon="info"),
        ),
    )
