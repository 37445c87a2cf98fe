"""The ASGI layers around every response (dokvault.api.middleware): only DokVault's own
origin may use it, every response carries the security headers, and forwarded headers are
believed only from TRUSTED_PROXIES. Driven through the routes wrapped as the app wraps them."""

from __future__ import annotations

import functools
import importlib
import logging

import pytest
from starlette.applications import Starlette
from starlette.routing import WebSocketRoute
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

HOST = "http://localhost:3000"  # FRONTEND_URL by default
FOREIGN = ("http://localhost:4000", "null", "https://evil.example", "http://evil.example:3000")
LOOPBACK_ALIASES = ("http://localhost:3000", "http://127.0.0.1:3000", "http://[::1]:3000")
EVERYWHERE = "0.0.0.0"  # noqa: S104 (what compose asks for)


def wrapped(app):
    """`app` inside the layers, as rx.App(api_transformer=[api, *LAYERS]) stacks them."""
    from dokvault.api.middleware import LAYERS

    return functools.reduce(lambda inner, layer: layer(inner), LAYERS, app)


def client(base_url: str = HOST, peer: str = "testclient") -> TestClient:
    from dokvault.api.routes import api

    return TestClient(wrapped(api), base_url=base_url, follow_redirects=False,
                      client=(peer, 50000))


def sign_in(http: TestClient, origin: str = HOST, **headers: str):
    return http.post("/api/auth/login", headers={"origin": origin, **headers},
                     data={"email": "admin@example.no", "password": "correct horse battery"})


def use_settings(monkeypatch, **values: str) -> None:
    from dokvault.core.caches import reset_caches

    for name, value in values.items():
        monkeypatch.setenv(name, value)
    reset_caches()


# --- origins (issue 11, item 2) ------------------------------------------------------------

@pytest.mark.parametrize("origin", FOREIGN)
def test_a_request_from_another_origin_is_refused_with_a_reason(embedded, origin, caplog):
    http = client()
    with caplog.at_level(logging.WARNING, logger="dokvault.api.middleware"):
        response = http.get("/api/health", headers={"origin": origin, "cookie": "dokvault_access=x"})
    assert response.status_code == 403
    assert "another site" in response.text and "http://localhost:3000" in response.text
    assert "access-control-allow-origin" not in response.headers
    assert "refused a cross-origin http to /api/health" in caplog.text
    assert "dokvault_access" not in caplog.text


@pytest.mark.parametrize("origin", [*LOOPBACK_ALIASES, None])
def test_dokvault_itself_and_requests_without_an_origin_pass(embedded, origin):
    headers = {"origin": origin} if origin else {}
    assert client().get("/api/health", headers=headers).status_code == 200


def test_loopback_aliases_sign_in_but_another_port_of_the_host_does_not(admin):
    assert sign_in(client("http://127.0.0.1:3000"), "http://127.0.0.1:3000").headers[
        "location"] == "/"
    assert sign_in(client(), "http://localhost:3001").status_code == 403


def test_a_public_address_has_no_loopback_aliases(admin, monkeypatch):
    use_settings(monkeypatch, FRONTEND_URL="https://dokvault.example.no")
    assert sign_in(client("https://dokvault.example.no"), "https://dokvault.example.no"
                   ).headers["location"] == "/"
    for origin in LOOPBACK_ALIASES:
        assert sign_in(client(), origin).status_code == 403


def test_form_posts_are_checked_against_frontend_url_not_the_host_header(admin):
    """DNS rebinding: evil.example resolves to this machine, so its pages send Host and
    Origin evil.example:3000 - the same "host", but not DokVault's address."""
    from dokvault.api.routes import api

    rebinding = TestClient(api, base_url="http://evil.example:3000", follow_redirects=False)
    response = sign_in(rebinding, "http://evil.example:3000")
    assert response.headers["location"] == "/login?error=error.forbidden"
    assert "set-cookie" not in response.headers


def socket_app():
    async def echo(websocket):
        await websocket.accept()
        await websocket.send_json({"scheme": websocket.url.scheme,
                                   "client": websocket.client.host})
        await websocket.close()

    return Starlette(routes=[WebSocketRoute("/_event/", echo)])


@pytest.mark.parametrize("origin", [*FOREIGN, None])
def test_a_websocket_from_another_origin_or_none_is_refused(clean_env, origin, caplog):
    http = TestClient(wrapped(socket_app()), base_url="ws://localhost:3000")
    headers = {"origin": origin} if origin else {}
    with caplog.at_level(logging.WARNING), pytest.raises(WebSocketDisconnect) as refused, \
            http.websocket_connect("/_event/", headers=headers):
        pass
    assert refused.value.code == 1008
    assert "refused a cross-origin websocket to /_event/" in caplog.text


def test_a_websocket_from_dokvault_is_accepted(clean_env):
    http = TestClient(wrapped(socket_app()), base_url="ws://localhost:3000")
    with http.websocket_connect("/_event/", headers={"origin": HOST}) as socket:
        assert socket.receive_json()["scheme"] == "ws"


@pytest.fixture
def rxconfig(clean_env):
    """rxconfig.py read again with the test's settings (and once more afterwards)."""
    import rxconfig

    yield lambda: importlib.reload(rxconfig).config
    importlib.reload(rxconfig)


def test_reflex_cors_and_socketio_allow_only_frontend_url_and_bind_loopback(rxconfig,
                                                                           monkeypatch):
    config = rxconfig()
    assert config.cors_allowed_origins == list(LOOPBACK_ALIASES)
    assert config.backend_host == "127.0.0.1"
    use_settings(monkeypatch, FRONTEND_URL="https://dokvault.example.no/", BIND_HOST=EVERYWHERE)
    config = rxconfig()
    assert config.cors_allowed_origins == ["https://dokvault.example.no"]
    assert config.backend_host == EVERYWHERE


# --- security headers (item 7) ---------------------------------------------------------------

def test_every_response_carries_the_security_headers(admin):
    http = client()
    responses = [http.get("/api/health"), http.get("/api/documents/x/download"),
                 http.get("/api/health", headers={"origin": "null"}), sign_in(http)]
    for response in responses:
        headers = response.headers
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert "default-src 'self'" in headers["content-security-policy"]
        assert headers["x-frame-options"] == "DENY"
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "same-origin"
        assert "camera=()" in headers["permissions-policy"]
        assert "strict-transport-security" not in headers  # plain http


def test_a_routes_own_header_is_not_sent_twice(admin, tmp_path):
    from dokvault.services import documents
    from tests import samples
    from tests.unit.helpers import wait_final

    pdf = samples.make_pdf(tmp_path / "Skjøte.pdf", [samples.KJOPEKONTRAKT])
    document = wait_final(documents.ingest_path(admin.id, pdf).id)
    http = client()
    sign_in(http)
    response = http.get(f"/api/documents/{document.uid}/download")
    assert response.status_code == 200
    assert response.headers.get_list("x-content-type-options") == ["nosniff"]


def test_hsts_only_over_https(admin):
    direct = client("https://localhost:3000").get("/api/health")
    assert direct.headers["strict-transport-security"].startswith("max-age=")


# --- trusted proxies (item 12) ---------------------------------------------------------------

FORWARDED = {"x-forwarded-for": "203.0.113.9", "x-forwarded-proto": "https"}


def cookie_is_secure(response, name: str) -> bool:
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith(name + "="))
    return "; secure" in cookie.lower()


def last_sign_in_ip() -> str:
    from dokvault.core import audit

    return audit.search_events(kind="auth.sign_in.ok")[0][0].ip


def test_a_trusted_tls_proxy_makes_cookies_secure_and_names_the_real_client(admin, monkeypatch):
    use_settings(monkeypatch, TRUSTED_PROXIES="10.0.0.0/8, 192.0.2.1",
                 FRONTEND_URL="https://dokvault.example.no")
    response = sign_in(client("http://dokvault.example.no", peer="10.1.2.3"),
                       "https://dokvault.example.no", **FORWARDED)
    assert response.headers["location"] == "/"
    for name in ("dokvault_access", "dokvault_refresh", "dokvault_device"):
        assert cookie_is_secure(response, name)
    assert "strict-transport-security" in response.headers
    assert last_sign_in_ip() == "203.0.113.9"


@pytest.mark.parametrize("trusted", ["", "10.0.0.0/8"])
def test_forwarded_headers_from_anyone_else_are_ignored(admin, monkeypatch, trusted):
    use_settings(monkeypatch, TRUSTED_PROXIES=trusted)
    response = sign_in(client(peer="198.51.100.7"), HOST, **FORWARDED)
    assert response.headers["location"] == "/"
    assert not cookie_is_secure(response, "dokvault_access")
    assert "strict-transport-security" not in response.headers
    assert last_sign_in_ip() == "198.51.100.7"


def test_the_websocket_behind_a_trusted_proxy_is_wss_from_the_real_client(clean_env,
                                                                          monkeypatch):
    use_settings(monkeypatch, TRUSTED_PROXIES="10.0.0.2")
    http = TestClient(wrapped(socket_app()), base_url="ws://localhost:3000",
                      client=("10.0.0.2", 40000))
    with http.websocket_connect("/_event/", headers={"origin": HOST, **FORWARDED}) as socket:
        assert socket.receive_json() == {"scheme": "wss", "client": "203.0.113.9"}


def test_trusted_proxies_must_be_addresses(clean_env, monkeypatch):
    from pydantic import ValidationError

    from dokvault.settings import Settings

    monkeypatch.setenv("TRUSTED_PROXIES", "10.0.0.1, proxy.internal")
    with pytest.raises(ValidationError, match="'proxy.internal' is not an IP address or CIDR"):
        Settings()
