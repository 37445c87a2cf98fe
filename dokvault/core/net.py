"""The outbound-URL guard: DokVault calls a server someone named in the app (an AI provider's
base URL today; Vitec, Graph, cloud drives and web import later) only if it is on the public
internet over https, or the operator allowed it.

Refused: schemes other than http(s); plain http; host names of cloud metadata services; and
every address that is loopback, private, unique-local, link-local, site-local, unspecified,
multicast, reserved or otherwise not global, including IPv4 inside IPv6 (mapped, compatible,
and 6to4/NAT64 around a refused IPv4). A name passes only if every address it resolves to
does. Metadata services (169.254.169.254, fd00:ec2::254, metadata.google.internal, ...) are
refused even where the operator allowed their network: no integration has business there.

Allowed, internal addresses and plain http included: what the operator wrote in
OUTBOUND_ALLOWED_HOSTS, the hosts an admin listed on /admin/outbound-hosts (core/outbound_hosts.py,
host names and single addresses only), and the `allow` entries a caller adds for addresses the operator
configured elsewhere (OLLAMA_BASE_URL, ...). Never a value typed into a page.

Checked twice: `check_url` when a URL is configured, and `GuardedTransport` at every request,
each redirect included. The transport resolves the name itself, checks the addresses and
connects to exactly the address it checked, so a name that answers differently between the
check and the connection (DNS rebinding) gains nothing. The SDKs that speak `requests`
(msal, webdavclient3, requests-oauthlib, firecrawl-py, google-api-python-client) get the
same guard from dokvault.core.net_sync.

What outbound TLS trusts is `trusted_cas()`: certifi's CAs, and OUTBOUND_CA_FILE's besides.
"""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import socket
import ssl
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import anyio
import certifi
import httpcore2
import httpx2

from dokvault.core import outbound_hosts
from dokvault.core.caches import per_settings
from dokvault.settings import HostEntry, get_settings, host_entry

log = logging.getLogger(__name__)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
# (host, port) -> every address the name stands for; raises OSError when there is none.
Resolver = Callable[[str, int], Sequence[IPAddress]]

DEFAULT_PORTS = {"http": 80, "https": 443}
METADATA_ADDRESSES = frozenset(ipaddress.ip_address(a) for a in (
    "169.254.169.254",  # AWS, Azure, Google Cloud, OpenStack, Oracle, DigitalOcean, Hetzner
    "169.254.170.2",    # AWS ECS task credentials
    "fd00:ec2::254",    # AWS over IPv6
    "100.100.100.200",  # Alibaba Cloud
    "192.0.0.192",      # Oracle Cloud Classic
))
METADATA_NAMES = frozenset((
    "metadata.google.internal", "metadata.goog", "metadata",  # Google Cloud
    "instance-data", "instance-data.ec2.internal",            # AWS
    "metadata.tencentyun.com",                                # Tencent Cloud
))
NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
IPV4_COMPATIBLE = ipaddress.ip_network("::/96")
UNIQUE_LOCAL = ipaddress.ip_network("fc00::/7")


class OutboundRefused(Exception):  # noqa: N818 (a refusal, not a failure)
    """DokVault will not call this URL. `code` is an i18n key, `values` fill it (the host,
    never the address a name resolved to); `reason` says why in English, for logs and tests."""

    def __init__(self, code: str, host: str, reason: str):
        super().__init__(f"{host}: {reason}")
        self.code, self.host, self.reason = code, host, reason

    @property
    def values(self) -> dict[str, str]:
        return {"host": self.host}


def refusal(exc: BaseException | None) -> OutboundRefused | None:
    """The guard's refusal behind `exc`, however deep a client wrapped it (a transport
    error, an SDK's connection error), or None."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, OutboundRefused):
            return exc
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return None


def _refuse(code: str, host: str, port: int | None, reason: str) -> OutboundRefused:
    # Host and port only: a URL's path or query may carry a token.
    log.warning("outbound refused host=%s port=%s code=%s reason=%s", host, port, code, reason)
    return OutboundRefused(code, host, reason)


def system_resolver(host: str, port: int) -> list[IPAddress]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(ipaddress.ip_address(info[4][0]) for info in infos))


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped or address.sixtofour:
        return address.ipv4_mapped or address.sixtofour
    if any(address in net for net in NAT64) or address in IPV4_COMPATIBLE:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def why_internal(address: IPAddress) -> str | None:
    """Why `address` is not one to call on the public internet, or None when it is."""
    for name in ("unspecified", "loopback", "link_local", "multicast"):
        if getattr(address, f"is_{name}"):
            return name.replace("_", "-")
    if address.version == 6:
        if address.ipv4_mapped:
            return "IPv4-mapped IPv6"
        if address in IPV4_COMPATIBLE:
            return "IPv4-compatible IPv6"
        if address.is_site_local:
            return "site-local"
        if (inner := _embedded_ipv4(address)) is not None and (why := why_internal(inner)):
            return f"{why} inside IPv6"
    if address.is_private:
        return "unique-local" if address in UNIQUE_LOCAL else "private"
    if address.is_reserved:
        return "reserved"
    if not address.is_global:
        return "not global"
    return None


def is_metadata(address: IPAddress) -> bool:
    """A cloud metadata service's address (also inside IPv6): refused whoever allowed it."""
    inner = _embedded_ipv4(address) if address.version == 6 else None
    return address in METADATA_ADDRESSES or inner in METADATA_ADDRESSES


def _literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


@dataclass(frozen=True)
class Policy:
    """The hosts the operator allowed (OUTBOUND_ALLOWED_HOSTS, the hosts an admin listed on
    /admin/outbound-hosts, plus a caller's `allow`)."""

    entries: tuple[HostEntry, ...] = ()

    @classmethod
    def of(cls, allow: Iterable[str] = ()) -> Policy:
        return cls((*get_settings().outbound_allowed, *outbound_hosts.entries(),
                    *(host_entry(e) for e in allow)))

    def lists(self, host: str, port: int) -> bool:
        """The host itself is allowed: by name, or as an IP inside an allowed network."""
        literal = _literal(host)
        for allowed, allowed_port in self.entries:
            if allowed_port not in (None, port):
                continue
            if allowed == host if isinstance(allowed, str) else literal is not None and literal in allowed:
                return True
        return False

    def covers(self, address: IPAddress, port: int) -> bool:
        return any(p in (None, port) and not isinstance(h, str) and address in h for h, p in self.entries)

    def check_target(self, scheme: str, host: str, port: int, addresses: Iterable[IPAddress] = ()) -> bool:
        """The scheme, the host's name, its address (a literal's, else `addresses` where the
        name was resolved already), then https. Returns whether the host is listed. Raises
        OutboundRefused."""
        if scheme not in DEFAULT_PORTS:
            raise _refuse("error.outbound_scheme", host, port, f"scheme {scheme or '(none)'}")
        if not host:
            raise _refuse("error.outbound_invalid", host, port, "no host")
        if host in METADATA_NAMES:
            raise _refuse("error.outbound_metadata", host, port, "a metadata service's name")
        listed = self.lists(host, port)
        literal = _literal(host)
        self.check_addresses(host, port, addresses if literal is None else [literal], listed)
        if scheme == "http" and not listed:
            raise _refuse("error.outbound_https", host, port, "http to a host not allowed")
        return listed

    def check_addresses(self, host: str, port: int, addresses: Iterable[IPAddress], listed: bool) -> None:
        """Every address `host` resolved to must pass. Raises OutboundRefused."""
        for address in addresses:
            if is_metadata(address):
                raise _refuse("error.outbound_metadata", host, port, f"{address} is a metadata service")
            if listed or self.covers(address, port):
                continue
            if why := why_internal(address):
                raise _refuse("error.outbound_internal", host, port, f"{address} is {why}")


def _target(url: httpx2.URL) -> tuple[str, str, int]:
    scheme = url.scheme.lower()
    host = url.raw_host.decode("ascii").lower().rstrip(".")
    return scheme, host, url.port or DEFAULT_PORTS.get(scheme, 0)


def check_url(url: str, *, allow: Iterable[str] = (), resolver: Resolver | None = None) -> str:
    """`url` if DokVault may call it; raises OutboundRefused. A name that does not resolve now
    passes: the transport checks again when it connects (and cannot connect then)."""
    try:
        scheme, host, port = _target(httpx2.URL(url))
    except (httpx2.InvalidURL, UnicodeError) as exc:
        raise _refuse("error.outbound_invalid", "", None, "not a URL") from exc
    addresses: Sequence[IPAddress] = ()
    if scheme in DEFAULT_PORTS and host and _literal(host) is None:
        with contextlib.suppress(OSError, UnicodeError):
            addresses = (resolver or system_resolver)(host, port)
    Policy.of(allow).check_target(scheme, host, port, addresses)
    return url


class _GuardedBackend(httpcore2.AsyncNetworkBackend):
    """Opens connections only to addresses that passed the check, resolving names itself."""

    def __init__(self, policy: Policy, resolver: Resolver | None):
        self._policy, self._resolver = policy, resolver
        self._backend = httpcore2.AnyIOBackend()

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                          local_address: str | None = None, socket_options=None):
        host = host.lower().rstrip(".")
        literal = _literal(host)
        if literal is not None:
            addresses = [literal]
        else:
            try:
                with anyio.fail_after(timeout):
                    addresses = await anyio.to_thread.run_sync(self._resolver or system_resolver, host, port,
                                                                abandon_on_cancel=True)
            except TimeoutError as exc:
                raise httpcore2.ConnectTimeout(f"resolving {host} timed out") from exc
            except (OSError, UnicodeError) as exc:
                raise httpcore2.ConnectError(f"cannot resolve {host}") from exc
        self._policy.check_addresses(host, port, addresses, self._policy.lists(host, port))
        error: Exception = httpcore2.ConnectError(f"no address for {host}")
        for address in addresses:  # the checked addresses themselves: nothing resolves again
            try:
                return await self._backend.connect_tcp(str(address), port, timeout=timeout,
                                                       local_address=local_address,
                                                       socket_options=socket_options)
            except (httpcore2.ConnectError, httpcore2.ConnectTimeout) as exc:
                error = exc
        raise error

    async def connect_unix_socket(self, *args, **kwargs):
        raise httpcore2.ConnectError("unix sockets are not outbound URLs")

    async def sleep(self, seconds: float) -> None:
        await self._backend.sleep(seconds)


class GuardedTransport(httpx2.AsyncBaseTransport):
    """httpx2's transport with the guard: every request (so every redirect) is checked before
    it is sent, and connections go only to addresses that passed. `options` go to
    httpx2.AsyncHTTPTransport (verify, http2, limits, ...; no proxy, which would resolve
    names where the guard cannot see them)."""

    def __init__(self, allow: Iterable[str] = (), *, resolver: Resolver | None = None, **options):
        if options.get("proxy") or options.get("uds"):
            raise ValueError("the outbound guard connects by itself: no proxy, no unix socket")
        self.policy = Policy.of(allow)
        self._inner = httpx2.AsyncHTTPTransport(**options)
        # httpx2 has no hook for resolving names; its connection pool takes a network backend.
        # (Checked, so that an httpx2 that renames it fails here rather than goes unguarded.)
        pool = self._inner._pool
        if not isinstance(getattr(pool, "_network_backend", None), httpcore2.AsyncNetworkBackend):
            raise RuntimeError("httpx2's connection pool has no network backend to guard")
        pool._network_backend = _GuardedBackend(self.policy, resolver)

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        self.policy.check_target(*_target(request.url))
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()


def guarded_client(*, allow: Iterable[str] = (), resolver: Resolver | None = None,
                   verify: ssl.SSLContext | bool | None = None, **options) -> httpx2.AsyncClient:
    """An httpx2.AsyncClient (the kind the OpenAI and Anthropic SDKs take as `http_client`)
    whose every request goes through GuardedTransport; it follows redirects, each one checked.
    `verify`: the TLS context (default: trusted_cas()); `options` go to the client (timeout,
    headers...)."""
    options.setdefault("follow_redirects", True)
    verify = trusted_cas() if verify is None else verify
    # trust_env=False: no proxy from the environment, no credentials from ~/.netrc.
    return httpx2.AsyncClient(transport=GuardedTransport(allow, resolver=resolver, verify=verify),
                              trust_env=False, **options)


def host_port(url: str) -> str | None:
    """An allow-list entry for exactly `url`'s host and port ("host:port"), None when `url` is
    not an http(s) URL."""
    try:
        scheme, host, port = _target(httpx2.URL(url.strip()))
    except (httpx2.InvalidURL, UnicodeError):
        return None
    if scheme not in DEFAULT_PORTS or not host:
        return None
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def operator_hosts(*configured: tuple[str, str]) -> tuple[str, ...]:
    """Allow-list entries for the (value, default) addresses the operator set to something
    else than the public default (a national cloud, a proxy, a test double): allowed at their
    host and port, as OLLAMA_BASE_URL is. Values never typed into a page."""
    return tuple(dict.fromkeys(entry for value, default in configured
                               if value.strip() and value.strip().rstrip("/") != default.rstrip("/")
                               and (entry := host_port(value))))


@per_settings(maxsize=1)
def trusted_cas() -> ssl.SSLContext | bool:
    """What outbound https trusts, for httpx2 (`verify=`) and net_sync alike: certifi's CAs,
    and besides them those of OUTBOUND_CA_FILE (a private CA: an on-premises Nextcloud, a
    proxy); True (certifi's alone) when it is empty."""
    path = get_settings().outbound_ca_file.strip()
    if not path:
        return True
    context = ssl.create_default_context(cafile=certifi.where())
    context.load_verify_locations(cafile=path)
    return context
