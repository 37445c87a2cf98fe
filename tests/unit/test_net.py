"""The outbound-URL guard (dokvault.core.net): every internal address class refused, as a
literal and behind a name (resolvers are injected: there is no DNS here), metadata services
always, plain http unless allowed; the transport checks every request and redirect and
connects only to the address it checked; what the operator allows passes."""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx2
import pytest
from pydantic import ValidationError

from dokvault.core import net
from dokvault.core.net import OutboundRefused
from dokvault.settings import Settings
from tests.fakes.redirect import Redirector
from tests.servers import self_signed_cert

PUBLIC = "93.184.216.34"


def resolver(table: dict[str, list[str]]) -> net.Resolver:
    def resolve(host: str, port: int):
        if host not in table:
            raise OSError(f"unknown host {host}")
        return [ipaddress.ip_address(a) for a in table[host]]
    return resolve


def refused(url: str, **kwargs) -> OutboundRefused:
    with pytest.raises(OutboundRefused) as caught:
        net.check_url(url, **kwargs)
    return caught.value


def get(url: str, **kwargs):
    async def go():
        async with net.guarded_client(**kwargs) as client:
            return await client.get(url)
    return asyncio.run(go())


def get_refused(url: str, **kwargs) -> OutboundRefused:
    with pytest.raises(OutboundRefused) as caught:
        get(url, **kwargs)
    return caught.value


@pytest.fixture(autouse=True)
def _env(clean_env):
    """Nothing allowed but what a test allows."""


INTERNAL = [
    ("127.0.0.1", "loopback"), ("127.8.9.10", "loopback"), ("[::1]", "loopback"),
    ("10.0.0.5", "private"), ("172.16.0.1", "private"), ("192.168.1.1", "private"),
    ("100.64.0.1", "not global"),  # carrier-grade NAT
    ("169.254.10.1", "link-local"), ("[fe80::1]", "link-local"),
    ("[fd12:3456::1]", "unique-local"), ("[fec0::1]", "site-local"),
    ("0.0.0.0", "unspecified"),  # noqa: S104 (an address to refuse, not one to bind)
    ("[::]", "unspecified"), ("0.1.2.3", "private"),
    ("224.0.0.1", "multicast"), ("239.1.2.3", "multicast"), ("[ff02::1]", "multicast"),
    ("240.0.0.1", "private"), ("255.255.255.255", "private"), ("192.0.2.1", "private"),
    ("198.18.0.1", "private"), ("[2001:db8::1]", "private"),
    ("[::ffff:127.0.0.1]", "IPv4-mapped IPv6"), ("[::ffff:8.8.8.8]", "IPv4-mapped IPv6"),
    ("[::127.0.0.1]", "IPv4-compatible IPv6"),
    ("[2002:7f00:1::]", "loopback inside IPv6"),       # 6to4 around 127.0.0.1
    ("[64:ff9b::a00:1]", "private inside IPv6"),       # NAT64 around 10.0.0.1
]


@pytest.mark.parametrize(("host", "why"), INTERNAL)
def test_every_internal_address_class_is_refused(host, why):
    error = refused(f"https://{host}:8443/v1")
    assert error.code == "error.outbound_internal" and error.reason.endswith(f"is {why}")
    assert error.values == {"host": host.strip("[]")}


@pytest.mark.parametrize("host", ["169.254.169.254", "[fd00:ec2::254]", "169.254.170.2", "100.100.100.200",
                                  "192.0.0.192", "[::ffff:169.254.169.254]", "metadata.google.internal",
                                  "METADATA.Google.Internal.", "metadata.goog", "metadata", "instance-data"])
def test_metadata_services_are_refused_even_when_allowed(host, allow_outbound):
    allow_outbound("169.254.0.0/16", "fd00::/8", "100.64.0.0/10", "192.0.0.0/24", "::ffff:0:0/96",
                   "metadata.google.internal", "metadata")
    assert refused(f"http://{host}/computeMetadata/v1").code == "error.outbound_metadata"
    hidden = resolver({"innocent.example": ["169.254.169.254"]})
    allow_outbound("innocent.example")
    assert refused("http://innocent.example/", resolver=hidden).code == "error.outbound_metadata"


@pytest.mark.parametrize("host", ["2130706433", "127.1", "0x7f.1", "017700000001", "localhost"])
def test_numeric_tricks_and_localhost_resolve_to_loopback_and_are_refused(host):
    # The system's resolver reads these without DNS: the address, not the spelling, decides.
    assert refused(f"https://{host}/").code == "error.outbound_internal"


def test_a_name_passes_only_if_every_address_it_resolves_to_does():
    names = resolver({"intranet.example": ["10.1.2.3"], "mixed.example": [PUBLIC, "192.168.0.9"],
                      "mapped.example": ["::ffff:10.0.0.1"], "public.example": [PUBLIC, "2606:2800:220:1::"]})
    assert refused("https://intranet.example/v1", resolver=names).code == "error.outbound_internal"
    assert refused("https://mixed.example/v1", resolver=names).reason == "192.168.0.9 is private"
    assert refused("https://mapped.example/v1", resolver=names).reason.endswith("is IPv4-mapped IPv6")
    assert refused("https://intranet.example/v1", resolver=names).values == {"host": "intranet.example"}
    assert net.check_url("https://public.example/v1", resolver=names) == "https://public.example/v1"
    # A name that does not resolve now is left to the transport, which resolves when it connects.
    assert net.check_url("https://unknown.example/v1", resolver=names)


@pytest.mark.parametrize(("url", "code"), [
    ("ftp://files.example.no/", "error.outbound_scheme"), ("file:///etc/passwd", "error.outbound_scheme"),
    ("gopher://example.no:70/", "error.outbound_scheme"), ("javascript:alert(1)", "error.outbound_scheme"),
    ("http://api.example.no/v1", "error.outbound_https"), ("http:///v1", "error.outbound_invalid"),
    ("http://[::1/", "error.outbound_invalid"),
])
def test_schemes_and_plain_http(url, code):
    assert refused(url, resolver=resolver({"api.example.no": [PUBLIC]})).code == code


def test_what_the_operator_allows_passes(allow_outbound):
    names = resolver({"gpu.lan": ["192.168.1.5"], "nas.lan": ["192.168.7.7"], "other.lan": ["10.9.9.9"]})
    allow_outbound("localhost", "10.0.0.0/8", "gpu.lan:11434", "192.168.7.0/24")
    assert net.check_url("http://localhost:1234/v1")           # by name, any port, http too
    assert net.check_url("http://10.2.3.4:8080/")               # an IP inside an allowed network
    assert net.check_url("http://gpu.lan:11434/v1", resolver=names)
    assert refused("http://gpu.lan:22/", resolver=names).code == "error.outbound_internal"  # not that port
    assert net.check_url("https://nas.lan/", resolver=names)    # its address is in an allowed network
    assert refused("http://nas.lan/", resolver=names).code == "error.outbound_https"  # http needs its name
    assert refused("https://127.0.0.2/").code == "error.outbound_internal"
    assert net.check_url("http://127.0.0.2:81/", allow=["127.0.0.2:81"])  # a caller's own entry


def test_a_bad_allow_list_stops_the_start():
    for value in ("http://gpu.lan", "gpu.lan/v1", "gpu.lan:99999", "a b", "user@gpu.lan", "10.0.0.0/33"):
        with pytest.raises(ValidationError, match="OUTBOUND_ALLOWED_HOSTS"):
            Settings(outbound_allowed_hosts=value)
    assert len(Settings(outbound_allowed_hosts=" localhost, [::1]:1234 ,10.0.0.0/8,").outbound_allowed) == 3


def test_host_port_makes_an_entry_for_exactly_one_address():
    assert net.host_port("http://host.docker.internal:11434/v1") == "host.docker.internal:11434"
    assert net.host_port("HTTPS://[::1]/v1") == "[::1]:443"
    assert net.host_port("file:///etc/passwd") is None and net.host_port("not a url") is None


# --- the transport: every request, every redirect, the address it checked -------------------


def test_the_transport_refuses_before_a_byte_is_sent(allow_outbound):
    with Redirector() as fake:
        error = get_refused(f"{fake.url}/v1/models")
        assert error.code == "error.outbound_internal" and fake.requests == []
        allow_outbound(net.host_port(fake.url))
        assert get(f"{fake.url}/v1/models").json() == {"ok": True} and len(fake.requests) == 1


@pytest.mark.parametrize("target", ["https://10.0.0.1/latest", "http://169.254.169.254/latest/meta-data/",
                                    "https://intranet.example/", "http://[::ffff:127.0.0.1]/", "gopher://x/"])
def test_a_redirect_to_an_internal_address_is_refused(allow_outbound, target):
    names = resolver({"intranet.example": ["192.168.50.1"]})
    with Redirector(to=target) as fake:
        allow_outbound(net.host_port(fake.url))
        get_refused(f"{fake.url}/start", resolver=names)
        assert [r.path for r in fake.requests] == ["/start"]


def test_a_redirect_to_another_local_port_is_refused(allow_outbound):
    with Redirector() as inside, Redirector(to="") as entrance:
        entrance.to = f"https://127.0.0.1:{inside.port}/admin"  # https: the address is what is refused
        allow_outbound(net.host_port(entrance.url))  # this port only
        assert get_refused(f"{entrance.url}/").code == "error.outbound_internal"
        assert inside.requests == []


def test_dns_rebinding_between_check_and_connect_gains_nothing():
    answers = iter([[PUBLIC], ["127.0.0.1"]])  # public when checked, loopback when connecting

    def rebinding(host: str, port: int):
        return [ipaddress.ip_address(a) for a in next(answers)]

    with Redirector() as fake:
        url = f"https://rebind.example:{fake.port}/"
        assert net.check_url(url, resolver=rebinding)
        assert get_refused(url, resolver=rebinding).reason == "127.0.0.1 is loopback"
        assert fake.requests == []


def test_the_transport_connects_to_the_address_it_resolved(allow_outbound):
    # fake.test is known only to the injected resolver: the request reaches the fake only if
    # the transport dials the address it checked instead of resolving the name again.
    with Redirector() as fake:
        allow_outbound("fake.test")
        names = resolver({"fake.test": ["127.0.0.1"]})
        assert get(f"http://fake.test:{fake.port}/hello", resolver=names).status_code == 200
        assert fake.requests[0].headers["host"] == f"fake.test:{fake.port}"


@contextlib.contextmanager
def tls_server(directory, name: str):
    """An https server on 127.0.0.1 whose certificate names only `name`: (port, CA file)."""
    cert, key = self_signed_cert(directory, (name,))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)

    class Hello(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Length", "5")
            self.end_headers()
            self.wfile.write(b"hello")

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Hello)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    try:
        yield server.server_address[1], cert
    finally:
        server.shutdown()
        server.server_close()


def test_tls_is_verified_against_the_name_although_the_address_is_dialled(tmp_path, allow_outbound):
    names = resolver({"dokvault-tls.test": ["127.0.0.1"], "impostor.test": ["127.0.0.1"]})
    allow_outbound("dokvault-tls.test", "impostor.test")
    with tls_server(tmp_path, "dokvault-tls.test") as (port, ca):
        trust = ssl.create_default_context(cafile=str(ca))
        assert get(f"https://dokvault-tls.test:{port}/", resolver=names, verify=trust).text == "hello"
        with pytest.raises(httpx2.ConnectError, match="certificate"):
            get(f"https://impostor.test:{port}/", resolver=names, verify=trust)


def test_every_refusal_is_logged_without_path_or_query(caplog):
    caplog.set_level(logging.WARNING, "dokvault.core.net")
    refused("https://10.0.0.1/v1/secret-path?token=hunter2")
    (line,) = [r.getMessage() for r in caplog.records]
    assert "outbound refused host=10.0.0.1 port=443 code=error.outbound_internal" in line
    assert "secret-path" not in line and "hunter2" not in line
