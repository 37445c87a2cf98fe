"""The Disker page's connections: a card per drive (status, browse, test, remove,
reconnect) and the form that connects one."""

from __future__ import annotations

import reflex as rx

from dokvault.components.layout import LONG_NAME
from dokvault.pages.drives.state import DrivesState
from dokvault.state.base import AppState


def status_badge(connection: rx.Var) -> rx.Component:
    return rx.badge(
        connection["status_label"],
        variant="soft",
        class_name="connection-status",
        color_scheme=rx.match(connection["status"], ("ok", "green"), ("reconnect", "amber"), "red"),
    )


def connection_card(connection: rx.Var) -> rx.Component:
    tr = AppState.tr
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.icon(rx.cond(connection["shared"], "network", "hard-drive"), size=18),
                rx.text(connection["kind_label"], weight="bold"),
                status_badge(connection),
                spacing="2",
                align="center",
                flex_wrap="wrap",
            ),
            rx.text(connection["label"], size="2", color_scheme="gray", style=LONG_NAME),
            rx.cond(
                connection["status"] == "reconnect",
                rx.cond(
                    connection["oauth"],
                    rx.link(
                        rx.button(rx.icon("refresh-ccw", size=14), tr["drives.status.reconnect"], size="1",
                                  color_scheme="amber"),
                        href="/api/cloud/" + connection["kind"].to(str) + "/start",
                        class_name="reconnect-button",
                    ),
                    rx.text(tr["drives.reconnect_hint"], size="1", color_scheme="amber"),
                ),
            ),
            rx.cond(
                (connection["status"] == "error") & (connection["status_text"] != ""),
                rx.text(connection["status_text"], size="1", color_scheme="red"),
            ),
            rx.hstack(
                rx.button(
                    rx.icon("folder-open", size=14),
                    tr["drives.browse"],
                    size="1",
                    on_click=DrivesState.open_connection(connection["id"]),
                    class_name="browse-button",
                    loading=DrivesState.browsing,
                ),
                rx.button(
                    tr["drives.test"],
                    size="1",
                    variant="soft",
                    on_click=DrivesState.test(connection["id"]),
                    class_name="test-button",
                ),
                rx.cond(~connection["shared"], remove_button(connection)),
                spacing="2",
                flex_wrap="wrap",
            ),
            spacing="2",
            width="100%",
        ),
        width=["100%", "100%", "320px"],
        class_name="connection-card",
    )


def remove_button(connection: rx.Var) -> rx.Component:
    tr = AppState.tr
    return rx.alert_dialog.root(
        rx.alert_dialog.trigger(
            rx.button(
                tr["drives.remove"], size="1", variant="soft", color_scheme="red", class_name="remove-button"
            )
        ),
        rx.alert_dialog.content(
            rx.alert_dialog.title(tr["drives.remove"]),
            rx.alert_dialog.description(tr["drives.remove_confirm"]),
            rx.hstack(
                rx.alert_dialog.cancel(rx.button("✕", variant="soft", color_scheme="gray")),
                rx.alert_dialog.action(
                    rx.button(
                        tr["drives.remove"],
                        color_scheme="red",
                        on_click=DrivesState.remove(connection["id"]),
                        class_name="confirm-remove",
                    )
                ),
                justify="end",
                spacing="3",
                margin_top="1em",
            ),
        ),
    )


def connect_form() -> rx.Component:
    tr = AppState.tr
    return rx.card(
        rx.vstack(
            rx.heading(tr["drives.connect"], size="4"),
            rx.hstack(
                rx.cond(
                    DrivesState.google_enabled,
                    rx.link(
                        rx.button(rx.icon("cloud", size=16), tr["drives.connect_google"], variant="soft"),
                        href="/api/cloud/google/start",
                        id="connect-google",
                    ),
                ),
                rx.cond(
                    DrivesState.onedrive_enabled,
                    rx.link(
                        rx.button(rx.icon("cloud", size=16), tr["drives.connect_onedrive"], variant="soft"),
                        href="/api/cloud/onedrive/start",
                        id="connect-onedrive",
                    ),
                ),
                spacing="2",
                flex_wrap="wrap",
            ),
            rx.text(tr["drives.or_password"], size="2", color_scheme="gray"),
            rx.form(
                rx.vstack(
                    rx.select.root(
                        rx.select.trigger(id="connect-kind"),
                        rx.select.content(
                            rx.select.item(tr["drives.kind.nextcloud"], value="nextcloud"),
                            rx.select.item(tr["drives.kind.webdav"], value="webdav"),
                        ),
                        name="kind",
                        default_value="nextcloud",
                    ),
                    rx.input(
                        name="url",
                        placeholder=tr["drives.url_placeholder"],
                        width="100%",
                        id="connect-url",
                        type="url",
                        auto_complete="off",
                    ),
                    rx.text(tr["drives.url_hint"], size="1", color_scheme="gray"),
                    rx.input(
                        name="username",
                        placeholder=tr["drives.username"],
                        width="100%",
                        id="connect-username",
                        auto_complete="off",
                    ),
                    rx.input(
                        name="password",
                        placeholder=tr["drives.password"],
                        type="password",
                        width="100%",
                        id="connect-password",
                        auto_complete="new-password",
                    ),
                    rx.text(tr["drives.password_hint"], size="1", color_scheme="gray"),
                    rx.cond(
                        DrivesState.form_error != "",
                        rx.callout(
                            DrivesState.form_error,
                            icon="triangle-alert",
                            color_scheme="red",
                            width="100%",
                            id="connect-error",
                        ),
                    ),
                    rx.button(
                        tr["drives.connect_button"],
                        type="submit",
                        loading=DrivesState.connecting,
                        id="connect-button",
                    ),
                    spacing="2",
                    width="100%",
                ),
                on_submit=DrivesState.connect,
                reset_on_submit=False,
                width="100%",
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
        max_width="560px",
    )
