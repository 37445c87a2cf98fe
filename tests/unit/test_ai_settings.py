"""The organisation's AI provider: defaults from the environment, an admin's choice stored per
provider, API keys encrypted at rest and never shown, logged or audited, base URLs checked;
`build` and `health`; and the /admin/ai page's handlers called as Reflex calls them."""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import logging
import socket

import pytest

from dokvault import db
from dokvault.ai.local_provider import LocalProvider
from dokvault.ai.openai_provider import OpenAIProvider
from dokvault.core import audit, crypto
from dokvault.models import AppSetting, AuditEvent, Role
from dokvault.services.access import Forbidden
from dokvault.services.auth import accounts
from dokvault.services.intelligence import ai_settings
from dokvault.services.intelligence.ai_settings import AISettingsError
from tests.unit.helpers import access_token, handled, page_state

KEY = "sk-proj-Zq8v1Xc0TESTONLYkey-7d3f9a2b4c6e8f0a1b3c"


@pytest.fixture
def broker(admin):
    with db.session() as s:
        return accounts.create_user(s, "megler@example.no", "megler passord 2024", Role.BROKER)


@pytest.fixture
def env(monkeypatch, clean_env):
    """Set environment variables, then forget the cached settings."""
    from dokvault.core.caches import reset_caches

    def setenv(**values: str) -> None:
        for name, value in values.items():
            monkeypatch.setenv(name.upper(), value)
        reset_caches()

    return setenv


def run(coro):
    # A fresh loop in its own thread: another test module may hold this thread's loop.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def stored() -> dict[str, str]:
    with db.session() as s:
        from sqlmodel import select

        return {r.key: r.value for r in s.exec(select(AppSetting)).all() if r.key.startswith("ai.")}


def everything_recorded() -> str:
    """The audit log, all of it, as text."""
    with db.session() as s:
        from sqlmodel import select

        return "\n".join(f"{e.kind} {e.detail}" for e in s.exec(select(AuditEvent)).all())


def code_of(call) -> str:
    with pytest.raises(AISettingsError) as caught:
        call()
    return caught.value.code


# --- defaults and storage --------------------------------------------------------------------


def test_local_by_default(embedded):
    config = ai_settings.current()
    assert (config.provider, config.model, config.has_key) == ("local", "", False)
    assert isinstance(ai_settings.build(), LocalProvider)
    health = run(ai_settings.health())
    assert health.ok and health.provider == "local" and "matching rules" in health.detail


def test_the_environment_sets_the_defaults(env, embedded):
    env(default_ai_provider="OpenAI", default_ai_model="gpt-4o-mini", openai_api_key=KEY,
        ollama_base_url="http://gpu-box.lan:11434/v1/")
    config = ai_settings.current()
    assert (config.provider, config.model, config.effective_model) == ("openai", "gpt-4o-mini", "gpt-4o-mini")
    assert config.has_key and config.key_source == "environment" and config.key_hint == "••••1b3c"
    ollama = ai_settings.current("ollama")
    assert ollama.base_url == "http://gpu-box.lan:11434/v1" and ollama.model == ""  # the model is openai's
    assert ollama.effective_model == "llama3.2"
    provider = ai_settings.build()
    assert isinstance(provider, OpenAIProvider) and provider.model == "gpt-4o-mini"


def test_a_bad_environment_falls_back_to_local(env, embedded, caplog):
    env(default_ai_provider="gpt", lmstudio_base_url="file:///etc/passwd")
    assert ai_settings.configured_provider() == "local"
    assert ai_settings.current("lmstudio").base_url == ""
    assert "DEFAULT_AI_PROVIDER='gpt'" in caplog.text and "LMSTUDIO_BASE_URL" in caplog.text


def test_the_key_is_encrypted_at_rest_and_never_shown_logged_or_audited(admin, caplog):
    caplog.set_level(logging.DEBUG)
    saved = ai_settings.save(admin, "openai", model="gpt-4o-mini", base_url="https://llm-gateway.example.no/v1/",
                             api_key=f"  {KEY}  ")
    assert saved.has_key and saved.key_source == "stored" and saved.key_hint == "••••1b3c"
    assert saved.base_url == "https://llm-gateway.example.no/v1"  # the trailing slash dropped
    values = stored()
    assert values["ai.provider"] == "openai" and values["ai.openai.model"] == "gpt-4o-mini"
    token = values["ai.openai.api_key"]
    assert KEY not in token and KEY[-12:] not in token
    assert crypto.decrypt(token, "ai-api-key") == KEY
    assert crypto.decrypt(token, "totp") is None  # a key of its own purpose
    assert KEY not in repr(saved) and KEY not in json.dumps(saved.__dict__)

    (event,) = audit.search_events(kind="admin.ai_settings_changed")[0]
    detail = json.loads(event.detail)
    assert detail == {"provider": "openai", "previous_provider": "local", "api_key": "replaced",
                      "before": {"provider": "local", "model": "", "base_url": "", "api_key": ""},
                      "after": {"provider": "openai", "model": "gpt-4o-mini",
                                "base_url": "https://llm-gateway.example.no/v1",
                                "api_key": "••••"}}  # the key masked: it changed, no more
    assert KEY not in everything_recorded() and KEY[-8:] not in everything_recorded()
    assert KEY not in caplog.text

    provider = ai_settings.build()
    assert isinstance(provider, OpenAIProvider) and provider._api_key == KEY
    assert provider.base_url == "https://llm-gateway.example.no/v1"


def test_an_empty_key_keeps_the_stored_one_and_clear_removes_it(admin):
    ai_settings.save(admin, "anthropic", api_key=KEY)
    token = stored()["ai.anthropic.api_key"]
    kept = ai_settings.save(admin, "anthropic", model="claude-opus-4-1", api_key="")
    assert kept.has_key and stored()["ai.anthropic.api_key"] == token and kept.model == "claude-opus-4-1"
    cleared = ai_settings.save(admin, "anthropic", clear_key=True)
    assert not cleared.has_key and "ai.anthropic.api_key" not in stored()
    changes = [json.loads(e.detail)["api_key"]
               for e in audit.search_events(kind="admin.ai_settings_changed")[0]]
    assert changes == ["removed", "unchanged", "replaced"]  # newest first


def test_each_provider_keeps_its_own_settings(admin, allow_outbound):
    allow_outbound("192.168.1.20:1234")
    ai_settings.save(admin, "ollama", model="qwen2.5:7b", base_url="http://host.docker.internal:11434/v1")
    ai_settings.save(admin, "lmstudio", model="", base_url="http://192.168.1.20:1234/v1")
    ai_settings.save(admin, "openai", api_key=KEY)
    assert ai_settings.configured_provider() == "openai"
    ollama = ai_settings.current("ollama")
    assert (ollama.model, ollama.base_url, ollama.has_key) == ("qwen2.5:7b", "http://host.docker.internal:11434/v1",
                                                                False)
    lmstudio = ai_settings.current("lmstudio")
    assert (lmstudio.model, lmstudio.effective_model) == ("", "gemma-4-e4b-it")
    ai_settings.save(admin, "ollama", model="")  # back to the default model, address kept
    assert ai_settings.current("ollama").model == "" and "ai.ollama.model" not in stored()
    assert ai_settings.current("ollama").base_url == "http://host.docker.internal:11434/v1"
    ai_settings.save(admin, "local")
    assert ai_settings.configured_provider() == "local" and isinstance(ai_settings.build(), LocalProvider)
    assert ai_settings.current("openai").has_key  # switching away forgets nothing


def test_a_key_that_cannot_be_decrypted_is_reported(admin, env):
    ai_settings.save(admin, "openai", api_key=KEY)
    env(secret_key="a-different-secret-key-than-before-0123456789")
    config = ai_settings.current()
    assert not config.has_key and config.key_source == "unreadable" and config.key_hint == ""
    health = run(ai_settings.health())
    assert not health.ok and health.detail == "no API key configured"


@pytest.mark.parametrize(("url", "code"), [
    ("file:///etc/passwd", "error.base_url_scheme"),
    ("ftp://files.example.no/v1", "error.base_url_scheme"),
    ("javascript:alert(1)", "error.base_url_scheme"),
    ("gopher://127.0.0.1:6379/_FLUSHALL", "error.base_url_scheme"),
    ("host.docker.internal:11434/v1", "error.base_url_scheme"),
    ("http://admin:hunter2@llm.example.no/v1", "error.base_url_credentials"),
    ("http://token@llm.example.no/v1", "error.base_url_credentials"),
    ("http:///v1", "error.base_url_invalid"),
    ("http://llm.example.no:99999/v1", "error.base_url_invalid"),
    ("http://llm.example.no/v1?key=abc", "error.base_url_invalid"),
    ("http://llm.example.no/v1#x", "error.base_url_invalid"),
    ("http://llm.example.no/v 1", "error.base_url_invalid"),
    ("http://llm.example.no/\x00", "error.base_url_invalid"),
    ("https://" + "a" * 500 + ".no", "error.base_url_too_long"),
])
def test_bad_base_urls_are_refused(admin, url, code):
    assert code_of(lambda: ai_settings.save(admin, "ollama", base_url=url)) == code
    assert stored() == {}


@pytest.mark.parametrize(("url", "code"), [
    ("https://10.0.0.5/v1", "error.outbound_internal"), ("http://[::1]:1234/v1", "error.outbound_internal"),
    ("http://localhost:1234/v1", "error.outbound_internal"),
    ("http://169.254.169.254/v1", "error.outbound_metadata"),
    ("http://[::ffff:192.168.1.9]:1234/v1", "error.outbound_internal"),
    ("http://host.docker.internal:6379/", "error.outbound_https"),  # the default host, another port
    ("http://llm.example.no/v1", "error.outbound_https"),
])
def test_internal_hosts_and_plain_http_are_refused(admin, url, code):
    assert code_of(lambda: ai_settings.save(admin, "lmstudio", base_url=url)) == code
    assert stored() == {}


@pytest.mark.parametrize("url", ["https://10.0.0.5/v1", "http://[::1]:1234/v1", "http://localhost:1234/v1"])
def test_internal_hosts_pass_when_the_operator_allows_them(admin, allow_outbound, url):
    allow_outbound("10.0.0.5", "[::1]:1234", "localhost")
    assert ai_settings.save(admin, "lmstudio", base_url=url).base_url == url.rstrip("/")


@pytest.mark.parametrize("url", ["http://host.docker.internal:11434/v1", "http://host.docker.internal:1234/v1",
                                 "HTTPS://LLM.example.no"])
def test_the_defaults_and_public_https_pass(admin, url):
    assert ai_settings.save(admin, "lmstudio", base_url=url).base_url == url.rstrip("/")


def test_the_operators_base_urls_are_allowed(env, admin):
    env(ollama_base_url="http://gpu-box.lan:11434/v1", lmstudio_base_url="http://127.0.0.1:1234/v1")
    assert ai_settings.current("lmstudio").base_url == "http://127.0.0.1:1234/v1"  # not refused
    assert ai_settings.save(admin, "ollama", base_url="http://gpu-box.lan:11434/v2").base_url
    provider = ai_settings.build()
    assert isinstance(provider, OpenAIProvider) and provider.base_url == "http://gpu-box.lan:11434/v2"
    assert code_of(lambda: ai_settings.save(admin, "ollama", base_url="http://127.0.0.1:6379/")) \
        == "error.outbound_internal"  # the host the operator gave, at another port


def test_a_stored_url_that_is_refused_now_is_never_called(admin, caplog):
    # Stored before the guard (or by hand): build falls back to local, the health check says why.
    with db.session() as s:
        s.add(AppSetting(key="ai.provider", value="ollama"))
        s.add(AppSetting(key="ai.ollama.base_url", value="http://169.254.169.254/latest"))
        s.commit()
    assert isinstance(ai_settings.build(), LocalProvider)
    assert "cannot build AI provider ollama" in caplog.text
    assert "outbound refused host=169.254.169.254" in caplog.text
    health = run(ai_settings.health())
    assert not health.ok and health.provider == "ollama" and health.code == "error.outbound_metadata"
    assert health.values == {"host": "169.254.169.254"}


@pytest.mark.parametrize(("provider", "values", "code"), [
    ("gemini", {}, "error.ai_provider_unknown"),
    ("ollama", {"api_key": KEY}, "error.api_key_not_used"),
    ("local", {"api_key": KEY}, "error.api_key_not_used"),
    ("local", {"model": "gpt-4o"}, "error.ai_local_has_no_settings"),
    ("openai", {"api_key": "short"}, "error.api_key_invalid"),
    ("openai", {"api_key": "sk-with a space-123"}, "error.api_key_invalid"),
    ("openai", {"api_key": "sk-" + "x" * 400}, "error.api_key_invalid"),
    ("openai", {"model": "gpt 4o"}, "error.ai_model_invalid"),
    ("openai", {"model": "m" * 129}, "error.ai_model_too_long"),
])
def test_other_bad_input(admin, provider, values, code):
    assert code_of(lambda: ai_settings.save(admin, provider, **values)) == code
    assert stored() == {} and audit.search_events(kind="admin.ai_settings_changed")[1] == 0


def test_a_broker_cannot_change_the_provider(broker):
    for call in (lambda: ai_settings.save(broker, "openai", api_key=KEY),
                 lambda: ai_settings.save(broker, "local"),
                 lambda: ai_settings.save(None, "anthropic", api_key=KEY)):
        with pytest.raises(Forbidden):
            call()
    assert stored() == {} and audit.search_events(kind="admin.refused")[1] == 3
    assert KEY not in everything_recorded()


def test_build_uses_the_given_or_the_shared_local_provider(admin, allow_outbound):
    allow_outbound("127.0.0.1:9")
    from dokvault.services.intelligence.local_model import local_provider

    # The pipeline's primary and fallback are one object, so `local` is asked once.
    assert ai_settings.build() is local_provider()
    mine = LocalProvider()
    assert ai_settings.build(local=mine) is mine
    ai_settings.save(admin, "ollama", base_url="http://127.0.0.1:9/v1")
    assert ai_settings.build(local=mine) is not mine


def test_health_reports_a_server_that_is_not_there(admin, allow_outbound):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    allow_outbound(f"127.0.0.1:{port}")
    ai_settings.save(admin, "lmstudio", base_url=f"http://127.0.0.1:{port}/v1")
    health = run(ai_settings.health(timeout=3))
    assert not health.ok and health.provider == "lmstudio" and health.model == "gemma-4-e4b-it"
    assert "cannot connect" in health.detail


# --- the page's handlers ---------------------------------------------------------------------


def page(user):
    from dokvault.pages.intelligence.ai import AISettingsState

    with db.session() as s:
        session_id = accounts.open_session(s, user, "pytest-browser")
    return page_state(AISettingsState, access_token(user.id, session_id))


def call(state, name: str, *args):
    from dokvault.pages.intelligence.ai import AISettingsState

    return handled(AISettingsState.event_handlers[name].fn(state, *args))


def browser_sees(state) -> str:
    """Everything the state would send to the browser."""
    return json.dumps(state.dict(), default=str)


def test_an_admin_sets_the_provider_through_the_page(admin):
    state = page(admin)
    call(state, "load")
    assert (state.provider, state.active_provider, state.shows_model) == ("local", "local", False)
    version = state.form_version

    call(state, "choose_provider", "openai")
    assert state.provider == "openai" and state.default_model == "gpt-4o"
    assert state.shows_key and state.shows_base_url and state.key_source == ""
    assert state.form_version > version  # the form remounts with this provider's values
    assert state.active_provider == "local"  # chosen, not saved yet

    call(state, "save", {"provider": "openai", "model": "gpt-4o-mini", "base_url": "ftp://x", "api_key": KEY})
    assert state.errors.get("ai.base_url", "") == "Adressen må begynne med http:// eller https://."
    assert stored() == {}

    call(state, "save", {"provider": "openai", "model": "gpt-4o-mini", "base_url": "", "api_key": KEY,
                         "ai_api_key": KEY})
    assert state.errors == {} and state.active_provider == "openai" and state.model == "gpt-4o-mini"
    assert state.key_source == "stored" and state.key_hint == "••••1b3c"
    assert KEY not in browser_sees(state) and KEY[-8:] not in browser_sees(state)
    assert crypto.decrypt(stored()["ai.openai.api_key"], "ai-api-key") == KEY

    call(state, "choose_provider", "anthropic")  # no base URL field for Anthropic: none is sent
    assert state.shows_key and not state.shows_base_url
    call(state, "save", {"provider": "anthropic", "model": "", "api_key": "", "clear_key": "on"})
    assert state.active_provider == "anthropic" and state.key_source == ""
    assert "ai.anthropic.base_url" not in stored() and "ai.openai.api_key" in stored()

    call(state, "choose_provider", "local")
    call(state, "save", {"provider": "local"})
    assert state.active_provider == "local" and ai_settings.configured_provider() == "local"


def test_the_page_refuses_an_internal_base_url_with_the_reason(admin):
    state = page(admin)
    call(state, "load")
    call(state, "choose_provider", "lmstudio")
    call(state, "save", {"provider": "lmstudio", "model": "", "base_url": "http://10.0.0.5:1234/v1"})
    assert state.errors.get("ai.base_url", "") == (
        "DokVault kobler ikke til 10.0.0.5: adressen er intern (denne maskinen, et "
                                "privat nett eller lignende). Driften kan tillate verten i "
                                "OUTBOUND_ALLOWED_HOSTS.")
    assert stored() == {} and state.active_provider == "local"
    state.lang = "en"
    call(state, "edit", "base_url", "http://metadata.google.internal/v1")
    call(state, "test_connection")
    assert state.errors.get("ai.base_url", "") == (
        "DokVault never connects to metadata.google.internal: it is a cloud "
                                "provider's metadata service.")
    assert not state.health_shown and not state.testing
    call(state, "save", {"provider": "lmstudio", "model": "", "base_url": "http://llm.example.no/v1"})
    assert state.errors.get("ai.base_url", "").startswith("llm.example.no must be reached over https.")


def test_test_connection_runs_the_real_health_check(admin):
    state = page(admin)
    call(state, "load")
    call(state, "test_connection")
    assert state.health_shown and state.health_ok and state.health_provider == "local"
    assert not state.testing

    call(state, "choose_provider", "anthropic")
    assert not state.health_shown  # a result belongs to the provider it tested
    call(state, "test_connection")  # tests the chosen provider's saved settings: no key yet
    assert state.health_shown and not state.health_ok and state.health_provider == "anthropic"
    assert state.health_detail == "Ingen API-nøkkel er lagt inn."
    assert state.health_model == "claude-sonnet-4-6"


def test_a_broker_calling_the_handlers_gets_nothing(broker):
    state = page(broker)
    for name, *args in (("load",), ("choose_provider", "openai"),
                        ("save", {"provider": "openai", "api_key": KEY}), ("edit", "api_key", KEY),
                        ("test_connection",)):
        call(state, name, *args)
    assert (state.provider, state.default_model, state.health_shown) == ("local", "", False)
    assert stored() == {}
    refused = sorted(json.loads(e.detail)["action"] for e in audit.search_events(kind="admin.refused")[0])
    assert refused == [f"AISettingsState.{name}" for name in
                       ("choose_provider", "edit", "load", "save", "test_connection")]
    assert KEY not in everything_recorded()


def test_the_page_compiles():
    from dokvault.pages.intelligence.ai import ai_page

    ai_page()
