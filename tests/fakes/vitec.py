"""A local Vitec Megler Hub, speaking the wire format of apis.md §7.

    GET /Account/Methods                                  what the login may call
    GET /{installation}/Departments                       top-level array of departments
    GET /{installation}/Employees                         top-level array; departmentId an int or a list
    GET /{installation}/Employees/{id}/Picture            image/jpeg, 404 = none
    GET /{installation}/Departments/{id}/Picture          image/jpeg, 404 = none
    GET /{installation}/Accounting/Estates?departmentId=&changedAfter=
                                                          the department's estates changed after then

HTTP Basic with `login` / `access_key` (401 otherwise); `forbidden` lists paths (prefixes
after the installation) this login has no right to (403). `inject(fragment, status,
retry_after=..., times=n)` makes the next n requests whose path (with its query) holds
`fragment` fail
(429 with Retry-After, 500, ...). Every request is kept in `requests` (path, query,
authorization header present). The data are plain dicts as Vitec sends them, so a test
changes them between syncs (`employees.pop(...)`), adds a malformed row, or builds a large
organisation with `generated(...)` (bench/sync.py).
"""

from __future__ import annotations

import base64
import io
import json
import random
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, unquote, urlsplit

from tests.fakes.serving import Served


def jpeg(colour: tuple[int, int, int] = (62, 99, 221), size: int = 64) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (size, size), colour).save(buffer, "JPEG")
    return buffer.getvalue()


@dataclass
class Fault:
    fragment: str
    status: int
    retry_after: str | None
    times: int
    body: str


@dataclass
class Seen:
    path: str
    query: dict[str, list[str]]
    authorized: bool
    accept: str


@dataclass
class VitecFake:
    host: str = "127.0.0.1"
    port: int = 0
    login: str = "dokvault-partner"
    access_key: str = "vitec-access-key-7f3a9c"  # noqa: S105
    installation: str = "MSPROATEST"
    departments: list[dict] = field(default_factory=list)
    employees: list[dict] = field(default_factory=list)
    estates: list[dict] = field(default_factory=list)
    pictures: dict[str, bytes] = field(default_factory=dict)  # employee id -> JPEG
    department_pictures: dict[str, bytes] = field(default_factory=dict)
    methods: list[dict] = field(default_factory=lambda: [
        {"name": "Departments", "installations": ["MSPROATEST"]},
        {"name": "Employees", "installations": ["MSPROATEST"]},
        {"name": "Accounting/Estates", "installations": ["MSPROATEST"]},
    ])
    forbidden: set[str] = field(default_factory=set)
    requests: list[Seen] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._faults: list[Fault] = []
        self._lock = threading.Lock()
        self._served: Served | None = None

    # --- data ------------------------------------------------------------------------

    @classmethod
    def sample(cls, **kwargs) -> VitecFake:
        """A small brokerage: three offices, seven people (one with a picture, one whose
        row is malformed, one inactive), five assignments."""
        fake = cls(**kwargs)
        now = datetime.now(UTC) - timedelta(days=1)
        fake.departments = [
            {"departmentId": 1120, "departmentNumber": "1120", "name": "Proaktiv Bergen",
             "marketName": "Proaktiv Eiendomsmegling Bergen", "legalName": "Proaktiv Bergen AS",
             "organisationNumber": "912345678", "email": "bergen@example.no", "phone": "55 00 00 00",
             "streetAddress": "Strandkaien 1", "postalCode": "5013", "city": "Bergen",
             "webPublish": True, "aboutDepartment": "…", "someNewField": {"x": 1}},
            {"departmentId": 1130, "name": "Proaktiv Stavanger", "email": "stavanger@example.no",
             "streetAddress": "Kirkegata 4", "postalCode": "4006", "city": "Stavanger"},
            {"departmentId": 1140, "name": "Proaktiv Oslo Sentrum", "city": "Oslo"},
        ]
        fake.employees = [
            {"employeeId": "KANO", "departmentId": [1120], "name": "Kari Nordmann",
             "title": "Eiendomsmegler MNEF", "email": "Kari.Nordmann@example.no",
             "mobilePhone": "90000000", "workPhone": None, "employeeActive": True,
             "aboutMe": "…", "employeePositions": [{"type": 1}, {"type": {"value": 10}}]},
            {"employeeId": "OLHA", "departmentId": 1120, "name": "Ola Hansen",
             "title": "Eiendomsmeglerfullmektig", "email": "ola.hansen@example.no",
             "mobilePhone": "91111111", "employeeActive": True, "employeePositions": [{"type": 8}]},
            {"employeeId": "PEBE", "departmentId": [1130, 1120], "name": "Per Berg",
             "title": "Daglig leder", "email": "per.berg@example.no", "employeeActive": True,
             "employeePositions": [{"type": 2}]},
            {"employeeId": "SILU", "departmentId": 1130, "name": "Siri Lunde",
             "title": "Oppgjørsansvarlig", "email": "siri.lunde@example.no",
             "employeeActive": True},
            {"employeeId": "TORA", "departmentId": 1140, "name": "Tor Aas", "title": "Megler",
             "email": "tor.aas@example.no", "employeeActive": True},
            {"employeeId": "GAML", "departmentId": 1140, "name": "Gammel Ansatt",
             "email": "gammel@example.no", "employeeActive": False},
            {"employeeId": None, "departmentId": 1120, "name": "Uten Id"},  # malformed
        ]
        fake.pictures = {"KANO": jpeg((200, 80, 80))}
        fake.department_pictures = {"1120": jpeg((80, 80, 200))}
        fake.estates = [
            {"estateId": "E-1001", "assignmentNumber": "1120-24-0101", "departmentId": 1120,
             "address": "Strandkaien 12", "postalCode": "5013", "city": "Bergen", "status": "Aktiv",
             "brokersIdWithRoles": [{"employeeId": "KANO", "brokerRole": 1}],
             "changedDate": now.isoformat()},
            {"estateId": "E-1002", "assignmentNumber": "1120-24-0102", "departmentId": 1120,
             "streetAddress": "Bryggen 3", "zipCode": "5003", "city": "Bergen", "status": "Solgt",
             "brokersIdWithRoles": [{"employeeId": "OLHA"}], "changedDate": now.isoformat()},
            {"estateId": "E-2001", "assignmentNumber": "1130-24-0007", "departmentId": 1130,
             "address": {"streetAddress": "Kirkegata 20", "postalCode": "4006", "city": "Stavanger"},
             "brokersIdWithRoles": [{"employeeId": "PEBE", "brokerRole": 1}],
             "changedDate": now.isoformat()},
            {"estateId": "E-2002", "assignmentNumber": "1130-24-0008", "departmentId": [1130],
             "address": "Løkkeveien 5", "city": "Stavanger", "changedDate": now.isoformat()},
            {"estateId": "E-3001", "assignmentNumber": "1140-24-0001", "departmentId": 1140,
             "address": "Karl Johans gate 1", "postalCode": "0154", "city": "Oslo",
             "changedDate": now.isoformat()},
        ]
        return fake

    @classmethod
    def generated(cls, offices: int, employees: int, estates: int, seed: int = 14,
                  **kwargs) -> VitecFake:
        """A large organisation for the benchmark: every field a sync reads, varied."""
        rng = random.Random(seed)
        fake = cls(**kwargs)
        changed = (datetime.now(UTC) - timedelta(days=30)).isoformat()
        fake.departments = [{"departmentId": 5000 + n, "name": f"Kontor {n:03d}",
                             "email": f"kontor{n}@example.no", "city": f"By {n % 40}"}
                            for n in range(offices)]
        for n in range(employees):
            office = 5000 + n % offices
            fake.employees.append({
                "employeeId": f"EMP{n:05d}", "departmentId": [office] if n % 2 else office,
                "name": f"Ansatt {n:05d} Nordmann", "title": rng.choice(["Megler", "Fullmektig"]),
                "email": f"ansatt{n}@example.no", "mobilePhone": f"9{n:07d}",
                "employeeActive": True, "employeePositions": [{"type": rng.randint(1, 10)}]})
        for n in range(estates):
            office = 5000 + n % offices
            fake.estates.append({
                "estateId": f"EST{n:06d}", "assignmentNumber": f"{office}-{n:06d}",
                "departmentId": office, "address": f"Gate {n % 997} nr {n}", "postalCode": "5000",
                "city": f"By {n % 40}", "status": "Aktiv",
                "brokersIdWithRoles": [{"employeeId": f"EMP{(n * 7) % max(employees, 1):05d}",
                                        "brokerRole": 1}],
                "changedDate": changed})
        return fake

    def touch_estates(self, count: int) -> list[str]:
        """Mark the first `count` estates as changed now (an incremental run takes them)."""
        now = datetime.now(UTC).isoformat()
        for estate in self.estates[:count]:
            estate["changedDate"] = now
            estate["status"] = "Endret"
        return [e["estateId"] for e in self.estates[:count]]

    def inject(self, fragment: str, status: int, *, retry_after: str | None = None, times: int = 1,
               body: str = "") -> None:
        with self._lock:
            self._faults.append(Fault(fragment, status, retry_after, times, body))

    def seen(self, fragment: str) -> list[Seen]:
        return [r for r in self.requests if fragment in r.path]

    # --- serving ---------------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def settings(self) -> dict[str, str]:
        """The environment that points DokVault at this fake."""
        return {"VITEC_HUB_BASE_URL": self.url, "VITEC_HUB_PRODUCT_LOGIN": self.login,
                "VITEC_HUB_ACCESS_KEY": self.access_key, "VITEC_INSTALLATION_ID": self.installation}

    def _fault(self, path: str) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.fragment in path and fault.times > 0:
                    fault.times -= 1
                    return fault
        return None

    def _answer(self, path: str, query: dict[str, list[str]]) -> tuple[int, object, str]:
        """(status, body, content type) for a GET that passed authentication."""
        parts = [unquote(p) for p in path.strip("/").split("/")]
        if parts == ["Account", "Methods"]:
            return 200, self.methods, "application/json"
        if not parts or parts[0] != self.installation:
            return 404, {"message": "Unknown installation"}, "application/json"
        rest = "/".join(parts[1:])
        if any(rest.startswith(p) for p in self.forbidden):
            return 403, {"message": "Missing right"}, "application/json"
        if rest == "Departments":
            return 200, self.departments, "application/json"
        if rest == "Employees":
            return 200, self.employees, "application/json"
        if len(parts) == 4 and parts[3] == "Picture" and parts[1] in ("Employees", "Departments"):
            pictures = self.pictures if parts[1] == "Employees" else self.department_pictures
            data = pictures.get(parts[2])
            return (200, data, "image/jpeg") if data else (404, b"", "text/plain")
        if rest == "Accounting/Estates":
            department = (query.get("departmentId") or [""])[0]
            after = (query.get("changedAfter") or [""])[0]
            since = datetime.fromisoformat(after.replace("Z", "+00:00")) if after else None
            rows = [e for e in self._by_department().get(department, [])
                    if since is None or datetime.fromisoformat(e["changedDate"]) > since]
            return 200, rows, "application/json"
        return 404, {"message": "Not found"}, "application/json"

    def _by_department(self) -> dict[str, list[dict]]:
        """The estates by office, built again when the list is replaced or grows or shrinks."""
        key = (id(self.estates), len(self.estates))
        if getattr(self, "_index_key", None) != key:
            index: dict[str, list[dict]] = {}
            for estate in self.estates:
                index.setdefault(_department_of(estate), []).append(estate)
            self._index, self._index_key = index, key
        return self._index

    def start(self) -> VitecFake:
        fake = self
        expected = "Basic " + base64.b64encode(f"{self.login}:{self.access_key}".encode()).decode()

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                pass

            def _send(self, status: int, body: object, content_type: str,
                      headers: dict[str, str] | None = None) -> None:
                data = body if isinstance(body, bytes) else (
                    body.encode() if isinstance(body, str) else json.dumps(body).encode())
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:  # noqa: N802
                url = urlsplit(self.path)
                authorization = self.headers.get("Authorization", "")
                with fake._lock:
                    fake.requests.append(Seen(url.path, parse_qs(url.query), bool(authorization),
                                              self.headers.get("Accept", "")))
                if authorization != expected:
                    return self._send(401, "Unauthorized", "text/plain",
                                      {"WWW-Authenticate": 'Basic realm="Vitec Hub"'})
                if (fault := fake._fault(self.path)) is not None:
                    headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
                    return self._send(fault.status, fault.body or f"fault {fault.status}",
                                      "text/plain", headers)
                status, body, content_type = fake._answer(url.path, parse_qs(url.query))
                self._send(status, body, content_type)

        self._served = Served(Handler, self.host, self.port, name="vitec-fake")
        self.port = self._served.port
        return self

    def stop(self) -> None:
        if self._served is not None:
            self._served.stop()
            self._served = None

    def __enter__(self) -> VitecFake:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def _department_of(estate: dict) -> str:
    value = estate.get("departmentId")
    if isinstance(value, list):
        value = value[0] if value else None
    return str(value) if value is not None else ""
