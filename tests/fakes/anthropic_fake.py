"""A local Anthropic Messages API, speaking the wire format in ../shared/apis.md §1.

`POST /v1/messages` with either auth style (`x-api-key`, as SDK ≤ 1.x sends, or
`Authorization: Bearer`, as SDK ≥ 2.0 sends) and an `anthropic-version` header (any value).
With a tool forced by `tool_choice` the answer is a `tool_use` block whose input the brain
(tests/fakes/llm.py) fills from the request's schema; without tools it is text. Every
response has the `anthropic-ratelimit-*` and `request-id` headers; errors have the
`{"type":"error","error":{…}}` shape; an answer longer than `max_tokens` stops with
`stop_reason: max_tokens`. Faults: see tests/fakes/llm.py (overloaded is the 529).
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tests.fakes import llm
from tests.fakes.llm import Fault, Reply, Request

ERROR_TYPES = {400: "invalid_request_error", 401: "authentication_error", 404: "not_found_error",
               429: "rate_limit_error", 500: "api_error", 529: "overloaded_error"}
FAULTS = {"rate_limit": (429, "Number of requests has exceeded your rate limit."),
          "server_error": (500, "Internal server error"),
          "overloaded": (529, "Overloaded"),
          "unauthorized": (401, "invalid x-api-key")}
REQUESTS_PER_MINUTE = 50


@dataclass
class AnthropicFake(llm.FakeLLMServer):
    model_suffix: str = "-20260115"  # the API names the dated model it used

    def rate_headers(self) -> dict[str, str]:
        reset = (datetime.now(UTC) + timedelta(seconds=60)).strftime("%Y-%m-%dT%H:%M:%SZ")
        remaining = max(REQUESTS_PER_MINUTE - len(self.requests), 0)
        headers = {"request-id": f"req_{secrets.token_hex(12)}"}
        for kind, limit, left in (("requests", REQUESTS_PER_MINUTE, remaining),
                                  ("tokens", 400000, 400000), ("input-tokens", 300000, 300000),
                                  ("output-tokens", 100000, 100000)):
            headers |= {f"anthropic-ratelimit-{kind}-limit": str(limit),
                        f"anthropic-ratelimit-{kind}-remaining": str(left),
                        f"anthropic-ratelimit-{kind}-reset": reset}
        return headers

    def error(self, status: int, message: str, retry_after: str | None = None) -> Reply:
        headers = self.rate_headers()
        if retry_after is not None and status == 429:
            headers["retry-after"] = retry_after
        body = {"type": "error", "error": {"type": ERROR_TYPES.get(status, "api_error"), "message": message},
                "request_id": headers["request-id"]}
        return Reply(status, body, headers)

    def handle(self, request: Request, fault: Fault | None) -> Reply:
        if (request.method, request.path) != ("POST", "/v1/messages"):
            return self.error(404, f"Not found: {request.method} {request.path}")
        bearer = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        key = request.headers.get("x-api-key") or bearer
        if self.api_key is not None and key != self.api_key:
            return self.error(401, "invalid x-api-key")
        if "anthropic-version" not in request.headers:
            return self.error(400, "anthropic-version: header is required")
        body = request.body
        if not isinstance(body, dict) or not all(k in body for k in ("model", "max_tokens", "messages")):
            return self.error(400, "model, max_tokens and messages: field required")
        kind = fault.kind if fault else None
        if kind in FAULTS:
            return self.error(*FAULTS[kind], retry_after=fault.retry_after)
        if kind == "malformed":
            return Reply(200, b'{"id": "msg_01", "type": "message", "content": [{"type": "tool_u',
                         self.rate_headers())
        return Reply(200, self.message(body, kind), self.rate_headers())

    def message(self, body: dict, kind: str | None) -> dict:
        tools = {t.get("name"): t for t in body.get("tools", []) if isinstance(t, dict)}
        choice = body.get("tool_choice") or {"type": "auto"}
        if choice.get("type") == "tool":
            tool = tools.get(choice.get("name"))
        else:
            tool = None if choice.get("type") == "none" else next(iter(tools.values()), None)
        system, user = llm.split_prompt(body["messages"], body.get("system", ""))
        record = llm.answer(system, user, tool["input_schema"] if tool else None)
        if kind == "outside":
            record = llm.outside(record)
        if kind == "refusal":
            content, stop = [], "refusal"
        elif kind == "nonsense":
            content, stop = [{"type": "text", "text": "Dette ser ut som en faktura, tror jeg."}], "end_turn"
        elif tool:
            content = [{"type": "tool_use", "id": f"toolu_{secrets.token_hex(12)}", "name": tool["name"],
                        "input": record}]
            stop = "tool_use"
        else:
            content, stop = [{"type": "text", "text": str(record)}], "end_turn"
        output_tokens = llm.tokens(json.dumps(content))
        if output_tokens > body["max_tokens"]:
            output_tokens, stop = body["max_tokens"], "max_tokens"
            content = [] if tool else [{"type": "text", "text": content[0]["text"][:4 * output_tokens]}]
        return {"id": f"msg_{secrets.token_hex(12)}", "type": "message", "role": "assistant",
                "model": body["model"] + self.model_suffix, "content": content,
                "stop_reason": stop, "stop_sequence": None,
                "usage": {"input_tokens": llm.tokens(json.dumps(body)), "output_tokens": output_tokens,
                          "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0,
                          "service_tier": "standard"}}
