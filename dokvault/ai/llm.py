"""What the LLM providers share: the three calls, retries, error translation and logging.

A subclass only says how one request is sent (`_complete`) and, if it can, which models the
server has (`_models`). The SDKs' own retries are off (max_retries=0) so that this loop is the
only one: it retries 408/409/429/5xx (Anthropic's 529 included), timeouts and dropped
connections, waits what `Retry-After` says, else backs off exponentially, and never waits more
than `max_wait` seconds in total; a server asking for a longer pause gets no retry, so the
caller can fall back at once. Every failure leaves as `ProviderError`.

Logged per call: provider, model, call, latency, tokens, attempts. Never the API key or the
document text.
"""

from __future__ import annotations

import asyncio
import email.utils
import itertools
import logging
import random
import time
from dataclasses import dataclass
from types import ModuleType

from dokvault.ai import prompts, validate
from dokvault.ai.prompts import Prompt
from dokvault.ai.types import Health, ProviderError, Suggestion, Taxonomy, Usage
from dokvault.core import net

log = logging.getLogger(__name__)

RETRY_STATUSES = {408, 409, 429}


@dataclass
class Answer:
    content: object            # a dict (tool input), JSON text, or plain text
    usage: Usage
    refusal: str | None = None
    truncated: bool = False    # stopped at max_tokens


def retry_after(headers) -> float | None:
    """Seconds from `retry-after-ms`, or `retry-after` as seconds or an HTTP date."""
    try:
        if (ms := headers.get("retry-after-ms")) is not None:
            return max(float(ms) / 1000, 0.0)
        if (value := headers.get("retry-after")) is None:
            return None
        try:
            return max(float(value), 0.0)
        except ValueError:
            return max(email.utils.parsedate_to_datetime(value).timestamp() - time.time(), 0.0)
    except (TypeError, ValueError):
        return None


def _describe(body: object) -> str:
    """'type: message' from an error body of any of the four servers."""
    error = body.get("error", body) if isinstance(body, dict) else body
    if isinstance(error, dict):
        return ": ".join(str(error[k]) for k in ("type", "message") if error.get(k))
    return str(error or "")


class LLMProvider:
    sdk: ModuleType        # `anthropic` or `openai`: both name their exceptions alike
    requires_key = True

    def __init__(self, name: str, model: str, api_key: str | None, *, timeout: float = 60.0,
                 max_retries: int = 3, max_wait: float = 30.0, allow: tuple[str, ...] = ()):
        self.name, self.model = name, model
        self.timeout, self.max_retries, self.max_wait = timeout, max_retries, max_wait
        self._api_key = api_key or ""
        # The SDK's HTTP client: every request, redirects included, through the outbound
        # guard; `allow` adds hosts the operator configured (net.Policy).
        self._http = net.guarded_client(allow=allow, timeout=timeout)
        self._client = None  # the SDK client, set by the subclass

    # --- the AIProvider interface -----------------------------------------------------

    async def classify(self, text: str, taxonomy: Taxonomy) -> Suggestion:
        answer, latency_ms = await self._ask(prompts.classify(text, taxonomy), "classify")
        result = validate.suggestion(validate.parse_json(answer.content, self.name), taxonomy, self.name)
        return result.model_copy(update={"model": self.model, "usage": answer.usage,
                                         "latency_ms": latency_ms})

    async def suggest_topics(self, text: str, taxonomy: Taxonomy) -> list[str]:
        answer, _ = await self._ask(prompts.suggest_topics(text, taxonomy), "suggest_topics")
        return validate.topics(validate.parse_json(answer.content, self.name))

    async def health_check(self) -> Health:
        """A tiny prompt, no retries; `models` lists what the server offers, where it says (also
        when the prompt fails, so an admin sees what to pick instead)."""
        models: list[str] = []
        try:
            self._check_key()
            models = await self._models()
            _, latency_ms = await self._ask(prompts.health_check(), "health_check", retries=0)
        except Exception as exc:  # a health check reports, it never raises
            error = self._error(exc)
            return Health(False, self.name, self.model, error.reason, models, error.code, error.values)
        ms = round(latency_ms)
        if models and not self._offers(models):
            return Health(True, self.name, self.model,
                          f"answered in {ms} ms; {self.model} is not in the server's model list", models,
                          "health.answered_unlisted", {"ms": ms, "model": self.model})
        return Health(True, self.name, self.model, f"answered in {ms} ms", models, "health.answered",
                      {"ms": ms})

    async def aclose(self) -> None:
        await self._client.close()

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc) -> None:
        await self.aclose()

    # --- for subclasses ---------------------------------------------------------------

    async def _complete(self, prompt: Prompt) -> Answer:
        raise NotImplementedError

    async def _models(self) -> list[str]:
        return []

    def _offers(self, models: list[str]) -> bool:
        return self.model in models

    # --- the shared machinery ---------------------------------------------------------

    def _check_key(self) -> None:
        if self.requires_key and not self._api_key:
            raise ProviderError(self.name, "no API key configured", "health.no_key")

    async def _ask(self, prompt: Prompt, call: str, retries: int | None = None) -> tuple[Answer, float]:
        self._check_key()
        retries = self.max_retries if retries is None else retries
        started, waited = time.monotonic(), 0.0
        for attempt in itertools.count(1):
            try:
                answer = await self._complete(prompt)
                break
            except Exception as exc:
                wait = self._retry_wait(exc, attempt, waited) if attempt <= retries else None
                error = self._error(exc)
                if wait is None:
                    log.warning("ai call failed provider=%s model=%s call=%s latency_ms=%.0f attempts=%d "
                                "reason=%s", self.name, self.model, call, _ms(started), attempt, error.reason)
                    raise error from exc
                log.info("ai call retry provider=%s model=%s call=%s attempt=%d wait_s=%.2f reason=%s",
                         self.name, self.model, call, attempt, wait, error.reason)
                await asyncio.sleep(wait)
                waited += wait
        latency_ms = _ms(started)
        log.info("ai call provider=%s model=%s call=%s latency_ms=%.0f input_tokens=%d output_tokens=%d "
                 "attempts=%d", self.name, self.model, call, latency_ms, answer.usage.input_tokens,
                 answer.usage.output_tokens, attempt)
        problem = None
        if answer.refusal is not None:
            problem = f"refused: {answer.refusal[:120]}"
        elif answer.truncated and prompt.schema is not None:
            problem = f"answer cut off at max_tokens={prompt.max_tokens}"
        if problem:
            log.warning("ai call unusable provider=%s model=%s call=%s reason=%s", self.name, self.model,
                        call, problem)
            raise ProviderError(self.name, problem)
        return answer, latency_ms

    def _retry_wait(self, exc: Exception, attempt: int, waited: float) -> float | None:
        """Seconds to wait before the next attempt, or None: do not retry."""
        if refusal(exc) is not None:
            return None
        if isinstance(exc, self.sdk.APIStatusError):
            headers = exc.response.headers
            if headers.get("x-should-retry") == "false":
                return None
            if exc.status_code not in RETRY_STATUSES and exc.status_code < 500:
                return None
            wait = retry_after(headers)
        elif isinstance(exc, self.sdk.APIConnectionError):  # timeouts included
            wait = None
        else:
            return None
        if wait is None:
            wait = min(0.5 * 2 ** (attempt - 1), 8.0) * (0.75 + random.random() / 4)  # noqa: S311 (jitter)
        return wait if waited + wait <= self.max_wait else None

    def _error(self, exc: Exception) -> ProviderError:
        if isinstance(exc, ProviderError):
            return exc
        values: dict[str, str | int] = {}
        if (refused := refusal(exc)) is not None:
            reason, code, values = f"refused: {refused}", refused.code, refused.values
        elif isinstance(exc, self.sdk.APITimeoutError):
            reason, code, values = f"timed out after {self.timeout:g} s", "health.timed_out", \
                {"seconds": f"{self.timeout:g}"}
        elif isinstance(exc, self.sdk.APIConnectionError):
            reason, code = "cannot connect", "health.cannot_connect"
        elif isinstance(exc, self.sdk.APIStatusError):
            reason = f"HTTP {exc.status_code} {_describe(exc.body)}".strip()
            if (wait := retry_after(exc.response.headers)) is not None:
                reason += f" (retry after {wait:g} s)"
            code, values = "health.http", {"detail": reason}
        else:  # a body that is not JSON, or not the shape the SDK expects
            reason, code = f"unusable response ({type(exc).__name__})", "health.unusable"
        if self._api_key:
            reason = reason.replace(self._api_key, "***")
            values = {k: str(v).replace(self._api_key, "***") for k, v in values.items()}
        return ProviderError(self.name, reason[:300], code, **{k: str(v)[:300] for k, v in values.items()})


def refusal(exc: BaseException | None) -> net.OutboundRefused | None:
    """The outbound guard's refusal behind `exc` (the SDKs wrap it in APIConnectionError)."""
    return net.refusal(exc)


def _ms(started: float) -> float:
    return (time.monotonic() - started) * 1000
