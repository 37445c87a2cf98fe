"""/admin/ai: admins choose the AI provider that classifies documents (model, address, API
key) and test the connection. Every handler checks admin rights on the server first; the
API key goes from the form to the encrypted store and never back to the browser. The form
follows the admin form pattern (state/forms.py): each error beside its field, a toast on
success, removing the stored key confirmed first, every change audited (the key masked)."""

from __future__ import annotations

import asyncio
import logging

import reflex as rx

from dokvault.ai.types import Health
from dokvault.components.admin_form import admin_form, confirm_button, form_field
from dokvault.components.layout import page_frame
from dokvault.models import User
from dokvault.services.intelligence import ai_settings
from dokvault.services.intelligence.ai_settings import (
    KEYED,
    PROVIDERS,
    URL_PROVIDERS,
    AISettings,
    AISettingsError,
)
from dokvault.state.base import AppState
from dokvault.state.busy import while_busy
from dokvault.state.forms import AdminForm
from dokvault.state.guards import admin_only, admin_or_refuse

log = logging.getLogger(__name__)

FORM = "ai"


class AISettingsState(AdminForm, AppState):
    provider: str = "local"         # chosen in the form
    active_provider: str = "local"  # what documents are classified with now
    model: str = ""
    default_model: str = ""
    base_url: str = ""
    default_base_url: str = ""
    key_source: str = ""  # stored, environment, unreadable or ""
    key_hint: str = ""    # "••••1234" at most
    form_version: int = 0  # a new number remounts the form, with the stored values as defaults
    testing: bool = False
    health_shown: bool = False
    health_ok: bool = False
    health_provider: str = ""
    health_model: str = ""
    health_detail: str = ""
    health_models: list[str] = []
    # The form's unsaved edits (model, base_url, api_key sealed), for Test connection;
    # server-side only.
    _edits: dict[str, str] = {}

    @rx.var
    def shows_model(self) -> bool:
        return self.provider != "local"

    @rx.var
    def shows_base_url(self) -> bool:
        return self.provider in URL_PROVIDERS

    @rx.var
    def shows_key(self) -> bool:
        return self.provider in KEYED

    def _show(self, config: AISettings) -> None:
        self.provider, self.model, self.base_url = config.provider, config.model, config.base_url
        self.default_model, self.default_base_url = config.default_model, config.default_base_url
        self.key_source, self.key_hint = config.key_source, config.key_hint
        self._clear(FORM)
        self.form_version += 1
        self._edits = {}

    def _show_health(self, result: Health) -> None:
        self.health_shown, self.health_ok = True, result.ok
        self.health_provider, self.health_model = result.provider, result.model
        self.health_detail = self._t(result.code, **result.values) if result.code else result.detail
        self.health_models = list(result.models)[:50]

    def _clear_health(self) -> None:
        self.health_shown, self.health_ok, self.health_detail, self.health_models = False, False, "", []

    @rx.event
    @admin_only
    def load(self, *, user: User):
        self.active_provider = ai_settings.configured_provider()
        self._show(ai_settings.current(self.active_provider))
        self._clear_health()
        return None

    @rx.event
    @admin_only
    def choose_provider(self, provider: str, *, user: User):
        if provider not in PROVIDERS:
            return None
        self._show(ai_settings.current(provider))
        self._clear_health()
        return None

    def _saved(self, saved: AISettings) -> None:
        self.active_provider = saved.provider
        self._show(saved)
        self._clear_health()

    @rx.event
    @admin_only
    @while_busy("saving")
    def save(self, form: dict, *, user: User):
        provider = str(form.get("provider") or self.provider)
        return self._submit(FORM, lambda: ai_settings.save(
            user, provider,
            model=str(form["model"]) if provider != "local" and "model" in form else None,
            base_url=str(form["base_url"]) if provider in URL_PROVIDERS and "base_url" in form else None,
            api_key=str(form.get("api_key") or "") if provider in KEYED else None,
            client=self._client(),
        ), "ai.saved", then=self._saved)

    @rx.event
    @admin_only
    @while_busy("saving")
    def clear_key(self, *, user: User):
        """Remove the stored API key of the provider shown (confirmed in a dialog first)."""
        if self.provider not in KEYED or self.key_source != "stored":
            return None  # removed by the first click already
        return self._submit(FORM, lambda: ai_settings.save(
            user, self.provider, clear_key=True, client=self._client()), "ai.key_removed",
            then=self._saved)

    @rx.event
    @admin_only
    def edit(self, name: str, value: str, *, user: User):
        """A field left (on blur): kept for Test connection, which tests what the form shows."""
        if name in ("model", "base_url", "api_key"):
            value = str(value)[:1000]
            # Reassigned, not changed in place: so the state store sees the change.
            self._edits = {**self._edits,
                           name: ai_settings.seal_draft_key(value) if name == "api_key" else value}
        return None

    @rx.event(background=True)
    async def test_connection(self):
        """The chosen provider's health check with the form's edits, saved or not, outside the
        state lock (a slow server must not freeze the page): the check runs between two
        short locked sections."""
        async with self:
            actor, refused = admin_or_refuse(self, "AISettingsState.test_connection")
            if actor is None:
                return refused
            if self.testing:
                return None
            self.testing = True
            self._clear_health()
            self._clear(FORM)
            provider, edits = self.provider, dict(self._edits)
        try:
            config, key = await asyncio.to_thread(
                ai_settings.with_edits, provider, edits.get("model"), edits.get("base_url"),
                edits.get("api_key", ""))
            result = await ai_settings.health(config, api_key=key)
        except AISettingsError as exc:
            async with self:
                self.testing = False
                self._show_invalid(FORM, exc)
            return None
        except Exception as exc:  # noqa: BLE001 (the button must come back whatever happens)
            log.warning("ai connection test of %s failed: %s", provider, type(exc).__name__)
            result = ai_settings.unexpected(provider, "", exc)
        async with self:
            self.testing = False
            self._show_health(result)
        return None


# --- components ------------------------------------------------------------------------------


def key_status() -> rx.Component:
    tr, state = AppState.tr, AISettingsState
    return rx.match(
        state.key_source,
        ("stored", rx.hstack(rx.icon("key-round", size=16, color="green"),
                             rx.text(tr["ai.key_stored"], " ", rx.code(state.key_hint), size="2"),
                             align="center", spacing="2", id="ai-key-stored")),
        ("environment", rx.text(tr["ai.key_env"], size="2", id="ai-key-env")),
        ("unreadable", rx.callout(tr["ai.key_unreadable"], icon="triangle-alert", color_scheme="orange",
                                  size="1", id="ai-key-unreadable")),
        rx.text(tr["ai.key_none"], size="2", color_scheme="gray", id="ai-key-none"),
    )


def settings_form() -> rx.Component:
    tr, state = AppState.tr, AISettingsState
    return admin_form(
        state, FORM,
        form_field(state, FORM, "provider", "ai.provider", rx.select.root(
            rx.select.trigger(id="ai-provider", width="100%"),
            rx.select.content(*[rx.select.item(tr[f"provider.{p}"], value=p, id=f"ai-provider-{p}")
                                for p in PROVIDERS]),
            name="provider", value=state.provider, on_change=state.choose_provider,
        )),
        rx.cond(
            state.shows_model,
            form_field(state, FORM, "model", "ai.model",
                       rx.input(name="model", default_value=state.model,
                                on_blur=lambda v: state.edit("model", v),
                                placeholder=state.default_model, max_length=128,
                                id="ai-model", width="100%"), "ai.model_hint"),
            rx.text(tr["ai.local_hint"], size="2", color_scheme="gray", id="ai-local-hint"),
        ),
        rx.cond(
            state.shows_base_url,
            form_field(state, FORM, "base_url", "ai.base_url",
                       rx.input(name="base_url", default_value=state.base_url,
                                on_blur=lambda v: state.edit("base_url", v),
                                placeholder=state.default_base_url, max_length=500,
                                id="ai-base-url", width="100%"), "ai.base_url_hint"),
        ),
        rx.cond(
            state.shows_key,
            form_field(state, FORM, "api_key", "ai.api_key", rx.vstack(
                key_status(),
                rx.input(name="api_key", type="password", auto_complete="new-password",
                         on_blur=lambda v: state.edit("api_key", v),
                         placeholder=rx.cond(state.key_source == "stored", tr["ai.key_keep"],
                                             tr["ai.key_new"]),
                         max_length=400, id="ai-api-key", width="100%"),
                spacing="2", width="100%",
            )),
        ),
        rx.text(tr["ai.test_hint"], size="1", color_scheme="gray"),
        on_submit=state.save, submit_key="ai.save",
        extra_buttons=(
            rx.button(rx.icon("plug-zap", size=16), tr["ai.test"], type="button", variant="soft",
                      loading=state.testing, on_click=state.test_connection, id="ai-test"),
            rx.cond(state.shows_key & (state.key_source == "stored"), confirm_button(
                rx.button(rx.icon("key-round", size=16), tr["ai.clear_key"], type="button",
                          variant="soft", color_scheme="red", id="ai-clear-key"),
                "ai.clear_key_title", "ai.clear_key_body", state.clear_key,
                confirm_key="ai.clear_key", confirm_id="confirm-ai-clear-key")),
        ),
        key=state.form_version.to(str),
    )


def health_result() -> rx.Component:
    tr, state = AppState.tr, AISettingsState
    return rx.cond(
        state.health_shown,
        rx.callout.root(
            rx.callout.icon(rx.cond(state.health_ok, rx.icon("circle-check"), rx.icon("circle-x"))),
            rx.vstack(
                rx.text(rx.cond(state.health_ok, tr["ai.health_ok"], tr["ai.health_failed"]),
                        weight="bold", id="ai-health-status"),
                rx.text(state.health_provider, " · ", state.health_model, size="2"),
                rx.text(state.health_detail, size="2", id="ai-health-detail"),
                rx.cond(
                    state.health_models.length() > 0,
                    rx.hstack(rx.text(tr["ai.health_models"], ": ", size="2"),
                              rx.foreach(state.health_models, lambda m: rx.badge(m, variant="surface")),
                              wrap="wrap", spacing="2", id="ai-health-models"),
                ),
                spacing="1",
            ),
            color_scheme=rx.cond(state.health_ok, "green", "red"),
            class_name=rx.cond(state.health_ok, "health-ok", "health-failed"),
            id="ai-health",
            width="100%",
        ),
    )


def ai_page() -> rx.Component:
    tr, state = AppState.tr, AISettingsState
    return page_frame(
        rx.heading(tr["ai.title"], size="7"),
        rx.text(tr["ai.hint"], size="2", color_scheme="gray"),
        rx.hstack(rx.text(tr["ai.active"], ":", size="2"),
                  rx.badge(tr["provider." + state.active_provider], size="2", id="ai-active-provider"),
                  align="center", spacing="2"),
        rx.card(settings_form(), width="100%", max_width="640px"),
        health_result(),
    )
