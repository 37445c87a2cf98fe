"""The real app (`dokvault run`, both modes) against another site: the websocket and the
HTTP routes answer only DokVault's own origin, every response carries the security headers,
a page on another port of the same host can neither frame nor read a signed-in user's
DokVault, the owner is not locked out by someone else's wrong passwords, behind a trusted
TLS proxy the cookies are Secure, and the data folder is the owner's only."""

from __future__ import annotations

import base64
import contextlib
import os
import re
import socket
import sqlite3
import stat
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from playwright.sync_api import expect

from tests import servers
from tests.e2e.conftest import running_app, shot

EMAIL = "sikker@example.no"
PASSWORD = "Kaigata-5-Stavanger-Kontor"
SIGNED_IN_PAGES = ("/", "/documents", "/analytics", "/search", "/review", "/trash", "/account",
                   "/account/security",
                   "/account/sessions", "/admin/users", "/admin/audit", "/admin/taxonomy",
                   "/admin/ai")
PUBLIC_PAGES = ("/login", "/setup", "/login/2fa", "/forgot-password", "/reset-password")


@pytest.fixture(scope="module")
def account(app) -> str:
    app.command("create-admin", EMAIL, "--name", "Sikker", "--password", PASSWORD)
    return EMAIL


def alias(app, host: str) -> str:
    return app.url.replace("localhost", host)


def foreign(app) -> str:
    """Another port of the same host: same site (cookies go along), not the same origin."""
    return f"http://localhost:{servers.free_port()}"


def websocket_status(app, origin: str | None, **headers: str) -> int:
    """The status of a raw websocket handshake with the app's /_event endpoint."""
    parts = urlsplit(app.url)
    lines = ["GET /_event/?EIO=4&transport=websocket HTTP/1.1", f"Host: {parts.netloc}",
             "Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Version: 13",
             f"Sec-WebSocket-Key: {base64.b64encode(os.urandom(16)).decode()}",
             *(f"{name.replace('_', '-')}: {value}" for name, value in headers.items())]
    if origin is not None:
        lines.append(f"Origin: {origin}")
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        return int(sock.recv(1024).split(b"\r\n", 1)[0].split()[1])


def test_the_websocket_takes_only_dokvaults_origin(app):
    assert websocket_status(app, app.url) == 101
    assert websocket_status(app, alias(app, "127.0.0.1")) == 101  # `make run` opened by IP
    for origin in (foreign(app), "null", "https://evil.example", None):
        assert websocket_status(app, origin) == 403, origin
    assert "refused a cross-origin websocket to /_event" in app.log()


def test_http_routes_answer_only_dokvaults_origin(app):
    cookie = {"cookie": "dokvault_access=stolen-or-not"}
    for origin in (foreign(app), "null", "https://evil.example"):
        response = httpx.get(f"{app.url}/api/health", headers={"origin": origin, **cookie})
        assert response.status_code == 403 and "another site" in response.text
        assert "access-control-allow-origin" not in response.headers
        preflight = httpx.options(f"{app.url}/api/auth/refresh", headers={
            "origin": origin, "access-control-request-method": "POST"})
        assert "access-control-allow-origin" not in preflight.headers
    own = httpx.get(f"{app.url}/api/health", headers={"origin": app.url, **cookie})
    assert own.status_code == 200 and own.headers["access-control-allow-origin"] == app.url
    assert httpx.get(f"{app.url}/api/health").status_code == 200  # no Origin: not a browser's
    assert "refused a cross-origin http to /api/health" in app.log()
    assert "stolen-or-not" not in app.log()


def test_pages_routes_and_assets_carry_the_security_headers(app):
    page = httpx.get(f"{app.url}/login/")
    asset = re.search(r'/assets/[^"]+\.js', page.text).group(0)
    for response in (page, httpx.get(f"{app.url}/api/health"), httpx.get(app.url + asset),
                     httpx.get(f"{app.url}/api/documents/x/download")):
        headers = response.headers
        assert "frame-ancestors 'none'" in headers["content-security-policy"], response.url
        assert headers["x-frame-options"] == "DENY"
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "same-origin"
        assert "permissions-policy" in headers
        assert "strict-transport-security" not in headers  # plain http


def test_the_server_listens_on_loopback_only(app):
    """BIND_HOST is 127.0.0.1 unless asked: the port is not open on other interfaces."""
    port = f"{urlsplit(app.url).port:04X}"
    sockets = [line.split() for line in Path("/proc/net/tcp").read_text().splitlines()[1:]]
    listening = [s[1] for s in sockets if s[1].endswith(":" + port) and s[3] == "0A"]
    assert listening == ["0100007F:" + port]  # 127.0.0.1, not 0.0.0.0


def sign_in(page, app, password: str = PASSWORD) -> None:
    page.goto(f"{app.url}/login")
    page.fill("#email", EMAIL)
    page.fill("#password", password)
    page.click("#sign-in")


def new_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nb-NO")
    page = context.new_page()
    page.set_default_timeout(30_000)
    return page


@contextlib.contextmanager
def site_on_another_port(html: str) -> Iterator[str]:
    """A real server on another port of this host, serving `html` (a page the browser
    counts as local, as the probe's was)."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the http.server API)
            body = html.encode()
            self.send_response(200)
            self.send_header("content-type", "text/html; charset=utf-8")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", servers.free_port()), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://localhost:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_page_on_another_port_can_neither_frame_nor_read_dokvault(browser, app, account):
    page = new_page(browser)
    ws_url = app.url.replace("http", "ws") + "/_event/?EIO=4&transport=websocket"
    html = f"""<!doctype html><title>Annen side</title><h1>Annen side</h1>
        <iframe id="frame" src="{app.url}/" width="900" height="500"></iframe>
        <script>
          window.outcome = {{}};
          fetch("{app.url}/api/documents/x/download", {{credentials: "include"}})
            .then(r => r.text()).then(t => outcome.fetch = "read", e => outcome.fetch = "blocked");
          const ws = new WebSocket("{ws_url}");
          ws.onopen = () => outcome.ws = "open";
          ws.onerror = () => outcome.ws = "refused";
        </script>"""
    try:
        sign_in(page, app)  # same site: the cookies go along with every request below
        page.wait_for_url(f"{app.url}/")
        messages = []
        page.on("console", lambda message: messages.append(message.text))
        with site_on_another_port(html) as attacker:
            before = app.log().count("refused a cross-origin")
            page.goto(f"{attacker}/")
            page.wait_for_function("outcome.fetch && outcome.ws")
            assert page.evaluate("outcome") == {"fetch": "blocked", "ws": "refused"}
            page.wait_for_timeout(1000)
            shot(page, app, "90-foreign-frame-refused")
        frame = next(f for f in page.frames if f != page.main_frame)
        assert not frame.url.startswith(app.url)  # Chromium shows its error page instead
        assert any("frame-ancestors 'none'" in m for m in messages), messages
        assert app.log().count("refused a cross-origin") >= before + 2  # the server said no
    finally:
        page.context.close()


def test_every_page_works_under_the_content_security_policy(page, app, account):
    """The `page` fixture fails a test on any CSP violation; here every page is opened."""
    sign_in(page, app)  # a native form post submitted by rx.call_script (eval)
    page.wait_for_url(f"{app.url}/")
    for path in SIGNED_IN_PAGES:
        page.goto(app.url + path)
        expect(page.locator("#sign-out")).to_be_visible()
        shot(page, app, "91-csp" + path.replace("/", "-").rstrip("-"))
    page.click("#sign-out")
    page.wait_for_url(re.compile(r"/login"))
    for path in PUBLIC_PAGES:
        page.goto(app.url + path)
        expect(page.locator("body")).to_contain_text("DokVault")


def test_someone_elses_wrong_passwords_do_not_lock_the_owner_out(page, browser, app, account):
    sign_in(page, app)  # the owner's browser receives its device cookie
    page.wait_for_url(f"{app.url}/")
    page.click("#sign-out")
    page.wait_for_url(re.compile(r"/login"))

    for _ in range(10):  # someone else, somewhere else
        httpx.post(f"{app.url}/api/auth/login", data={"email": EMAIL, "password": "gjett gjett"})
    stranger = new_page(browser)
    try:
        sign_in(stranger, app)
        expect(stranger.locator("body")).to_contain_text("For mange forsøk")
    finally:
        stranger.context.close()

    sign_in(page, app)
    page.wait_for_url(f"{app.url}/")
    expect(page.locator("#sign-out")).to_be_visible()


def test_the_data_folder_is_the_owners_only(app, account):
    paths = [app.data_dir, *app.data_dir.rglob("*")]
    assert any(p.name == "secret.key" or p.suffix == ".db" for p in paths) or \
        app.mode == "production"
    loose = [f"{p} {stat.filemode(p.stat().st_mode)}" for p in paths
             if stat.S_IMODE(p.stat().st_mode) & 0o077]
    assert loose == []


@pytest.fixture(scope="module")
def proxied_app(tmp_path_factory, hibp_server):
    """The embedded app behind a TLS proxy on this machine."""
    with running_app("embedded", tmp_path_factory, hibp_server,
                     {"TRUSTED_PROXIES": "127.0.0.1"}) as running:
        running.command("create-admin", EMAIL, "--password", PASSWORD)
        yield running


def test_behind_a_trusted_tls_proxy_cookies_are_secure_and_the_client_is_real(proxied_app):
    app = proxied_app
    forwarded = {"x-forwarded-for": "203.0.113.50", "x-forwarded-proto": "https"}
    response = httpx.post(f"{app.url}/api/auth/login", data={"email": EMAIL,
                                                             "password": PASSWORD},
                          headers={"origin": app.url, **forwarded})
    assert response.status_code == 303 and response.headers["location"] == "/"
    cookies = response.headers.get_list("set-cookie")
    assert cookies and all("; secure" in c.lower() for c in cookies)
    assert response.headers["strict-transport-security"].startswith("max-age=")
    assert websocket_status(app, app.url, **forwarded) == 101
    with sqlite3.connect(app.data_dir / "dokvault.db") as database:
        [(ip,)] = database.execute("SELECT ip FROM audit_event WHERE kind = 'auth.sign_in.ok'")
    assert ip == "203.0.113.50"  # the client, not the proxy

    # The proxy's own requests without forwarded headers, and anyone else's: plain http.
    direct = httpx.post(f"{app.url}/api/auth/login", data={"email": EMAIL, "password": "x"},
                        headers={"origin": app.url})
    assert "strict-transport-security" not in direct.headers
