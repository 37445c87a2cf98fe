"""Microsoft Graph with an app registration (client credentials): Teams and their members,
and sendMail. One adapter for Entra ID's token and Graph's calls (apis.md §3).

- The hosts: MICROSOFT_LOGIN_URL and MICROSOFT_GRAPH_URL (Microsoft's global cloud when
  empty), for this app registration and for OneDrive's (dokvault/drives/onedrive.py) alike;
  set to another address (a national cloud, a proxy, a test double), it is allowed through
  the outbound guard at its port, as the operator's own. TLS trusts net.trusted_cas().
- The token: msal's ConfidentialClientApplication, one per configuration in this process,
  so its token cache keeps the token until it expires (msal renews it then). msal's HTTP
  client is a requests.Session behind the outbound guard (core/net_sync.py: every request
  and redirect checked, only the checked address dialled); instance discovery is off (the
  authority is the configured sign-in host).
- Graph: httpx2 through the guard's transport; lists follow `@odata.nextLink` to the end;
  429 waits what `Retry-After` says, 5xx and dropped connections back off exponentially
  (core/http_retry.py, as Vitec's calls do); a 401 gets one fresh token. Every call is
  logged with method, path, status, duration and attempts; the secret and the token never
  are.
"""

from __future__ import annotations

import asyncio
import base64
import logging
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

import httpx2
import msal

from dokvault.core import http_retry, net, net_sync
from dokvault.core.caches import per_settings
from dokvault.settings import get_settings

log = logging.getLogger(__name__)

LOGIN_URL = "https://login.microsoftonline.com"
GRAPH_URL = "https://graph.microsoft.com/v1.0"
SCOPE = "https://graph.microsoft.com/.default"
TEAMS = ("/groups?$filter=resourceProvisioningOptions/Any(x:x%20eq%20'Team')"
         "&$select=id,displayName,mail,description&$top=999")
MEMBER_FIELDS = "id,displayName,mail,userPrincipalName,jobTitle"
RETRY_STATUSES = {408, 429, 500, 502, 503, 504}
MAX_PAGES = 10_000


class GraphError(Exception):
    """`code` is an i18n key, `detail` English for logs and summaries; no secret in either."""

    def __init__(self, code: str, detail: str, status: int | None = None):
        super().__init__(detail)
        self.code, self.detail, self.status = code, detail, status


@dataclass(frozen=True)
class Credentials:
    tenant_id: str
    client_id: str
    client_secret: str
    login_url: str = LOGIN_URL
    graph_url: str = GRAPH_URL
    allow: tuple[str, ...] = ()  # the configured hosts, when they are not Microsoft's own

    @property
    def authority(self) -> str:
        return f"{self.login_url.rstrip('/')}/{self.tenant_id}"


def missing_settings() -> list[str]:
    """What is still to be set before DokVault can call Graph (the admin page lists it)."""
    settings = get_settings()
    needed = {"MICROSOFT_TENANT_ID": settings.microsoft_tenant_id,
              "MICROSOFT_CLIENT_ID": settings.microsoft_client_id,
              "MICROSOFT_CLIENT_SECRET": settings.microsoft_client_secret.get_secret_value()}
    return [name for name, value in needed.items() if not value.strip()]


def login_url() -> str:
    return get_settings().microsoft_login_url.strip() or LOGIN_URL


def graph_url() -> str:
    return get_settings().microsoft_graph_url.strip() or GRAPH_URL


def allowed_hosts() -> tuple[str, ...]:
    """MICROSOFT_LOGIN_URL's and MICROSOFT_GRAPH_URL's hosts where the operator set them to
    something else than Microsoft's global cloud: allowed through the outbound guard."""
    return net.operator_hosts((login_url(), LOGIN_URL), (graph_url(), GRAPH_URL))


def configured_credentials() -> Credentials | None:
    settings = get_settings()
    if missing_settings():
        return None
    return Credentials(settings.microsoft_tenant_id.strip(), settings.microsoft_client_id.strip(),
                       settings.microsoft_client_secret.get_secret_value(), login_url(), graph_url(),
                       allowed_hosts())


@dataclass(frozen=True)
class Attachment:
    name: str
    content_type: str
    data: bytes


@per_settings(maxsize=4)
def _application(tenant_id: str, client_id: str, client_secret: str, login_url: str,
                 allow: tuple[str, ...]) -> msal.ConfidentialClientApplication:
    authority = f"{login_url.rstrip('/')}/{tenant_id}"
    net.check_url(authority, allow=allow)
    return msal.ConfidentialClientApplication(
        client_id, client_credential=client_secret, authority=authority, instance_discovery=False,
        http_client=net_sync.guarded_session(allow, verify=net.trusted_cas()), timeout=30)


def acquire_token(credentials: Credentials, allow: Iterable[str] = ()) -> str:
    """An app token for Graph, from msal's cache while it lasts. Raises GraphError."""
    try:
        app = _application(credentials.tenant_id, credentials.client_id, credentials.client_secret,
                           credentials.login_url,
                           tuple(dict.fromkeys((*credentials.allow, *allow))))
        result = app.acquire_token_for_client(scopes=[SCOPE])
    except net.OutboundRefused as exc:
        raise _refused(exc) from None
    except ValueError as exc:  # msal: an authority that is not https, a bad tenant
        raise GraphError("microsoft.config", f"the sign-in address is not usable: {exc}"[:300]) from None
    except Exception as exc:  # requests: connection refused, TLS, timeout ...
        if (refused := net.refusal(exc)) is not None:
            raise _refused(refused) from None
        raise GraphError("microsoft.unreachable",
                         f"the sign-in service cannot be reached ({type(exc).__name__})") from None
    if "access_token" in result:
        log.info("microsoft token from=%s", result.get("token_source", "identity_provider"))
        return result["access_token"]
    description = str(result.get("error_description", "")).split("\r\n")[0].split(" Trace ID")[0]
    error = str(result.get("error", "unknown_error"))
    code = "microsoft.bad_credentials" if error in ("invalid_client", "unauthorized_client") else \
        "microsoft.token"
    raise GraphError(code, f"{error}: {description}"[:300])


def mail_body(subject: str, to: str, text: str, html: str,
              attachments: Iterable[Attachment] = ()) -> dict:
    """The sendMail request body (apis.md §3): HTML when there is some, else text."""
    message: dict[str, Any] = {
        "subject": subject,
        "body": ({"contentType": "HTML", "content": html} if html
                 else {"contentType": "Text", "content": text}),
        "toRecipients": [{"emailAddress": {"address": to}}],
    }
    files = [{"@odata.type": "#microsoft.graph.fileAttachment", "name": a.name,
              "contentType": a.content_type, "contentBytes": base64.b64encode(a.data).decode()}
             for a in attachments]
    if files:
        message["attachments"] = files
    return {"message": message, "saveToSentItems": True}


class GraphClient:
    """Async Graph calls with an app token. `async with GraphClient(credentials) as graph`."""

    def __init__(self, credentials: Credentials, *, allow: Iterable[str] = (), timeout: float = 30.0,
                 max_retries: int = 4, max_wait: float = 60.0):
        self.credentials, self.allow = credentials, (*credentials.allow, *allow)
        self.base = credentials.graph_url.rstrip("/")
        net.check_url(self.base, allow=self.allow)
        self.max_retries, self.max_wait = max_retries, max_wait
        self._token: str | None = None
        self._http = net.guarded_client(allow=self.allow, follow_redirects=False,
                                        timeout=httpx2.Timeout(timeout, connect=min(timeout, 10.0)))

    async def __aenter__(self) -> GraphClient:
        return self

    async def __aexit__(self, *exc) -> None:
        await self._http.aclose()

    async def token(self, fresh: bool = False) -> str:
        if self._token is None or fresh:
            self._token = await asyncio.to_thread(acquire_token, self.credentials, self.allow)
        return self._token

    # --- the calls ---

    async def teams(self) -> AsyncIterator[dict]:
        """Every Teams-backed group, page after page."""
        async for group in self._pages(self.base + TEAMS):
            yield group

    async def members(self, group_id: str) -> list[dict]:
        """The users among a group's members, every page."""
        url = f"{self.base}/groups/{quote(group_id, safe='')}/members/microsoft.graph.user" \
              f"?$select={MEMBER_FIELDS}&$top=999"
        return [m async for m in self._pages(url)]

    async def send_mail(self, sender: str, to: str, subject: str, text: str, html: str = "",
                        attachments: Iterable[Attachment] = ()) -> None:
        url = f"{self.base}/users/{quote(sender, safe='@')}/sendMail"
        await self._request("POST", url, json=mail_body(subject, to, text, html, attachments))

    # --- the wire ---

    async def _pages(self, url: str) -> AsyncIterator[dict]:
        for _ in range(MAX_PAGES):
            body = (await self._request("GET", url)).json()
            for item in body.get("value") or []:
                if isinstance(item, dict):
                    yield item
            url = body.get("@odata.nextLink")
            if not url:
                return
        raise GraphError("microsoft.unusable", "more pages than anyone has: stopped")

    async def _request(self, method: str, url: str, **kwargs) -> httpx2.Response:
        path = urlsplit(url).path
        refreshed = False

        async def send() -> httpx2.Response:
            return await self._http.request(method, url, headers={
                "Authorization": f"Bearer {await self.token()}", "Accept": "application/json"}, **kwargs)

        async def renew(status: int) -> bool:
            nonlocal refreshed
            if status != 401 or refreshed:
                return False
            refreshed = True  # the token expired early: one fresh one
            await self.token(fresh=True)
            return True

        try:
            reply = await http_retry.call(send, log=log, system="graph", method=method, path=path,
                                          max_retries=self.max_retries, max_wait=self.max_wait,
                                          renew=renew)
        except net.OutboundRefused as exc:
            raise _refused(exc) from None
        if not reply.accepted:
            raise _error(path, reply.status, reply.problem, reply.response)
        return reply.response


def _refused(exc: net.OutboundRefused) -> GraphError:
    return GraphError("microsoft.refused", f"the outbound guard refused {exc.host}: {exc.reason}")


def _error(path: str, status: int | None, problem: str, response: httpx2.Response | None) -> GraphError:
    if status is None:
        return GraphError("microsoft.unreachable", f"{path}: {problem}")
    detail = ""
    try:
        error = response.json().get("error", {}) if response is not None else {}
        detail = f"{error.get('code', '')}: {error.get('message', '')}".strip(": ")
    except (ValueError, AttributeError):
        detail = " ".join((response.text if response is not None else "").split())[:120]
    if status in (401, 403):
        return GraphError("microsoft.forbidden", f"{path}: {status} {detail} (the app registration "
                          "lacks a permission, or admin consent)".strip(), status)
    if status == 429:
        return GraphError("microsoft.rate_limited", f"{path}: 429 {detail}".strip(), status)
    return GraphError("microsoft.http", f"{path}: HTTP {status} {detail}"[:300].strip(), status)
