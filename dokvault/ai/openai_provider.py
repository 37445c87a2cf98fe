"""OpenAI Chat Completions (AsyncOpenAI), also the way to Ollama and LM Studio, whose
OpenAI-compatible APIs take the same request. Structured output is `response_format`
json_schema (strict), the one form all three accept (LM Studio has no json_object mode)."""

from __future__ import annotations

import httpx2
import openai

from dokvault.ai.llm import Answer, LLMProvider
from dokvault.ai.prompts import Prompt
from dokvault.ai.types import ProviderError, Usage


class OpenAIProvider(LLMProvider):
    sdk = openai

    def __init__(self, name: str, model: str, api_key: str | None, base_url: str | None = None, **options):
        super().__init__(name, model, api_key, **options)
        self.requires_key = name == "openai"  # Ollama and LM Studio need none by default
        self.base_url = base_url
        # An explicit key (a placeholder when there is none) keeps the SDK from reading
        # OPENAI_API_KEY from the environment.
        self._client = openai.AsyncOpenAI(api_key=api_key or "none", base_url=base_url,
                                          timeout=self.timeout, max_retries=0, http_client=self._http)

    def _limits(self, max_tokens: int) -> dict:
        # OpenAI's own API wants max_completion_tokens (its reasoning models refuse max_tokens
        # and any temperature); the local servers read max_tokens, and temperature 0 keeps
        # small models steady.
        if self.name == "openai":
            return {"max_completion_tokens": max_tokens}
        return {"max_tokens": max_tokens, "temperature": 0}

    async def _complete(self, prompt: Prompt) -> Answer:
        request: dict = {"model": self.model, **self._limits(prompt.max_tokens), "messages": [
            {"role": "system", "content": prompt.system}, {"role": "user", "content": prompt.user}]}
        if prompt.schema is not None:
            request["response_format"] = {"type": "json_schema", "json_schema": {
                "name": prompt.name, "strict": True, "schema": prompt.schema}}
        completion = await self._client.chat.completions.create(**request)
        if not completion.choices:
            raise ProviderError(self.name, "an answer without choices")
        choice = completion.choices[0]
        usage = Usage(input_tokens=completion.usage.prompt_tokens if completion.usage else 0,
                      output_tokens=completion.usage.completion_tokens if completion.usage else 0)
        refusal = choice.message.refusal
        if refusal is None and choice.finish_reason == "content_filter":
            refusal = "content filter"
        return Answer(choice.message.content or "", usage, refusal, choice.finish_reason == "length")

    async def _models(self) -> list[str]:
        if self.name != "ollama":
            return [m.id for m in (await self._client.models.list()).data]
        # Ollama's native list also shows models that were pulled but never loaded.
        url = str(self._client.base_url).rstrip("/").removesuffix("/v1") + "/api/tags"
        try:
            response = await self._http.get(url)  # the SDK's client: guarded, closed with it
            response.raise_for_status()
            return [m["name"] for m in response.json()["models"]]
        except (httpx2.HTTPError, ValueError, KeyError, TypeError) as exc:
            why = f"HTTP {exc.response.status_code}" if isinstance(exc, httpx2.HTTPStatusError) \
                else type(exc).__name__
            raise ProviderError(self.name, f"cannot list models at {url} ({why})") from exc

    def _offers(self, models: list[str]) -> bool:
        return self.model in models or f"{self.model}:latest" in models  # Ollama's implicit tag
