"""Local Microsoft Entra ID (the token endpoint) and Microsoft Graph, over TLS with a
self-signed certificate (msal refuses plain http), speaking the wire formats of apis.md §3.
Reusable: the Teams sync and the Graph mail transport use it here; cloud drives (OneDrive,
SharePoint) can add their routes with `route(method, pattern, handler)`.

Entra (msal's ConfidentialClientApplication, instance discovery off):
    GET  /{tenant}/v2.0/.well-known/openid-configuration
    POST /{tenant}/oauth2/v2.0/token       client credentials; wrong secret: 401 invalid_client
Graph (a Bearer token from above, else 401):
    GET  /v1.0/groups?$filter=resourceProvisioningOptions/Any(...)   Teams, `page_size` a page,
                                            an absolute @odata.nextLink with a $skiptoken
    GET  /v1.0/groups/{id}/members[/microsoft.graph.user]            members, paged the same
    POST /v1.0/users/{sender}/sendMail      202, empty body; the message kept in `mails`

    with MicrosoftFake(tmp_path) as ms:
        ms.teams = [ms.team("Bergen", members=[ms.user("Kari Nordmann", "kari@example.no")])]
        env = ms.settings()       # MICROSOFT_* (+ SSL_CERT_FILE for the CA bundle it writes)
        ms.inject("sendMail", 429, retry_after="1")

`token_requests` counts tokens handed out (msal caches its token: one per run), `requests`
keeps (method, path) of every call.
"""

from __future__ import annotations

import base64
import json
import re
import secrets
import ssl
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from tests.servers import free_port, self_signed_cert

SYSTEM_CA = Path("/etc/ssl/certs/ca-certificates.crt")
Handler = Callable[["Request"], tuple[int, object, dict[str, str]]]


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    def json(self) -> dict:
        return json.loads(self.body or b"{}")


@dataclass
class Fault:
    fragment: str
    status: int
    retry_after: str | None
    times: int


@dataclass
class MicrosoftFake:
    directory: Path
    tenant: str = "6f1c9e2a-1111-4a4a-9c9c-0123456789ab"
    client_id: str = "11111111-2222-3333-4444-555555555555"
    client_secret: str = field(default_factory=lambda: "s3cret~" + secrets.token_urlsafe(12))
    sender: str = "dokvault@example.no"
    page_size: int = 2
    token_lifetime: int = 3599
    teams: list[dict] = field(default_factory=list)
    mails: list[dict] = field(default_factory=list)
    requests: list[tuple[str, str]] = field(default_factory=list)
    token_requests: int = 0

    def __post_init__(self) -> None:
        self.port = 0
        self._tokens: set[str] = set()
        self._faults: list[Fault] = []
        self._routes: list[tuple[str, re.Pattern, Handler]] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self.ca_file: Path | None = None
        self.bundle: Path | None = None

    # --- data ------------------------------------------------------------------------

    @staticmethod
    def user(name: str, email: str, title: str = "") -> dict:
        return {"@odata.type": "#microsoft.graph.user", "id": str(uuid.uuid4()), "businessPhones": [],
                "displayName": name, "givenName": name.split()[0], "jobTitle": title or None,
                "mail": email, "mobilePhone": None, "officeLocation": None,
                "preferredLanguage": "nb-NO", "surname": name.split()[-1], "userPrincipalName": email}

    @staticmethod
    def team(name: str, members: list[dict] | None = None, mail: str = "") -> dict:
        nick = re.sub(r"\W", "", name)
        return {"id": str(uuid.uuid4()), "description": f"Teamet {name}", "displayName": name,
                "groupTypes": ["Unified"], "mailEnabled": True, "mailNickname": nick,
                "mail": mail or f"{nick.lower()}@example.no", "resourceBehaviorOptions": [],
                "resourceProvisioningOptions": ["Team"], "securityEnabled": False,
                "visibility": "Private", "members": list(members or [])}

    def inject(self, fragment: str, status: int, *, retry_after: str | None = None, times: int = 1) -> None:
        with self._lock:
            self._faults.append(Fault(fragment, status, retry_after, times))

    def route(self, method: str, pattern: str, handler: Handler) -> None:
        """Another Graph route (regex on the path), e.g. a drive's children: `handler(request)`
        returns (status, body, headers)."""
        self._routes.append((method, re.compile(pattern), handler))

    # --- addresses -------------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    @property
    def graph_url(self) -> str:
        return f"{self.url}/v1.0"

    def settings(self) -> dict[str, str]:
        """MICROSOFT_* pointing at this fake, and the CA bundle that trusts it (the system's
        certificates and its own), as an operator with a private CA would set it."""
        return {"MICROSOFT_TENANT_ID": self.tenant, "MICROSOFT_CLIENT_ID": self.client_id,
                "MICROSOFT_CLIENT_SECRET": self.client_secret, "MICROSOFT_SENDER_EMAIL": self.sender,
                "MICROSOFT_LOGIN_URL": self.url, "MICROSOFT_GRAPH_URL": self.graph_url,
                "SSL_CERT_FILE": str(self.bundle), "REQUESTS_CA_BUNDLE": str(self.bundle)}

    # --- answers ---------------------------------------------------------------------

    def _fault(self, target: str) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.fragment in target and fault.times > 0:
                    fault.times -= 1
                    return fault
        return None

    def _page(self, rows: list[dict], request: Request) -> dict:
        start = int((request.query.get("$skiptoken") or ["0"])[0])
        page = [{k: v for k, v in r.items() if k != "members"} for r in rows[start:start + self.page_size]]
        body: dict = {"@odata.context": f"{self.graph_url}/$metadata#groups", "value": page}
        if start + self.page_size < len(rows):
            query = {k: v[0] for k, v in request.query.items() if k != "$skiptoken"}
            query["$skiptoken"] = str(start + self.page_size)
            rest = "&".join(f"{k}={v}" for k, v in query.items())
            body["@odata.nextLink"] = f"{self.url}{request.path}?{rest}"
        return body

    def _token(self, request: Request) -> tuple[int, object, dict]:
        form = {k: v[0] for k, v in parse_qs(request.body.decode()).items()}
        if form.get("grant_type") != "client_credentials" or form.get("client_id") != self.client_id \
                or form.get("client_secret") != self.client_secret:
            return 401, {"error": "invalid_client",
                         "error_description": "AADSTS7000215: Invalid client secret provided. "
                                              "Trace ID: 00000000 Correlation ID: 11111111",
                         "error_codes": [7000215]}, {}
        token = "eyJ0eXAiOiJKV1Qi." + secrets.token_urlsafe(24)
        with self._lock:
            self._tokens.add(token)
            self.token_requests += 1
        return 200, {"token_type": "Bearer", "expires_in": self.token_lifetime,
                     "ext_expires_in": self.token_lifetime, "access_token": token}, {}

    def _answer(self, request: Request) -> tuple[int, object, dict]:
        path = request.path
        base = f"/{self.tenant}"
        if request.method == "GET" and path == f"{base}/v2.0/.well-known/openid-configuration":
            return 200, {"authorization_endpoint": f"{self.url}{base}/oauth2/v2.0/authorize",
                         "token_endpoint": f"{self.url}{base}/oauth2/v2.0/token",
                         "issuer": f"{self.url}{base}/v2.0"}, {}
        if request.method == "POST" and path == f"{base}/oauth2/v2.0/token":
            return self._token(request)
        if not path.startswith("/v1.0/"):
            return 404, {"error": {"code": "NotFound", "message": path}}, {}
        bearer = request.headers.get("Authorization", "").removeprefix("Bearer ")
        if bearer not in self._tokens:
            return 401, {"error": {"code": "InvalidAuthenticationToken",
                                   "message": "Access token is empty."}}, {}
        for method, pattern, handler in self._routes:
            if method == request.method and pattern.fullmatch(path):
                return handler(request)
        if request.method == "GET" and path == "/v1.0/groups":
            wanted = "".join(request.query.get("$filter", []))
            teams = self.teams if "Team" in wanted else []
            return 200, self._page(teams, request), {}
        members = re.fullmatch(r"/v1\.0/groups/([^/]+)/members(/microsoft\.graph\.user)?", path)
        if request.method == "GET" and members:
            team = next((t for t in self.teams if t["id"] == members.group(1)), None)
            if team is None:
                return 404, {"error": {"code": "Request_ResourceNotFound", "message": "no group"}}, {}
            return 200, self._page(team["members"], request), {}
        send = re.fullmatch(r"/v1\.0/users/([^/]+)/sendMail", path)
        if request.method == "POST" and send:
            body = request.json()
            for attachment in body.get("message", {}).get("attachments", []):
                base64.b64decode(attachment["contentBytes"], validate=True)
            with self._lock:
                self.mails.append({"sender": unquote(send.group(1)), **body})
            return 202, b"", {}
        return 404, {"error": {"code": "NotFound", "message": path}}, {}

    # --- serving ---------------------------------------------------------------------

    def start(self) -> MicrosoftFake:
        fake = self
        cert, key = self_signed_cert(self.directory, ("127.0.0.1", "localhost"))
        self.ca_file = cert
        self.bundle = self.directory / "ca-bundle.pem"
        self.bundle.write_bytes((SYSTEM_CA.read_bytes() if SYSTEM_CA.exists() else b"") + cert.read_bytes())

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                pass

            def _handle(self) -> None:
                url = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                request = Request(self.command, url.path, parse_qs(url.query),
                                  dict(self.headers.items()), self.rfile.read(length) if length else b"")
                with fake._lock:
                    fake.requests.append((self.command, url.path))
                fault = fake._fault(f"{self.command} {self.path}") if url.path.startswith("/v1.0/") else None
                if fault is not None:
                    headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
                    status, body = fault.status, {"error": {"code": "TooManyRequests" if fault.status == 429
                                                            else "ServiceUnavailable", "message": "fault"}}
                else:
                    status, body, headers = fake._answer(request)
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                if data:
                    self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _handle  # noqa: N815

        self.port = free_port()
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert, key)
        self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
        threading.Thread(target=self._server.serve_forever, name="microsoft-fake", daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> MicrosoftFake:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
