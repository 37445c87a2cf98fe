"""Someone else's wrong passwords must not lock the owner out (OWASP device cookies): a
browser that signed in to the account before keeps a limit of its own; every other client
shares the account's limit, and the per-IP limit stays."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

HOST = "http://localhost:3000"  # FRONTEND_URL by default
OWNER = ("admin@example.no", "correct horse battery")
WRONG = "guess guess guess"


def browser() -> TestClient:
    from dokvault.api.routes import api

    return TestClient(api, base_url=HOST, follow_redirects=False)


def sign_in(client: TestClient, email: str = OWNER[0], password: str = OWNER[1]):
    return client.post("/api/auth/login", data={"email": email, "password": password},
                       headers={"origin": HOST})


def lock_the_account(email: str = OWNER[0]) -> None:
    attacker = browser()
    for _ in range(10):
        assert sign_in(attacker, email, WRONG).headers["location"] == "/login?error=login.invalid"
    assert sign_in(attacker, email).status_code == 429  # the right password no longer helps


@pytest.fixture
def owner(admin) -> TestClient:
    """The owner's browser: signed in once (so it holds a device cookie), then signed out."""
    client = browser()
    assert sign_in(client).headers["location"] == "/"
    client.post("/api/auth/logout", headers={"origin": HOST})
    assert client.cookies.get("dokvault_device")  # sign-out keeps it
    return client


def test_the_device_cookie_is_httponly_strict_and_sent_only_to_the_auth_routes(admin):
    response = sign_in(browser())
    device = next(c for c in response.headers.get_list("set-cookie")
                  if c.startswith("dokvault_device="))
    assert "HttpOnly" in device and "SameSite=strict" in device and "Path=/api/auth" in device
    assert "admin@example.no" not in device  # it names the account by id, signed


def test_the_owners_browser_still_signs_in_while_others_are_locked_out(owner):
    lock_the_account()
    assert sign_in(owner).headers["location"] == "/"
    assert sign_in(browser()).status_code == 429  # a browser without the cookie: still locked


def test_a_forged_or_another_accounts_device_cookie_does_not_help(owner, broker_user):
    from dokvault.services.auth import devices

    lock_the_account()
    token = owner.cookies.get("dokvault_device")
    forged = browser()
    forged.cookies.set("dokvault_device", token[:-4] + ("AAAA" if token[-4:] != "AAAA" else "BBBB"),
                       path="/api/auth")
    assert sign_in(forged).status_code == 429

    colleague = browser()  # signed in to their own account: a valid cookie, not for this one
    assert sign_in(colleague, "megler@example.no", "megler passord 2024").headers[
        "location"] == "/"
    assert devices.recognise(colleague.cookies.get("dokvault_device"), "megler@example.no")
    assert sign_in(colleague).status_code == 429


def test_a_device_has_its_own_limit_and_its_guesses_do_not_lock_the_account(owner):
    for _ in range(10):
        sign_in(owner, password=WRONG)
    assert sign_in(owner).status_code == 429  # this device is out of tries
    assert sign_in(browser()).headers["location"] == "/"  # the account is not


def test_a_password_change_voids_the_accounts_device_cookies(owner, admin):
    from dokvault import db
    from dokvault.services.auth import accounts, devices

    token = owner.cookies.get("dokvault_device")
    assert devices.recognise(token, admin.email)
    with db.session() as s:
        accounts.change_password(s, admin, OWNER[1], "Fjordgata 7 Ålesund, tredje etasje", None)
    assert devices.recognise(token, admin.email) is None


def test_the_per_ip_limit_still_holds_with_a_device_cookie(owner):
    for n in range(29):
        sign_in(owner, f"user{n}@example.no", WRONG)
    assert sign_in(owner).status_code == 429
