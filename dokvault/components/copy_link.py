"""A link for a person to hand on - a share link just made, a set-password link where no
mail leaves - shown with what it is, the link itself (it wraps on a phone) and a button that
copies it; and the copy action alone, for a table of links. Copying happens in the browser:
no round trip to the server."""

from __future__ import annotations

import reflex as rx

from dokvault.components.layout import LONG_NAME
from dokvault.state.base import AppState


def copy_events(url: rx.Var | str) -> list:
    """Copy `url` to the clipboard and say so."""
    return [rx.set_clipboard(url), rx.toast.info(AppState.tr["link.copied"])]


def link_to_copy(note: rx.Var | str, url: rx.Var, *, link_id: str, box_id: str,
                 color_scheme: str = "green") -> rx.Component:
    return rx.callout(
        rx.vstack(
            rx.text(note, size="2"),
            rx.hstack(
                rx.code(url, size="1", style=LONG_NAME, id=link_id),
                rx.button(rx.icon("copy", size=14), AppState.tr["link.copy"], size="1",
                          on_click=copy_events(url), id=f"copy-{link_id}"),
                spacing="2", align="center", wrap="wrap"),
            spacing="1"),
        icon="link", color_scheme=color_scheme, width="100%", id=box_id,
    )
