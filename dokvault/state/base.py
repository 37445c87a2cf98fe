"""The root state: who is signed in (checked on the server at every event) and the UI language."""

from __future__ import annotations

import json
from urllib.parse import quote

import reflex as rx

from dokvault.api.cookies import ACCESS_COOKIE, cookie_from_header
from dokvault.i18n import MESSAGES, translate
from dokvault.models import Role, User
from dokvault.services import identity, tokens, two_factor
from dokvault.services.audit import Client
from dokvault.services.identity import SignedIn
from dokvault.services.tokens import TokenError


class AppState(rx.State):
    lang: str = rx.Cookie("nb", name="dokvault_lang", same_site="strict", max_age=365 * 86400)
    user_email: str = ""
    user_name: str = ""
    user_role: str = ""
    # Backend only: the access token this tab's websocket proved valid, and why the last
    # check failed (an expired token sends the page to the refresh route, not to sign-in).
    _verified_jti: str = ""
    _refusal: str = ""

    @rx.var
    def tr(self) -> dict[str, str]:
        return MESSAGES.get(self.lang, MESSAGES["nb"])

    @rx.var
    def is_admin(self) -> bool:
        return self.user_role == Role.ADMIN

    def t(self, key: str, **values) -> str:
        return translate(self.lang, key, **values)

    def signed_in(self) -> SignedIn | None:
        """Verify the access token of this connection and its session, on every call."""
        headers = self.router.headers
        try:
            who = identity.identify(
                cookie_from_header(headers.cookie, ACCESS_COOKIE),
                tokens.fingerprint(headers.user_agent or "", headers.accept_language or ""),
                self.client(), known_jti=self._verified_jti,
            )
        except TokenError as exc:
            self._refusal = exc.reason
            return None
        if who.fresh and who.jti != self._verified_jti:
            self._verified_jti = who.jti
        return who

    def current_user(self) -> User | None:
        who = self.signed_in()
        return who.user if who else None

    def current_admin(self) -> User | None:
        """The signed-in user if an admin; every admin handler starts here."""
        user = self.current_user()
        return user if user is not None and user.role == Role.ADMIN else None

    def client(self) -> Client:
        return Client(ip=self.router.session.client_ip or "",
                      user_agent=self.router.headers.user_agent or "")

    def signed_out(self):
        self.user_email = self.user_name = self.user_role = ""
        if self._refusal == "expired":  # the refresh cookie may still be good: try it first
            target = "/api/auth/refresh?next=" + quote(self.router.url.path or "/")
            return rx.call_script(f"window.location.replace({json.dumps(target)})")
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
