"""Vitec Megler Hub (Vitec Next): offices (departments), staff (employees), assignments
(estates) and pictures, read over its REST API.

- HTTP Basic with the product login and access key; the base URL is VITEC_HUB_BASE_URL,
  or derived from VITEC_ENVIRONMENT (`prod`, `qa`); the installation id is the first path
  segment of every call but `Account/Methods`.
- httpx (httpx2, the outbound guard's client: dokvault.core.net), so the base URL is
  checked when configured and at every request and redirect.
- Timeouts; 429 waits what `Retry-After` says (within `max_wait`); 5xx, timeouts and
  dropped connections are retried with exponential backoff (core/http_retry.py, as Graph's
  calls are); 401 and 403 are explained in words (VitecError.code is an i18n key). Every
  call is logged with method, path, status, duration and attempts: never the access key,
  which only travels in the Authorization header.
- Parsing is defensive (the API has no published schema; apis.md §7): every list is a
  top-level array; `departmentId` may be an int or a list of ints; unknown fields are
  ignored, missing optional ones are fine, and a malformed row is reported and skipped,
  never fatal (`Parsed.skipped`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

import httpx2

from dokvault.core import http_retry, net

log = logging.getLogger(__name__)

ENVIRONMENTS = {"prod": "https://hub.megler.vitec.net", "qa": "https://hub.qa.vitecnext.no"}
RETRY_STATUSES = {408, 429, 500, 502, 503, 504}
USER_AGENT = "DokVault/1.0 (Vitec Megler Hub sync)"
MAX_PICTURE_BYTES = 5 * 1024 * 1024
# Vitec's position types (employeePositions[].type), as their consumers map them.
POSITIONS = {1: "eiendomsmegler", 2: "daglig_leder", 3: "fagansvarlig", 4: "aml_ansvarlig",
             5: "medhjelper", 6: "oppgjor", 7: "administrasjon", 8: "fullmektig",
             9: "salgsleder", 10: "kontorleder"}


class VitecError(Exception):
    """A call to Vitec failed. `code` is an i18n key (the admin page says it in words),
    `detail` says it in English for the log and the sync's summary; neither holds the key."""

    def __init__(self, code: str, detail: str, status: int | None = None):
        super().__init__(detail)
        self.code, self.detail, self.status = code, detail, status


def base_url(configured: str, environment: str) -> str:
    """VITEC_HUB_BASE_URL when set, else the environment's (prod or qa)."""
    return (configured.strip() or ENVIRONMENTS.get(environment.strip().lower(), ENVIRONMENTS["prod"])
            ).rstrip("/")


# --- what Vitec sends, parsed --------------------------------------------------------------


@dataclass(frozen=True)
class Department:
    vitec_id: str
    name: str
    market_name: str = ""
    email: str = ""
    phone: str = ""
    street_address: str = ""
    postal_code: str = ""
    city: str = ""


@dataclass(frozen=True)
class Staff:
    vitec_id: str
    name: str
    department_ids: tuple[str, ...] = ()
    title: str = ""
    email: str = ""
    mobile_phone: str = ""
    work_phone: str = ""
    active: bool = True
    positions: tuple[int, ...] = ()


@dataclass(frozen=True)
class Estate:
    vitec_id: str
    assignment_number: str = ""
    department_id: str = ""
    address: str = ""
    postal_code: str = ""
    city: str = ""
    status: str = ""
    brokers: tuple[tuple[str, int | None], ...] = ()  # (employee id, role)
    changed_at: datetime | None = None


T = TypeVar("T")


@dataclass
class Parsed(Generic[T]):
    """The rows that could be read, and those that could not: (what, why)."""

    rows: list[T] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)


class Malformed(ValueError):
    pass


def _text(value: Any, limit: int = 300) -> str:
    """A plain value as text; a {"name"/"value"/...} object by its name; else empty."""
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, dict):
        for key in ("name", "value", "displayName", "key"):
            if isinstance(value.get(key), str | int):
                return _text(value[key], limit)
        return ""
    if isinstance(value, str | int | float):
        return " ".join(str(value).split())[:limit]
    return ""


def _first(row: dict, *keys: str, limit: int = 300) -> str:
    for key in keys:
        if (text := _text(row.get(key), limit)):
            return text
    return ""


def _identifier(value: Any) -> str:
    """An id as Vitec sends it: an int or a non-empty string."""
    if isinstance(value, bool) or value is None:
        raise Malformed("no id")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and value.strip() and len(value.strip()) <= 64:
        return value.strip()
    raise Malformed(f"an id of the wrong kind ({type(value).__name__})")


def department_ids(value: Any) -> tuple[str, ...]:
    """`departmentId` as an int, a string, or a list of either (the first is the main one)."""
    if value is None or value == []:
        return ()
    values = value if isinstance(value, list) else [value]
    return tuple(dict.fromkeys(_identifier(v) for v in values))


def _bool(value: Any, default: bool = True) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return default


def _position(entry: Any) -> int | None:
    kind = entry.get("type") if isinstance(entry, dict) else entry
    if isinstance(kind, dict):
        kind = kind.get("value", kind.get("id"))
    return kind if isinstance(kind, int) and not isinstance(kind, bool) else None


def _moment(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def parse_department(row: Any) -> Department:
    if not isinstance(row, dict):
        raise Malformed("not an object")
    vitec_id = _identifier(row.get("departmentId", row.get("id")))
    name = _first(row, "name", "marketName", "legalName", limit=200)
    if not name:
        raise Malformed("no name")
    return Department(
        vitec_id=vitec_id, name=name, market_name=_first(row, "marketName", limit=200),
        email=_first(row, "email", limit=320).lower(), phone=_first(row, "phone", limit=64),
        street_address=_first(row, "streetAddress", "visitAddress", "postalAddress", limit=200),
        postal_code=_first(row, "postalCode", "visitPostalCode", limit=16),
        city=_first(row, "city", "visitCity", limit=100),
    )


def parse_employee(row: Any) -> Staff:
    if not isinstance(row, dict):
        raise Malformed("not an object")
    vitec_id = _identifier(row.get("employeeId", row.get("id")))
    name = _first(row, "name", limit=200) or " ".join(
        p for p in (_first(row, "firstName"), _first(row, "lastName")) if p)
    if not name:
        raise Malformed("no name")
    positions = row.get("employeePositions") or []
    return Staff(
        vitec_id=vitec_id, name=name[:200], department_ids=department_ids(row.get("departmentId")),
        title=_first(row, "title", "jobTitle", limit=200),
        email=_first(row, "email", limit=320).lower(),
        mobile_phone=_first(row, "mobilePhone", limit=64), work_phone=_first(row, "workPhone", limit=64),
        active=_bool(row.get("employeeActive"), True),
        positions=tuple(p for p in map(_position, positions if isinstance(positions, list) else [])
                        if p is not None),
    )


def _address(row: dict) -> tuple[str, str, str]:
    address = row.get("address")
    if isinstance(address, dict):  # a nested address object
        return (_first(address, "streetAddress", "street", "address", limit=300),
                _first(address, "postalCode", "zipCode", limit=16),
                _first(address, "city", "postalPlace", limit=100))
    return (_text(address) or _first(row, "streetAddress", "street_address", limit=300),
            _first(row, "postalCode", "zipCode", limit=16), _first(row, "city", "postalPlace", limit=100))


def parse_estate(row: Any) -> Estate:
    if not isinstance(row, dict):
        raise Malformed("not an object")
    vitec_id = _identifier(row.get("estateId", row.get("id")))
    brokers = []
    for entry in row.get("brokersIdWithRoles") or []:
        if isinstance(entry, dict) and entry.get("employeeId") not in (None, ""):
            role = entry.get("brokerRole", entry.get("role"))
            brokers.append((_identifier(entry["employeeId"]),
                            role if isinstance(role, int) and not isinstance(role, bool) else None))
    departments = department_ids(row.get("departmentId"))
    street, postal, city = _address(row)
    return Estate(
        vitec_id=vitec_id,
        assignment_number=_first(row, "assignmentNumber", "assignmentNum", "oppdragsnummer",
                                 "oppdragsnr", limit=64),
        department_id=departments[0] if departments else "",
        address=street, postal_code=postal, city=city,
        status=_first(row, "status", "estateStatus", "assignmentStatus", limit=64),
        brokers=tuple(brokers),
        changed_at=_moment(row.get("changedDate") or row.get("lastChanged") or row.get("changed")),
    )


def parse_rows(body: Any, parse, what: str) -> Parsed:
    """A top-level array of rows, each parsed on its own: a bad row is skipped and named."""
    if not isinstance(body, list):
        raise VitecError("vitec.unusable", f"{what}: expected a list, got {type(body).__name__}")
    out: Parsed = Parsed()
    for n, row in enumerate(body):
        try:
            out.rows.append(parse(row))
        except Malformed as exc:
            ident = row.get(f"{what}Id", row.get("id")) if isinstance(row, dict) else None
            label = f"{what} {ident}" if isinstance(ident, str | int) else f"{what} #{n + 1}"
            out.skipped.append((label[:100], str(exc)))
    return out


def methods_of(body: Any) -> list[str]:
    """Account/Methods: the functions this login may call, however the list is shaped
    (strings, or objects naming them; possibly under a key)."""
    if isinstance(body, dict):
        body = next((body[k] for k in ("methods", "Methods", "functions", "items") if k in body), [])
    names = []
    for item in body if isinstance(body, list) else []:
        if isinstance(item, str):
            names.append(item)
        elif isinstance(item, dict):
            name = _first(item, "name", "method", "methodName", "path", "function")
            installations = item.get("installations") or item.get("installationIds")
            if name and isinstance(installations, list) and installations:
                name += " (" + ", ".join(_text(i) for i in installations[:5]) + ")"
            if name:
                names.append(name)
    return sorted(dict.fromkeys(n[:200] for n in names if n))


# --- the client ----------------------------------------------------------------------------


class VitecClient:
    """Async client of one installation. Use as `async with VitecClient(...) as vitec`."""

    def __init__(self, url: str, installation_id: str, login: str, access_key: str, *,
                 timeout: float = 30.0, max_retries: int = 4, max_wait: float = 60.0,
                 allow: Iterable[str] = ()):
        self.base = url.rstrip("/")
        net.check_url(self.base, allow=allow)
        self.installation_id = installation_id.strip().strip("/")
        self.max_retries, self.max_wait = max_retries, max_wait
        self.calls = 0
        self._http = net.guarded_client(
            allow=allow, timeout=httpx2.Timeout(timeout, connect=min(timeout, 10.0)),
            auth=httpx2.BasicAuth(login, access_key), follow_redirects=False,
            headers={"Accept": "application/json", "User-Agent": USER_AGENT},
            limits=httpx2.Limits(max_connections=8, max_keepalive_connections=8))

    async def __aenter__(self) -> VitecClient:
        return self

    async def __aexit__(self, *exc) -> None:
        await self._http.aclose()

    # --- the calls ---

    async def methods(self) -> list[str]:
        return methods_of((await self._get("Account/Methods")).json())

    async def departments(self) -> Parsed[Department]:
        return parse_rows(await self._json(f"{self.installation_id}/Departments"), parse_department,
                          "department")

    async def employees(self) -> Parsed[Staff]:
        return parse_rows(await self._json(f"{self.installation_id}/Employees"), parse_employee,
                          "employee")

    async def estates(self, department_id: str, changed_after: datetime | None = None) -> Parsed[Estate]:
        params = {"departmentId": department_id}
        if changed_after is not None:
            params["changedAfter"] = changed_after.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return parse_rows(await self._json(f"{self.installation_id}/Accounting/Estates", params),
                          parse_estate, "estate")

    async def employee_picture(self, employee_id: str) -> bytes | None:
        return await self._picture(f"{self.installation_id}/Employees/{employee_id}/Picture")

    async def department_picture(self, department_id: str) -> bytes | None:
        return await self._picture(f"{self.installation_id}/Departments/{department_id}/Picture")

    # --- the wire ---

    async def _json(self, path: str, params: dict | None = None) -> Any:
        response = await self._get(path, params)
        try:
            return response.json()
        except ValueError:
            raise VitecError("vitec.unusable", f"{path}: the answer is not JSON") from None

    async def _picture(self, path: str) -> bytes | None:
        response = await self._get(path, accept="image/*", missing_ok=True)
        if response.status_code == 404 or not response.content:
            return None
        if len(response.content) > MAX_PICTURE_BYTES:
            raise VitecError("vitec.unusable", f"{path}: picture of {len(response.content)} bytes")
        return response.content

    async def _get(self, path: str, params: dict | None = None, *, accept: str | None = None,
                   missing_ok: bool = False) -> httpx2.Response:
        url = f"{self.base}/{path}"
        headers = {"Accept": accept} if accept else None

        async def send() -> httpx2.Response:
            self.calls += 1
            return await self._http.get(url, params=params, headers=headers)

        try:
            reply = await http_retry.call(
                send, log=log, system="vitec", method="GET", path=path, max_retries=self.max_retries,
                max_wait=self.max_wait, accept=lambda status: status < 400 or (missing_ok and status == 404))
        except net.OutboundRefused as exc:
            raise VitecError("vitec.refused",
                             f"the outbound guard refused {exc.host}: {exc.reason}") from None
        if not reply.accepted:
            raise _error(path, reply.status, reply.problem, reply.response)
        return reply.response


def _error(path: str, status: int | None, problem: str, response: httpx2.Response | None) -> VitecError:
    if status is None:
        return VitecError("vitec.unreachable", f"{path}: {problem}")
    body = " ".join(response.text.split())[:160] if response is not None else ""
    if status == 401:
        return VitecError("vitec.unauthorized", f"{path}: 401 (the product login or access key "
                          "was refused)", status)
    if status == 403:
        return VitecError("vitec.forbidden", f"{path}: 403 (this login has no right to this "
                          "function or installation)", status)
    if status == 404:
        return VitecError("vitec.not_found", f"{path}: 404 (unknown installation id?)", status)
    if status == 429:
        return VitecError("vitec.rate_limited", f"{path}: 429 (too many requests)", status)
    return VitecError("vitec.http", f"{path}: HTTP {status} {body}".strip(), status)
