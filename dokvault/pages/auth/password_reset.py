"""Forgotten password: ask for a link by e-mail (/forgot-password), then choose a new
password through it (/reset-password?token=...). Both forms post natively to
/api/auth/forgot and /api/auth/reset (dokvault.api.password_reset)."""

from __future__ import annotations

import reflex as rx

from dokvault.components.auth_card import auth_card, field
from dokvault.components.forms import native_form
from dokvault.pages.auth.login import LoginState, messages
from dokvault.services.auth import password_reset
from dokvault.state.base import AppState


class PasswordResetState(LoginState):
    reset_token: str = ""
    mail_leaves: bool = True

    @rx.event
    def load_forgot(self):
        self._messages()
        self.mail_leaves = password_reset.mail_leaves()
        return None

    @rx.event
    def load_reset(self):
        self._messages()
        self.reset_token = self.router.url.query_parameters.get("token", "")[:2048]
        return None


def _back_to_login() -> rx.Component:
    return rx.link(AppState.tr["reset.back_to_login"], href="/login", size="2",
                   id="back-to-login")


def forgot_password_page() -> rx.Component:
    return auth_card(
        messages(),
        "reset.forgot_title",
        rx.cond(~PasswordResetState.mail_leaves,
                rx.callout(AppState.tr["reset.no_mail"], icon="mail-x", color_scheme="amber",
                           id="reset-no-mail")),
        rx.text(AppState.tr["reset.forgot_intro"], size="2"),
        native_form(
            rx.vstack(
                field("login.email", "email", "email", auto_complete="username"),
                rx.button(AppState.tr["reset.send"], type="submit", size="3", width="100%",
                          id="send-reset-link"),
                spacing="4",
                width="100%",
            ),
            action="/api/auth/forgot",
            form_id="forgot-form",
            width="100%",
        ),
        _back_to_login(),
    )


def reset_password_page() -> rx.Component:
    return auth_card(
        messages(),
        "reset.title",
        rx.cond(
            PasswordResetState.reset_token != "",
            rx.fragment(
                rx.text(AppState.tr["reset.intro"], size="2"),
                native_form(
                    rx.vstack(
                        rx.el.input(type="hidden", name="token", id="reset-token",
                                    value=PasswordResetState.reset_token),
                        field("reset.new_password", "password", "password",
                              auto_complete="new-password", min_length=LoginState.password_min),
                        field("setup.password_confirm", "password_confirm", "password",
                              auto_complete="new-password", min_length=LoginState.password_min),
                        rx.button(AppState.tr["reset.submit"], type="submit", size="3",
                                  width="100%", id="save-new-password"),
                        spacing="4",
                        width="100%",
                    ),
                    action="/api/auth/reset",
                    form_id="reset-form",
                    width="100%",
                ),
            ),
            rx.link(AppState.tr["reset.request_new"], href="/forgot-password", size="2",
                    id="request-new-link"),
        ),
        _back_to_login(),
    )
