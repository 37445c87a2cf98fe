"""Microsoft in one local server, over TLS with a self-signed certificate (msal refuses
plain http), speaking the wire formats of apis.md §3: Entra ID's token service with every
grant DokVault uses (tests/fakes/entra.py), and Microsoft Graph with the routes each test
adds: Teams and sendMail (`TeamsGraph`, here) or a OneDrive (tests/fakes/onedrive.py).

    with MicrosoftFake(tmp_path) as ms:
        teams = ms.add(TeamsGraph())              # or ms.add(OneDriveGraph())
        teams.teams = [teams.team("Bergen", [teams.user("Kari Nordmann", "kari@example.no")])]
        env = {**ms.settings(), **ms.organisation()}   # MICROSOFT_* (+ ONEDRIVE_*: ms.onedrive())
        ms.inject("sendMail", 429, retry_after="1")

Graph routes (below /v1.0/) need a bearer token Entra handed out, else 401; `inject` makes
the next matching Graph call (by "METHOD /path?query" fragment) fail. `requests` keeps
(method, path) of every call. `settings()` points MICROSOFT_LOGIN_URL / MICROSOFT_GRAPH_URL
at the fake and OUTBOUND_CA_FILE at its certificate, as an operator with a private CA would.
"""

from __future__ import annotations

import base64
import json
import re
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from tests.fakes.entra import ONEDRIVE, ORGANISATION, Entra
from tests.fakes.serving import AnswerServer

Reply = tuple[int, object, dict[str, str]]


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    def json(self) -> dict:
        return json.loads(self.body or b"{}")


def graph_error(status: int, code: str, message: str = "", headers: dict | None = None) -> Reply:
    inner = {"date": "2026-12-01T10:00:00", "request-id": "r"}
    return status, {"error": {"code": code, "message": message or code, "innerError": inner}}, headers or {}


@dataclass
class Fault:
    fragment: str
    status: int
    retry_after: str | None
    code: str
    times: int


class MicrosoftFake:
    def __init__(self, directory: Path):
        self.entra = Entra()
        self.requests: list[tuple[str, str]] = []
        self._routes: list[tuple[str, re.Pattern, Callable[[Request], object], bool]] = []
        self._faults: list[Fault] = []
        self._lock = threading.Lock()
        self._tls = AnswerServer(self._answer, directory, name="microsoft-fake")

    # --- what a test adds --------------------------------------------------------------------

    def route(self, method: str, pattern: str, handler: Callable[[Request], object], *,
              token: bool = True) -> None:
        """A route (regex on the path): `handler(request)` returns (status, body, headers) or
        serving.DROP. `token=False`: no bearer token asked (upload and download URLs)."""
        self._routes.append((method, re.compile(pattern), handler, token))

    def add(self, graph):
        """A Graph service (TeamsGraph, OneDriveGraph): its routes served here."""
        graph.url = self.url
        for method, pattern, handler, token in graph.routes():
            self.route(method, pattern, handler, token=token)
        return graph

    def inject(self, fragment: str, status: int, *, retry_after: str | None = None,
               code: str = "", times: int = 1) -> None:
        with self._lock:
            self._faults.append(Fault(fragment, status, retry_after, code, times))

    # --- addresses and settings ------------------------------------------------------------

    @property
    def url(self) -> str:
        return self._tls.url

    @property
    def graph_url(self) -> str:
        return f"{self.url}/v1.0"

    @property
    def ca(self) -> Path:
        return self._tls.cert

    def settings(self) -> dict[str, str]:
        """The Microsoft hosts (every Microsoft call DokVault makes) and the CA to trust."""
        return {"MICROSOFT_LOGIN_URL": self.url, "MICROSOFT_GRAPH_URL": self.graph_url,
                "OUTBOUND_CA_FILE": str(self.ca)}

    def organisation(self, sender: str = "dokvault@example.no") -> dict[str, str]:
        """The organisation's app registration (client credentials: Teams and mail)."""
        return {"MICROSOFT_TENANT_ID": self.entra.tenant, "MICROSOFT_CLIENT_ID": ORGANISATION[0],
                "MICROSOFT_CLIENT_SECRET": ORGANISATION[1], "MICROSOFT_SENDER_EMAIL": sender}

    def onedrive(self) -> dict[str, str]:
        """OneDrive's app registration (delegated: a person's consent)."""
        return {"ONEDRIVE_CLIENT_ID": ONEDRIVE[0], "ONEDRIVE_CLIENT_SECRET": ONEDRIVE[1],
                "ONEDRIVE_TENANT_ID": self.entra.tenant}

    # --- answers -----------------------------------------------------------------------------

    def _fault(self, target: str) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.fragment in target and fault.times > 0:
                    fault.times -= 1
                    return fault
        return None

    def _answer(self, method: str, target: str, headers: dict[str, str], body: bytes):
        url = urlsplit(target)
        with self._lock:
            self.requests.append((method, url.path))
        if (reply := self.entra.handle(method, url.path, body)) is not None:
            return reply
        request = Request(method, url.path, parse_qs(url.query), headers, body)
        for route_method, pattern, handler, token in self._routes:
            if route_method != method or not pattern.fullmatch(url.path):
                continue
            if token:
                if (fault := self._fault(f"{method} {target}")) is not None:
                    default = "TooManyRequests" if fault.status == 429 else "ServiceUnavailable"
                    return graph_error(fault.status, fault.code or default, "fault",
                                       {"Retry-After": fault.retry_after} if fault.retry_after else {})
                if not self.entra.valid(headers.get("Authorization", "").removeprefix("Bearer ")):
                    return graph_error(401, "InvalidAuthenticationToken",
                                       "Access token has expired or is not yet valid.")
            return handler(request)
        return graph_error(404, "NotFound", url.path)

    # --- serving -------------------------------------------------------------------------------

    def start(self) -> MicrosoftFake:
        self._tls.start()
        self.entra.url = self.url
        return self

    def stop(self) -> None:
        self._tls.stop()

    def __enter__(self) -> MicrosoftFake:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


@dataclass
class TeamsGraph:
    """Graph's Teams-backed groups and their members (paged by `page_size`, an absolute
    @odata.nextLink with a $skiptoken) and sendMail (202; the message kept in `mails`)."""

    page_size: int = 2
    teams: list[dict] = field(default_factory=list)
    mails: list[dict] = field(default_factory=list)
    url: str = ""

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

    def routes(self) -> list[tuple[str, str, Callable, bool]]:
        return [("GET", r"/v1\.0/groups", self._groups, True),
                ("GET", r"/v1\.0/groups/[^/]+/members(/microsoft\.graph\.user)?", self._members, True),
                ("POST", r"/v1\.0/users/[^/]+/sendMail", self._send_mail, True)]

    def _page(self, rows: list[dict], request: Request) -> dict:
        start = int((request.query.get("$skiptoken") or ["0"])[0])
        page = [{k: v for k, v in r.items() if k != "members"} for r in rows[start:start + self.page_size]]
        body: dict = {"@odata.context": f"{self.url}/v1.0/$metadata#groups", "value": page}
        if start + self.page_size < len(rows):
            query = {k: v[0] for k, v in request.query.items() if k != "$skiptoken"}
            query["$skiptoken"] = str(start + self.page_size)
            rest = "&".join(f"{k}={v}" for k, v in query.items())
            body["@odata.nextLink"] = f"{self.url}{request.path}?{rest}"
        return body

    def _groups(self, request: Request) -> Reply:
        teams = self.teams if "Team" in "".join(request.query.get("$filter", [])) else []
        return 200, self._page(teams, request), {}

    def _members(self, request: Request) -> Reply:
        group_id = request.path.split("/")[3]
        team = next((t for t in self.teams if t["id"] == group_id), None)
        if team is None:
            return graph_error(404, "Request_ResourceNotFound", "no group")
        return 200, self._page(team["members"], request), {}

    def _send_mail(self, request: Request) -> Reply:
        body = request.json()
        for attachment in body.get("message", {}).get("attachments", []):
            base64.b64decode(attachment["contentBytes"], validate=True)
        self.mails.append({"sender": unquote(request.path.split("/")[3]), **body})
        return 202, b"", {}
