"""The first part of Integrasjoner (/admin/integrations): every outside system DokVault can
talk to (services/ops/systems.py) - set up or what is missing, its settings (secrets only as
"set"), its last run or use, the last test, and a Test button that really contacts it
(audited on the server).

Element ids: #systems, a card #system-<key> (data-configured) per system, its
#<key>-status, #<key>-settings, #<key>-test (the button), #<key>-test-result (data-ok),
#<key>-last-test, and for Vitec .vitec-method badges after a test."""

from __future__ import annotations

from typing import Any

import reflex as rx

from dokvault.components.settings_list import setting_row, setting_view
from dokvault.core import clock
from dokvault.models import User
from dokvault.services.ops import systems
from dokvault.state.base import AppState
from dokvault.state.guards import admin_only, admin_or_refuse


class SystemsState(AppState):
    systems: list[dict[str, Any]] = []
    testing: str = ""  # the system being tested ("" none)
    results: dict[str, str] = {}  # system -> the last test's outcome in words, this visit
    results_ok: dict[str, bool] = {}
    methods: list[str] = []  # what the Vitec login may do (its test)

    def _words(self, code: str, values: dict) -> str:
        try:
            return self._t(code, **values)
        except (KeyError, IndexError, ValueError):
            return self._t(code)

    def _reload(self, user: User) -> None:
        self.systems = [{
            "key": s.key, "configured": s.configured, "missing": s.missing,
            "settings": [setting_view(n, v) for n, v in s.settings],
            "last_used": clock.shown(s.last_used), "last_used_key": s.last_used_key,
            "testable": s.testable, "note": s.note,
            "link": s.link, "tested_at": str(s.tested.get("at", "")),
            "tested_ok": bool(s.tested.get("ok")),
        } for s in systems.overview(user)]

    @rx.event
    @admin_only
    def load(self, *, user: User):
        self._reload(user)
        return None

    @rx.event(background=True)
    async def test(self, key: str):
        """Contact the system (services/ops/systems.test checks the admin again and audits)."""
        async with self:
            actor, refused = admin_or_refuse(self, "SystemsState.test")
            if actor is None:
                return refused
            if self.testing or key not in systems.SYSTEMS:
                return None
            self.testing = key
            client = self._client()
        try:
            result = await systems.test(actor, key, client)
        finally:
            async with self:
                self.testing = ""
        async with self:
            self.results = {**self.results, key: self._words(result.code, result.values)}
            self.results_ok = {**self.results_ok, key: result.ok}
            if key == "vitec":
                self.methods = list(result.extra)
            self._reload(actor)
        return None


def system_card(system: rx.Var) -> rx.Component:
    tr, state = AppState.tr, SystemsState
    key = system["key"].to(str)
    configured = system["configured"].to(bool)
    missing = system["missing"].to(list[str])
    return rx.card(rx.vstack(
        rx.hstack(
            rx.heading(tr["integrations.system." + key], size="3"),
            rx.spacer(),
            rx.badge(rx.cond(configured, tr["integrations.configured"], tr["integrations.not_configured"]),
                     color_scheme=rx.cond(configured, "green", "gray"), id=key + "-status"),
            width="100%", align="center",
        ),
        rx.cond(missing.length() > 0, rx.vstack(
            rx.text(tr["integrations.missing"], size="1", color_scheme="amber"),
            rx.hstack(rx.foreach(missing, lambda m: rx.code(m, size="1")), wrap="wrap", spacing="1"),
            spacing="1", class_name="system-missing")),
        rx.cond(system["note"].to(str) != "", rx.callout(tr[system["note"].to(str)], icon="info", size="1",
                                                         color_scheme="gray", width="100%",
                                                         class_name="system-note")),
        rx.data_list.root(rx.foreach(system["settings"].to(list[dict[str, str]]), setting_row),
                          size="1", id=key + "-settings", width="100%"),
        rx.hstack(
            rx.text(tr[system["last_used_key"].to(str)], ": ",
                    rx.cond(system["last_used"].to(str) != "", system["last_used"].to(str),
                            tr["integrations.never_used"]), size="1", color_scheme="gray"),
            rx.text(tr["integrations.last_test"], ": ",
                    rx.cond(system["tested_at"].to(str) != "",
                            rx.fragment(system["tested_at"].to(str), " · ",
                                        rx.cond(system["tested_ok"].to(bool), tr["integrations.tested_ok"],
                                                tr["integrations.tested_failed"])),
                            tr["integrations.never_tested"]),
                    size="1", color_scheme="gray", id=key + "-last-test"),
            wrap="wrap", spacing="3",
        ),
        rx.hstack(
            rx.cond(system["testable"].to(bool), rx.button(
                rx.icon("plug", size=14), tr["integrations.test"], size="1", variant="soft",
                on_click=SystemsState.test(key), loading=state.testing == key,
                disabled=state.testing != "", id=key + "-test")),
            rx.cond(system["link"].to(str) != "", rx.link(
                rx.hstack(rx.text(tr["integrations.open_page"], size="1"), rx.icon("arrow-right", size=12),
                          spacing="1", align="center"),
                href=system["link"].to(str), class_name="system-link")),
            spacing="3", align="center",
        ),
        rx.cond(state.results.contains(key), rx.callout(
            state.results[key], icon=rx.cond(state.results_ok[key], "circle-check", "circle-x"),
            color_scheme=rx.cond(state.results_ok[key], "green", "red"), size="1", width="100%",
            id=key + "-test-result", data_ok=state.results_ok[key].to(str))),
        rx.cond((key == "vitec") & (state.methods.length() > 0), rx.vstack(
            rx.text(tr["integrations.methods"], size="1", weight="medium"),
            rx.hstack(rx.foreach(state.methods, lambda m: rx.badge(m, variant="surface", size="1",
                                                                   class_name="vitec-method")),
                      wrap="wrap", spacing="1"),
            spacing="1", id="vitec-methods")),
        spacing="2", width="100%",
    ), width="100%", min_width="0", id="system-" + key, data_configured=configured.to(str))


def systems_section() -> rx.Component:
    tr = AppState.tr
    return rx.vstack(
        rx.heading(tr["integrations.systems"], size="4"),
        rx.text(tr["integrations.systems_hint"], size="2", color_scheme="gray"),
        rx.grid(rx.foreach(SystemsState.systems, system_card),
                columns=rx.breakpoints(initial="1", md="2", xl="3"), spacing="3", width="100%"),
        spacing="2", width="100%", id="systems",
    )
