"""Systemkontroll: whether work moves (/health's verdict and its reasons) and the last
sanity check (rows without objects, objects without rows), with "run now"."""

from __future__ import annotations

import asyncio
from typing import Any

import reflex as rx

from dokvault.components.layout import page_frame
from dokvault.models import Role, User
from dokvault.services import ops
from dokvault.state.base import AppState
from dokvault.state.guards import admin_only

SHOWN_PROBLEMS = 50
POLL_SECONDS = 600  # how long the page watches a queued check before giving up


def health_view() -> dict[str, Any]:
    """/health's verdict for the page: its status and the reasons, as catalogue keys."""
    verdict = ops.health()
    reasons = []
    for reason in verdict["reasons"]:
        code, _, value = reason.partition(":")
        reasons.append({"key": f"system.reason.{code}", "value": value})
    return {"degraded": verdict["status"] != "ok", "reasons": reasons}


class SystemState(AppState):
    degraded: bool = False
    reasons: list[dict[str, str]] = []
    has_report: bool = False
    running: bool = False
    report: dict[str, Any] = {}
    problems: list[dict[str, str]] = []

    def _reload(self) -> None:
        view = health_view()
        self.degraded, self.reasons = view["degraded"], view["reasons"]
        self.running = ops.sanity.running() is not None
        last = ops.sanity.last_report()
        self.has_report = last is not None and last.status != "running"
        done = next((r for r in [last] if r is not None and r.status != "running"), None)
        if done is None:
            self.report, self.problems = {}, []
            return
        self.report = {
            "when": (done.finished_at or done.started_at).strftime("%Y-%m-%d %H:%M"),
            "documents": str(done.documents), "objects": str(done.objects),
            "failed": done.status == "error", "clean": not done.counts and done.status == "done",
            "counts": [{"kind": k, "n": str(done.counts[k])} for k in ops.sanity.KINDS
                       if done.counts.get(k)],
        }
        self.problems = [{"kind": p["kind"], "key": p["key"],
                          "document": str(p["document_id"] or "")}
                         for p in done.problems[:SHOWN_PROBLEMS]]

    @rx.event
    @admin_only
    def load(self, *, user: User):
        self._reload()
        return SystemState.watch if self.running else None

    @rx.event
    def check_health(self):
        """The banner above other pages: for admins only, nobody else is sent away or told."""
        user = self._current_user()
        if user is None or user.role != Role.ADMIN:
            self.degraded, self.reasons = False, []
            return
        view = health_view()
        self.degraded, self.reasons = view["degraded"], view["reasons"]

    @rx.event
    @admin_only
    def run_now(self, *, user: User):
        if not ops.sanity.request_run():
            return rx.toast.info(self._t("system.already_running"))
        self.running = True
        return SystemState.watch

    @rx.event(background=True)
    async def watch(self):
        for _ in range(POLL_SECONDS):
            await asyncio.sleep(1)
            async with self:
                self._reload()
                if not self.running:
                    return


def reason_item(reason: rx.Var) -> rx.Component:
    return rx.list_item(AppState.tr[reason["key"]].to(str).replace("{value}",
                                                                   reason["value"].to(str)))


def health_banner() -> rx.Component:
    """What is degraded, for admins (shown on this page and above the document list)."""
    return rx.cond(
        SystemState.degraded,
        rx.callout(
            rx.vstack(
                rx.text(AppState.tr["system.degraded"], weight="bold"),
                rx.unordered_list(rx.foreach(SystemState.reasons, reason_item)),
                spacing="1",
            ),
            icon="triangle-alert",
            color_scheme="orange",
            id="health-degraded",
            width="100%",
        ),
    )


def count_badge(count: rx.Var) -> rx.Component:
    return rx.badge(AppState.tr["system.kind." + count["kind"].to(str)].to(str) + ": "
                    + count["n"].to(str), color_scheme="red", size="2")


def problem_row(problem: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.text(AppState.tr["system.kind." + problem["kind"].to(str)], size="1")),
        rx.table.cell(rx.code(problem["key"], size="1")),
        rx.table.cell(rx.text(problem["document"], size="1")),
        class_name="sanity-problem",
    )


def report_view() -> rx.Component:
    tr = AppState.tr
    report = SystemState.report
    summary = tr["system.checked"].to(str).replace("{when}", report["when"].to(str)).replace(
        "{documents}", report["documents"].to(str)).replace("{objects}", report["objects"].to(str))
    return rx.cond(
        SystemState.has_report,
        rx.vstack(
            rx.text(summary, size="2", color_scheme="gray", id="sanity-summary"),
            rx.cond(
                report["failed"].to(bool),
                rx.callout(tr["system.check_failed"], icon="circle-x", color_scheme="red"),
                rx.cond(
                    report["clean"].to(bool),
                    rx.callout(tr["system.clean"], icon="circle-check", color_scheme="green",
                               id="sanity-clean"),
                    rx.vstack(
                        rx.hstack(rx.foreach(report["counts"].to(list[dict[str, str]]),
                                             count_badge), wrap="wrap", spacing="2"),
                        rx.table.root(
                            rx.table.header(rx.table.row(
                                rx.table.column_header_cell(tr["system.col_kind"]),
                                rx.table.column_header_cell(tr["system.col_key"]),
                                rx.table.column_header_cell(tr["system.col_document"]),
                            )),
                            rx.table.body(rx.foreach(SystemState.problems, problem_row)),
                            width="100%", variant="surface", size="1", id="sanity-problems",
                        ),
                        width="100%",
                    ),
                ),
            ),
            width="100%",
        ),
        rx.callout(tr["system.no_report"], icon="info", id="sanity-none"),
    )


def system_page() -> rx.Component:
    tr = AppState.tr
    return page_frame(
        rx.heading(tr["system.title"], size="7"),
        health_banner(),
        rx.cond(~SystemState.degraded,
                rx.callout(tr["system.healthy"], icon="circle-check", color_scheme="green",
                           id="health-ok")),
        rx.heading(tr["system.sanity_title"], size="4"),
        rx.text(tr["system.sanity_hint"], size="2", color_scheme="gray"),
        rx.button(
            rx.cond(SystemState.running, rx.spinner(size="2"), rx.icon("play", size=16)),
            rx.cond(SystemState.running, tr["system.running"], tr["system.run_now"]),
            on_click=SystemState.run_now,
            disabled=SystemState.running,
            id="sanity-run",
        ),
        report_view(),
    )
