"""Varsler (/notifications): every notification, newest first, each a link to its document
or page; mark one or all read. Varslingsinnstillinger (/account/notifications): for each
kind, in the app only or by mail too, and the language of the mails."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import reflex as rx

from dokvault.components.layout import page_frame
from dokvault.models import User
from dokvault.services import admin, notify
from dokvault.state.base import AppState
from dokvault.state.guards import signed_in
from dokvault.state.notifications import BellState


class InboxState(AppState):
    entries: list[dict[str, Any]] = []
    kinds: list[dict[str, Any]] = []
    mail_language: str = "nb"
    mail_leaves: bool = True

    def _reload(self, user: User) -> None:
        self.entries = [asdict(e) for e in notify.recent(user.id, 200)]

    @rx.event
    @signed_in
    def load(self, *, user: User):
        self._reload(user)
        return None

    @rx.event
    @signed_in
    def mark_read(self, entry_id: int, *, user: User):
        notify.mark_read(user.id, [int(entry_id)])
        self._reload(user)
        return BellState.watch

    @rx.event
    @signed_in
    def mark_all_read(self, *, user: User):
        changed = notify.mark_all_read(user.id)
        self._reload(user)
        return rx.toast.success(self._t("notify.all_read")) if changed else None

    def _settings(self, user: User) -> None:
        choices = notify.choices(user.id)
        self.mail_language = choices.language
        self.mail_leaves = admin.mail_delivers()
        self.kinds = [{"kind": k, "mailed": k in choices.mailed, "always": k in notify.ALWAYS_MAILED}
                      for k in notify.KINDS]

    @rx.event
    @signed_in
    def load_settings(self, *, user: User):
        self._settings(user)
        return None

    @rx.event
    @signed_in
    def set_mailed(self, kind: str, by_mail: bool, *, user: User):
        if notify.set_mailed(user.id, kind, bool(by_mail)):
            self._settings(user)
            return rx.toast.success(self._t("notify.saved"))
        return None

    @rx.event
    @signed_in
    def set_mail_language(self, lang: str, *, user: User):
        notify.set_language(user.id, lang)
        self._settings(user)
        return rx.toast.success(self._t("notify.saved"))


def entry_row(entry: rx.Var) -> rx.Component:
    tr = AppState.tr
    return rx.hstack(
        rx.cond(entry["unread"].to(bool), rx.box(width="8px", height="8px", border_radius="50%",
                                                 background=rx.color("accent", 9), flex_shrink="0"),
                rx.box(width="8px", flex_shrink="0")),
        rx.vstack(
            rx.link(entry["titles"].to(dict[str, str])[AppState.lang], href=entry["link"].to(str),
                    weight=rx.cond(entry["unread"].to(bool), "bold", "regular"),
                    on_click=InboxState.mark_read(entry["id"]), class_name="notification-link"),
            rx.text(entry["when"], size="1", color_scheme="gray"),
            spacing="0", flex="1", min_width="0"),
        rx.cond(entry["unread"].to(bool), rx.button(tr["notify.mark_read"], size="1", variant="ghost",
                                                    on_click=InboxState.mark_read(entry["id"]),
                                                    class_name="notification-read")),
        width="100%", align="center", padding="0.6em", border_bottom=f"1px solid {rx.color('gray', 4)}",
        class_name="notification",
    )


def inbox_page() -> rx.Component:
    tr = AppState.tr
    return page_frame(
        rx.hstack(rx.heading(tr["notify.title"], size="7"), rx.spacer(),
                  rx.button(tr["notify.mark_all_read"], variant="soft", on_click=InboxState.mark_all_read,
                            id="mark-all-read"),
                  width="100%", align="center", wrap="wrap"),
        rx.link(tr["notify.settings_link"], href="/account/notifications", size="2",
                id="notification-settings"),
        rx.cond(InboxState.entries.length() > 0,
                rx.vstack(rx.foreach(InboxState.entries, entry_row), spacing="0", width="100%",
                          id="notifications"),
                rx.callout(tr["notify.none"], icon="bell-off", id="notifications-none")),
    )


def kind_row(kind: rx.Var) -> rx.Component:
    tr = AppState.tr
    return rx.hstack(
        rx.text(tr["notify.kind." + kind["kind"].to(str)], size="2", flex="1", min_width="0"),
        rx.cond(kind["always"].to(bool),
                rx.badge(tr["notify.always_mailed"], color_scheme="gray"),
                rx.hstack(rx.text(rx.cond(kind["mailed"].to(bool), tr["notify.by_mail"],
                                          tr["notify.app_only"]), size="1", color_scheme="gray"),
                          rx.switch(checked=kind["mailed"].to(bool),
                                    on_change=lambda on: InboxState.set_mailed(kind["kind"], on),
                                    id="mail-" + kind["kind"].to(str)),
                          align="center", spacing="2")),
        width="100%", align="center", padding="0.5em 0", border_bottom=f"1px solid {rx.color('gray', 4)}",
        class_name="notification-kind",
    )


def settings_page() -> rx.Component:
    tr = AppState.tr
    return page_frame(
        rx.heading(tr["notify.settings_title"], size="7"),
        rx.text(tr["notify.settings_hint"], size="2", color_scheme="gray"),
        rx.cond(~InboxState.mail_leaves, rx.callout(tr["notify.no_mail_transport"], icon="mail-x",
                                                    color_scheme="amber", id="no-mail-transport")),
        rx.vstack(rx.foreach(InboxState.kinds, kind_row), width="100%", spacing="0", id="notification-kinds"),
        rx.hstack(rx.text(tr["notify.mail_language"], size="2"),
                  rx.select(["nb", "en"], value=InboxState.mail_language,
                            on_change=InboxState.set_mail_language, id="mail-language"),
                  align="center", spacing="3"),
    )
