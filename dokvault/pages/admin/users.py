"""Admin pages: users (role, active) and the audit log with filters."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import reflex as rx

from dokvault.components.layout import LONG_NAME, page_frame
from dokvault.models import Role, User
from dokvault.services import admin
from dokvault.services.admin import offices
from dokvault.services.auth import two_factor
from dokvault.state import busy
from dokvault.state.base import AppState
from dokvault.state.busy import while_busy
from dokvault.state.guards import admin_only

ROLES = [r.value for r in Role]


NO_OFFICE = "none"  # a select item cannot have an empty value


class AdminUsersState(AppState):
    users: list[dict[str, Any]] = []
    offices: list[dict[str, Any]] = []
    # While an invitation or an (de)activation runs: its buttons take no more clicks.
    inviting: bool = False
    activating: bool = False
    # Where DokVault sends no mail: the set-password link to hand on, and for whom.
    mail_leaves: bool = True
    link: str = ""
    link_for: str = ""
    # The invitation this tab sent last ("<fingerprint>@<time>"): the same form again at
    # once is its double click, not someone else's address taken.
    _invited: str = ""

    def _reload(self, actor) -> None:
        self.mail_leaves = admin.mail_delivers()
        self.users = [asdict(u) for u in admin.list_users(actor)]
        self.offices = [{"id": str(o.id), "name": o.name, "members": o.members}
                        for o in offices.list_offices()]

    def _refused(self, exc: admin.Forbidden):
        return rx.toast.error(self._t(exc.code))

    @rx.event
    @admin_only
    def load(self, *, user: User):
        self._reload(user)
        return None

    @rx.event
    @admin_only
    def change_role(self, user_id: int, role: str, *, user: User):
        try:
            admin.set_role(user, int(user_id), role, self._client())
        except admin.Forbidden as exc:
            return self._refused(exc)
        self._reload(user)
        return rx.toast.success(self._t("admin.saved"))

    @rx.event
    @admin_only
    @while_busy("inviting")
    def invite(self, form: dict, *, user: User):
        email = str(form.get("email", ""))[:320]
        sent = busy.fingerprint(email.strip().lower())
        if busy.is_repeat(self._invited, sent):
            return None  # invited a moment ago from this tab: one account, one message
        try:
            invited = admin.invite_user(user, email, str(form.get("name", "")),
                                        str(form.get("role", "broker")), self.lang, self._client())
        except admin.Forbidden as exc:
            return self._refused(exc)
        self._invited = busy.stamp(sent)
        self._reload(user)
        if not self.mail_leaves:  # no mail went: the link to hand on, said so
            self.link = admin.set_password_link(user, invited.id, True, self._client())
            self.link_for = invited.email
            return None
        return rx.toast.success(self._t("admin.invited", email=email.strip().lower()))

    @rx.event
    @admin_only
    def make_reset_link(self, user_id: int, *, user: User):
        """A set-password link to hand on, where DokVault sends no mail."""
        try:
            self.link = admin.set_password_link(user, int(user_id), False, self._client())
        except admin.Forbidden as exc:
            return self._refused(exc)
        self.link_for = next((u["email"] for u in self.users if u["id"] == int(user_id)), "")
        return None

    @rx.event
    @admin_only
    def reset_two_factor(self, user_id: int, *, user: User):
        try:
            two_factor.admin_reset(user, int(user_id), self._client())
        except two_factor.TwoFactorError as exc:
            return rx.toast.error(self._t(exc.code))
        self._reload(user)
        return rx.toast.success(self._t("admin.reset_2fa_done"))

    @rx.event
    @admin_only
    def create_office(self, form: dict, *, user: User):
        name = str(form.get("name", ""))
        try:
            office = offices.create_office(user, name, self._client())
        except admin.Forbidden as exc:
            return self._refused(exc)
        self._reload(user)
        return rx.toast.success(self._t("admin.office_added", name=office.name))

    @rx.event
    @admin_only
    def assign_office(self, user_id: int, office_id: str, *, user: User):
        target = None if office_id in ("", NO_OFFICE) else int(office_id)
        try:
            offices.assign_user(user, int(user_id), target, self._client())
        except (admin.Forbidden, ValueError) as exc:
            return self._refused(exc if isinstance(exc, admin.Forbidden) else admin.Forbidden())
        self._reload(user)
        return rx.toast.success(self._t("admin.saved"))

    @rx.event
    @admin_only
    @while_busy("activating")
    def set_active(self, user_id: int, active: bool, *, user: User):
        try:
            changed = admin.set_active(user, int(user_id), bool(active), self._client())
        except admin.Forbidden as exc:
            return self._refused(exc)
        self._reload(user)
        return rx.toast.success(self._t("admin.saved")) if changed else None


def role_label(role: rx.Var) -> rx.Var:
    return AppState.tr["role." + role.to(str)]


def user_row(user: rx.Var) -> rx.Component:
    tr = AppState.tr
    return rx.table.row(
        rx.table.cell(rx.vstack(
            rx.text(user["email"], weight="medium", style=LONG_NAME),
            rx.text(user["name"], size="1", color_scheme="gray"),
            spacing="0",
        ), min_width="11em"),
        rx.table.cell(
            rx.cond(
                user["is_self"],
                rx.text(role_label(user["role"]), " (", tr["admin.you"], ")"),
                rx.select.root(
                    rx.select.trigger(),
                    rx.select.content(*[
                        rx.select.item(AppState.tr[f"role.{r}"], value=r) for r in ROLES
                    ]),
                    value=user["role"].to(str),
                    on_change=lambda role: AdminUsersState.change_role(user["id"], role),
                    size="1",
                ),
            )
        ),
        rx.table.cell(
            rx.select.root(
                rx.select.trigger(placeholder=tr["admin.no_office"]),
                rx.select.content(
                    rx.select.item(tr["admin.no_office"], value=NO_OFFICE),
                    rx.foreach(AdminUsersState.offices,
                               lambda o: rx.select.item(o["name"], value=o["id"].to(str))),
                ),
                value=rx.cond(user["office_id"].to(str) == "", NO_OFFICE,
                              user["office_id"].to(str)),
                on_change=lambda office: AdminUsersState.assign_office(user["id"], office),
                size="1",
            ),
            class_name="user-office",
        ),
        rx.table.cell(rx.cond(
            user["two_factor"],
            rx.hstack(
                rx.icon("shield-check", color="green", size=16),
                rx.cond(user["is_self"], rx.fragment(),
                        rx.button(AppState.tr["admin.reset_2fa"], size="1", variant="ghost",
                                  class_name="reset-2fa",
                                  on_click=AdminUsersState.reset_two_factor(user["id"]))),
                align="center",
            ),
            rx.icon("shield-off", color="gray", size=16),
        )),
        rx.table.cell(rx.vstack(
            rx.text(user["last_login_at"], size="2"),
            rx.cond(~AdminUsersState.mail_leaves & ~user["is_self"].to(bool),
                    rx.button(tr["admin.reset_link"], size="1", variant="ghost",
                              on_click=AdminUsersState.make_reset_link(user["id"]),
                              class_name="reset-link")),
            spacing="1")),
        rx.table.cell(rx.cond(user["is_active"],
                              rx.badge(tr["admin.active"], color_scheme="green"),
                              rx.badge(tr["admin.inactive"], color_scheme="red"))),
        rx.table.cell(
            rx.cond(
                user["is_self"],
                rx.fragment(),
                rx.cond(
                    user["is_active"],
                    rx.button(tr["admin.deactivate"], size="1", variant="soft",
                              color_scheme="red", class_name="deactivate-user",
                              disabled=AdminUsersState.activating,
                              on_click=AdminUsersState.set_active(user["id"], False)),
                    rx.button(tr["admin.activate"], size="1", variant="soft",
                              class_name="activate-user", disabled=AdminUsersState.activating,
                              on_click=AdminUsersState.set_active(user["id"], True)),
                ),
            )
        ),
        align="center",
        class_name="user-row",
    )


def invite_form() -> rx.Component:
    tr = AppState.tr
    return rx.card(
        rx.form(
            rx.vstack(
                rx.heading(tr["admin.invite_title"], size="4"),
                rx.text(tr["admin.invite_hint"], size="2", color_scheme="gray"),
                rx.hstack(
                    rx.input(name="email", type="email", placeholder=tr["login.email"],
                             required=True, id="invite-email", width="260px"),
                    rx.input(name="name", placeholder=tr["setup.name"], id="invite-name",
                             width="200px"),
                    rx.select.root(
                        rx.select.trigger(id="invite-role"),
                        rx.select.content(*[
                            rx.select.item(AppState.tr[f"role.{r}"], value=r) for r in ROLES
                        ]),
                        name="role",
                        default_value="broker",
                    ),
                    rx.button(rx.icon("send", size=16), tr["admin.invite"], type="submit",
                              loading=AdminUsersState.inviting, id="invite-button"),
                    spacing="3",
                    wrap="wrap",
                    align="center",
                ),
                spacing="3",
            ),
            on_submit=AdminUsersState.invite,
            reset_on_submit=True,
        ),
        width="100%",
    )


def offices_card() -> rx.Component:
    tr = AppState.tr
    return rx.card(
        rx.vstack(
            rx.heading(tr["admin.offices_title"], size="4"),
            rx.text(tr["admin.offices_hint"], size="2", color_scheme="gray"),
            rx.cond(
                AdminUsersState.offices.length() > 0,
                rx.hstack(
                    rx.foreach(AdminUsersState.offices, lambda o: rx.badge(
                        rx.icon("building-2", size=12), o["name"], " · ", o["members"],
                        size="2", variant="surface", class_name="office-badge")),
                    wrap="wrap", spacing="2",
                ),
                rx.text(tr["admin.no_offices"], size="2", color_scheme="gray"),
            ),
            rx.form(
                rx.hstack(
                    rx.input(name="name", placeholder=tr["admin.office_name"], required=True,
                             max_length=200, id="office-name", width="260px"),
                    rx.button(rx.icon("plus", size=16), tr["admin.office_add"], type="submit",
                              variant="soft", id="add-office"),
                    spacing="3", align="center",
                ),
                on_submit=AdminUsersState.create_office,
                reset_on_submit=True,
            ),
            spacing="3",
        ),
        width="100%",
    )


def link_note() -> rx.Component:
    """The link an admin hands on where no mail leaves, with a clear note that none went."""
    return rx.cond(AdminUsersState.link != "", rx.callout(rx.vstack(
        rx.text(AppState.tr["admin.link_note"].to(str).replace("{email}", AdminUsersState.link_for),
                size="2"),
        rx.code(AdminUsersState.link, size="1", style=LONG_NAME, id="password-link"),
        spacing="2"), icon="link", color_scheme="amber", width="100%", id="password-link-note"))


def users_page() -> rx.Component:
    tr = AppState.tr
    return page_frame(
        rx.heading(tr["admin.users_title"], size="7"),
        invite_form(),
        link_note(),
        offices_card(),
        rx.table.root(
            rx.table.header(rx.table.row(
                rx.table.column_header_cell(tr["admin.col_user"]),
                rx.table.column_header_cell(tr["admin.col_role"]),
                rx.table.column_header_cell(tr["admin.col_office"]),
                rx.table.column_header_cell(tr["admin.col_2fa"]),
                rx.table.column_header_cell(tr["admin.col_last_login"]),
                rx.table.column_header_cell(tr["admin.col_status"]),
                rx.table.column_header_cell(""),
            )),
            rx.table.body(rx.foreach(AdminUsersState.users, user_row)),
            width="100%",
            variant="surface",
            id="users-table",
        ),
    )
