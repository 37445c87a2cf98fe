"""The second sign-in step over HTTP: no session until the code is checked, then one."""

from __future__ import annotations

from datetime import timedelta

import jwt
import pytest
from starlette.testclient import TestClient

from dokvault.core import audit
from dokvault.models.base import utcnow
from dokvault.services.auth import two_factor
from tests.unit.test_two_factor import code, enrol, steady

HOST = "http://localhost:3000"  # FRONTEND_URL by default: the origin DokVault accepts
SOME_DOC = "/api/documents/00000000-0000-4000-8000-000000000000/download"


@pytest.fixture
def client(embedded):
    from dokvault.api.routes import api

    return TestClient(api, base_url=HOST, follow_redirects=False)


@pytest.fixture
def enrolled(admin):
    """The admin with TOTP on: (secret, backup codes)."""
    return enrol(admin)


def admin_user():
    from dokvault import db
    from dokvault.services.auth import accounts

    with db.session() as s:
        return accounts.find_user(s, "admin@example.no")


def sign_in(client, email="admin@example.no", password="correct horse battery", **extra):
    return client.post("/api/auth/login", data={"email": email, "password": password, **extra},
                       headers={"origin": HOST})


def second_step(client, **form):
    return client.post("/api/auth/2fa", data=form, headers={"origin": HOST})


def sign_out(client):
    client.post("/api/auth/logout")
    client.cookies.clear()


def test_right_password_with_totp_on_gives_only_the_pending_cookie(client, enrolled):
    response = sign_in(client)
    assert response.status_code == 303 and response.headers["location"] == "/login/2fa"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("dokvault_2fa=") and "dokvault_access" not in cookie
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Max-Age=300" in cookie
    assert audit.search_events(kind="auth.sign_in.password_ok")[1] == 1
    assert audit.search_events(kind="auth.sign_in.ok")[1] == 0
    # The pending cookie alone reaches nothing.
    assert client.get(SOME_DOC).status_code == 401
    client.cookies.set("dokvault_access", client.cookies.get("dokvault_2fa"))
    assert client.get(SOME_DOC).status_code == 401


def test_the_right_code_opens_the_session(client, enrolled):
    secret, _ = enrolled
    sign_in(client, next="/search")
    steady()
    response = second_step(client, code=code(secret, 30))
    assert response.status_code == 303 and response.headers["location"] == "/search"
    cookies = response.headers.get_list("set-cookie")
    assert any(c.startswith("dokvault_access=") and "HttpOnly" in c for c in cookies)
    assert any(c.startswith("dokvault_2fa=") and "Max-Age=0" in c for c in cookies)  # deleted
    assert "dokvault_2fa" not in client.cookies
    assert client.get(SOME_DOC).status_code == 404  # signed in: the id is simply unknown
    events = audit.search_events(kind="auth.sign_in.ok")[0]
    assert len(events) == 1 and '"second_factor": "totp"' in events[0].detail


def test_a_wrong_code_sends_back_with_a_message_and_no_session(client, enrolled):
    secret, _ = enrolled
    sign_in(client)
    wrong = "000000" if code(secret) != "000000" else "111111"
    response = second_step(client, code=wrong)
    assert response.headers["location"] == "/login/2fa?error=error.2fa_invalid"
    assert "dokvault_access" not in response.headers.get("set-cookie", "")
    assert audit.search_events(kind="auth.2fa.failed")[1] == 1
    steady()
    assert second_step(client, code=code(secret, 30)).headers["location"] == "/"  # can retry


def test_a_replayed_code_is_refused_and_audited(client, enrolled):
    secret, _ = enrolled
    steady()
    used = code(secret, 30)
    sign_in(client)
    assert second_step(client, code=used).headers["location"] == "/"
    sign_out(client)
    sign_in(client)
    response = second_step(client, code=used)
    assert response.headers["location"] == "/login/2fa?error=error.2fa_replayed"
    assert "dokvault_access" not in response.headers.get("set-cookie", "")
    assert audit.search_events(kind="auth.2fa.replay")[1] == 1


def test_a_backup_code_works_once(client, enrolled):
    _, codes = enrolled
    sign_in(client)
    response = second_step(client, backup_code=codes[0])
    assert response.headers["location"] == "/"
    assert "dokvault_access=" in response.headers["set-cookie"]
    sign_out(client)
    sign_in(client)
    response = second_step(client, backup_code=codes[0])
    assert response.headers["location"] == "/login/2fa?error=error.backup_code_invalid"
    assert audit.search_events(kind="auth.backup_code.used")[1] == 1
    assert audit.search_events(kind="auth.backup_code.failed")[1] == 1


def test_guessing_codes_beyond_the_limit_gets_429(client, enrolled):
    secret, _ = enrolled
    sign_in(client)
    steady()
    wrong = next(c for c in ("000000", "111111", "222222")
                 if c not in {code(secret, o) for o in (-30, 0, 30)})
    for _ in range(10):
        assert second_step(client, code=wrong).headers["location"] == \
            "/login/2fa?error=error.2fa_invalid"
    blocked = client.post("/api/auth/2fa", data={"code": code(secret, 30)},
                          headers={"origin": HOST, "accept": "text/html"})
    assert blocked.status_code == 429 and 0 < int(blocked.headers["retry-after"]) <= 15 * 60
    assert "dokvault_access" not in blocked.headers.get("set-cookie", "")
    assert audit.search_events(kind="auth.rate_limited")[1] == 1


def test_a_forged_or_expired_pending_cookie_is_refused(client, enrolled):
    secret, _ = enrolled
    now = utcnow()
    claims = {"typ": "2fa-pending", "sub": "1", "jti": "abc", "iat": now,
              "exp": now + timedelta(minutes=5), "pwd": "x", "nxt": "/"}
    forged = jwt.encode(claims, b"not the key, not the key, not it", algorithm="HS256")
    expired = jwt.encode({**claims, "exp": now - timedelta(seconds=1)},
                         two_factor._pending_key(), algorithm="HS256")
    steady()
    for token in (forged, expired, "garbage"):
        client.cookies.clear()
        client.cookies.set("dokvault_2fa", token)
        response = second_step(client, code=code(secret, 30))
        assert response.headers["location"] == "/login?error=twofa.expired"
        assert "dokvault_access" not in response.headers.get("set-cookie", "")
    client.cookies.clear()
    assert second_step(client, code=code(secret, 30)).headers["location"] == \
        "/login?error=twofa.expired"  # no cookie at all
    assert audit.search_events(kind="auth.2fa.pending_refused")[1] == 3


def test_the_pending_cookie_cannot_be_used_twice(client, enrolled):
    secret, codes = enrolled
    sign_in(client)
    pending = client.cookies.get("dokvault_2fa")
    assert second_step(client, backup_code=codes[0]).headers["location"] == "/"
    sign_out(client)
    client.cookies.set("dokvault_2fa", pending)
    response = second_step(client, backup_code=codes[1])
    assert response.headers["location"] == "/login?error=twofa.expired"
    assert "dokvault_access" not in response.headers.get("set-cookie", "")
    assert two_factor.remaining_backup_codes(admin_user()) == 9  # codes[1] was not spent


def test_cross_site_posts_to_the_second_step_are_refused(client, enrolled):
    secret, _ = enrolled
    sign_in(client)
    response = client.post("/api/auth/2fa", data={"code": code(secret)},
                           headers={"origin": "https://evil.example"})
    assert response.headers["location"] == "/login/2fa?error=error.forbidden"


def test_without_2fa_sign_in_is_unchanged_and_required_2fa_sends_to_enrol(client, admin):
    response = sign_in(client)
    assert response.headers["location"] == "/" and "dokvault_access=" in response.headers["set-cookie"]
    sign_out(client)
    two_factor.set_required(admin, True)
    response = sign_in(client)
    assert response.headers["location"] == "/account/security"
    assert "dokvault_access=" in response.headers["set-cookie"]
