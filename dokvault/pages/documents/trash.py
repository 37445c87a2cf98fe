"""Trashed documents: restore them or delete them for good."""

from __future__ import annotations

from typing import Any

import reflex as rx

from dokvault.components.layout import page_frame
from dokvault.components.thumbnail import thumbnail
from dokvault.models import User
from dokvault.services import documents
from dokvault.state.base import AppState
from dokvault.state.busy import while_busy
from dokvault.state.format import row_view
from dokvault.state.guards import signed_in


class TrashState(AppState):
    rows: list[dict[str, Any]] = []
    deleting: bool = False  # a delete is running: its button takes no more clicks
    _deleted: list[str] = []  # what this tab deleted lately (the last 50)

    def _reload(self, user) -> None:
        rows, _ = documents.list_documents(user, trashed=True, page_size=200)
        self.rows = [row_view(r) for r in rows]

    @rx.event
    @signed_in
    def load(self, *, user: User):
        self._reload(user)
        return None

    @rx.event
    @signed_in
    def restore(self, uid: str, *, user: User):
        restored = documents.restore_document(user, uid, self._client())
        self._reload(user)
        if not restored:
            return rx.toast.error(self._t("error.forbidden"))
        return rx.toast.success(self._t("detail.restored"))

    @rx.event
    @signed_in
    @while_busy("deleting")
    def delete_forever(self, uid: str, *, user: User):
        if uid in self._deleted:
            self._reload(user)
            return None  # deleted from this tab already: a double click's second, say nothing
        deleted = documents.delete_forever(user, uid, self._client())
        self._reload(user)
        if not deleted:
            return rx.toast.error(self._t("error.forbidden"))
        self._deleted = [*self._deleted[-49:], uid]
        return rx.toast.info(self._t("trash.deleted"))


def trash_row(row: rx.Var) -> rx.Component:
    tr = AppState.tr
    return rx.table.row(
        rx.table.cell(thumbnail(row)),
        rx.table.cell(rx.text(row["name"], weight="medium")),
        rx.table.cell(row["size_label"]),
        rx.table.cell(
            rx.hstack(
                rx.button(rx.icon("undo-2", size=14), tr["trash.restore"], size="1",
                          variant="soft", on_click=TrashState.restore(row["uid"]),
                          class_name="restore-button"),
                rx.alert_dialog.root(
                    rx.alert_dialog.trigger(
                        rx.button(rx.icon("trash", size=14), tr["trash.delete"], size="1",
                                  variant="soft", color_scheme="red", class_name="ask-delete")
                    ),
                    rx.alert_dialog.content(
                        rx.alert_dialog.title(tr["trash.delete"]),
                        rx.alert_dialog.description(row["name"]),
                        rx.hstack(
                            rx.alert_dialog.cancel(rx.button("✕", variant="soft",
                                                             color_scheme="gray")),
                            rx.alert_dialog.action(
                                rx.button(tr["trash.delete"], color_scheme="red",
                                          loading=TrashState.deleting,
                                          on_click=TrashState.delete_forever(row["uid"]),
                                          class_name="delete-forever")
                            ),
                            justify="end",
                            spacing="3",
                        ),
                    ),
                ),
                spacing="2",
            )
        ),
        align="center",
        class_name="trash-row",
    )


def trash_page() -> rx.Component:
    tr = AppState.tr
    return page_frame(
        rx.heading(tr["trash.title"], size="7"),
        rx.cond(
            TrashState.rows.length() > 0,
            rx.table.root(
                rx.table.body(rx.foreach(TrashState.rows, trash_row)),
                width="100%",
                variant="surface",
                id="trash-table",
            ),
            rx.callout(tr["trash.empty"], icon="info", id="trash-empty"),
        ),
    )
