"""What /admin/users shows: the invitation form, a link to the offices (/admin/offices), the
table of users with their storage against their quota, and the dialogs that edit a user,
confirm a destructive action and show an invitation's link."""

from __future__ import annotations

import reflex as rx

from dokvault.components.admin_form import admin_form, confirm_button, form_field
from dokvault.components.layout import LONG_NAME, WIDE_CELL, page_frame
from dokvault.pages.admin.users import NO_OFFICE, ROLES, AdminUsersState
from dokvault.state.base import AppState

State = AdminUsersState


def role_label(role: rx.Var) -> rx.Var:
    return AppState.tr["role." + role.to(str)]


def role_select(name: str, value, select_id: str, **props) -> rx.Component:
    return rx.select.root(
        rx.select.trigger(id=select_id, width="100%"),
        rx.select.content(*[rx.select.item(AppState.tr[f"role.{r}"], value=r) for r in ROLES]),
        name=name, **({"default_value": value} if value is not None else {}), **props,
    )


def usage_cell(user: rx.Var) -> rx.Component:
    tr = AppState.tr
    percent = user["usage_percent"].to(int)
    return rx.vstack(
        rx.text(user["usage_used"], rx.cond(user["usage_limit"].to(str) != "",
                                            rx.text.span(" / ", user["usage_limit"])),
                size="2", class_name="usage-bytes"),
        rx.cond(user["usage_limited"].to(bool),
                rx.progress(value=percent, max=100, size="1", width="6em",
                            color_scheme=rx.cond(percent >= 90, "red", "blue"))),
        rx.text(user["usage_documents"], " ", tr["users.documents"], size="1",
                color_scheme="gray"),
        spacing="1",
    )


def row_actions(user: rx.Var) -> rx.Component:
    tr = AppState.tr
    email = user["email"].to(str)
    pending_actions = rx.cond(
        user["pending"],
        rx.hstack(
            rx.cond(State.mail_leaves, rx.button(
                rx.icon("send", size=14), tr["users.resend"], size="1", variant="soft",
                class_name="resend-invitation", on_click=State.resend_invitation(user["id"]))),
            rx.button(rx.icon("link", size=14), tr["users.copy_link"], size="1", variant="soft",
                      class_name="copy-invitation-link", on_click=State.show_link(user["id"])),
            spacing="2",
        ),
    )
    return rx.cond(
        user["is_self"],
        rx.button(rx.icon("pencil", size=14), tr["users.edit"], size="1", variant="soft",
                  class_name="edit-user", on_click=State.open_edit(user["id"])),
        rx.hstack(
            rx.button(rx.icon("pencil", size=14), tr["users.edit"], size="1", variant="soft",
                      class_name="edit-user", on_click=State.open_edit(user["id"])),
            pending_actions,
            rx.cond(~State.mail_leaves & ~user["pending"].to(bool) & user["is_active"].to(bool),
                    rx.button(rx.icon("key-round", size=14), tr["admin.reset_link"], size="1",
                              variant="soft", class_name="reset-link",
                              on_click=State.make_reset_link(user["id"]))),
            rx.cond(
                user["is_active"],
                confirm_button(
                    rx.button(tr["admin.deactivate"], size="1", variant="soft", color_scheme="red",
                              class_name="deactivate-user", disabled=State.activating),
                    tr["users.deactivate_title"].to(str).replace("{email}", email),
                    "users.deactivate_body", State.set_active(user["id"], False),
                    confirm_key="admin.deactivate"),
                rx.button(tr["admin.activate"], size="1", variant="soft",
                          class_name="activate-user", disabled=State.activating,
                          on_click=State.set_active(user["id"], True)),
            ),
            rx.cond(user["two_factor"], confirm_button(
                rx.button(tr["admin.reset_2fa"], size="1", variant="ghost", class_name="reset-2fa"),
                tr["users.reset_2fa_title"].to(str).replace("{email}", email),
                "users.reset_2fa_body", State.reset_two_factor(user["id"]),
                confirm_key="admin.reset_2fa")),
            confirm_button(
                rx.icon_button(rx.icon("trash-2", size=14), size="1", variant="soft",
                               color_scheme="red", class_name="delete-user",
                               aria_label=tr["users.delete"]),
                tr["users.delete_title"].to(str).replace("{email}", email),
                "users.delete_body", State.delete_user(user["id"]), confirm_key="users.delete"),
            spacing="2", wrap="wrap",
        ),
    )


def user_row(user: rx.Var) -> rx.Component:
    tr = AppState.tr
    return rx.table.row(
        rx.table.cell(rx.vstack(
            rx.hstack(rx.text(user["email"], weight="medium", style=LONG_NAME),
                      rx.cond(user["pending"], rx.badge(tr["users.pending"], color_scheme="amber",
                                                        class_name="pending-badge")),
                      rx.cond(~user["is_active"].to(bool),  # the status column's, on a phone
                              rx.badge(tr["admin.inactive"], color_scheme="red",
                                       display=["inline-flex", "inline-flex", "none"])),
                      spacing="2", align="center", wrap="wrap"),
            rx.text(user["name"], size="1", color_scheme="gray"),
            spacing="0",
        ), min_width="9em"),
        rx.table.cell(rx.text(role_label(user["role"]),
                              rx.cond(user["is_self"], rx.text.span(" (", tr["admin.you"], ")"))),
                      class_name="user-role"),
        rx.table.cell(rx.text(rx.cond(user["office_name"].to(str) == "", tr["admin.no_office"],
                                      user["office_name"].to(str)), size="2"),
                      class_name="user-office", display=WIDE_CELL),
        rx.table.cell(rx.cond(user["two_factor"], rx.icon("shield-check", color="green", size=16),
                              rx.icon("shield-off", color="gray", size=16)), display=WIDE_CELL),
        rx.table.cell(usage_cell(user), class_name="user-usage", display=WIDE_CELL),
        rx.table.cell(rx.text(user["last_login_at"], size="2"), display=WIDE_CELL),
        rx.table.cell(rx.cond(user["is_active"],
                              rx.badge(tr["admin.active"], color_scheme="green"),
                              rx.badge(tr["admin.inactive"], color_scheme="red")),
                      display=WIDE_CELL),
        rx.table.cell(row_actions(user)),
        align="center",
        class_name="user-row",
    )


def invite_form() -> rx.Component:
    tr = AppState.tr
    return rx.card(
        rx.vstack(
            rx.heading(tr["admin.invite_title"], size="4"),
            rx.text(tr["admin.invite_hint"], size="2", color_scheme="gray"),
            admin_form(
                State, "invite",
                rx.grid(
                    form_field(State, "invite", "email", "login.email",
                               rx.input(name="email", type="email", id="invite-email",
                                        max_length=320, width="100%")),
                    form_field(State, "invite", "name", "setup.name",
                               rx.input(name="name", id="invite-name", width="100%")),
                    form_field(State, "invite", "role", "admin.col_role",
                               role_select("role", "broker", "invite-role")),
                    columns=rx.breakpoints(initial="1", md="3"), spacing="3", width="100%",
                ),
                on_submit=State.invite, submit_key="admin.invite", submit_icon="send",
                busy=State.inviting, key=State.invite_version.to(str),
            ),
            spacing="3",
        ),
        width="100%",
    )


def edit_dialog() -> rx.Component:
    tr, edit = AppState.tr, State.edit
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(tr["users.edit_title"].to(str).replace("{email}", edit["email"].to(str))),
            admin_form(
                State, "user",
                form_field(State, "user", "name", "setup.name",
                           rx.input(name="name", default_value=edit["name"].to(str), id="user-name",
                                    width="100%")),
                form_field(State, "user", "role", "admin.col_role",
                           role_select("role", edit["role"].to(str), "user-role",
                                       disabled=edit["is_self"].to(bool))),
                form_field(State, "user", "office_id", "admin.col_office", rx.select.root(
                    rx.select.trigger(id="user-office", width="100%"),
                    rx.select.content(
                        rx.select.item(tr["admin.no_office"], value=NO_OFFICE),
                        rx.foreach(State.offices,
                                   lambda o: rx.select.item(o["name"], value=o["id"].to(str))),
                    ),
                    name="office_id", default_value=edit["office_id"].to(str),
                )),
                on_submit=State.save_user, submit_key="form.save",
                extra_buttons=(rx.button(tr["form.cancel"], type="button", variant="soft",
                                         color_scheme="gray", id="user-cancel",
                                         on_click=State.edit_changed(False)),),
                key=edit["id"].to(str),
            ),
            max_width="520px",
            id="user-dialog",
        ),
        open=State.edit_open,
        on_open_change=State.edit_changed,
    )


def link_dialog() -> rx.Component:
    tr = AppState.tr
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(rx.cond(State.link_is_reset, tr["users.reset_title"],
                                    tr["users.link_title"]).to(str)
                            .replace("{email}", State.link_email)),
            rx.dialog.description(rx.cond(State.link_is_reset, tr["users.reset_hint"],
                                          tr["users.link_hint"]).to(str)
                                  .replace("{email}", State.link_email), size="2"),
            rx.cond(~State.mail_leaves, rx.callout(
                tr["admin.link_note"].to(str).replace("{email}", State.link_email), icon="mail-x",
                color_scheme="amber", size="1", id="password-link-note")),
            rx.vstack(
                rx.input(value=State.link, read_only=True, id="invitation-link", width="100%"),
                rx.hstack(
                    rx.button(rx.icon("copy", size=16), tr["users.copy"], on_click=State.copy_link,
                              id="copy-link"),
                    rx.dialog.close(rx.button(tr["form.close"], variant="soft", color_scheme="gray",
                                              id="close-link")),
                    spacing="3", justify="end", width="100%",
                ),
                spacing="3", padding_top="1em",
            ),
            max_width="560px",
        ),
        open=State.link != "",
        on_open_change=State.close_link,
    )


def users_page() -> rx.Component:
    tr = AppState.tr
    return page_frame(
        rx.heading(tr["admin.users_title"], size="7"),
        invite_form(),
        rx.link(rx.hstack(rx.icon("building-2", size=14), rx.text(tr["users.offices_link"], size="2"),
                          spacing="2", align="center"), href="/admin/offices", id="offices-link"),
        rx.box(
            rx.table.root(
                rx.table.header(rx.table.row(
                    rx.table.column_header_cell(tr["admin.col_user"]),
                    rx.table.column_header_cell(tr["admin.col_role"]),
                    rx.table.column_header_cell(tr["admin.col_office"], display=WIDE_CELL),
                    rx.table.column_header_cell(tr["admin.col_2fa"], display=WIDE_CELL),
                    rx.table.column_header_cell(tr["users.col_storage"], display=WIDE_CELL),
                    rx.table.column_header_cell(tr["admin.col_last_login"], display=WIDE_CELL),
                    rx.table.column_header_cell(tr["admin.col_status"], display=WIDE_CELL),
                    rx.table.column_header_cell(""),
                )),
                rx.table.body(rx.foreach(State.users, user_row)),
                width="100%",
                variant="surface",
                id="users-table",
            ),
            width="100%", overflow_x="auto",
        ),
        edit_dialog(),
        link_dialog(),
    )
