"""The user's own account: who they are, and changing the password.

A password change verifies the current password, applies the policy (HIBP
included, fail-open), rehashes with Argon2id and signs out every other session;
this browser stays signed in. Wrong current passwords are limited per session (and per
IP), so the form is no side door for guessing, and someone else's failed sign-ins to the
account never block the owner's change.
"""

from __future__ import annotations

import asyncio

import reflex as rx

from dokvault import db
from dokvault.components.layout import page_frame
from dokvault.core import audit
from dokvault.models import User
from dokvault.services.auth import accounts, passwords
from dokvault.state import busy
from dokvault.state.base import AppState
from dokvault.state.busy import while_busy
from dokvault.state.guards import signed_in


class AccountState(AppState):
    # The outcome of the last change, as a text key (and a number for its placeholder).
    message_key: str = ""
    message_n: int = 0
    succeeded: bool = False
    changing: bool = False  # a change is running: the button takes no more clicks
    password_min: int = passwords.MIN_PASSWORD_LENGTH  # the security policy's
    # The last change this tab made ("<fingerprint>@<time>", see state/busy.py): the same
    # form again at once is its double click, not a wrong current password.
    _changed: str = ""

    @rx.var
    def role_key(self) -> str:
        return f"account.role.{self.user_role}"

    def _say(self, key: str, n: int = 0, ok: bool = False):
        self.message_key, self.message_n, self.succeeded = key, n, ok
        text = self._t(key, n=n, minutes=n)
        return rx.toast.success(text) if ok else rx.toast.error(text)

    @rx.event
    @signed_in
    def load(self, *, user: User):
        self.user_email, self.user_name, self.user_role = user.email, user.name, user.role
        self.message_key, self.message_n, self.succeeded = "", 0, False
        self.password_min = passwords.minimum()
        return None

    @rx.event
    @while_busy("changing")
    async def change_password(self, form_data: dict[str, str]):
        who = self._signed_in()
        if who is None:
            return self._signed_out()
        user = who.user
        current = form_data.get("current_password", "")
        new = form_data.get("new_password", "")
        sent = busy.fingerprint(user.id, current, new)
        if busy.is_repeat(self._changed, sent):
            return None  # changed by the first click: keep its message, count no guess
        if new != form_data.get("new_password_confirm", ""):
            return self._say("account.mismatch")
        client = self._client()
        limited = await asyncio.to_thread(accounts.password_change_attempt, who.session_id,
                                          client.ip)
        if limited:
            await asyncio.to_thread(audit.record, "auth.rate_limited", actor_id=user.id,
                                    client=client, action="password_change")
            return self._say("error.rate_limited", max(1, round(limited.retry_after / 60)))
        def change() -> int:
            with db.session() as s:
                return accounts.change_password(s, user, current, new, who.session_id, client)

        try:  # Argon2id and the HIBP request: off the event loop
            revoked = await asyncio.to_thread(change)
        except accounts.AccountError as exc:
            return self._say(exc.code, exc.values.get("n", 0))
        self._changed = busy.stamp(sent)
        await asyncio.to_thread(accounts.password_change_succeeded, who.session_id)
        return self._say("account.changed", revoked, ok=True)


def detail_row(label_key: str, value: rx.Var, row_id: str) -> rx.Component:
    return rx.data_list.item(
        rx.data_list.label(AppState.tr[label_key]),
        rx.data_list.value(value, id=row_id),
    )


def password_field(label_key: str, name: str, auto_complete: str) -> rx.Component:
    return rx.vstack(
        rx.text(AppState.tr[label_key], size="2", weight="medium"),
        rx.input(name=name, id=name, type="password", required=True, size="3", width="100%",
                 auto_complete=auto_complete,
                 min_length=1 if name == "current_password" else AccountState.password_min),
        spacing="1",
        width="100%",
    )


def outcome() -> rx.Component:
    text = (AppState.tr[AccountState.message_key].to(str)
            .replace("{n}", AccountState.message_n.to(str))
            .replace("{minutes}", AccountState.message_n.to(str)))
    return rx.cond(
        AccountState.message_key != "",
        rx.cond(
            AccountState.succeeded,
            rx.callout(text, icon="circle-check", color_scheme="green", id="account-success"),
            rx.callout(text, icon="circle-alert", color_scheme="red", id="account-error"),
        ),
    )


def account_page() -> rx.Component:
    tr = AppState.tr
    return page_frame(
        rx.heading(tr["account.title"], size="7"),
        rx.hstack(
            rx.link(rx.button(rx.icon("shield-check", size=16), tr["account.security_link"],
                              variant="soft"), href="/account/security", id="account-security-link"),
            rx.link(rx.button(rx.icon("monitor-smartphone", size=16), tr["account.sessions_link"],
                              variant="soft"), href="/account/sessions", id="account-sessions-link"),
            spacing="3",
        ),
        rx.card(
            rx.vstack(
                rx.heading(tr["account.profile"], size="4"),
                rx.data_list.root(
                    detail_row("account.name",
                               rx.cond(AppState.user_name != "", AppState.user_name, "—"),
                               "account-name"),
                    detail_row("account.email", AppState.user_email, "account-email"),
                    detail_row("account.role", tr[AccountState.role_key], "account-role"),
                ),
                spacing="3",
            ),
            width="100%",
            max_width="560px",
        ),
        rx.card(
            rx.vstack(
                rx.heading(tr["account.change_title"], size="4"),
                rx.text(tr["account.change_hint"], size="2", color_scheme="gray"),
                outcome(),
                rx.form(
                    rx.vstack(
                        password_field("account.current_password", "current_password",
                                       "current-password"),
                        password_field("account.new_password", "new_password", "new-password"),
                        password_field("account.new_password_confirm", "new_password_confirm",
                                       "new-password"),
                        rx.button(rx.icon("key-round", size=16), tr["account.submit"],
                                  type="submit", size="3", loading=AccountState.changing,
                                  id="change-password"),
                        spacing="4",
                        width="100%",
                    ),
                    on_submit=AccountState.change_password,
                    reset_on_submit=True,
                    width="100%",
                    id="change-password-form",
                ),
                spacing="4",
                width="100%",
            ),
            width="100%",
            max_width="560px",
        ),
    )
