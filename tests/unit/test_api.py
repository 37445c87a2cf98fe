"""HTTP routes beside the pages: health, sign-in cookies, downloads, thumbnails."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from tests import samples
from tests.servers import free_port
from tests.unit.helpers import wait_final

HOST = "http://localhost:3000"  # FRONTEND_URL by default: the origin DokVault accepts


@pytest.fixture
def client(embedded):
    from dokvault.api.routes import api

    return TestClient(api, base_url=HOST, follow_redirects=False)


def sign_in(client, email="admin@example.no", password="correct horse battery"):
    return client.post("/api/auth/login", data={"email": email, "password": password},
                       headers={"origin": HOST})


def test_health_ok_on_the_embedded_default(client):
    for path in ("/health", "/api/health"):
        response = client.get(path)
        assert response.status_code == 200
        assert response.json() == {"status": "ok", "reasons": [],
                                   "checks": {"database": "ok", "object_store": "ok"}}


def test_health_degraded_when_servers_are_down(client, monkeypatch):
    from dokvault.core.caches import reset_caches

    closed = free_port()
    monkeypatch.setenv("REDIS_URL", f"redis://127.0.0.1:{closed}/0")
    monkeypatch.setenv("MINIO_ENDPOINT", f"127.0.0.1:{closed}")
    monkeypatch.setenv("MINIO_ACCESS_KEY", "x")
    monkeypatch.setenv("MINIO_SECRET_KEY", "y")
    reset_caches()
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {
        "status": "degraded",
        "checks": {"database": "ok", "object_store": "error", "redis": "error"},
        "reasons": ["object_store_error", "redis_error"],
    }


def cookies_set(response) -> dict[str, str]:
    """Each Set-Cookie header by cookie name."""
    return {c.split("=", 1)[0]: c for c in response.headers.get_list("set-cookie")}


def test_sign_in_sets_httponly_strict_access_and_refresh_cookies(client, admin):
    response = sign_in(client)
    assert response.status_code == 303 and response.headers["location"] == "/"
    cookies = cookies_set(response)
    access, refresh, expiry = (cookies["dokvault_access"], cookies["dokvault_refresh"],
                               cookies["dokvault_access_exp"])
    for cookie in (access, refresh):
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert "Path=/;" in access + ";" and "Path=/api/auth" in refresh  # refresh goes nowhere else
    assert "HttpOnly" not in expiry  # only when it expires, for the page's refresh timer
    assert "Secure" not in access  # plain http here; over https the cookies are Secure
    assert "dokvault_session" not in cookies


def test_wrong_password_and_unknown_user_look_the_same(client, admin):
    wrong = sign_in(client, password="wrong password here")
    unknown = sign_in(client, email="nobody@example.no")
    for response in (wrong, unknown):
        assert response.status_code == 303
        assert response.headers["location"] == "/login?error=login.invalid"
        assert "set-cookie" not in response.headers


def test_cross_site_form_posts_are_refused(client, admin):
    response = client.post("/api/auth/login", headers={"origin": "https://evil.example"},
                           data={"email": "admin@example.no", "password": "correct horse battery"})
    assert response.headers["location"] == "/login?error=error.forbidden"
    assert "set-cookie" not in response.headers


def test_next_parameter_cannot_leave_the_site(client, admin):
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = client.post("/api/auth/login", headers={"origin": HOST},
                               data={"email": "admin@example.no",
                                     "password": "correct horse battery", "next": target})
        assert response.headers["location"] == "/"


def test_setup_only_while_there_are_no_users(client):
    form = {"name": "Kari", "email": "kari@example.no", "password": "correct horse battery",
            "password_confirm": "correct horse battery"}
    first = client.post("/api/auth/setup", data=form, headers={"origin": HOST})
    assert first.status_code == 303 and first.headers["location"] == "/"
    assert "dokvault_access" in cookies_set(first) and "dokvault_refresh" in cookies_set(first)
    second = client.post("/api/auth/setup", data={**form, "email": "mallory@example.no"},
                         headers={"origin": HOST})
    assert second.headers["location"] == "/login?error=error.setup_done"


def test_setup_refuses_mismatched_and_short_passwords(client):
    form = {"name": "Kari", "email": "kari@example.no", "password": "correct horse battery"}
    mismatch = client.post("/api/auth/setup", data={**form, "password_confirm": "other"},
                           headers={"origin": HOST})
    assert mismatch.headers["location"] == "/setup?error=setup.mismatch"
    short = client.post("/api/auth/setup", headers={"origin": HOST},
                        data={**form, "password": "kort", "password_confirm": "kort"})
    assert short.headers["location"] == "/setup?error=error.password_too_short"


def test_download_streams_the_file_to_its_owner_only(client, admin, broker_user, tmp_path):
    from dokvault.services import documents

    pdf = samples.make_pdf(tmp_path / "Kjøpekontrakt æøå.pdf", [samples.KJOPEKONTRAKT])
    document = wait_final(documents.ingest_path(admin.id, pdf).id)
    url = f"/api/documents/{document.uid}/download"

    assert client.get(url).status_code == 401  # not signed in

    sign_in(client)
    response = client.get(url)
    assert response.status_code == 200
    assert response.content == pdf.read_bytes()
    assert response.headers["content-type"] == "application/pdf"
    assert "filename*=UTF-8''Kj%C3%B8pekontrakt%20%C3%A6%C3%B8%C3%A5.pdf" in \
        response.headers["content-disposition"]
    thumb = client.get(f"/api/documents/{document.uid}/thumbnail")
    assert thumb.status_code == 200 and thumb.content.startswith(b"\x89PNG")

    client.post("/api/auth/logout")
    client.cookies.clear()
    sign_in(client, "megler@example.no", "megler passord 2024")
    assert client.get(url).status_code == 404  # someone else's document: not found
    assert client.get(f"/api/documents/{document.uid}/thumbnail").status_code == 404
    from dokvault.core import audit

    refused = audit.search_events(kind="document.access_refused")[0]
    assert len(refused) == 2 and all(e.actor_id != admin.id for e in refused)


NOWHERE = "/api/documents/00000000-0000-4000-8000-000000000000/download"


def test_sign_out_revokes_the_session_on_the_server(client, admin):
    sign_in(client)
    access, refresh = client.cookies.get("dokvault_access"), client.cookies.get("dokvault_refresh")
    assert client.get(NOWHERE).status_code == 404  # signed in: the route looks for it
    out = client.post("/api/auth/logout")
    assert out.headers["location"] == "/login?info=login.signed_out"
    assert not client.cookies.get("dokvault_access")
    client.cookies.set("dokvault_access", access)  # replaying the old cookies does not work
    assert client.get(NOWHERE).status_code == 401
    client.cookies.set("dokvault_refresh", refresh, path="/api/auth")
    assert client.post("/api/auth/refresh", headers={"origin": HOST}).status_code == 401


def test_refresh_rotates_both_tokens(client, admin):
    sign_in(client)
    access, refresh = client.cookies.get("dokvault_access"), client.cookies.get("dokvault_refresh")
    response = client.post("/api/auth/refresh", headers={"origin": HOST})
    assert response.status_code == 200 and response.headers["cache-control"] == "no-store"
    assert client.cookies.get("dokvault_access") not in (None, access)
    assert client.cookies.get("dokvault_refresh") not in (None, refresh)
    assert client.get(NOWHERE).status_code == 404  # the new access token works


def test_refresh_by_navigation_returns_to_the_page(client, admin):
    sign_in(client)
    back = client.get("/api/auth/refresh", params={"next": "/search?q=skjøte"})
    assert back.status_code == 303 and back.headers["location"] == "/search?q=skj%C3%B8te"
    client.cookies.clear()
    away = client.get("/api/auth/refresh", params={"next": "https://evil.example/"})
    assert away.headers["location"] == "/login?next=%2F"  # signed out, and never off-site


def test_cross_site_refresh_is_refused(client, admin):
    sign_in(client)
    response = client.post("/api/auth/refresh", headers={"origin": "https://evil.example"})
    assert response.status_code == 403


def test_reused_refresh_token_revokes_the_family_and_is_audited(client, admin):
    from dokvault.core import audit
    from tests.unit.test_tokens import used_long_ago

    sign_in(client)
    stolen = client.cookies.get("dokvault_refresh")
    assert client.post("/api/auth/refresh", headers={"origin": HOST}).status_code == 200
    used_long_ago(stolen)
    thief = TestClient(client.app, base_url=HOST, follow_redirects=False)
    thief.cookies.set("dokvault_refresh", stolen, path="/api/auth")
    replay = thief.post("/api/auth/refresh", headers={"origin": HOST})
    assert replay.status_code == 401 and "dokvault_access=" in replay.headers["set-cookie"]
    assert client.get(NOWHERE).status_code == 401  # the owner's session is gone too
    assert client.post("/api/auth/refresh", headers={"origin": HOST}).status_code == 401
    assert audit.search_events(kind="auth.refresh_token_reuse")[1] == 1


def forged(admin, **claims):
    """The claims the server would put in a token for a live session of `admin`."""
    from dokvault import db
    from dokvault.models.base import utcnow
    from dokvault.services.auth import accounts, tokens

    with db.session() as s:
        session_id = accounts.open_session(s, admin, "testclient")
    now = utcnow()
    base = {"iss": "dokvault", "sub": str(admin.id), "sid": session_id, "jti": "forged",
            "fgp": tokens.fingerprint("testclient", ""), "iat": now, "nbf": now,
            "exp": now + tokens.ACCESS_LIFETIME}
    return {**base, **claims}


@pytest.mark.parametrize("attack", ["alg_none", "hs256_public_key", "expired", "fingerprint"])
def test_forged_or_stale_access_tokens_are_refused_and_audited(client, admin, attack):
    import hashlib
    import hmac
    import json
    from datetime import timedelta

    import jwt
    from cryptography.hazmat.primitives import serialization

    from dokvault.core import audit
    from dokvault.services.auth import tokens

    claims = forged(admin)
    if attack == "alg_none":
        token = jwt.encode(claims, None, algorithm="none")
    elif attack == "hs256_public_key":  # the public key, used as an HMAC secret
        public = tokens.public_key().public_bytes(serialization.Encoding.PEM,
                                                  serialization.PublicFormat.SubjectPublicKeyInfo)
        header = jwt.utils.base64url_encode(b'{"alg":"HS256","typ":"JWT"}')
        body = jwt.utils.base64url_encode(json.dumps(
            claims, default=lambda d: int(d.timestamp())).encode())
        signature = hmac.new(public, header + b"." + body, hashlib.sha256).digest()
        token = (header + b"." + body + b"." + jwt.utils.base64url_encode(signature)).decode()
    elif attack == "expired":
        claims["exp"] = claims["iat"] - timedelta(seconds=1)
        claims["iat"] = claims["nbf"] = claims["exp"] - tokens.ACCESS_LIFETIME
        token = jwt.encode(claims, tokens.signing_key(), algorithm="ES256")
    else:  # a real token, presented by another browser
        token = jwt.encode({**claims, "fgp": tokens.fingerprint("Firefox/128", "nb")},
                           tokens.signing_key(), algorithm="ES256")
    client.cookies.set("dokvault_access", token)
    assert client.get(NOWHERE).status_code == 401
    [event], _ = audit.search_events(kind="auth.token_refused")
    assert event.detail and ("expired" if attack == "expired" else
                             "fingerprint" if attack == "fingerprint" else "invalid") in event.detail
    assert token not in event.detail


def test_brute_force_beyond_the_limit_gets_429_with_retry_after(client, admin):
    from dokvault.core import audit

    for _ in range(10):
        assert sign_in(client, password="guess guess guess").headers["location"] == \
            "/login?error=login.invalid"
    blocked = client.post("/api/auth/login", headers={"origin": HOST, "accept": "text/html"},
                          data={"email": "admin@example.no", "password": "correct horse battery"})
    assert blocked.status_code == 429  # even the right password, until the window passes
    assert 0 < int(blocked.headers["retry-after"]) <= 15 * 60
    assert "For mange forsøk" in blocked.text and "set-cookie" not in blocked.headers
    assert audit.search_events(kind="auth.rate_limited")[1] == 1
    json_client = sign_in(client, email="ADMIN@example.no")
    assert json_client.status_code == 429 and "detail" in json_client.json()


def test_one_ip_cannot_spray_many_accounts(client, admin):
    for n in range(30):
        sign_in(client, email=f"user{n}@example.no", password="guess guess guess")
    assert sign_in(client, email="someone@example.no").status_code == 429


def test_a_successful_sign_in_clears_the_account_counter(client, admin):
    for _ in range(9):
        sign_in(client, password="guess guess guess")
    assert sign_in(client).headers["location"] == "/"
    for _ in range(9):
        assert sign_in(client, password="guess guess guess").status_code == 303
