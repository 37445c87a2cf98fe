"""Correcting a document's type, tags and custom fields on its page: an inline editor for
who may change the document. Each field is checked against its kind in the service
(services/intelligence/corrections.py) and a value that does not fit is named beside its
field; nothing is saved until all fit. Saved corrections are recorded as a review's are,
so the local model learns from them. Save is busy while it works and a second click finds
the editor closed (a double click saves once)."""

from __future__ import annotations

import reflex as rx

from dokvault.models import User
from dokvault.pages.documents.detail_state import DetailState, field_value
from dokvault.services import documents
from dokvault.services.intelligence import corrections, review, taxonomy
from dokvault.services.intelligence.corrections import Correction
from dokvault.state.base import AppState
from dokvault.state.busy import while_busy
from dokvault.state.guards import signed_in

NO_TYPE = "-"  # a select item cannot have an empty value
MAX_TYPED = 500  # characters kept of what is typed in one field


class FieldEditState(DetailState):
    edit_uid: str = ""  # the document being edited ("": none; a reload of it keeps what was typed)
    saving: bool = False
    type_options: list[str] = []
    tag_options: list[str] = []
    field_specs: list[dict[str, str]] = []  # key, label, kind, hint (an i18n key or "")
    chosen_type: str = NO_TYPE
    chosen_tags: list[str] = []
    values: dict[str, str] = {}
    errors: dict[str, str] = {}  # field key (or "type") -> i18n key

    @rx.event
    @signed_in
    def start_edit(self, *, user: User):
        document = documents.get_document(user, self._uid(), to_change=True)
        if document is None:
            return rx.toast.error(self._t("error.forbidden"))
        known = taxonomy.load()
        current = review.current_values(document)
        self.type_options = [NO_TYPE, *known.type_names()]
        self.tag_options = known.tag_names()
        self.field_specs = [{"key": f.key, "label": f.label, "kind": str(f.kind),
                             "hint": _hint(f.key, f.kind)} for f in known.fields]
        self.chosen_type = current.document_type or NO_TYPE
        self.chosen_tags = list(current.tags)
        self.values = {f.key: field_value(current.fields.get(f.key, ""), f.kind) for f in known.fields}
        self.errors = {}
        self.edit_uid = str(document.uid)
        return None

    @rx.event
    def cancel_edit(self):
        self.edit_uid, self.errors = "", {}

    @rx.event
    def choose_type(self, value: str):
        self.chosen_type = value
        self.errors = {k: v for k, v in self.errors.items() if k != "type"}

    @rx.event
    def toggle_tag(self, name: str):
        self.chosen_tags = ([t for t in self.chosen_tags if t != name] if name in self.chosen_tags
                            else [*self.chosen_tags, name])

    @rx.event
    def set_value(self, key: str, value: str):
        self.values = {**self.values, key: str(value)[:MAX_TYPED]}
        if key in self.errors:
            self.errors = {k: v for k, v in self.errors.items() if k != key}

    @rx.event
    @signed_in
    @while_busy("saving")
    def save(self, *, user: User):
        if not self.edit_uid or self.edit_uid != self._uid():
            return None  # a second click of a double click: the first saved and closed the editor
        correction = Correction(None if self.chosen_type == NO_TYPE else self.chosen_type,
                                list(self.chosen_tags), dict(self.values))
        outcome = corrections.correct(user, self._uid(), correction, self._client())
        if outcome.forbidden:
            return rx.toast.error(self._t("error.forbidden"))
        if outcome.errors:
            self.errors = outcome.errors
            return rx.toast.error(self._t("detail.fix_fields"))
        self.edit_uid, self.errors = "", {}
        self.load()
        return rx.toast.success(self._t("detail.corrected" if outcome.changed else "detail.confirmed"))


def editing() -> rx.Var:
    """Whether the editor is open on the document shown (another document's page never
    shows it)."""
    return (FieldEditState.edit_uid != "") & (FieldEditState.edit_uid == DetailState.doc["uid"].to(str))


def _hint(key: str, kind: str) -> str:
    if key == "gnr_bnr":
        return "detail.hint.gnr_bnr"
    return f"detail.hint.{kind}" if kind in ("date", "money", "integer") else ""


def edit_button() -> rx.Component:
    """Opens the editor; for who may change the document, once its suggestions are in."""
    return rx.cond(
        DetailState.can_change & ~DetailState.in_trash & ~editing()
        & ~DetailState.meta["classifying"].to(bool) & ~DetailState.doc["pending"].to(bool),
        rx.button(rx.icon("pencil", size=14), AppState.tr["detail.edit"], size="1", variant="soft",
                  on_click=FieldEditState.start_edit, id="edit-fields"),
    )


def _tag_chip(name: rx.Var) -> rx.Component:
    chosen = FieldEditState.chosen_tags.contains(name)
    return rx.badge(
        rx.cond(chosen, rx.icon("check", size=12), rx.icon("plus", size=12)), name,
        variant=rx.cond(chosen, "solid", "outline"), size="2", cursor="pointer",
        on_click=FieldEditState.toggle_tag(name), class_name="edit-tag",
        data_chosen=rx.cond(chosen, "true", "false"),
    )


def _error(key: rx.Var | str) -> rx.Component:
    errors = FieldEditState.errors
    return rx.cond(errors.contains(key),
                   rx.text(rx.icon("circle-alert", size=12), " ", AppState.tr[errors[key].to(str)],
                           size="1", color_scheme="red", class_name="field-error", data_key=key))


def _field_input(spec: rx.Var) -> rx.Component:
    key = spec["key"].to(str)
    return rx.vstack(
        rx.text(spec["label"], size="1", color_scheme="gray"),
        rx.input(
            value=FieldEditState.values[key].to(str),
            on_change=lambda value: FieldEditState.set_value(key, value),
            placeholder=rx.cond(spec["hint"].to(str) != "", AppState.tr[spec["hint"].to(str)], ""),
            color_scheme=rx.cond(FieldEditState.errors.contains(key), "red", "gray"),
            size="2", width="100%", class_name="edit-field", data_key=key,
            input_mode=rx.cond(spec["kind"].to(str) == "money", "decimal", "text"),
        ),
        _error(key),
        spacing="1", width="100%",
    )


def edit_form() -> rx.Component:
    tr = AppState.tr
    return rx.card(
        rx.vstack(
            rx.heading(tr["detail.edit_title"], size="3"),
            rx.text(tr["detail.edit_hint"], size="1", color_scheme="gray"),
            rx.vstack(
                rx.text(tr["detail.doc_type"], size="2", weight="medium"),
                rx.select.root(
                    rx.select.trigger(id="edit-type", width="100%"),
                    rx.select.content(rx.foreach(FieldEditState.type_options, lambda t: rx.select.item(
                        rx.cond(t == NO_TYPE, tr["detail.no_type"], t), value=t))),
                    value=FieldEditState.chosen_type, on_change=FieldEditState.choose_type),
                _error("type"),
                spacing="1", width="100%", max_width="24em",
            ),
            rx.text(tr["detail.tags"], size="2", weight="medium"),
            rx.hstack(rx.foreach(FieldEditState.tag_options, _tag_chip), wrap="wrap", spacing="2"),
            rx.text(tr["detail.fields"], size="2", weight="medium"),
            rx.grid(rx.foreach(FieldEditState.field_specs, _field_input),
                    columns=rx.breakpoints(initial="1", sm="2"), spacing="3", width="100%"),
            rx.hstack(
                rx.button(rx.icon("save", size=16), tr["detail.save"], on_click=FieldEditState.save,
                          loading=FieldEditState.saving, disabled=FieldEditState.saving, id="edit-save"),
                rx.button(tr["detail.cancel"], variant="soft", color_scheme="gray",
                          on_click=FieldEditState.cancel_edit, disabled=FieldEditState.saving,
                          id="edit-cancel"),
                spacing="3", wrap="wrap",
            ),
            spacing="3", width="100%",
        ),
        width="100%", id="edit-form",
    )


def about_or_editor(about: rx.Component) -> rx.Component:
    """The document's type, tags and fields as shown, or the editor in their place."""
    return rx.cond(editing(), edit_form(), rx.vstack(about, edit_button(), spacing="2",
                                                                  width="100%"))
