"""The account's second factor: enrol TOTP (QR code and key), keep the backup codes,
regenerate or turn it off. (Admins require it for everyone on /admin/security.)"""

from __future__ import annotations

from typing import ClassVar

import reflex as rx

from dokvault.components.layout import LONG_NAME, page_frame
from dokvault.core import clock
from dokvault.models import User
from dokvault.services.auth import two_factor
from dokvault.services.auth.two_factor import TwoFactorError
from dokvault.state.base import AppState
from dokvault.state.busy import fingerprint, is_repeat, stamp, while_busy
from dokvault.state.guards import signed_in


class SecurityState(AppState):
    ENROLMENT: ClassVar[bool] = True  # the page where a user the organisation requires 2FA of enrols
    enabled: bool = False
    enabled_since: str = ""
    remaining: int = 0
    required: bool = False
    enrolling: bool = False
    qr_src: str = ""
    secret: str = ""
    backup_codes: list[str] = []
    error: str = ""
    busy: bool = False  # an enrolment, a confirmation, a regeneration or a disable is running
    # The last regeneration this tab made ("<fingerprint>@<time>", state/busy.py): the same
    # code again at once is its double click, not a replayed code.
    _regenerated: str = ""

    def _status(self, user: User) -> None:
        self.enabled = two_factor.is_enabled(user)
        self.enabled_since = clock.shown(user.totp_enabled_at, "%Y-%m-%d")
        self.remaining = two_factor.remaining_backup_codes(user) if self.enabled else 0
        self.required = two_factor.required()

    def _forget_enrolment(self) -> None:
        self.enrolling = False
        self.qr_src = self.secret = ""

    def _user(self) -> User | None:
        """The signed-in user, with the status reloaded (another tab may have changed it)."""
        user = self._current_user()
        if user is not None:
            self._status(user)
        return user

    def _limited(self, user: User) -> bool:
        limited = two_factor.code_attempt("totp", user.id, self._client().ip)
        if limited:
            self.error = self._t("error.rate_limited", minutes=max(1, round(limited.retry_after / 60)))
        return limited is not None

    @rx.event
    @signed_in
    def load(self, *, user: User):
        self._status(user)
        self._forget_enrolment()
        self.backup_codes = []
        self.error = ""
        return None

    @rx.event
    @while_busy("busy")
    def start_enrolment(self):
        user = self._user()
        if user is None:
            return self._signed_out()
        if self.enrolling and self.secret:
            return None  # started a moment ago (a double click): keep the QR code shown
        self.error = ""
        try:
            enrolment = two_factor.start_enrolment(user)
        except TwoFactorError as exc:
            self.error = self._t(exc.code)
            return None
        self.enrolling, self.secret, self.qr_src = True, enrolment.secret, enrolment.qr_data_uri
        return None

    @rx.event
    def cancel_enrolment(self):
        self._forget_enrolment()
        self.error = ""

    @rx.event
    @while_busy("busy")
    def confirm(self, form_data: dict):
        user = self._user()
        if user is None:
            return self._signed_out()
        if not self.enrolling:
            return None  # confirmed by the first click already: no error, no counted guess
        self.error = ""
        if self._limited(user):
            return None
        try:
            codes = two_factor.confirm_enrolment(user, str(form_data.get("code", "")), self._client())
        except TwoFactorError as exc:
            self.error = self._t(exc.code)
            return None
        self._forget_enrolment()
        self.backup_codes = codes
        self._status(self._current_user() or user)
        return rx.toast.success(self._t("twofa.enrolled"))

    @rx.event
    @while_busy("busy")
    def regenerate(self, form_data: dict):
        user = self._user()
        if user is None:
            return self._signed_out()
        code = str(form_data.get("code", ""))
        sent = fingerprint(user.id, code)
        if is_repeat(self._regenerated, sent):
            return None  # the new codes are on the page: no "code already used"
        self.error = ""
        if self._limited(user):
            return None
        try:
            self.backup_codes = two_factor.regenerate_backup_codes(user, code, self._client())
        except TwoFactorError as exc:
            self.error = self._t(exc.code)
            return None
        self._regenerated = stamp(sent)
        self.remaining = len(self.backup_codes)
        return rx.toast.success(self._t("twofa.regenerated"))

    @rx.event
    @while_busy("busy")
    def disable(self, form_data: dict):
        user = self._user()
        if user is None:
            return self._signed_out()
        if not self.enabled:
            return None  # turned off by the first click already: no error, no counted guess
        self.error = ""
        if self._limited(user):
            return None
        try:
            two_factor.disable(user, str(form_data.get("code", "")), self._client())
        except TwoFactorError as exc:
            self.error = self._t(exc.code)
            return None
        self.backup_codes = []
        self.enabled, self.enabled_since, self.remaining = False, "", 0
        return rx.toast.info(self._t("twofa.disabled"))

    @rx.event
    def codes_saved(self):
        self.backup_codes = []


def _code_form(on_submit, input_id: str, button_key: str, button_id: str, **button_props):
    return rx.form(
        rx.hstack(
            rx.input(name="code", id=input_id, required=True, auto_complete="one-time-code",
                     max_length=20, size="3", width="14em", spell_check=False),
            rx.button(AppState.tr[button_key], type="submit", size="3", id=button_id,
                      loading=SecurityState.busy, **button_props),
            spacing="3",
            align="end",
            wrap="wrap",
        ),
        on_submit=on_submit,
        reset_on_submit=True,
        width="100%",
    )


def _backup_codes() -> rx.Component:
    tr = AppState.tr
    return rx.cond(
        SecurityState.backup_codes.length() > 0,
        rx.callout.root(
            rx.vstack(
                rx.heading(tr["twofa.codes_title"], size="4"),
                rx.text(tr["twofa.codes_intro"], size="2"),
                rx.el.ol(
                    rx.foreach(SecurityState.backup_codes,
                               lambda c: rx.el.li(rx.code(c, size="3"), class_name="backup-code")),
                    id="backup-codes",
                    style={"columns": "2", "padding_left": "1.5em", "line_height": "2"},
                ),
                rx.button(tr["twofa.codes_done"], on_click=SecurityState.codes_saved, variant="soft",
                          id="backup-codes-saved"),
                spacing="3",
            ),
            color_scheme="amber",
            width="100%",
        ),
    )


def _enrolment() -> rx.Component:
    tr = AppState.tr
    return rx.vstack(
        rx.text(tr["twofa.scan"], size="2"),
        rx.image(src=SecurityState.qr_src, alt="QR", width="220px", height="220px",
                 id="totp-qr"),
        rx.hstack(
            rx.text(tr["twofa.secret"], size="2", weight="medium"),
            # 32 letters do not fit a phone's card on one line: break the key anywhere.
            rx.code(SecurityState.secret, size="3", id="totp-secret", style=LONG_NAME),
            align="center",
            spacing="3",
            wrap="wrap",
        ),
        rx.text(tr["twofa.first_code"], size="2", weight="medium"),
        _code_form(SecurityState.confirm, "enrol-code", "twofa.confirm", "enrol-confirm"),
        rx.button(tr["twofa.cancel"], variant="ghost", on_click=SecurityState.cancel_enrolment,
                  id="enrol-cancel"),
        spacing="3",
        id="enrolment",
    )


def _when_on() -> rx.Component:
    tr = AppState.tr
    return rx.vstack(
        rx.text(tr["twofa.enabled_since"], " ", SecurityState.enabled_since, size="2"),
        rx.text(tr["twofa.codes_remaining"], " ",
                rx.el.span(SecurityState.remaining, id="backup-codes-remaining"), size="2"),
        rx.divider(),
        rx.heading(tr["twofa.regenerate"], size="3"),
        rx.text(tr["twofa.regenerate_intro"], size="2", color_scheme="gray"),
        _code_form(SecurityState.regenerate, "regenerate-code", "twofa.regenerate",
                   "regenerate-button", variant="soft"),
        rx.divider(),
        rx.heading(tr["twofa.disable"], size="3"),
        rx.text(tr["twofa.disable_intro"], size="2", color_scheme="gray"),
        _code_form(SecurityState.disable, "disable-code", "twofa.disable", "disable-button",
                   color_scheme="red", variant="soft"),
        spacing="3",
        width="100%",
    )


def _when_off() -> rx.Component:
    tr = AppState.tr
    return rx.cond(
        SecurityState.enrolling,
        _enrolment(),
        rx.vstack(
            rx.text(tr["twofa.off_intro"], size="2"),
            rx.button(rx.icon("shield-check", size=16), tr["twofa.start"],
                      on_click=SecurityState.start_enrolment, size="3", id="enrol-start",
                      loading=SecurityState.busy),
            spacing="3",
        ),
    )


def _organisation() -> rx.Component:
    """Admins set the organisation's rule (2FA for everyone) on the security policy page."""
    tr = AppState.tr
    return rx.cond(
        AppState.is_admin,
        rx.card(
            rx.vstack(
                rx.heading(tr["twofa.org_title"], size="4"),
                rx.hstack(
                    rx.badge(rx.cond(SecurityState.required, tr["twofa.org_required"],
                                     tr["twofa.org_optional"]), size="2"),
                    rx.link(tr["twofa.org_policy_link"], href="/admin/security", size="2",
                            id="security-policy-link"),
                    spacing="3", align="center", wrap="wrap",
                ),
                spacing="3",
            ),
            width="100%",
        ),
    )


def security_page() -> rx.Component:
    tr = AppState.tr
    return page_frame(
        rx.vstack(
            rx.link(rx.hstack(rx.icon("chevron-left", size=16), tr["twofa.account"], spacing="1",
                              align="center"),
                    href="/account", size="2", id="back-to-account"),
            rx.heading(tr["twofa.title"], size="7", id="security-title"),
            spacing="1",
        ),
        rx.cond(SecurityState.required & ~SecurityState.enabled,
                rx.callout(tr["twofa.required"], icon="shield-alert", color_scheme="amber",
                           id="two-factor-required")),
        rx.cond(SecurityState.error != "",
                rx.callout(SecurityState.error, icon="circle-alert", color_scheme="red",
                           id="security-error")),
        _backup_codes(),
        rx.card(
            rx.vstack(
                rx.hstack(
                    rx.heading(tr["twofa.heading"], size="5"),
                    rx.cond(SecurityState.enabled,
                            rx.badge(tr["twofa.status_on"], color_scheme="green", size="2",
                                     id="two-factor-status"),
                            rx.badge(tr["twofa.status_off"], color_scheme="gray", size="2",
                                     id="two-factor-status")),
                    align="center",
                    spacing="3",
                ),
                rx.cond(SecurityState.enabled, _when_on(), _when_off()),
                spacing="4",
                width="100%",
            ),
            width="100%",
            max_width="720px",
        ),
        _organisation(),
    )
