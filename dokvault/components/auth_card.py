"""The card the pages before sign-in are made of, and its labelled fields."""

from __future__ import annotations

import reflex as rx

from dokvault.state.base import AppState


def field(label_key: str, name: str, kind: str = "text", **props) -> rx.Component:
    return rx.vstack(
        rx.text(AppState.tr[label_key], size="2", weight="medium"),
        rx.input(name=name, type=kind, required=True, size="3", width="100%", id=name, **props),
        spacing="1",
        width="100%",
    )


def auth_card(notes: rx.Component, title_key: str, *children: rx.Component) -> rx.Component:
    """The card of the pages before sign-in; `notes`: the page's error and info messages."""
    return rx.center(
        rx.card(
            rx.vstack(
                rx.hstack(rx.image(src="/logo.svg", width="34px", height="34px", alt="", id="brand-logo"),
                          rx.heading("DokVault", size="7"), align="center"),
                rx.text(AppState.tr["app.tagline"], color_scheme="gray", size="2"),
                rx.heading(AppState.tr[title_key], size="5", padding_top="0.6em"),
                notes,
                *children,
                rx.button(AppState.tr["nav.language"], variant="ghost", size="1",
                          on_click=AppState.toggle_language, id="toggle-language"),
                spacing="4",
                width="100%",
            ),
            width="100%",
            max_width="420px",
            size="4",
        ),
        min_height="100vh",
        padding="1em",
        background=rx.color("accent", 2),
    )
