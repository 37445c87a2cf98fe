"""The page side of DokVault's admin form pattern (the state side, and the whole pattern,
is described in state/forms.py): a field with its label, hint and server-side error beside
it, a form with its submit button and its own error, and a confirmation dialog in front of
a destructive action.

    admin_form(QuotasState, "quota",
               form_field(QuotasState, "quota", "max_bytes", "quotas.max_bytes",
                          rx.input(name="max_bytes", id="quota-max-bytes")),
               on_submit=QuotasState.save, submit_key="quotas.save")

    confirm_button(rx.button("Slett", id="delete-user"), "users.delete_title",
                   "users.delete_body", AdminUsersState.delete_user(user["id"]))

Element ids: `<form>-<field>-error` for a field's error, `<form>-error` for the form's,
`<form>-save` for the submit button; a confirmation's button is `confirm-<id>`.
"""

from __future__ import annotations

import reflex as rx

from dokvault.state.base import AppState
from dokvault.state.forms import error_key


def _error_id(form: str, name: str) -> str:
    return f"{form}-{name.replace('_', '-')}-error"


def field_error(state, form: str, name: str) -> rx.Component:
    message = state.errors.get(error_key(form, name), "").to(str)
    return rx.cond(
        message != "",
        rx.text(rx.icon("circle-alert", size=14), message, size="1", color_scheme="red",
                id=_error_id(form, name), class_name="field-error",
                display="flex", align_items="center", gap="0.3em"),
    )


def form_field(state, form: str, name: str, label_key: str, control: rx.Component,
               hint_key: str | None = None, **props) -> rx.Component:
    """A labelled control with its hint and, after a refused submission, its error."""
    tr = AppState.tr
    return rx.vstack(
        rx.text(tr[label_key], size="2", weight="medium", as_="label"),
        control,
        rx.text(tr[hint_key], size="1", color_scheme="gray") if hint_key else rx.fragment(),
        field_error(state, form, name),
        spacing="1",
        width="100%",
        **props,
    )


def form_error(state, form: str) -> rx.Component:
    """An error about the form as a whole (a refusal, a conflict)."""
    message = state.errors.get(error_key(form), "").to(str)
    return rx.cond(message != "", rx.callout(message, icon="triangle-alert", color_scheme="red",
                                            size="1", width="100%", id=f"{form}-error"))


def admin_form(state, form: str, *children: rx.Component, on_submit, submit_key: str,
               submit_icon: str = "save", extra_buttons: tuple[rx.Component, ...] = (),
               busy: rx.Var | None = None, **props) -> rx.Component:
    """The form: its fields, its own error, and the submit button (busy while `busy`,
    by default the state's `saving`)."""
    return rx.form(
        rx.vstack(
            *children,
            form_error(state, form),
            rx.hstack(
                rx.button(rx.icon(submit_icon, size=16), AppState.tr[submit_key], type="submit",
                          loading=state.saving if busy is None else busy, id=f"{form}-save"),
                *extra_buttons,
                spacing="3", align="center", wrap="wrap",
            ),
            spacing="4",
            width="100%",
        ),
        on_submit=on_submit,
        **{"id": f"{form}-form", **props},
    )


def confirm_button(trigger: rx.Component, title_key: str | rx.Var, body: rx.Component | str,
                   on_confirm, *, confirm_key: str = "form.confirm",
                   confirm_id: str | None = None, color: str = "red") -> rx.Component:
    """`trigger` opens a dialog that says what will happen; only its confirm button acts."""
    tr = AppState.tr
    title = tr[title_key] if isinstance(title_key, str) else title_key
    return rx.alert_dialog.root(
        rx.alert_dialog.trigger(trigger),
        rx.alert_dialog.content(
            rx.alert_dialog.title(title),
            rx.alert_dialog.description(tr[body] if isinstance(body, str) else body,
                                        size="2"),
            rx.hstack(
                rx.alert_dialog.cancel(rx.button(tr["form.cancel"], variant="soft",
                                                 color_scheme="gray", class_name="confirm-cancel")),
                rx.alert_dialog.action(rx.button(tr[confirm_key], color_scheme=color,
                                                 on_click=on_confirm, class_name="confirm-action",
                                                 **({"id": confirm_id} if confirm_id else {}))),
                spacing="3", justify="end", padding_top="1em",
            ),
            max_width="480px",
        ),
    )
