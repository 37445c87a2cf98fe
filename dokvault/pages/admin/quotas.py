"""/admin/quotas: how much each user and each office stores, against its quota in bytes
and in documents, and a form (the admin form pattern, state/forms.py) that sets or removes
the limits. No limit is the default."""

from __future__ import annotations

from typing import Any

import reflex as rx

from dokvault.components.admin_form import admin_form, confirm_button, form_field
from dokvault.components.layout import LONG_NAME, page_frame
from dokvault.core.sizes import human_size
from dokvault.models import User
from dokvault.services.documents import quotas
from dokvault.state.base import AppState
from dokvault.state.busy import while_busy
from dokvault.state.forms import AdminForm
from dokvault.state.guards import admin_only


def quota_row(usage: quotas.Usage) -> dict[str, Any]:
    return {
        "scope": usage.scope, "id": usage.subject_id, "name": usage.name,
        "used": human_size(usage.bytes_used), "documents": usage.documents_used,
        "max_bytes": human_size(usage.max_bytes) if usage.max_bytes is not None else "",
        "max_documents": str(usage.max_documents) if usage.max_documents is not None else "",
        "percent": max(usage.bytes_percent, usage.documents_percent),
        "limited": not usage.unlimited,
    }


class QuotasState(AdminForm, AppState):
    users: list[dict[str, Any]] = []
    offices: list[dict[str, Any]] = []
    edit_open: bool = False
    edit: dict[str, Any] = {}

    def _reload(self, actor: User) -> None:
        users, offices = quotas.usages(actor)
        self.users = [quota_row(u) for u in users]
        self.offices = [quota_row(o) for o in offices]

    @rx.event
    @admin_only
    def load(self, *, user: User):
        self._reload(user)
        self.edit_open = False
        return None

    @rx.event
    @admin_only
    def open_edit(self, scope: str, subject_id: int, *, user: User):
        self._reload(user)
        rows = self.users if scope == quotas.USER else self.offices
        row = next((r for r in rows if r["id"] == int(subject_id)), None)
        if row is None:
            return rx.toast.error(self._t("error.unknown_user" if scope == quotas.USER
                                          else "error.unknown_office"))
        self._clear("quota")
        self.edit, self.edit_open = dict(row), True
        return None

    @rx.event
    @admin_only
    def edit_changed(self, is_open: bool, *, user: User):
        self.edit_open = bool(is_open) and self.edit_open
        return None

    def _saved(self, user: User):
        def after(_):
            self.edit_open = False
            self._reload(user)
        return after

    @rx.event
    @admin_only
    @while_busy("saving")
    def save(self, form: dict, *, user: User):
        if not self.edit_open:
            return None  # saved and closed by the first click
        return self._submit(
            "quota", lambda: quotas.set_quota(
                user, str(self.edit.get("scope", "")), int(self.edit.get("id", 0)),
                str(form.get("max_bytes", ""))[:40], str(form.get("max_documents", ""))[:40],
                self._client()),
            "quotas.saved", then=self._saved(user), name=self.edit.get("name", ""))

    @rx.event
    @admin_only
    @while_busy("saving")
    def remove(self, *, user: User):
        if not self.edit_open:
            return None
        return self._submit(
            "quota", lambda: quotas.set_quota(user, str(self.edit.get("scope", "")),
                                              int(self.edit.get("id", 0)), "", "", self._client()),
            "quotas.removed", then=self._saved(user), name=self.edit.get("name", ""))


# --- components ------------------------------------------------------------------------------


def limit_text(row: rx.Var, key: str, unit_key: str | None = None) -> rx.Component:
    tr = AppState.tr
    shown = rx.text(row[key], " ", tr[unit_key], size="2") if unit_key else \
        rx.text(row[key], size="2")
    return rx.cond(row[key].to(str) != "", shown,
                   rx.text(tr["quotas.unlimited"], size="2", color_scheme="gray"))


def usage_row(row: rx.Var) -> rx.Component:
    tr = AppState.tr
    return rx.table.row(
        rx.table.cell(rx.text(row["name"], weight="medium", style=LONG_NAME), min_width="7em"),
        rx.table.cell(rx.vstack(
            rx.text(row["used"], " · ", row["documents"], " ", tr["users.documents"], size="2"),
            rx.cond(row["limited"], rx.progress(value=row["percent"].to(int), max=100, size="1",
                                                width="6em")),
            spacing="1")),
        rx.table.cell(rx.vstack(
            rx.box(limit_text(row, "max_bytes"), class_name="quota-bytes"),
            rx.box(limit_text(row, "max_documents", "users.documents"),
                   class_name="quota-documents"),
            spacing="0")),
        rx.table.cell(rx.icon_button(rx.icon("pencil", size=14), size="1", variant="soft",
                                     class_name="edit-quota", aria_label=tr["quotas.edit"],
                                     on_click=QuotasState.open_edit(row["scope"], row["id"]))),
        align="center",
        class_name="quota-row",
    )


def usage_table(rows: rx.Var, heading_key: str, table_id: str, empty_key: str) -> rx.Component:
    tr = AppState.tr
    return rx.vstack(
        rx.heading(tr[heading_key], size="4"),
        rx.cond(rows.length() > 0, rx.box(rx.table.root(
            rx.table.header(rx.table.row(
                rx.table.column_header_cell(tr["quotas.col_name"]),
                rx.table.column_header_cell(tr["quotas.col_used"]),
                rx.table.column_header_cell(tr["quotas.col_limit"]),
                rx.table.column_header_cell(""),
            )),
            rx.table.body(rx.foreach(rows, usage_row)),
            width="100%", variant="surface", id=table_id,
        ), width="100%", overflow_x="auto"),
            rx.text(tr[empty_key], size="2", color_scheme="gray", id=f"{table_id}-empty")),
        spacing="3", width="100%",
    )


def edit_dialog() -> rx.Component:
    tr, state, edit = AppState.tr, QuotasState, QuotasState.edit
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(tr["quotas.edit_title"].to(str).replace("{name}", edit["name"].to(str))),
            rx.dialog.description(tr["quotas.edit_hint"], size="2", color_scheme="gray"),
            rx.box(admin_form(
                state, "quota",
                form_field(state, "quota", "max_bytes", "quotas.max_bytes",
                           rx.input(name="max_bytes", default_value=edit["max_bytes"].to(str),
                                    placeholder=tr["quotas.unlimited"], max_length=40,
                                    id="quota-max-bytes", width="100%"), "quotas.max_bytes_hint"),
                form_field(state, "quota", "max_documents", "quotas.max_documents",
                           rx.input(name="max_documents", default_value=edit["max_documents"].to(str),
                                    placeholder=tr["quotas.unlimited"], max_length=40,
                                    id="quota-max-documents", width="100%")),
                on_submit=state.save, submit_key="form.save",
                extra_buttons=(
                    rx.cond(edit["limited"].to(bool), confirm_button(
                        rx.button(tr["quotas.remove"], type="button", variant="soft",
                                  color_scheme="red", id="quota-remove"),
                        "quotas.remove_title", "quotas.remove_body", state.remove,
                        confirm_key="quotas.remove", confirm_id="confirm-quota-remove")),
                    rx.button(tr["form.cancel"], type="button", variant="soft", color_scheme="gray",
                              id="quota-cancel", on_click=state.edit_changed(False)),
                ),
                key=edit["scope"].to(str) + edit["id"].to(str),
            ), padding_top="1em"),
            max_width="480px",
            id="quota-dialog",
        ),
        open=state.edit_open,
        on_open_change=state.edit_changed,
    )


def quotas_page() -> rx.Component:
    tr = AppState.tr
    return page_frame(
        rx.heading(tr["quotas.title"], size="7"),
        rx.text(tr["quotas.hint"], size="2", color_scheme="gray"),
        usage_table(QuotasState.users, "quotas.users", "quota-users", "quotas.no_users"),
        usage_table(QuotasState.offices, "quotas.offices", "quota-offices", "admin.no_offices"),
        edit_dialog(),
    )
