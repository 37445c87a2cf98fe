"""The second factor in the UI: the sign-in step /login/2fa (code or backup code, posted
natively so the route can set the httpOnly session cookie) and the security page
/account/security (enrol with a QR code, backup codes, regenerate, turn off)."""

from __future__ import annotations

from http.cookies import SimpleCookie

import reflex as rx

from dokvault.api.two_factor import PENDING_COOKIE
from dokvault.components.auth_card import auth_card, field
from dokvault.components.forms import native_form
from dokvault.pages.auth.login import LoginState, messages
from dokvault.services.auth import two_factor
from dokvault.state.base import AppState

SECURITY_ROUTE = "/account/security"


def _pending_cookie(cookie_header: str) -> str | None:
    jar = SimpleCookie()
    try:
        jar.load(cookie_header or "")
    except Exception:  # a malformed header means no pending sign-in
        return None
    morsel = jar.get(PENDING_COOKIE)
    return morsel.value if morsel else None


# --- /login/2fa ----------------------------------------------------------------------------


class TwoFactorLoginState(LoginState):
    @rx.event
    def load_two_factor(self):
        self._messages()
        if self._current_user() is not None:
            return rx.redirect("/", replace=True)
        if two_factor.read_pending(_pending_cookie(self.router.headers.cookie)) is None:
            return rx.redirect("/login?error=twofa.expired", replace=True)
        return None


def two_factor_login_page() -> rx.Component:
    tr = AppState.tr
    return auth_card(
        messages(),
        "twofa.login_title",
        rx.text(tr["twofa.login_intro"], size="2"),
        native_form(
            rx.vstack(
                field("twofa.code", "code", "text", auto_complete="one-time-code",
                      input_mode="numeric", pattern=r"[0-9 ]{6,7}", max_length=7, auto_focus=True),
                rx.button(tr["twofa.verify"], type="submit", size="3", width="100%",
                          id="verify-code"),
                spacing="4",
                width="100%",
            ),
            action="/api/auth/2fa",
            form_id="two-factor-form",
            width="100%",
        ),
        rx.divider(),
        rx.text(tr["twofa.use_backup"], size="2", weight="bold"),
        native_form(
            rx.vstack(
                field("twofa.backup_code", "backup_code", "text", auto_complete="off",
                      max_length=20, spell_check=False),
                rx.button(tr["twofa.verify_backup"], type="submit", size="3", width="100%",
                          variant="soft", id="verify-backup-code"),
                spacing="4",
                width="100%",
            ),
            action="/api/auth/2fa",
            form_id="backup-code-form",
            width="100%",
        ),
        rx.link(tr["twofa.back_to_login"], href="/login", size="2", id="back-to-login"),
    )


# --- /account/security ---------------------------------------------------------------------
