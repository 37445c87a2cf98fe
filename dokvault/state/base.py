"""The root state: who is signed in (checked on the server at every event) and the UI language."""

from __future__ import annotations

import json
import logging
from typing import ClassVar
from urllib.parse import quote

import reflex as rx

from dokvault.api.cookies import ACCESS_COOKIE, cookie_from_header
from dokvault.core.audit import Client
from dokvault.i18n import MESSAGES, translate
from dokvault.models import Role, User
from dokvault.services import notify
from dokvault.services.auth import identity, tokens, two_factor
from dokvault.services.auth.identity import SignedIn
from dokvault.services.auth.tokens import TokenError

log = logging.getLogger(__name__)
ENROLMENT_PAGE = "/account/security"


class AppState(rx.State):
    lang: str = rx.Cookie("nb", name="dokvault_lang", same_site="strict", max_age=365 * 86400)
    user_email: str = ""
    user_name: str = ""
    user_role: str = ""
    # Backend only: the access token this websocket (by its Socket.IO id) proved valid,
    # and why the last check failed (an expired token sends the page to the refresh route,
    # a user who must enrol in 2FA to the enrolment page, anything else to sign-in).
    _verified_jti: str = ""
    _verified_socket: str = ""
    _refusal: str = ""
    # The session this tab's state belongs to: "" for a visitor who is not signed in,
    # None for a tab no one has used yet (see dokvault.state.owner).
    _owner: str | None = None
    # The one page a user who must enrol in 2FA may use (its state sets this).
    ENROLMENT: ClassVar[bool] = False

    @rx.var
    def tr(self) -> dict[str, str]:
        return MESSAGES.get(self.lang, MESSAGES["nb"])

    @rx.var
    def is_admin(self) -> bool:
        return self.user_role == Role.ADMIN

    def _t(self, key: str, **values) -> str:
        return translate(self.lang, key, **values)

    def _credentials(self) -> tuple[str | None, str]:
        """The access token of this websocket's handshake and the browser's fingerprint."""
        headers = self.router.headers
        return (cookie_from_header(headers.cookie, ACCESS_COOKIE),
                tokens.fingerprint(headers.user_agent or "", headers.accept_language or ""))

    def _signed_in(self, enrolling: bool | None = None) -> SignedIn | None:
        """Verify the access token of this connection and its session, on every call."""
        socket = self.router.session.session_id or ""
        known = self._verified_jti if socket and socket == self._verified_socket else ""
        try:
            who = identity.identify(*self._credentials(), self._client(), known_jti=known,
                                    enrolling=self.ENROLMENT if enrolling is None else enrolling)
        except TokenError as exc:
            self._refusal = exc.reason
            return None
        if who.fresh and (who.jti, socket) != (self._verified_jti, self._verified_socket):
            self._verified_jti, self._verified_socket = who.jti, socket
        return who

    def _current_user(self) -> User | None:
        who = self._signed_in()
        return who.user if who else None

    def _current_admin(self) -> User | None:
        """The signed-in user if an admin; every admin handler starts here."""
        user = self._current_user()
        return user if user is not None and user.role == Role.ADMIN else None

    def _client(self) -> Client:
        return Client(ip=self.router.session.client_ip or "",
                      user_agent=self.router.headers.user_agent or "")

    def _signed_out(self):
        self.user_email = self.user_name = self.user_role = ""
        if self._refusal == "expired":  # the refresh cookie may still be good: try it first
            target = "/api/auth/refresh?next=" + quote(self.router.url.path or "/")
            return rx.call_script(f"window.location.replace({json.dumps(target)})")
        if self._refusal == "enrol":  # the organisation requires 2FA: enrol first
            return rx.redirect(ENROLMENT_PAGE, replace=True)
        return rx.redirect("/login", replace=True)

    @rx.event
    def require_user(self):
        """on_load of every signed-in page: who is signed in, for the frame (name, role);
        the page's own handlers check again for what they show."""
        who = self._signed_in(enrolling=True)
        if who is None:
            return self._signed_out()
        user = who.user
        self.user_email, self.user_name, self.user_role = user.email, user.name, user.role
        if self.router.url.path.rstrip("/") != ENROLMENT_PAGE and two_factor.must_enrol(user):
            return rx.redirect(ENROLMENT_PAGE, replace=True)  # the organisation requires 2FA
        return None

    @rx.event
    def toggle_language(self):
        self.lang = "en" if self.lang == "nb" else "nb"
        user = self._current_user()
        if user is not None:  # mails follow the language one reads the app in
            notify.set_language(user.id, self.lang)
