"""Where a document belongs on its page: the office it belongs to, sharing with the owner's
office, and the assignment it is linked to. Changeable by who may change the document
(checked again in the services), shown to the others."""

from __future__ import annotations

from typing import Any

import reflex as rx

from dokvault.models import User
from dokvault.pages.documents.detail_state import DetailState
from dokvault.services import documents
from dokvault.services.access import Forbidden
from dokvault.services.admin import offices
from dokvault.services.org import assignments
from dokvault.state.base import AppState
from dokvault.state.guards import signed_in

NO_OFFICE = "none"  # a select item cannot have an empty value


class OfficeState(DetailState):
    office_id: str = ""
    office_options: list[dict[str, str]] = []
    assignment: dict[str, Any] = {}
    assignment_choices: list[dict[str, Any]] = []

    @rx.var
    def office_label(self) -> str:
        return next((o["name"] for o in self.office_options if o["id"] == self.office_id), "")

    @rx.event
    @signed_in
    def load_office(self, *, user: User):
        """on_load of /documents/[uid], after DetailState.load."""
        self.assignment_choices = []
        document = documents.get_document(user, self._uid())
        if document is None:
            self.office_id, self.office_options, self.assignment = "", [], {}
            return
        self.office_id = str(document.office_id or "")
        self.office_options = [{"id": str(o.id), "name": o.name} for o in offices.list_offices(True)
                               if o.active or o.id == document.office_id]
        self.assignment = assignments.link_of(document.id) or {}

    @rx.event
    @signed_in
    def set_shared(self, shared: bool, *, user: User):
        document = documents.get_document(user, self._uid(), to_change=True)
        if document is None:
            return rx.toast.error(self._t("error.forbidden"))
        try:
            offices.set_shared(user, document, bool(shared), self._client())
        except Forbidden as exc:
            return rx.toast.error(self._t(exc.code))
        self.doc = {**self.doc, "shared": bool(shared)}
        key = "detail.shared_on" if shared else "detail.shared_off"
        return rx.toast.success(self._t(key, office=self.office_name))

    @rx.event
    @signed_in
    def set_office(self, office_id: str, *, user: User):
        document = documents.get_document(user, self._uid(), to_change=True)
        if document is None:
            return rx.toast.error(self._t("error.forbidden"))
        try:
            target = int(office_id) if office_id not in ("", NO_OFFICE) else None
            changed = offices.set_document_office(user, document, target, self._client())
        except (Forbidden, ValueError) as exc:
            return rx.toast.error(self._t(getattr(exc, "code", "error.forbidden")))
        self.office_id = str(target or "")
        name = offices.office_name(target) or self._t("admin.no_office")
        return rx.toast.success(self._t("detail.office_saved", office=name)) if changed else None

    @rx.event
    @signed_in
    def find_assignments(self, form: dict, *, user: User):
        query = str(form.get("q", "")).strip()[:100]
        self.assignment_choices = assignments.find(user, query) if query else []

    @rx.event
    @signed_in
    def link_assignment(self, assignment_id: int, *, user: User):
        document = documents.get_document(user, self._uid(), to_change=True)
        if document is None:
            return rx.toast.error(self._t("error.forbidden"))
        target = int(assignment_id) or None
        try:
            assignments.link_document(user, document, target, self._client())
        except Forbidden as exc:
            return rx.toast.error(self._t(exc.code))
        self.assignment = assignments.link_of(document.id) or {}
        self.assignment_choices = []
        said = "detail.assignment_linked" if target else "detail.assignment_unlinked"
        return rx.toast.success(self._t(said))


def share_control() -> rx.Component:
    """The owner shares with their office; a colleague sees who may read it."""
    tr = AppState.tr
    return rx.cond(
        DetailState.can_change & (DetailState.office_name != ""),
        rx.vstack(
            rx.hstack(
                rx.switch(checked=DetailState.doc["shared"].to(bool),
                          on_change=OfficeState.set_shared, id="share-switch"),
                rx.text(tr["detail.share"], size="2", weight="medium"),
                align="center",
            ),
            rx.text(tr["detail.share_hint"].to(str).replace("{office}", DetailState.office_name),
                    size="1", color_scheme="gray"),
            spacing="1",
        ),
        rx.cond(
            ~DetailState.can_change & DetailState.doc["shared"].to(bool),
            rx.badge(rx.icon("users", size=12), tr["detail.shared_by_colleague"],
                     color_scheme="blue", id="shared-by-colleague"),
        ),
    )


def office_and_assignment() -> rx.Component:
    """The office the document belongs to and the assignment it is linked to: changeable by
    who may change the document, shown to the others."""
    tr = AppState.tr
    linked = OfficeState.assignment.contains("id")
    return rx.vstack(
        rx.hstack(
            rx.text(tr["detail.office"], size="2", weight="medium", min_width="5em"),
            rx.cond(
                DetailState.can_change,
                rx.select.root(
                    rx.select.trigger(placeholder=tr["admin.no_office"], id="document-office"),
                    rx.select.content(
                        rx.select.item(tr["admin.no_office"], value=NO_OFFICE),
                        rx.foreach(OfficeState.office_options,
                                   lambda o: rx.select.item(o["name"], value=o["id"]))),
                    value=rx.cond(OfficeState.office_id == "", NO_OFFICE, OfficeState.office_id),
                    on_change=OfficeState.set_office, size="1"),
                rx.text(OfficeState.office_label, size="2", id="document-office-name"),
            ),
            align="center", spacing="2", wrap="wrap"),
        rx.hstack(
            rx.text(tr["detail.assignment"], size="2", weight="medium", min_width="5em"),
            rx.cond(linked,
                    rx.hstack(
                        rx.link(OfficeState.assignment["label"].to(str),
                                href="/assignments/" + OfficeState.assignment["id"].to(str), size="2",
                                id="document-assignment"),
                        rx.badge(tr["assignments.how." + OfficeState.assignment["how"].to(str)],
                                 variant="outline", size="1"),
                        rx.cond(DetailState.can_change,
                                rx.button(tr["detail.assignment_unlink"], size="1", variant="ghost",
                                          on_click=OfficeState.link_assignment(0), id="unlink-assignment")),
                        align="center", spacing="2", wrap="wrap"),
                    rx.text(tr["detail.assignment_none"], size="2", color_scheme="gray")),
            align="center", spacing="2", wrap="wrap"),
        rx.cond(DetailState.can_change, rx.vstack(
            rx.form(rx.hstack(
                rx.input(name="q", placeholder=tr["detail.assignment_search"], size="1",
                         id="assignment-search", width="16em"),
                rx.button(rx.icon("search", size=14), type="submit", size="1", variant="soft"),
                spacing="2"), on_submit=OfficeState.find_assignments),
            rx.foreach(OfficeState.assignment_choices, lambda a: rx.button(
                a["label"], size="1", variant="outline", on_click=OfficeState.link_assignment(a["id"]),
                class_name="assignment-choice")),
            spacing="1")),
        spacing="2", width="100%", id="office-and-assignment",
    )


