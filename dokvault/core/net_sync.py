"""The outbound-URL guard (dokvault.core.net) for the SDKs that speak `requests` (webdavclient3,
msal, requests-oauthlib, firecrawl-py) and, through `RequestsHttp`, google-api-python-client.

`guarded_session()` is a requests.Session whose adapter checks every request before it is sent
(so every redirect requests follows), resolves names itself, checks every address and connects
to exactly the address it checked (DNS rebinding gains nothing), as net.GuardedTransport does
for httpx2. It never reads the environment: no proxy, no ~/.netrc, no REQUESTS_CA_BUNDLE.
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterable

import httplib2
import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NameResolutionError, NewConnectionError
from urllib3.util import parse_url

from dokvault.core.net import DEFAULT_PORTS, Policy, Resolver, _literal, system_resolver

BLOCK = 1024 * 1024  # bytes a connection sends at a time (http.client's 8 KiB costs CPU)


class _Guarded:
    """Mixed into urllib3's connections: `_new_conn` dials only addresses that passed."""

    policy: Policy
    resolver: Resolver | None

    def _new_conn(self) -> socket.socket:
        host = str(self._dns_host).lower().rstrip(".")  # type: ignore[attr-defined]
        port = int(self.port)  # type: ignore[attr-defined]
        literal = _literal(host.strip("[]"))
        try:
            addresses = [literal] if literal is not None else (self.resolver or system_resolver)(host, port)
        except (OSError, UnicodeError) as exc:
            raise NameResolutionError(host, self, exc) from exc  # type: ignore[arg-type]
        self.policy.check_addresses(host, port, addresses, self.policy.lists(host, port))
        error: Exception = NewConnectionError(self, f"no address for {host}")  # type: ignore[arg-type]
        for address in addresses:
            try:
                sock = socket.create_connection((str(address), port), self.timeout)  # type: ignore[attr-defined]
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                return sock
            except TimeoutError as exc:
                error = ConnectTimeoutError(self, f"connecting to {host} timed out")  # type: ignore[arg-type]
                error.__cause__ = exc
            except OSError as exc:
                error = NewConnectionError(self, f"cannot connect to {host}: {exc}")  # type: ignore[arg-type]
        raise error


class GuardedAdapter(HTTPAdapter):
    """requests' adapter with the guard. `allow`: entries added to OUTBOUND_ALLOWED_HOSTS
    for addresses the operator configured elsewhere; `verify`: a CA file or an SSLContext."""

    def __init__(self, allow: Iterable[str] = (), *, resolver: Resolver | None = None,
                 verify: str | bool | ssl.SSLContext = True, **kwargs):
        self.policy = Policy.of(allow)
        attrs = {"policy": self.policy, "resolver": staticmethod(resolver) if resolver else None}
        http = type("GuardedHTTPConnection", (_Guarded, HTTPConnection), dict(attrs))
        https = type("GuardedHTTPSConnection", (_Guarded, HTTPSConnection), dict(attrs))
        self._pools = {
            "http": type("GuardedHTTPPool", (HTTPConnectionPool,), {"ConnectionCls": http}),
            "https": type("GuardedHTTPSPool", (HTTPSConnectionPool,), {"ConnectionCls": https}),
        }
        self._verify = verify
        super().__init__(**kwargs)

    def init_poolmanager(self, *args, **kwargs):
        if isinstance(self._verify, ssl.SSLContext):
            kwargs["ssl_context"] = self._verify
        kwargs["blocksize"] = BLOCK
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = dict(self._pools)

    def send(self, request, stream=False, timeout=None, verify=True, cert=None, proxies=None):
        if proxies and any(proxies.values()):
            raise ValueError("the outbound guard connects by itself: no proxy")
        url = parse_url(request.url)
        scheme = (url.scheme or "").lower()
        host = (url.host or "").lower().rstrip(".").strip("[]")
        self.policy.check_target(scheme, host, url.port or DEFAULT_PORTS.get(scheme, 0))
        if isinstance(self._verify, str):
            verify = self._verify
        elif isinstance(self._verify, ssl.SSLContext):
            verify = True  # the pool's context decides
        return super().send(request, stream=stream, timeout=timeout, verify=verify, cert=cert,
                            proxies=None)

    def build_connection_pool_key_attributes(self, request, verify, cert=None):
        if isinstance(self._verify, ssl.SSLContext):
            verify = True  # a context cannot be passed as `verify`; the pool manager holds it
        return super().build_connection_pool_key_attributes(request, verify, cert)


def guarded_session(allow: Iterable[str] = (), *, resolver: Resolver | None = None,
                    verify: str | bool | ssl.SSLContext = True,
                    session: requests.Session | None = None) -> requests.Session:
    """A requests.Session (or `session`, e.g. requests-oauthlib's) whose every request and
    redirect passes the guard; nothing from the environment (proxies, netrc, CA bundle)."""
    session = session or requests.Session()
    session.trust_env = False
    adapter = GuardedAdapter(allow, resolver=resolver, verify=verify)
    session.adapters.clear()
    session.mount("", adapter)  # every scheme comes here, so file:// and gopher:// are refused too
    if isinstance(verify, str | bool):
        session.verify = verify
    return session


class RequestsHttp:
    """httplib2.Http's `request` over a guarded requests.Session, for google-api-python-client
    and google-auth-httplib2 (which take any object with this method)."""

    def __init__(self, session: requests.Session, timeout: float = 60.0):
        self.session, self.timeout = session, timeout
        self.redirect_codes = frozenset({301, 302, 303, 307})  # 308 is resumable upload's

    def request(self, uri, method="GET", body=None, headers=None, redirections=5,
                connection_type=None):
        response = self.session.request(method, uri, data=body, headers=headers,
                                        timeout=self.timeout, allow_redirects=False)
        while response.status_code in self.redirect_codes and "location" in response.headers \
                and redirections > 0:
            redirections -= 1
            uri = requests.compat.urljoin(uri, response.headers["location"])
            if response.status_code == 303:
                method, body = "GET", None
            response.close()
            response = self.session.request(method, uri, data=body, headers=headers,
                                            timeout=self.timeout, allow_redirects=False)
        info = {k.lower(): v for k, v in response.headers.items()}
        info["status"] = str(response.status_code)
        reply = httplib2.Response(info)
        reply.reason = response.reason
        return reply, response.content

    def close(self) -> None:
        self.session.close()
