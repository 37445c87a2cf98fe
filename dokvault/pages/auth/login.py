"""Sign-in and first-run set-up. The forms post natively to /api/auth/*, which set the
httpOnly session cookie; no token ever passes through the page's JavaScript."""

from __future__ import annotations

import reflex as rx

from dokvault import db
from dokvault.components.auth_card import auth_card, field
from dokvault.components.forms import native_form
from dokvault.i18n import MESSAGES
from dokvault.services.auth import accounts, passwords
from dokvault.state.base import AppState


class LoginState(AppState):
    error_key: str = ""
    info_key: str = ""
    password_min: int = passwords.MIN_PASSWORD_LENGTH  # the policy's, for its texts

    def _messages(self) -> None:
        params = self.router.url.query_parameters
        known = MESSAGES["nb"]
        self.error_key = params.get("error", "") if params.get("error", "") in known else ""
        self.info_key = params.get("info", "") if params.get("info", "") in known else ""
        self.password_min = passwords.minimum()

    @rx.event
    def load_login(self):
        self._messages()
        if self._current_user() is not None:
            return rx.redirect("/", replace=True)
        with db.session() as s:
            if accounts.user_count(s) == 0:
                return rx.redirect("/setup", replace=True)
        return None

    @rx.event
    def load_setup(self):
        self._messages()
        with db.session() as s:
            if accounts.user_count(s) > 0:
                return rx.redirect("/login", replace=True)
        return None


def messages() -> rx.Component:
    return rx.fragment(
        rx.cond(LoginState.error_key != "",
                rx.callout(AppState.tr[LoginState.error_key].to(str).replace(
                    "{n}", LoginState.password_min.to(str)), icon="circle-alert",
                    color_scheme="red", id="form-error")),
        rx.cond(LoginState.info_key != "",
                rx.callout(AppState.tr[LoginState.info_key], icon="info", id="form-info")),
    )


def login_page() -> rx.Component:
    return auth_card(
        messages(),
        "login.title",
        native_form(
            rx.vstack(
                field("login.email", "email", "email", auto_complete="username"),
                field("login.password", "password", "password", auto_complete="current-password"),
                rx.button(AppState.tr["login.submit"], type="submit", size="3", width="100%",
                          id="sign-in"),
                spacing="4",
                width="100%",
            ),
            action="/api/auth/login",
            form_id="login-form",
            width="100%",
        ),
        # Text registered by dokvault.pages.auth.password_reset.
        rx.link(AppState.tr["reset.forgot_link"], href="/forgot-password", size="2",
                id="forgot-password-link"),
    )


def setup_page() -> rx.Component:
    return auth_card(
        messages(),
        "setup.title",
        rx.text(AppState.tr["setup.intro"], size="2"),
        native_form(
            rx.vstack(
                field("setup.name", "name", auto_complete="name"),
                field("login.email", "email", "email", auto_complete="username"),
                field("login.password", "password", "password", auto_complete="new-password",
                      min_length=LoginState.password_min),
                field("setup.password_confirm", "password_confirm", "password",
                      auto_complete="new-password", min_length=LoginState.password_min),
                rx.button(AppState.tr["setup.submit"], type="submit", size="3", width="100%",
                          id="create-admin"),
                spacing="4",
                width="100%",
            ),
            action="/api/auth/setup",
            form_id="setup-form",
            width="100%",
        ),
    )
