"""The Disker page's transfers (a card each, its files with progress and reasons, retry and
cancel) and the folders kept in sync."""

from __future__ import annotations

import reflex as rx

from dokvault.components.layout import LONG_NAME, WIDE_CELL
from dokvault.pages.drives.state import DrivesState
from dokvault.state.base import AppState


def item_row(item: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(
            rx.vstack(
                rx.cond(
                    item["document"] != "",
                    rx.link(item["name"], href="/documents/" + item["document"].to(str), style=LONG_NAME),
                    rx.text(item["name"], style=LONG_NAME),
                ),
                rx.cond(item["target"] != "", rx.text("→ ", item["target"], size="1", color_scheme="gray")),
                rx.cond(
                    item["error"] != "",
                    rx.text(item["error"], size="1", color_scheme="red", class_name="item-error"),
                ),
                spacing="1",
            )
        ),
        rx.table.cell(item["size"], display=WIDE_CELL),
        rx.table.cell(
            rx.cond(
                item["status"] == "running",
                rx.progress(value=item["progress"].to(int), max=100, width="80px"),
                rx.badge(
                    item["status_label"],
                    variant="soft",
                    class_name="item-status",
                    color_scheme=rx.match(
                        item["status"], ("done", "green"), ("failed", "red"), ("skipped", "gray"), "blue"
                    ),
                ),
            )
        ),
        class_name="item-row",
    )


def transfer_card(transfer: rx.Var) -> rx.Component:
    tr = AppState.tr
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.text(transfer["title"], weight="bold", style=LONG_NAME),
                rx.badge(transfer["status_label"], variant="soft", class_name="transfer-status"),
                rx.spacer(),
                rx.text(transfer["when"], size="1", color_scheme="gray"),
                width="100%",
                align="center",
                flex_wrap="wrap",
            ),
            rx.text(transfer["folder"], size="1", color_scheme="gray", style=LONG_NAME),
            rx.progress(value=transfer["progress"].to(int), max=100, width="100%"),
            rx.text(transfer["summary"], size="2", class_name="transfer-summary"),
            rx.cond(transfer["error"] != "", rx.text(transfer["error"], size="2", color_scheme="red")),
            rx.table.root(
                rx.table.body(rx.foreach(transfer["items"].to(list[dict]), item_row)), width="100%", size="1"
            ),
            rx.hstack(
                rx.cond(
                    transfer["failed"].to(int) > 0,
                    rx.button(
                        rx.icon("rotate-cw", size=14),
                        tr["drives.retry"],
                        size="1",
                        variant="soft",
                        on_click=DrivesState.retry(transfer["uid"]),
                        class_name="retry-button",
                    ),
                ),
                rx.cond(
                    transfer["active"],
                    rx.button(
                        tr["drives.cancel"],
                        size="1",
                        variant="soft",
                        color_scheme="gray",
                        on_click=DrivesState.cancel(transfer["uid"]),
                        class_name="cancel-button",
                    ),
                ),
                spacing="2",
            ),
            spacing="2",
            width="100%",
        ),
        width="100%",
        class_name="transfer-card",
    )


def syncs() -> rx.Component:
    tr = AppState.tr
    return rx.cond(
        DrivesState.syncs.length() > 0,
        rx.vstack(
            rx.heading(tr["drives.syncs"], size="4"),
            rx.foreach(
                DrivesState.syncs,
                lambda sync: rx.hstack(
                    rx.icon("refresh-cw", size=14),
                    rx.text(sync["label"], ": ", sync["folder"], weight="medium", style=LONG_NAME),
                    rx.text(tr["drives.last_run"], " ", sync["last_run"], size="1", color_scheme="gray"),
                    rx.cond(sync["error"] != "", rx.text(sync["error"], size="1", color_scheme="red")),
                    rx.button(
                        tr["drives.sync_now"],
                        size="1",
                        variant="soft",
                        on_click=DrivesState.sync_now(sync["id"]),
                        class_name="sync-now",
                    ),
                    rx.button(
                        tr["drives.stop_sync"],
                        size="1",
                        variant="soft",
                        color_scheme="gray",
                        on_click=DrivesState.stop_sync(sync["id"]),
                        class_name="stop-sync",
                    ),
                    spacing="2",
                    align="center",
                    flex_wrap="wrap",
                    class_name="sync-row",
                ),
            ),
            spacing="2",
            width="100%",
            id="syncs",
        ),
    )
