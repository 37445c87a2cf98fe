"""/admin/security: the organisation's security policy (services/auth/policy.py), which
the auth services enforce: a second factor required of everyone, how long a sign-in lasts,
and the password rules. One form, the admin form pattern (state/forms.py)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from dokvault.components.admin_form import admin_form, form_field
from dokvault.components.layout import page_frame
from dokvault.models import User
from dokvault.services.auth import policy
from dokvault.state.base import AppState
from dokvault.state.busy import while_busy
from dokvault.state.forms import AdminForm
from dokvault.state.guards import admin_only


def _checked(value: Any) -> bool:
    """A checkbox or switch in form data: "on" (native), True, absent when off."""
    return value is True or str(value).lower() in ("on", "true", "1")


class SecurityPolicyState(AdminForm, AppState):
    require_2fa: bool = False
    session_hours: str = ""
    password_min_length: str = ""
    password_mixed: bool = False
    form_version: int = 0  # a new number remounts the form with the stored values

    def _show(self, current: policy.SecurityPolicy) -> None:
        self.require_2fa, self.password_mixed = current.require_2fa, current.password_mixed
        self.session_hours = str(current.session_hours)
        self.password_min_length = str(current.password_min_length)
        self.form_version += 1

    @rx.event
    @admin_only
    def load(self, *, user: User):
        self._clear("policy")
        self._show(policy.current())
        return None

    @rx.event
    @admin_only
    @while_busy("saving")
    def save(self, form: dict, *, user: User):
        return self._submit(
            "policy", lambda: policy.save(
                user, require_2fa=_checked(form.get("require_2fa")),
                session_hours=str(form.get("session_hours", ""))[:12],
                password_min_length=str(form.get("password_min_length", ""))[:12],
                password_mixed=_checked(form.get("password_mixed")), client=self._client()),
            "policy.saved", then=self._show)


def switch_field(name: str, label_key: str, hint_key: str, checked: rx.Var) -> rx.Component:
    tr = AppState.tr
    return rx.vstack(
        rx.text(rx.hstack(rx.switch(name=name, default_checked=checked, id=f"policy-{name}"),
                          tr[label_key], spacing="3", align="center"),
                as_="label", size="2", weight="medium"),
        rx.text(tr[hint_key], size="1", color_scheme="gray"),
        spacing="1", width="100%",
    )


def security_policy_page() -> rx.Component:
    tr, state = AppState.tr, SecurityPolicyState
    return page_frame(
        rx.heading(tr["policy.title"], size="7"),
        rx.text(tr["policy.hint"], size="2", color_scheme="gray"),
        rx.card(
            admin_form(
                state, "policy",
                rx.heading(tr["policy.sign_in"], size="4"),
                switch_field("require_2fa", "policy.require_2fa", "policy.require_2fa_hint",
                             state.require_2fa),
                form_field(state, "policy", "session_hours", "policy.session_hours",
                           rx.input(name="session_hours", default_value=state.session_hours,
                                    input_mode="numeric", max_length=6, id="policy-session-hours",
                                    width="12em"),
                           "policy.session_hours_hint"),
                rx.divider(),
                rx.heading(tr["policy.passwords"], size="4"),
                form_field(state, "policy", "password_min_length", "policy.password_min_length",
                           rx.input(name="password_min_length", input_mode="numeric",
                                    default_value=state.password_min_length, max_length=4,
                                    id="policy-password-min-length", width="12em"),
                           "policy.password_min_length_hint"),
                switch_field("password_mixed", "policy.password_mixed",
                             "policy.password_mixed_hint", state.password_mixed),
                on_submit=state.save, submit_key="form.save",
                key=state.form_version.to(str),
            ),
            width="100%", max_width="640px",
        ),
    )
