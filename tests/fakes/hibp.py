"""A local HaveIBeenPwned Pwned Passwords range server, speaking the real wire format.

`GET /range/{5 upper-case hex}` answers `SUFFIX:COUNT` lines separated by CRLF for
every "pwned" password whose SHA-1 starts with the prefix; with `Add-Padding: true`
random suffixes with count 0 fill the answer to 800–1,000 lines, as the real
service does. Every request is recorded, and anything a k-anonymity client must not
do (a longer or lower-case prefix, a query string, a body, no padding header) is
collected in `violations`. `status` makes it answer an error (e.g. 503);
`go_down()` closes the port so it is unreachable.
"""

from __future__ import annotations

import hashlib
import random
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler

from tests.fakes.serving import Served

RANGE = re.compile(r"^/range/([0-9A-F]{5})$")


def sha1(password: str) -> str:
    return hashlib.sha1(password.encode("utf-8")).hexdigest().upper()  # noqa: S324


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class HibpFake:
    host: str = "127.0.0.1"
    port: int = 0
    status: int = 200
    pwned: dict[str, int] = field(default_factory=dict)  # full SHA-1 hex -> count
    requests: list[Request] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._served: Served | None = None
        self._lock = threading.Lock()

    # --- what it knows ----------------------------------------------------------

    def add(self, password: str, count: int = 42) -> None:
        """Make a password "pwned" (seen `count` times)."""
        self.pwned[sha1(password)] = count

    def body_for(self, prefix: str, padded: bool) -> str:
        rows = {h[5:]: n for h, n in self.pwned.items() if h.startswith(prefix)}
        if padded:
            rng = random.Random(prefix)
            target = rng.randint(800, 1000)
            while len(rows) < target:
                rows.setdefault(f"{rng.getrandbits(140):035X}", 0)
        return "\r\n".join(f"{suffix}:{n}" for suffix, n in sorted(rows.items()))

    # --- lifecycle ----------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> HibpFake:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:  # quiet
                pass

            def _reply(self, status: int, body: str = "") -> None:
                data = body.encode()
                self.send_response(status)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                with fake._lock:
                    fake.requests.append(Request(self.path, dict(self.headers.items()), body))
                match = RANGE.match(self.path)
                if match is None:
                    fake.violations.append(f"not a 5-character range request: {self.path!r}")
                    return self._reply(400, "The hash prefix was not in a valid format")
                if body:
                    fake.violations.append("request had a body")
                padded = self.headers.get("Add-Padding", "").lower() == "true"
                if not padded:
                    fake.violations.append("no Add-Padding: true header")
                if fake.status != 200:
                    return self._reply(fake.status, "Service Unavailable")
                return self._reply(200, fake.body_for(match.group(1), padded))

            def do_POST(self) -> None:  # noqa: N802
                fake.violations.append(f"POST {self.path!r}")
                self._reply(405)

        self._served = Served(Handler, self.host, self.port, name="hibp-fake")
        self.port = self._served.port
        return self

    def go_down(self) -> None:
        """Close the port: the URL stays the same but nothing answers any more."""
        if self._served is not None:
            self._served.stop()
            self._served = None

    stop = go_down

    def __enter__(self) -> HibpFake:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
