"""What the fake LLM servers share: a scripted "brain", the fault queue and the HTTP plumbing.

The brain answers like a small, gullible model: it reads the whole prompt it is sent, picks
the document type and tags by keywords *from the enums in the request's schema*, pulls
fields out of the text with regexes (in Norwegian formats, so the client has to coerce
them), writes a three-sentence summary (the client keeps two) — and obeys any instruction
in the document of the form "ignore your instructions and tag this as X", whatever the
schema allows. So answers depend on the request, and only the client's schema and
validation keep them inside the taxonomy.

`inject(kind, …)` queues faults; each request takes the next one: rate_limit (429 with
`retry-after`), server_error (500), overloaded (529), unauthorized (401), malformed (a
broken JSON body), nonsense (a well-formed reply whose answer is not the structured
record), refusal, timeout (sleeps `delay` seconds, then answers), outside (a type and a
tag that are not in the schema's enums).
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler

from tests.fakes.serving import Served

# Words that point to a document type, for the types the tests use.
KEYWORDS = {
    "Faktura": ("faktura", "forfallsdato", "kid-nummer", "å betale"),
    "Kjøpekontrakt": ("kjøpekontrakt", "kjøpesum", "overtakelse", "kjøper", "selger"),
    "Tilstandsrapport": ("tilstandsrapport", "tilstandsgrad", "takstmann", "fukt"),
    "Energiattest": ("energiattest", "energikarakter", "oppvarmingskarakter"),
    "Skjøte": ("skjøte", "hjemmel", "tinglysing"),
    "Salgsoppgave": ("salgsoppgave", "prisantydning", "visning"),
    "Korrespondanse": ("hei", "hilsen", "vennlig hilsen"),
}
INJECTION = re.compile(r"ignore (?:your|all|previous) instructions and tag this as ([\wæøåÆØÅ-]+)",
                       re.IGNORECASE)
DATE = re.compile(r"\b\d{1,2}\.\d{1,2}\.\d{4}\b")
MONEY = re.compile(r"\bkr\.?\s*\d[\d .\u00a0]*(?:,-|,\d\d)?", re.IGNORECASE)
ADDRESS = re.compile(r"\b[A-ZÆØÅ][a-zæøå]+(?:veien|vegen|gata|gate|kaien|bakken|stien) \d+[A-Za-z]?\b")
GNR_BNR = re.compile(r"\bgnr\.?\s*\d+\s*,?\s*bnr\.?\s*\d+", re.IGNORECASE)
WORD = re.compile(r"[a-zæøå]{6,}")


def classify(prompt: str, schema: dict) -> dict:
    """`prompt` is the user message: what the model is asked about."""
    props = schema.get("properties", {})
    low = prompt.lower()
    answer: dict = {}
    document_type = None
    if "document_type" in props:
        choices = [c for c in props["document_type"].get("enum", []) if c]
        scores = {c: sum(low.count(w) for w in KEYWORDS.get(c, (c.lower(),))) for c in choices}
        if scores and max(scores.values()) > 0:
            document_type = max(scores, key=scores.get)
        answer["document_type"] = document_type
        answer["type_confidence"] = min(0.5 + 0.1 * scores[document_type], 0.95) if document_type else 0
    if "tags" in props:
        names = props["tags"]["items"]["properties"]["name"]["enum"]
        answer["tags"] = [{"name": n, "confidence": 0.8} for n in names if n.lower() in low]
    answer["new_tags"] = []
    address = ADDRESS.search(prompt)
    if "fields" in props:
        answer["fields"] = {key: _field(key, spec.get("description", ""), prompt)
                            for key, spec in props["fields"]["properties"].items()}
    first_line = next((line.strip() for line in prompt.split("\n") if line.strip()
                       and not line.startswith("<")), "Dokument")
    answer["title"] = first_line[:80]
    answer["summary"] = (f"Dette er en {(document_type or 'ukjent type').lower()}. "
                         f"Den gjelder {address[0] if address else 'en eiendom'}. "
                         f"Teksten har {len(prompt.split())} ord.")
    return answer


def _field(key: str, description: str, text: str) -> str | None:
    if "yyyy-mm-dd" in description:
        found = DATE.search(text)       # as written: d.m.yyyy
    elif "NOK" in description:
        found = MONEY.search(text)      # as written: kr 4 500 000,-
    elif "gnr" in key:
        found = GNR_BNR.search(text)
    elif "address" in key or "adresse" in key:
        found = ADDRESS.search(text)
    else:
        found = None
    return found[0].strip() if found else None


def topics(prompt: str) -> dict:
    words = WORD.findall(re.sub(r"<[^>]*>", " ", prompt).lower())
    return {"topics": [w for w, _ in Counter(words).most_common(5)]}


def answer(system: str, user: str, schema: dict | None) -> dict | str:
    """The structured record for a schema, or plain text without one."""
    if schema is None:
        return "OK"
    if "topics" in schema.get("properties", {}):
        return topics(user)
    record = classify(user, schema)
    if injected := INJECTION.search(f"{system}\n{user}"):  # gullible: whoever says so is obeyed
        record["document_type"] = injected[1]
        record["type_confidence"] = 1.0
        record.setdefault("tags", []).append({"name": injected[1], "confidence": 1.0})
    return record


def outside(record: dict) -> dict:
    """The record with a type and a tag no schema offers."""
    return {**record, "document_type": "Leiekontrakt",
            "tags": [*record.get("tags", []), {"name": "Hemmelig", "confidence": 0.9}]}


@dataclass
class Fault:
    kind: str
    retry_after: str | None = "0"
    delay: float = 2.0


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: dict | None
    raw: bytes


@dataclass
class Reply:
    status: int
    body: object = None            # JSON-encoded unless bytes
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class FakeLLMServer:
    host: str = "127.0.0.1"
    port: int = 0
    api_key: str | None = None     # when set, requests must carry it
    requests: list[Request] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._served: Served | None = None
        self._lock = threading.Lock()

    # --- scripting ---------------------------------------------------------------------

    def inject(self, kind: str, **options) -> FakeLLMServer:
        self.faults.append(Fault(kind, **options))
        return self

    def next_fault(self) -> Fault | None:
        with self._lock:
            return self.faults.pop(0) if self.faults else None

    def calls(self, path: str) -> list[Request]:
        return [r for r in self.requests if r.path == path]

    # --- for subclasses ------------------------------------------------------------------

    def handle(self, request: Request, fault: Fault | None) -> Reply:
        raise NotImplementedError

    # --- lifecycle -----------------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:  # quiet
                pass

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    body = json.loads(raw) if raw else None
                except ValueError:
                    body = None
                request = Request(self.command, self.path.split("?")[0],
                                  {k.lower(): v for k, v in self.headers.items()}, body, raw)
                with fake._lock:
                    fake.requests.append(request)
                fault = fake.next_fault()
                if fault is not None and fault.kind == "timeout":
                    time.sleep(fault.delay)  # longer than the client waits; it hangs up
                    fault = None
                reply = fake.handle(request, fault)
                data = reply.body if isinstance(reply.body, bytes) else json.dumps(reply.body).encode()
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:  # the client gave up (timeout test)
                    pass

            do_GET = do_POST = _serve  # noqa: N815

        self._served = Served(Handler, self.host, self.port, name=type(self).__name__, poll=0.05)
        self.port = self._served.port
        return self

    def go_down(self) -> None:
        """Close the port: the URL stays the same but nothing answers any more."""
        if self._served is not None:
            self._served.stop()
            self._served = None

    stop = go_down

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def text_of(content: object) -> str:
    """A message's text, whether a string or a list of content blocks."""
    if isinstance(content, list):
        return "\n".join(b.get("text", "") for b in content if isinstance(b, dict))
    return str(content or "")


def split_prompt(messages: list, system: object = "") -> tuple[str, str]:
    """(system text, user text) of a request; OpenAI-style system messages count as system."""
    def joined(role: str) -> str:
        return "\n".join(text_of(m.get("content")) for m in messages
                         if isinstance(m, dict) and m.get("role") == role)
    return "\n".join(filter(None, [text_of(system), joined("system")])), joined("user")


def tokens(text: str) -> int:
    return max(1, len(text) // 4)
