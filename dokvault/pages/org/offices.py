"""Kontorer (/admin/offices): every office with its people, documents, staff and
assignments; manual offices are created, renamed, merged into another and deactivated here
(Vitec's come and go with Vitec), in the admin form pattern (state/forms.py): errors beside
the field, merging and deactivating confirmed first, a toast, audited before/after.

Element ids: #office-name and #newoffice-save (create), .office-row with .office-rename,
.office-merge, .office-deactivate (confirmed by #confirm-... in its dialog's .confirm-action),
the rename dialog's #office-rename-name, #office-name-error, #office-save; the merge dialog's
#merge-target, #merge-target-error, #merge-save."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import reflex as rx

from dokvault.components.admin_form import admin_form, confirm_button, form_field
from dokvault.components.layout import WIDE_CELL, page_frame
from dokvault.models import User
from dokvault.services.access import Forbidden
from dokvault.services.admin import offices
from dokvault.state.base import AppState
from dokvault.state.busy import while_busy
from dokvault.state.forms import AdminForm
from dokvault.state.guards import admin_only


class OfficesState(AdminForm, AppState):
    offices: list[dict[str, Any]] = []
    editing: dict[str, str] = {}  # the office being renamed: {"id", "name"}
    merging: dict[str, str] = {}  # the office being merged into another: {"id", "name"}
    form_version: int = 0

    def _reload(self) -> None:
        self.offices = [{**asdict(o), "id": str(o.id)} for o in offices.list_offices(counted=True)]

    @rx.event
    @admin_only
    def load(self, *, user: User):
        self.errors, self.editing, self.merging = {}, {}, {}
        self._reload()
        return None

    def _office(self, office_id: str) -> dict[str, str]:
        found = next((o for o in self.offices if o["id"] == str(office_id)), None)
        return {"id": found["id"], "name": found["name"]} if found else {}

    def _closed(self, _result=None) -> None:
        self.editing, self.merging, self.errors = {}, {}, {}
        self.form_version += 1
        self._reload()

    @rx.event
    @admin_only
    @while_busy("saving")
    def create(self, form: dict, *, user: User):
        name = " ".join(str(form.get("name", "")).split())[:offices.MAX_NAME]
        return self._submit("newoffice", lambda: offices.create_office(user, name, self._client()),
                            "admin.office_added", then=self._closed, name=name)

    @rx.event
    def open_rename(self, office_id: str):
        self._clear("office")
        self.editing = self._office(office_id)

    @rx.event
    def open_merge(self, office_id: str):
        self._clear("merge")
        self.merging = self._office(office_id)

    @rx.event
    def close(self, is_open: bool = False):
        if not is_open:
            self.editing, self.merging = {}, {}

    @rx.event
    @admin_only
    @while_busy("saving")
    def rename(self, form: dict, *, user: User):
        if not self.editing:
            return None
        name = " ".join(str(form.get("name", "")).split())[:offices.MAX_NAME]
        office_id = int(self.editing["id"])
        return self._submit("office", lambda: offices.rename_office(user, office_id, name, self._client()),
                            "offices.renamed", then=self._closed, name=name)

    @rx.event
    @admin_only
    @while_busy("saving")
    def set_active(self, office_id: str, active: bool, *, user: User):
        try:
            changed = offices.set_office_active(user, int(office_id), bool(active), self._client())
        except (Forbidden, ValueError) as exc:
            self._reload()
            return rx.toast.error(self._t(getattr(exc, "code", "error.forbidden")))
        self._reload()
        if not changed:
            return None
        return rx.toast.success(self._t("offices.activated" if active else "offices.deactivated"))

    @rx.event
    @admin_only
    @while_busy("saving")
    def merge(self, form: dict, *, user: User):
        if not self.merging:
            return None
        source, target = int(self.merging["id"]), str(form.get("target", ""))
        target_id = int(target) if target.isdigit() else 0
        return self._submit(
            "merge", lambda: offices.merge_offices(user, source, target_id, self._client()),
            "offices.merged_into", then=self._closed, name=self.merging["name"],
            into=next((o["name"] for o in self.offices if o["id"] == target), ""))


def office_row(office: rx.Var) -> rx.Component:
    tr = AppState.tr
    manual = office["source"].to(str) == "manual"
    return rx.table.row(
        rx.table.cell(rx.vstack(
            rx.text(office["name"], weight="medium", class_name="office-name"),
            rx.text(office["city"], size="1", color_scheme="gray"), spacing="1"), min_width="12em"),
        rx.table.cell(rx.badge(tr["offices.source." + office["source"].to(str)],
                               color_scheme=rx.cond(manual, "gray", "blue"))),
        rx.table.cell(rx.cond(office["active"].to(bool), rx.badge(tr["admin.active"], color_scheme="green"),
                              rx.badge(tr["admin.inactive"], color_scheme="red"))),
        rx.table.cell(office["members"].to(str)),
        rx.table.cell(office["documents"].to(str), display=WIDE_CELL),
        rx.table.cell(office["staff"].to(str), display=WIDE_CELL),
        rx.table.cell(office["assignments"].to(str), display=WIDE_CELL),
        rx.table.cell(rx.cond(manual, rx.hstack(
            rx.button(tr["offices.rename"], size="1", variant="soft",
                      on_click=OfficesState.open_rename(office["id"].to(str)), class_name="office-rename"),
            rx.cond(office["active"].to(bool),
                    confirm_button(rx.button(tr["admin.deactivate"], size="1", variant="soft",
                                             color_scheme="red", disabled=OfficesState.saving,
                                             class_name="office-deactivate"),
                                   tr["offices.deactivate_title"].to(str).replace(
                                       "{name}", office["name"].to(str)),
                                   "offices.deactivate_body",
                                   OfficesState.set_active(office["id"].to(str), False),
                                   confirm_key="admin.deactivate"),
                    rx.button(tr["admin.activate"], size="1", variant="soft",
                              on_click=OfficesState.set_active(office["id"].to(str), True),
                              disabled=OfficesState.saving, class_name="office-activate")),
            rx.button(tr["offices.merge"], size="1", variant="outline",
                      on_click=OfficesState.open_merge(office["id"].to(str)), class_name="office-merge"),
            spacing="2", wrap="wrap", min_width="10em"))),
        align="center", class_name="office-row",
    )


def rename_dialog() -> rx.Component:
    tr, state = AppState.tr, OfficesState
    return rx.dialog.root(rx.dialog.content(
        rx.dialog.title(tr["offices.rename_title"]),
        admin_form(state, "office",
                   form_field(state, "office", "name", "offices.col_name",
                              rx.input(name="name", default_value=state.editing["name"].to(str),
                                       max_length=200, id="office-rename-name", width="100%")),
                   on_submit=state.rename, submit_key="form.save",
                   extra_buttons=(rx.dialog.close(rx.button(tr["form.cancel"], variant="soft",
                                                            color_scheme="gray", type="button")),),
                   key=state.form_version.to(str) + state.editing["id"].to(str)),
        max_width="480px",
    ), open=state.editing.contains("id"), on_open_change=state.close)


def merge_dialog() -> rx.Component:
    """Merging is the destructive one: the dialog says what moves and that the office goes,
    and only its button merges."""
    tr, state = AppState.tr, OfficesState
    return rx.dialog.root(rx.dialog.content(
        rx.dialog.title(tr["offices.merge_title"].to(str).replace("{name}", state.merging["name"].to(str))),
        rx.dialog.description(tr["offices.merge_body"], size="2"),
        admin_form(state, "merge",
                   form_field(state, "merge", "target", "offices.merge_into", rx.select.root(
                       rx.select.trigger(placeholder=tr["offices.merge_into"], id="merge-target",
                                         width="100%"),
                       rx.select.content(rx.foreach(state.offices, lambda o: rx.cond(
                           o["id"] != state.merging["id"],
                           rx.select.item(o["name"], value=o["id"].to(str))))),
                       name="target")),
                   on_submit=state.merge, submit_key="offices.merge_confirm", submit_icon="merge",
                   extra_buttons=(rx.dialog.close(rx.button(tr["form.cancel"], variant="soft",
                                                            color_scheme="gray", type="button")),),
                   key=state.form_version.to(str) + state.merging["id"].to(str)),
        max_width="520px",
    ), open=state.merging.contains("id"), on_open_change=state.close)


def offices_page() -> rx.Component:
    tr = AppState.tr
    return page_frame(
        rx.heading(tr["offices.title"], size="7"),
        rx.text(tr["offices.hint"], size="2", color_scheme="gray"),
        rx.card(admin_form(
            OfficesState, "newoffice",
            form_field(OfficesState, "newoffice", "name", "admin.office_name",
                       rx.input(name="name", max_length=200, id="office-name", width="100%")),
            on_submit=OfficesState.create, submit_key="admin.office_add", submit_icon="plus",
            key=OfficesState.form_version.to(str)), width="100%", max_width="520px"),
        rx.box(rx.table.root(
            rx.table.header(rx.table.row(
                rx.table.column_header_cell(tr["offices.col_name"]),
                rx.table.column_header_cell(tr["offices.col_source"]),
                rx.table.column_header_cell(tr["admin.col_status"]),
                rx.table.column_header_cell(tr["offices.col_people"]),
                rx.table.column_header_cell(tr["offices.col_documents"], display=WIDE_CELL),
                rx.table.column_header_cell(tr["offices.col_staff"], display=WIDE_CELL),
                rx.table.column_header_cell(tr["offices.col_assignments"], display=WIDE_CELL),
                rx.table.column_header_cell(""),
            )),
            rx.table.body(rx.foreach(OfficesState.offices, office_row)),
            width="100%", variant="surface", id="offices-table"), width="100%", overflow_x="auto"),
        rename_dialog(),
        merge_dialog(),
    )
