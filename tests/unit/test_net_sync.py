"""The outbound guard for the `requests` SDKs (webdavclient3, msal for Teams, mail and
OneDrive, requests-oauthlib, firecrawl-py) and google-api-python-client - DokVault's one
guard for `requests` (core/net.py's is httpx2's): every internal address, a name resolving to one,
and non-http schemes are refused before a byte is sent, at connect and on every redirect; the
session dials exactly the address it checked and still verifies TLS against the name."""

from __future__ import annotations

import asyncio
import ipaddress

import pytest
import requests

from dokvault.core import net, net_sync
from dokvault.core.caches import reset_caches
from dokvault.core.net import OutboundRefused
from tests.fakes.redirect import Redirector
from tests.unit.test_net import resolver, tls_server

SSRF = ["http://127.0.0.1:{port}/", "http://[::1]:{port}/", "http://169.254.169.254/latest/meta-data/",
        "https://10.0.0.1/", "https://loopback.example:{port}/", "file:///etc/passwd",
        "gopher://example.com:70/_x"]
NAMES = resolver({"loopback.example": ["127.0.0.1"], "public.example": ["93.184.216.34"]})


@pytest.fixture(autouse=True)
def _env(clean_env):
    """Nothing allowed but what a test allows."""


def session(**kwargs) -> requests.Session:
    return net_sync.guarded_session(resolver=NAMES, **kwargs)


@pytest.mark.parametrize("target", SSRF)
def test_each_ssrf_target_is_refused_at_connect(target):
    with Redirector() as inside:
        url = target.format(port=inside.port)
        with pytest.raises(OutboundRefused):
            session().get(url, timeout=5)
        assert inside.requests == []


@pytest.mark.parametrize("target", SSRF)
def test_each_ssrf_target_is_refused_on_redirect(allow_outbound, target):
    with Redirector() as inside, Redirector() as entrance:
        entrance.to = target.format(port=inside.port)
        allow_outbound(net.host_port(entrance.url))  # the entrance only, at its port
        with pytest.raises(OutboundRefused):
            session().get(f"{entrance.url}/start", timeout=5)
        assert [r.path for r in entrance.requests] == ["/start"] and inside.requests == []


def test_the_httplib2_shim_follows_redirects_through_the_guard(allow_outbound):
    with Redirector() as inside, Redirector() as entrance:
        entrance.to = f"http://127.0.0.1:{inside.port}/files"
        allow_outbound(net.host_port(entrance.url))
        http = net_sync.RequestsHttp(session())
        with pytest.raises(OutboundRefused):
            http.request(f"{entrance.url}/drive/v3/files")
        assert inside.requests == []
        allow_outbound(net.host_port(inside.url))
        response, content = net_sync.RequestsHttp(session()).request(f"{entrance.url}/drive/v3/files")
        assert response.status == 200 and content == b'{"ok": true}'


def test_what_the_operator_allows_is_reached_and_dialled_at_the_checked_address(allow_outbound):
    with Redirector() as fake:
        allow_outbound("fake.test")
        names = resolver({"fake.test": ["127.0.0.1"]})
        response = net_sync.guarded_session(resolver=names).get(f"http://fake.test:{fake.port}/hi", timeout=5)
        assert response.json() == {"ok": True}
        assert fake.requests[0].headers["host"] == f"fake.test:{fake.port}"


def test_dns_rebinding_gains_nothing():
    answers = iter([[ipaddress.ip_address("93.184.216.34")], [ipaddress.ip_address("127.0.0.1")]])
    with Redirector() as fake:
        url = f"https://rebind.example:{fake.port}/"
        net.check_url(url, resolver=lambda h, p: next(answers))  # public when checked...
        with pytest.raises(OutboundRefused):  # ...loopback when connecting: refused
            net_sync.guarded_session(resolver=lambda h, p: next(answers)).get(url, timeout=5)
        assert fake.requests == []


def test_tls_is_verified_against_the_name(tmp_path, allow_outbound):
    names = resolver({"dokvault-tls.test": ["127.0.0.1"], "impostor.test": ["127.0.0.1"]})
    allow_outbound("dokvault-tls.test", "impostor.test")
    with tls_server(tmp_path, "dokvault-tls.test") as (port, ca):
        guarded = net_sync.guarded_session(resolver=names, verify=str(ca))
        assert guarded.get(f"https://dokvault-tls.test:{port}/", timeout=5).text == "hello"
        with pytest.raises(requests.exceptions.SSLError):
            guarded.get(f"https://impostor.test:{port}/", timeout=5)


def test_the_environment_is_not_read(monkeypatch, allow_outbound):
    monkeypatch.setenv("HTTP_PROXY", "http://10.9.9.9:3128")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/nonexistent.pem")
    with Redirector() as fake:
        allow_outbound(net.host_port(fake.url))
        assert net_sync.guarded_session().get(f"{fake.url}/", timeout=5).status_code == 200


def test_the_operators_ca_is_trusted_besides_the_public_ones_by_both_clients(tmp_path, allow_outbound,
                                                                             monkeypatch):
    """OUTBOUND_CA_FILE (a private CA) is added to certifi's CAs, not put in their place, and
    it is what net_sync's sessions and net's httpx2 clients trust alike."""
    names = resolver({"dokvault-tls.test": ["127.0.0.1"]})
    allow_outbound("dokvault-tls.test")
    with tls_server(tmp_path, "dokvault-tls.test") as (port, ca):
        url = f"https://dokvault-tls.test:{port}/"
        assert net.trusted_cas() is True  # no file: certifi's alone, which do not know this CA
        with pytest.raises(requests.exceptions.SSLError):
            net_sync.guarded_session(resolver=names, verify=net.trusted_cas()).get(url, timeout=5)
        monkeypatch.setenv("OUTBOUND_CA_FILE", str(ca))
        reset_caches()
        context = net.trusted_cas()
        assert context.cert_store_stats()["x509_ca"] > 100  # the public CAs are still there
        guarded = net_sync.guarded_session(resolver=names, verify=context)
        assert guarded.get(url, timeout=5).text == "hello"

        async def get() -> str:
            async with net.guarded_client(resolver=names) as client:  # trusted_cas() by default
                return (await client.get(url)).text
        assert asyncio.run(get()) == "hello"


def test_operator_hosts_are_only_those_set_away_from_the_default():
    default = "https://login.microsoftonline.com"
    assert net.operator_hosts((default, default), ("", default)) == ()
    assert net.operator_hosts(("https://127.0.0.1:8443/", default), ("https://127.0.0.1:8443/v1.0", "x")) \
        == ("127.0.0.1:8443",)
