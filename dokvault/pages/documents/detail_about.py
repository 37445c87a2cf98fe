"""What the page says about a document beyond its file: its title, type, tags, summary and
custom fields (as suggested or confirmed), where it came from (the e-mail it was attached
to, its attachments) and what reading left out."""

from __future__ import annotations

import reflex as rx

from dokvault.pages.documents.detail_state import DetailState
from dokvault.state.base import AppState


def about() -> rx.Component:
    """Type, tags, fields and origin; a suggestion not yet confirmed says so."""
    tr, meta = AppState.tr, DetailState.meta
    return rx.vstack(
        rx.cond(meta["title"].to(str) != "",
                rx.text(meta["title"], size="3", color_scheme="gray", id="document-doc-title")),
        rx.hstack(
            rx.cond(meta["type"].to(str) != "",
                    rx.badge(rx.icon("file-type", size=12), meta["type"], size="2",
                             id="document-type")),
            rx.foreach(meta["tags"].to(list[str]),
                       lambda t: rx.badge(t, variant="outline", class_name="document-tag")),
            rx.cond(meta["unconfirmed"].to(bool) & DetailState.can_change,
                    rx.link(rx.badge(rx.icon("list-checks", size=12), tr["detail.unconfirmed"],
                                     color_scheme="amber", variant="soft"),
                            href="/review", id="unconfirmed")),
            wrap="wrap", spacing="2", align="center",
        ),
        rx.cond(meta["summary"].to(str) != "",
                rx.text(meta["summary"], size="2", id="document-summary")),
        rx.cond(
            meta["fields"].to(list).length() > 0,
            rx.data_list.root(rx.foreach(
                meta["fields"].to(list[dict[str, str]]),
                lambda f: rx.data_list.item(rx.data_list.label(f["label"]),
                                            rx.data_list.value(f["value"]),
                                            class_name="document-field", data_key=f["key"]))),
        ),
        rx.cond(meta["parent"].to(dict).contains("uid"),
                rx.hstack(rx.icon("mail", size=14), rx.text(tr["detail.attached_to"], size="2"),
                          rx.link(meta["parent"].to(dict[str, str])["name"],
                                  href="/documents/" + meta["parent"].to(dict[str, str])["uid"],
                                  size="2",
                                  id="attached-to"),
                          align="center", spacing="2")),
        rx.cond(
            meta["attachments"].to(list).length() > 0,
            rx.vstack(
                rx.text(tr["detail.attachments"], size="2", weight="medium"),
                rx.foreach(meta["attachments"].to(list[dict[str, str]]), lambda a: rx.link(
                    rx.hstack(rx.icon("paperclip", size=14), a["name"], align="center"),
                    href="/documents/" + a["uid"].to(str), size="2", class_name="attachment-link")),
                spacing="1",
            ),
        ),
        spacing="2", width="100%",
    )


def notices() -> rx.Component:
    """What reading left out (pages past the budget, attachments not imported), and why."""
    items = DetailState.meta["notices"].to(list[dict[str, str]])
    return rx.cond(
        items.length() > 0,
        rx.callout.root(
            rx.callout.icon(rx.icon("info")),
            rx.vstack(
                rx.text(AppState.tr["detail.notices"], weight="medium", size="2"),
                rx.foreach(items, lambda n: rx.text(n[AppState.lang], size="2",
                                                    class_name="document-notice")),
                spacing="1",
            ),
            color_scheme="amber", id="document-notices", width="100%",
        ),
    )


def fact(label_key: str, value) -> rx.Component:
    return rx.data_list.item(
        rx.data_list.label(AppState.tr[label_key]), rx.data_list.value(value)
    )
