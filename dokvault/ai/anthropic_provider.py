"""Claude through the Messages API (AsyncAnthropic). Structured output is a tool whose input
schema is the answer's schema, with `tool_choice` forcing Claude to call it."""

from __future__ import annotations

import anthropic

from dokvault.ai.llm import Answer, LLMProvider
from dokvault.ai.prompts import Prompt
from dokvault.ai.types import ProviderError, Usage


class AnthropicProvider(LLMProvider):
    sdk = anthropic

    def __init__(self, model: str, api_key: str | None, base_url: str | None = None, **options):
        super().__init__("anthropic", model, api_key, **options)
        # An explicit key (a placeholder when none is configured; `_ask` refuses to call
        # then) keeps the SDK from reading ANTHROPIC_API_KEY from the environment.
        self._client = anthropic.AsyncAnthropic(api_key=api_key or "unset", base_url=base_url,
                                                timeout=self.timeout, max_retries=0,
                                                http_client=self._http)

    async def _complete(self, prompt: Prompt) -> Answer:
        request: dict = {"model": self.model, "max_tokens": prompt.max_tokens, "system": prompt.system,
                         "messages": [{"role": "user", "content": prompt.user}]}
        if prompt.schema is not None:
            request["tools"] = [{"name": prompt.name, "description": "Record the answer.",
                                 "input_schema": prompt.schema, "strict": True}]
            request["tool_choice"] = {"type": "tool", "name": prompt.name, "disable_parallel_tool_use": True}
        message = await self._client.messages.create(**request)
        usage = Usage(input_tokens=message.usage.input_tokens, output_tokens=message.usage.output_tokens)
        if message.stop_reason == "refusal":
            text = "".join(b.text for b in message.content if b.type == "text")
            return Answer(None, usage, refusal=text or "stop_reason refusal")
        truncated = message.stop_reason == "max_tokens"
        if prompt.schema is None:
            text = "".join(b.text for b in message.content if b.type == "text")
            return Answer(text, usage, None, truncated)
        calls = [b for b in message.content if b.type == "tool_use" and b.name == prompt.name]
        if not calls and not truncated:
            raise ProviderError(self.name, f"no {prompt.name} tool call in the answer "
                                           f"(stop_reason {message.stop_reason})")
        return Answer(calls[0].input if calls else None, usage, None, truncated)
