"""A local OpenAI Chat Completions server, speaking the wire formats in ../shared/apis.md §2,
in three flavours:

- `openai`: Bearer auth (when `api_key` is set), `x-ratelimit-*` headers, `json_schema` and
  `json_object` response formats, refusals as `content: null, refusal: "…"`.
- `ollama`: no auth, `system_fingerprint: fp_ollama`, a 404 for a model that was not pulled,
  and the native `GET /api/tags` and `POST /api/chat` (`stream: false`, `format` a schema).
- `lmstudio`: no auth, `json_schema` only (a 400 for `json_object`), a 400 when no model is
  loaded, and the request's `model` ignored when one is.

All three: `POST /v1/chat/completions`, `GET /v1/models`; answers from the brain in
tests/fakes/llm.py; faults as listed there (overloaded is a 503 here).
"""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass, field

from tests.fakes import llm
from tests.fakes.llm import Fault, Reply, Request

MODELS = {"openai": ["gpt-4o", "gpt-4o-mini"], "ollama": ["llama3.2:latest"], "lmstudio": ["gemma-4-e4b-it"]}
ERROR_TYPES = {400: "invalid_request_error", 401: "invalid_request_error", 404: "not_found_error",
               429: "rate_limit_error", 500: "api_error", 503: "api_error"}
FAULTS = {"rate_limit": (429, "Rate limit reached for requests", "rate_limit_exceeded"),
          "server_error": (500, "The server had an error while processing your request.", None),
          "overloaded": (503, "The engine is currently overloaded, please try again later", None),
          "unauthorized": (401, "Incorrect API key provided: sk-***.", "invalid_api_key")}
REFUSAL = "I'm sorry, I can't help with that."


@dataclass
class OpenAIFake(llm.FakeLLMServer):
    flavour: str = "openai"
    models: list[str] = field(default_factory=list)  # empty: the flavour's defaults

    def __post_init__(self) -> None:
        super().__post_init__()
        self.models = self.models or list(MODELS[self.flavour])

    @property
    def base_url(self) -> str:
        return f"{self.url}/v1"

    def headers(self) -> dict[str, str]:
        if self.flavour != "openai":
            return {}
        return {"x-request-id": f"req_{secrets.token_hex(12)}",
                "x-ratelimit-limit-requests": "500", "x-ratelimit-remaining-requests": "499",
                "x-ratelimit-reset-requests": "120ms", "x-ratelimit-limit-tokens": "30000",
                "x-ratelimit-remaining-tokens": "29000", "x-ratelimit-reset-tokens": "2s"}

    def error(self, status: int, message: str, code: str | None = None, param: str | None = None,
              retry_after: str | None = None) -> Reply:
        headers = self.headers()
        if retry_after is not None and status == 429:
            headers["retry-after"] = retry_after
        return Reply(status, {"error": {"message": message, "type": ERROR_TYPES.get(status, "api_error"),
                                        "param": param, "code": code}}, headers)

    def handle(self, request: Request, fault: Fault | None) -> Reply:
        route = (request.method, request.path)
        if self.flavour == "ollama" and request.path.startswith("/api/"):
            return self.native(request, fault)
        if self.flavour == "openai" and self.api_key is not None \
                and request.headers.get("authorization") != f"Bearer {self.api_key}":
            return self.error(401, "Incorrect API key provided.", "invalid_api_key")
        kind = fault.kind if fault else None
        if kind in FAULTS:
            status, message, code = FAULTS[kind]
            return self.error(status, message, code, retry_after=fault.retry_after)
        if route == ("GET", "/v1/models"):
            return Reply(200, {"object": "list", "data": [
                {"id": m, "object": "model", "created": 1733000000,
                 "owned_by": "library" if self.flavour == "ollama" else "system"} for m in self.models]},
                self.headers())
        if route != ("POST", "/v1/chat/completions"):
            return self.error(404, f"Invalid URL ({request.method} {request.path})")
        if kind == "malformed":
            return Reply(200, b'{"id": "chatcmpl-1", "object": "chat.completion", "choices": [{"mess',
                         self.headers())
        body = request.body
        if not isinstance(body, dict) or "model" not in body or "messages" not in body:
            return self.error(400, "you must provide a model and messages", param="messages")
        if problem := self.refuse_request(body):
            return problem
        return Reply(200, self.completion(body, kind), self.headers())

    def refuse_request(self, body: dict) -> Reply | None:
        """What each server turns away before answering."""
        model, kind = body["model"], (body.get("response_format") or {}).get("type")
        if self.flavour == "ollama" and model not in self.models and f"{model}:latest" not in self.models:
            return self.error(404, f'model "{model}" not found, try pulling it first')
        if self.flavour == "lmstudio":
            if not self.models:
                return self.error(400, "No models loaded. Please load a model in the developer page "
                                       "or use the `lms load` command.", param="model")
            if kind == "json_object":
                return self.error(400, "'response_format.type' must be 'json_schema' or 'text'")
        if self.flavour == "openai" and model not in self.models:
            return self.error(404, f"The model `{model}` does not exist or you do not have access to it.",
                              "model_not_found")
        if kind == "json_schema" and not isinstance((body["response_format"].get("json_schema") or {})
                                                    .get("schema"), dict):
            return self.error(400, "response_format.json_schema.schema is required", param="response_format")
        return None

    def completion(self, body: dict, kind: str | None) -> dict:
        response_format = body.get("response_format") or {}
        schema = (response_format.get("json_schema") or {}).get("schema") \
            if response_format.get("type") == "json_schema" else None
        system, user = llm.split_prompt(body["messages"])
        record = llm.answer(system, user, schema)
        if kind == "outside":
            record = llm.outside(record)
        content = record if isinstance(record, str) else json.dumps(record, ensure_ascii=False)
        refusal, finish = None, "stop"
        if kind == "refusal":
            content, refusal = None, REFUSAL
        elif kind == "nonsense":
            content = "Dette ser ut som en faktura, tror jeg."
        limit = body.get("max_completion_tokens") or body.get("max_tokens")
        output_tokens = llm.tokens(content or refusal)
        if limit and output_tokens > limit and content:
            output_tokens, finish, content = limit, "length", content[:4 * limit]
        model = self.models[0] if self.flavour == "lmstudio" else body["model"]  # LM Studio: the loaded one
        input_tokens = llm.tokens(json.dumps(body))
        return {"id": f"chatcmpl-{secrets.token_hex(12)}", "object": "chat.completion",
                "created": int(time.time()), "model": model,
                "choices": [{"index": 0, "message": {"role": "assistant", "content": content,
                                                     "refusal": refusal, "annotations": []},
                             "logprobs": None, "finish_reason": finish}],
                "usage": {"prompt_tokens": input_tokens, "completion_tokens": output_tokens,
                          "total_tokens": input_tokens + output_tokens},
                "system_fingerprint": "fp_ollama" if self.flavour == "ollama" else "fp_06737a9306"}

    # --- Ollama's native API -----------------------------------------------------------

    def native(self, request: Request, fault: Fault | None) -> Reply:
        if fault is not None and fault.kind in FAULTS:
            return Reply(FAULTS[fault.kind][0], {"error": FAULTS[fault.kind][1]})
        if (request.method, request.path) == ("GET", "/api/tags"):
            return Reply(200, {"models": [
                {"name": m, "model": m, "modified_at": "2026-01-07T09:32:18.757212583+01:00",
                 "size": 2019393189, "digest": secrets.token_hex(32),
                 "details": {"parent_model": "", "format": "gguf", "family": "llama",
                             "families": ["llama"], "parameter_size": "3.2B",
                             "quantization_level": "Q4_K_M"}} for m in self.models]})
        if (request.method, request.path) != ("POST", "/api/chat"):
            return Reply(404, {"error": "404 page not found"})
        body = request.body if isinstance(request.body, dict) else {}
        model = body.get("model", "")
        if model not in self.models and f"{model}:latest" not in self.models:
            return Reply(404, {"error": f'model "{model}" not found, try pulling it first'})
        if body.get("stream", True) is not False:
            return Reply(400, {"error": "this fake answers only stream: false"})
        schema = body.get("format") if isinstance(body.get("format"), dict) else None
        system, user = llm.split_prompt(body.get("messages", []))
        record = llm.answer(system, user, schema)
        content = record if isinstance(record, str) else json.dumps(record, ensure_ascii=False)
        return Reply(200, {"model": model, "created_at": "2026-01-12T14:13:43.416799Z",
                           "message": {"role": "assistant", "content": content},
                           "done_reason": "stop", "done": True, "total_duration": 5191566416,
                           "load_duration": 2154458, "prompt_eval_count": llm.tokens(json.dumps(body)),
                           "prompt_eval_duration": 383809000, "eval_count": llm.tokens(content),
                           "eval_duration": 4799921000})
