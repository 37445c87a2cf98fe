"""The root state: who is signed in (checked on the server at every event) and the UI language."""

from __future__ import annotations

import reflex as rx

from dokvault import db
from dokvault.api.cookies import session_token_from_header
from dokvault.i18n import MESSAGES, translate
from dokvault.models import Role, User
from dokvault.services import accounts, two_factor
from dokvault.services.audit import Client


class AppState(rx.State):
    lang: str = rx.Cookie("nb", name="dokvault_lang", same_site="strict", max_age=365 * 86400)
    user_email: str = ""
    user_name: str = ""
    user_role: str = ""

    @rx.var
    def tr(self) -> dict[str, str]:
        return MESSAGES.get(self.lang, MESSAGES["nb"])

    @rx.var
    def is_admin(self) -> bool:
        return self.user_role == Role.ADMIN

    def t(self, key: str, **values) -> str:
        return translate(self.lang, key, **values)

    def session_token(self) -> str | None:
        return session_token_from_header(self.router.headers.cookie)

    def current_user(self) -> User | None:
        """Resolve the httpOnly session cookie sent with this connection, on every call."""
        with db.session() as s:
            return accounts.resolve_session(s, self.session_token())

    def current_admin(self) -> User | None:
        """The signed-in user if an admin; every admin handler starts here."""
        user = self.current_user()
        return user if user is not None and user.role == Role.ADMIN else None

    def client(self) -> Client:
        return Client(ip=self.router.session.client_ip or "",
                      user_agent=self.router.headers.user_agent or "")

    def signed_out(self):
        self.user_email = self.user_name = self.user_role = ""
        return rx.redirect("/login", replace=True)

    @rx.event
    def require_user(self):
        """on_load of every signed-in page."""
        user = self.current_user()
        if user is None:
            return self.signed_out()
        self.user_email, self.user_name, self.user_role = user.email, user.name, user.role
        if self.router.url.path.rstrip("/") != "/account/security" and two_factor.must_enrol(user):
            return rx.redirect("/account/security", replace=True)  # the organisation requires 2FA
        return None

    @rx.event
    def toggle_language(self):
        self.lang = "en" if self.lang == "nb" else "nb"
