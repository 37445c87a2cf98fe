"""The admin's "Test connection": settings saved through dokvault.services.intelligence.ai_settings, then
the real health check of each provider's official SDK against the local fakes in tests/fakes/
(Anthropic, OpenAI, Ollama, LM Studio), also through the /admin/ai page's handler."""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import re

import pytest

from dokvault import db
from dokvault.models import AuditEvent
from dokvault.services.auth import accounts
from dokvault.services.intelligence import ai_settings
from tests.unit.helpers import access_token, handled, page_state


def run(coro):
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def everything_recorded() -> str:
    from sqlmodel import select

    with db.session() as s:
        return "\n".join(f"{e.kind} {e.detail}" for e in s.exec(select(AuditEvent)).all())


def test_openai_with_its_key(admin, openai_fake, caplog):
    ai_settings.save(admin, "openai", model="gpt-4o-mini", base_url=openai_fake.base_url,
                     api_key=openai_fake.api_key)
    health = run(ai_settings.health())
    assert health.ok, health.detail
    assert (health.provider, health.model) == ("openai", "gpt-4o-mini")
    assert health.models == ["gpt-4o", "gpt-4o-mini"] and "answered in" in health.detail
    (chat,) = openai_fake.calls("/v1/chat/completions")
    assert chat.headers["authorization"] == f"Bearer {openai_fake.api_key}"  # the decrypted key
    assert chat.body["model"] == "gpt-4o-mini"
    assert openai_fake.api_key not in caplog.text and openai_fake.api_key not in everything_recorded()


def test_openai_with_a_wrong_key(admin, openai_fake):
    wrong = "sk-proj-wrong-key-9876543210abcdef"
    ai_settings.save(admin, "openai", base_url=openai_fake.base_url, api_key=wrong)
    health = run(ai_settings.health())
    assert not health.ok and "401" in health.detail
    assert wrong not in health.detail and openai_fake.api_key not in health.detail


def test_anthropic(admin, anthropic_fake):
    # The form offers no base URL for Anthropic; the service takes one (a gateway, or this fake).
    ai_settings.save(admin, "anthropic", base_url=anthropic_fake.url, api_key=anthropic_fake.api_key)
    health = run(ai_settings.health())
    assert health.ok, health.detail
    assert (health.provider, health.model) == ("anthropic", "claude-sonnet-4-6")
    headers = anthropic_fake.calls("/v1/messages")[0].headers  # SDK 2.x sends a bearer token
    assert anthropic_fake.api_key in (headers.get("x-api-key"), headers.get("authorization", "")[7:])


def test_ollama_lists_its_models(admin, ollama_fake):
    ai_settings.save(admin, "ollama", base_url=ollama_fake.base_url)
    health = run(ai_settings.health())
    assert health.ok, health.detail
    assert health.models == ["llama3.2:latest"] and ollama_fake.calls("/api/tags")

    ai_settings.save(admin, "ollama", model="mistral")
    health = run(ai_settings.health())
    assert not health.ok and "mistral" in health.detail and health.models == ["llama3.2:latest"]


def test_lmstudio_failing_then_working(admin, lmstudio_fake):
    ai_settings.save(admin, "lmstudio", base_url=lmstudio_fake.base_url)
    lmstudio_fake.inject("server_error")
    health = run(ai_settings.health())
    assert not health.ok and "500" in health.detail
    health = run(ai_settings.health())
    assert health.ok and health.models == ["gemma-4-e4b-it"]


def test_a_slow_server_is_reported_not_waited_for(admin, lmstudio_fake):
    ai_settings.save(admin, "lmstudio", base_url=lmstudio_fake.base_url)
    lmstudio_fake.inject("timeout", delay=3.0)  # the model list hangs
    health = run(ai_settings.health(timeout=1.0))
    assert not health.ok and "timed out" in health.detail


@pytest.fixture
def admin_page(admin):
    from dokvault.pages.intelligence.ai import AISettingsState

    with db.session() as s:
        session_id = accounts.open_session(s, admin, "pytest-browser")
    return page_state(AISettingsState, access_token(admin.id, session_id))


def handler(name: str):
    from dokvault.pages.intelligence.ai import AISettingsState

    return AISettingsState.event_handlers[name].fn


def test_the_page_saves_and_tests_openai(admin_page, openai_fake):
    handler("load")(admin_page)
    handler("choose_provider")(admin_page, "openai")
    handled(handler("save")(admin_page, {"provider": "openai", "model": "",
                                         "base_url": openai_fake.base_url,
                                         "api_key": openai_fake.api_key}))
    assert admin_page.errors == {} and admin_page.active_provider == "openai"
    run(handler("test_connection")(admin_page))
    assert admin_page.health_shown and admin_page.health_ok, admin_page.health_detail
    assert admin_page.health_model == "gpt-4o" and "gpt-4o-mini" in admin_page.health_models
    assert openai_fake.api_key not in json.dumps(admin_page.dict(), default=str)
    assert not admin_page.testing


def test_the_page_tests_edits_before_they_are_saved(admin_page, openai_fake, caplog):
    handler("load")(admin_page)
    handler("choose_provider")(admin_page, "openai")
    handler("edit")(admin_page, "base_url", "ftp://nowhere")
    run(handler("test_connection")(admin_page))
    assert admin_page.errors.get("ai.base_url", "") == "Adressen må begynne med http:// eller https://."
    assert not admin_page.health_shown and not admin_page.testing and not openai_fake.requests

    handler("edit")(admin_page, "base_url", openai_fake.base_url)
    handler("edit")(admin_page, "model", "gpt-4o-mini")
    handler("edit")(admin_page, "api_key", f"  {openai_fake.api_key} ")
    run(handler("test_connection")(admin_page))
    assert admin_page.errors == {} and admin_page.health_ok, admin_page.health_detail
    assert admin_page.health_model == "gpt-4o-mini"
    assert re.fullmatch(r"Svarte på \d+ ms\.", admin_page.health_detail)  # in the page's language
    (chat,) = openai_fake.calls("/v1/chat/completions")
    assert chat.headers["authorization"] == f"Bearer {openai_fake.api_key}"  # the typed key
    # Tested, not saved: the organisation still classifies with local, and no key is stored.
    assert ai_settings.configured_provider() == "local" and not ai_settings.current("openai").has_key
    assert openai_fake.api_key not in json.dumps(admin_page.dict(), default=str)
    assert openai_fake.api_key not in json.dumps(admin_page._edits)  # sealed, also server-side
    assert openai_fake.api_key not in caplog.text and openai_fake.api_key not in everything_recorded()

    handler("choose_provider")(admin_page, "openai")  # the form remounts with what is stored
    run(handler("test_connection")(admin_page))
    assert not admin_page.health_ok and admin_page.health_detail == "Ingen API-nøkkel er lagt inn."


def test_a_failed_check_is_said_in_the_page_language(admin_page, lmstudio_fake, allow_outbound):
    handler("load")(admin_page)
    handler("choose_provider")(admin_page, "lmstudio")
    handler("edit")(admin_page, "base_url", lmstudio_fake.base_url)
    lmstudio_fake.inject("server_error")
    run(handler("test_connection")(admin_page))
    assert not admin_page.health_ok
    assert admin_page.health_detail.startswith("Serveren svarte med en feil: HTTP 500")
    handler("edit")(admin_page, "base_url", "http://127.0.0.1:9/v1")  # not allowed: refused
    run(handler("test_connection")(admin_page))
    assert admin_page.errors.get("ai.base_url", "").startswith(
        "DokVault kobler ikke til 127.0.0.1: adressen er intern")
    assert not admin_page.health_shown
    allow_outbound("127.0.0.1:9")  # allowed, but nothing listens there
    run(handler("test_connection")(admin_page))
    assert admin_page.health_detail == "Fikk ikke kontakt med serveren. Sjekk adressen."


def test_the_fakes_are_refused_until_allowed(admin_page, clean_env, monkeypatch):
    from dokvault.core.caches import reset_caches
    from tests.fakes.openai_fake import OpenAIFake

    with OpenAIFake(flavour="ollama") as fake:  # not through the fixture: nothing allowed
        handler("load")(admin_page)
        handler("choose_provider")(admin_page, "ollama")
        handler("edit")(admin_page, "base_url", fake.base_url)
        run(handler("test_connection")(admin_page))
        assert "OUTBOUND_ALLOWED_HOSTS" in admin_page.errors.get("ai.base_url", "") and fake.requests == []
        monkeypatch.setenv("OUTBOUND_ALLOWED_HOSTS", f"127.0.0.1:{fake.port}")
        reset_caches()
        run(handler("test_connection")(admin_page))
        assert admin_page.errors == {} and admin_page.health_ok, admin_page.health_detail


def test_a_redirect_to_an_internal_address_fails_the_check(admin, allow_outbound, caplog):
    from tests.fakes.redirect import Redirector

    with Redirector(to="http://169.254.169.254/latest/meta-data/") as fake:
        allow_outbound(f"127.0.0.1:{fake.port}")
        ai_settings.save(admin, "lmstudio", base_url=f"{fake.url}/v1")
        health = run(ai_settings.health())
    assert not health.ok and health.code == "error.outbound_metadata", health.detail
    assert health.detail.startswith("refused: 169.254.169.254")
    assert [r.path for r in fake.requests] == ["/v1/models"]  # the redirect was not followed
    assert "outbound refused host=169.254.169.254" in caplog.text
