"""Integrasjoner (/admin/integrations): first every outside system with its status and a
connection test (pages/org/systems.py); then the syncs of Vitec Megler and Microsoft 365,
run on demand with a live progress bar, and the last runs' summaries."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import reflex as rx

from dokvault.components.layout import WIDE_CELL, page_frame
from dokvault.models import User
from dokvault.pages.org.systems import systems_section
from dokvault.services import org
from dokvault.services.org import runs
from dokvault.state.base import AppState
from dokvault.state.guards import admin_only

log = logging.getLogger(__name__)
KINDS = ("vitec", "teams")
WATCH_SECONDS = 3600


class IntegrationsState(AppState):
    # Filled at load; the shapes are there from the start, so the page renders before it.
    setup: dict[str, dict[str, Any]] = {k: {"missing": [], "url": "", "installation": "", "sender": ""}
                                        for k in KINDS}
    latest: dict[str, dict[str, Any]] = {k: {"active": False} for k in KINDS}
    history: list[dict[str, Any]] = []
    starting: bool = False
    _watching: bool = False

    @rx.var
    def any_active(self) -> bool:
        return any(bool(r.get("active")) for r in self.latest.values())

    def _reload(self) -> None:
        self.setup = org.setup_status()
        self.latest = {kind: runs.view(next(iter(runs.recent(kind, 1)), None)) or {"active": False}
                       for kind in KINDS}
        self.history = [runs.view(r) for r in runs.recent(None, 12)]

    @rx.event
    @admin_only
    def load(self, *, user: User):
        self._reload()
        return IntegrationsState.watch if self.any_active else None

    @rx.event
    @admin_only
    def start_sync(self, kind: str, full: bool, *, user: User):
        if kind not in KINDS or self.starting:
            return None
        if org.missing_settings(kind):
            return rx.toast.error(self._t(f"{'vitec' if kind == 'vitec' else 'microsoft'}.not_configured"))
        self.starting = True
        try:
            run, new = runs.request(kind, requested_by=user.id, full=bool(full))
        finally:
            self.starting = False
        self._reload()
        note = rx.toast.success(self._t("integrations.sync_started")) if new else \
            rx.toast.info(self._t("integrations.sync_running"))
        return [note, IntegrationsState.watch]

    @rx.event(background=True)
    async def watch(self):
        """The progress bars move by themselves while a run is queued or running."""
        async with self:
            if self._watching:
                return
            self._watching = True
        try:
            for _ in range(WATCH_SECONDS):
                await asyncio.sleep(1)
                async with self:
                    if not self.router.url.path.startswith("/admin/integrations") or \
                            self._current_admin() is None:
                        return
                    await asyncio.to_thread(self._reload)
                    if not self.any_active:
                        return
        finally:
            async with self:
                self._watching = False


# --- components -------------------------------------------------------------------------------


def _missing(kind: str) -> rx.Component:
    missing = IntegrationsState.setup[kind].to(dict)["missing"].to(list[str])
    return rx.cond(
        missing.length() > 0,
        rx.callout(
            rx.vstack(
                rx.text(AppState.tr[f"integrations.{kind}_off"], weight="medium"),
                rx.text(AppState.tr["integrations.missing"], size="2"),
                rx.hstack(rx.foreach(missing, lambda m: rx.code(m, size="1")), wrap="wrap", spacing="2"),
                spacing="1",
            ),
            icon="plug-zap", color_scheme="amber", id=f"{kind}-missing", width="100%",
        ),
        rx.callout(AppState.tr[f"integrations.{kind}_on"], icon="circle-check", color_scheme="green",
                   id=f"{kind}-configured", width="100%"),
    )


def entity_row(entity: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(AppState.tr["integrations.entity." + entity["entity"].to(str)]),
        *[rx.table.cell(entity[k].to(str)) for k in ("created", "updated", "deactivated", "skipped")],
        rx.table.cell(entity["unchanged"].to(str), display=WIDE_CELL),
        class_name="sync-entity",
    )


def run_summary(kind: str) -> rx.Component:
    tr = AppState.tr
    run = IntegrationsState.latest[kind].to(dict[str, Any])
    return rx.cond(
        run.contains("id"),
        rx.vstack(
            rx.hstack(
                rx.badge(tr["integrations.status." + run["status"].to(str)],
                         color_scheme=rx.match(run["status"].to(str), ("done", "green"), ("failed", "red"),
                                               "blue"), id=f"{kind}-run-status"),
                rx.text(run["started"].to(str), " – ", run["finished"].to(str), size="1",
                        color_scheme="gray"),
                rx.cond(run["incremental"].to(bool),
                        rx.badge(tr["integrations.incremental"], variant="outline"),
                        rx.badge(tr["integrations.full"], variant="outline")),
                wrap="wrap", spacing="2", align="center",
            ),
            rx.cond(run["active"].to(bool), rx.vstack(
                rx.text(tr["integrations.phase." + run["phase"].to(str)], " ", run["done"].to(str), " / ",
                        run["total"].to(str), size="2", id=f"{kind}-progress-text"),
                rx.progress(value=run["percent"].to(int), width="100%", id=f"{kind}-progress"),
                width="100%", spacing="1")),
            rx.box(rx.table.root(
                rx.table.header(rx.table.row(
                    rx.table.column_header_cell(""),
                    *[rx.table.column_header_cell(tr[f"integrations.count.{k}"])
                      for k in ("created", "updated", "deactivated", "skipped")],
                    rx.table.column_header_cell(tr["integrations.count.unchanged"], display=WIDE_CELL),
                )),
                rx.table.body(rx.foreach(run["entities"].to(list[dict[str, Any]]), entity_row)),
                size="1", width="100%", id=f"{kind}-summary",
            ), width="100%", overflow_x="auto"),
            rx.cond(run["skipped"].to(list).length() > 0, rx.vstack(
                rx.text(tr["integrations.skipped"], size="2", weight="medium"),
                rx.foreach(run["skipped"].to(list[dict[str, str]]), lambda s: rx.text(
                    s["what"], ": ", s["reason"], size="1", class_name="sync-skipped")),
                spacing="1")),
            rx.cond(run["errors"].to(list).length() > 0, rx.callout(rx.vstack(
                rx.text(tr["integrations.errors"], weight="medium", size="2"),
                rx.foreach(run["errors"].to(list[dict[str, str]]), lambda e: rx.text(
                    AppState.tr.get(e["what"].to(str), e["what"].to(str)), ": ", e["error"], size="1",
                    class_name="sync-error")),
                spacing="1"), icon="triangle-alert", color_scheme="orange", id=f"{kind}-errors",
                width="100%")),
            spacing="3", width="100%",
        ),
        rx.text(tr["integrations.never"], size="2", color_scheme="gray", id=f"{kind}-never"),
    )


def integration_card(kind: str, details: rx.Component) -> rx.Component:
    tr = AppState.tr
    configured = IntegrationsState.setup[kind].to(dict)["missing"].to(list).length() == 0
    active = IntegrationsState.latest[kind].to(dict)["active"].to(bool)
    return rx.card(rx.vstack(
        rx.heading(tr[f"integrations.{kind}_title"], size="5"),
        rx.text(tr[f"integrations.{kind}_hint"], size="2", color_scheme="gray"),
        _missing(kind),
        details,
        rx.hstack(
            rx.button(rx.icon("refresh-cw", size=16), tr["integrations.sync_now"],
                      on_click=IntegrationsState.start_sync(kind, False),
                      disabled=~configured | active | IntegrationsState.starting, id=f"{kind}-sync"),
            rx.cond(kind == "vitec", rx.button(
                tr["integrations.full_sync"], variant="outline",
                on_click=IntegrationsState.start_sync(kind, True),
                disabled=~configured | active | IntegrationsState.starting, id=f"{kind}-full-sync")),
            wrap="wrap", spacing="3",
        ),
        run_summary(kind),
        spacing="3", width="100%",
    ), width="100%")


def vitec_details() -> rx.Component:
    tr = AppState.tr
    setup = IntegrationsState.setup["vitec"].to(dict[str, str])
    return rx.vstack(
        rx.data_list.root(
            rx.data_list.item(rx.data_list.label(tr["integrations.address"]),
                              rx.data_list.value(rx.code(setup["url"], size="1"))),
            rx.data_list.item(rx.data_list.label(tr["integrations.installation"]),
                              rx.data_list.value(setup["installation"])),
        ),
        rx.text(tr["integrations.vitec_schedule"], size="1", color_scheme="gray"),
        spacing="2", width="100%",
    )


def teams_details() -> rx.Component:
    tr = AppState.tr
    return rx.vstack(
        rx.text(tr["integrations.teams_schedule"], size="1", color_scheme="gray"),
        rx.link(tr["integrations.teams_link"], href="/admin/teams", size="2"),
        spacing="2", width="100%",
    )


def history_row(run: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(AppState.tr["integrations.kind." + run["kind"].to(str)]),
        rx.table.cell(AppState.tr["integrations.status." + run["status"].to(str)]),
        rx.table.cell(run["started"].to(str)),
        rx.table.cell(AppState.tr["integrations.trigger." + run["trigger"].to(str)], display=WIDE_CELL),
        rx.table.cell(run["errors"].to(list).length().to(str), display=WIDE_CELL),
        class_name="sync-history-row",
    )


def integrations_page() -> rx.Component:
    tr = AppState.tr
    return page_frame(
        rx.heading(tr["integrations.title"], size="7"),
        systems_section(),
        rx.heading(tr["integrations.syncs"], size="4", padding_top="0.5em"),
        integration_card("vitec", vitec_details()),
        integration_card("teams", teams_details()),
        rx.heading(tr["integrations.history"], size="4"),
        rx.table.root(
            rx.table.header(rx.table.row(
                rx.table.column_header_cell(tr["integrations.col_kind"]),
                rx.table.column_header_cell(tr["integrations.col_status"]),
                rx.table.column_header_cell(tr["integrations.col_started"]),
                rx.table.column_header_cell(tr["integrations.col_trigger"], display=WIDE_CELL),
                rx.table.column_header_cell(tr["integrations.col_errors"], display=WIDE_CELL),
            )),
            rx.table.body(rx.foreach(IntegrationsState.history, history_row)),
            width="100%", variant="surface", size="1", id="sync-history",
        ),
    )
