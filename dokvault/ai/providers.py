"""Choosing a provider by name, and classifying with a fallback.

`build_provider` makes the four LLM providers; `local` (dokvault.ai.local_provider) is built by its
own module. `classify_with_fallback` is what the pipeline calls: when the chosen provider
fails or answers nonsense, the fallback (normally `local`) answers instead, so a document
never waits on a remote service.
"""

from __future__ import annotations

import logging
from typing import NamedTuple

from dokvault.ai.llm import LLMProvider
from dokvault.ai.types import AIProvider, ProviderError, Suggestion, Taxonomy
from dokvault.core import net
from dokvault.settings import get_settings

log = logging.getLogger(__name__)


class Defaults(NamedTuple):
    model: str
    base_url: str
    timeout: float  # seconds per request; local models on a CPU are slow


DEFAULTS: dict[str, Defaults] = {
    "anthropic": Defaults("claude-sonnet-4-6", "https://api.anthropic.com", 60.0),
    "openai": Defaults("gpt-4o", "https://api.openai.com/v1", 60.0),
    "ollama": Defaults("llama3.2", "http://host.docker.internal:11434/v1", 180.0),
    "lmstudio": Defaults("gemma-4-e4b-it", "http://host.docker.internal:1234/v1", 180.0),
}


def operator_hosts() -> tuple[str, ...]:
    """Where the operator, not an admin, pointed the local servers, allowed past the outbound
    guard at that host and port: OLLAMA_BASE_URL and LMSTUDIO_BASE_URL, or when empty their
    defaults on the Docker host (compose.yml maps host.docker.internal to it)."""
    settings = get_settings()
    urls = (settings.ollama_base_url.strip() or DEFAULTS["ollama"].base_url,
            settings.lmstudio_base_url.strip() or DEFAULTS["lmstudio"].base_url)
    return tuple(entry for url in urls if (entry := net.host_port(url)))


def build_provider(name: str, model: str | None = None, api_key: str | None = None,
                   base_url: str | None = None, **options) -> LLMProvider:
    """An LLM provider by name; empty model/base_url mean the defaults. `options`:
    timeout, max_retries, max_wait (see LLMProvider). Raises net.OutboundRefused for a base
    URL the outbound guard refuses; every request is checked again (LLMProvider.allow)."""
    if name not in DEFAULTS:
        raise ValueError(f"unknown AI provider {name!r}; expected one of {', '.join(DEFAULTS)}")
    defaults = DEFAULTS[name]
    options.setdefault("timeout", defaults.timeout)
    options.setdefault("allow", operator_hosts())
    model, base_url = model or defaults.model, base_url or defaults.base_url
    net.check_url(base_url, allow=options["allow"])
    # The SDKs take a second or two to import, and a deployment uses one of them at most.
    if name == "anthropic":
        from dokvault.ai.anthropic_provider import AnthropicProvider

        return AnthropicProvider(model, api_key, base_url, **options)
    from dokvault.ai.openai_provider import OpenAIProvider

    return OpenAIProvider(name, model, api_key, base_url, **options)


async def classify_with_fallback(primary: AIProvider | None, fallback: AIProvider, text: str,
                                 taxonomy: Taxonomy) -> Suggestion:
    """The primary's suggestion; if it raises ProviderError, the fallback's, marked with
    `fallback_from`. The fallback's own errors propagate."""
    if primary is None or primary is fallback:
        return await fallback.classify(text, taxonomy)
    try:
        return await primary.classify(text, taxonomy)
    except ProviderError as exc:
        log.warning("ai fallback from=%s model=%s to=%s reason=%s", primary.name, primary.model,
                    fallback.name, exc.reason)
    suggestion = await fallback.classify(text, taxonomy)
    return suggestion.model_copy(update={"fallback_from": primary.name})
