"""The password policy and its HIBP range check, against a local fake of the real API:
only a 5-character prefix leaves the machine, padding is ignored, and the check fails
open (with a warning, never the password) when the service is down."""

from __future__ import annotations

import logging
import socket
import time

import httpx
import pytest
from starlette.testclient import TestClient
from typer.testing import CliRunner

from dokvault import db
from dokvault.core.caches import reset_caches
from dokvault.integrations import hibp
from dokvault.services.auth import accounts
from dokvault.services.auth.accounts import AccountError
from tests.fakes.hibp import sha1

PWNED = "Sommer2024!Sommer"  # 17 characters, but "known to HIBP" in the fake
SAFE = "korrekt hest batteri stift"
HOST = "http://localhost:3000"  # FRONTEND_URL by default: the origin DokVault accepts


def secrets_of(password: str) -> list[str]:
    """Everything that must never appear in a log or in a request beyond the prefix."""
    digest = sha1(password)
    return [password, digest, digest[5:], digest.lower(), digest[5:].lower()]


def assert_k_anonymous(fake, password: str) -> None:
    assert fake.violations == []
    digest = sha1(password)
    for request in fake.requests:
        assert request.path == f"/range/{digest[:5]}"
        assert request.headers.get("Add-Padding") == "true"
        assert request.body == b""
        seen = request.path + repr(request.headers)
        for secret in secrets_of(password):
            assert secret not in seen


# --- the client -----------------------------------------------------------------


def test_sha1_split():
    prefix, suffix = hibp.split_sha1("password")
    assert (prefix, suffix) == ("5BAA6", "1E4C9B93F3F0682250B6CF8331B7EE68FD8")


def test_pwned_password_is_found_with_only_the_prefix_sent(hibp_fake):
    hibp_fake.add(PWNED, 12345)
    assert hibp.pwned_count(PWNED) == 12345
    assert len(hibp_fake.requests) == 1
    assert_k_anonymous(hibp_fake, PWNED)
    assert "DokVault" in hibp_fake.requests[0].headers.get("User-Agent", "")


def test_unknown_password_counts_zero(hibp_fake):
    hibp_fake.add(PWNED)
    assert hibp.pwned_count(SAFE) == 0
    assert_k_anonymous(hibp_fake, SAFE)


def test_padding_rows_are_ignored(hibp_fake):
    hibp_fake.add(PWNED, 7)
    prefix = sha1(PWNED)[:5]
    raw = httpx.get(f"{hibp_fake.url}/range/{prefix}", headers={"Add-Padding": "true"}).text
    lines = raw.split("\r\n")
    assert 800 <= len(lines) <= 1000  # the fake pads like the real service
    padding = [line.split(":")[0] for line in lines if line.endswith(":0")]
    assert len(padding) == len(lines) - 1

    counts = hibp.fetch_range(prefix)
    assert counts == {sha1(PWNED)[5:]: 7}
    assert not any(suffix in counts for suffix in padding)


def test_parse_range():
    suffix = "0018A45C4D1DEF81644B54AB7F969B88D65"
    body = (f"{suffix}:3\r\n00D4F6E8FA6EECAD2A3AA415EEC418D38EC:0\r\n"
            "011053fd0102e94d6ae2f8b83d76faf94f6:12\r\nnot a row\r\nABC:1\r\n"
            "0018A45C4D1DEF81644B54AB7F969B88D66:many\r\n")
    assert hibp.parse_range(body) == {suffix: 3, "011053FD0102E94D6AE2F8B83D76FAF94F6": 12}
    assert hibp.parse_range("") == {}


def test_a_bad_prefix_is_never_sent(hibp_fake):
    for prefix in ("5baa6", "5BAA61", "5BAA", "../x"):
        with pytest.raises(ValueError):
            hibp.fetch_range(prefix)
    assert hibp_fake.requests == []


def assert_fail_open_logged(caplog, password: str, reason: str) -> None:
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert any("HIBP" in r.getMessage() and reason in r.getMessage() for r in warnings), \
        caplog.text
    for secret in [*secrets_of(password), sha1(password)[:5]]:
        assert secret not in caplog.text


def test_fail_open_on_503(hibp_fake, caplog):
    hibp_fake.add(PWNED)
    hibp_fake.status = 503
    with caplog.at_level(logging.WARNING):
        assert hibp.pwned_count(PWNED) is None
    assert len(hibp_fake.requests) == 1
    assert_fail_open_logged(caplog, PWNED, "503")


def test_fail_open_when_unreachable(hibp_fake, caplog):
    hibp_fake.add(PWNED)
    hibp_fake.go_down()
    started = time.monotonic()
    with caplog.at_level(logging.WARNING):
        assert hibp.pwned_count(PWNED) is None
    assert time.monotonic() - started < 3
    assert_fail_open_logged(caplog, PWNED, "ConnectError")


def test_fail_open_on_a_service_that_never_answers(clean_env, caplog):
    with socket.socket() as listener:  # accepts connections (backlog) but never replies
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        url = f"http://127.0.0.1:{listener.getsockname()[1]}"
        with pytest.raises(hibp.HibpUnavailable, match="ReadTimeout"):
            hibp.fetch_range("5BAA6", base_url=url, timeout=httpx.Timeout(0.3))


def test_the_default_timeout_is_short():
    assert hibp.TIMEOUT.read <= 5 and hibp.TIMEOUT.connect <= 5


# --- the policy -------------------------------------------------------------------


def test_policy_refuses_a_pwned_password(hibp_fake, embedded):
    hibp_fake.add(PWNED)
    with pytest.raises(AccountError) as info:
        accounts.check_password_policy("kari@example.no", PWNED)
    assert info.value.code == "error.password_pwned"
    accounts.check_password_policy("kari@example.no", SAFE)
    assert len(hibp_fake.requests) == 2
    assert hibp_fake.violations == []


def test_policy_fails_open(hibp_fake, embedded, caplog):
    hibp_fake.add(PWNED)
    hibp_fake.go_down()
    with caplog.at_level(logging.WARNING):
        accounts.check_password_policy("kari@example.no", PWNED)  # allowed
    assert_fail_open_logged(caplog, PWNED, "ConnectError")


def test_cheap_rules_come_first_and_ask_nobody(hibp_fake, embedded):
    for password, code in (("kort", "error.password_too_short"),
                           ("Kari@Example.no", "error.password_is_email")):
        hibp_fake.add(password)
        with pytest.raises(AccountError) as info:
            accounts.check_password_policy("kari@example.no", password)
        assert info.value.code == code
    assert hibp_fake.requests == []


def test_hibp_can_be_switched_off(hibp_fake, embedded, monkeypatch):
    hibp_fake.add(PWNED)
    monkeypatch.setenv("HIBP_ENABLED", "false")
    reset_caches()
    accounts.check_password_policy("kari@example.no", PWNED)
    assert hibp_fake.requests == []


def test_texts_exist_in_both_languages():
    from dokvault.i18n import MESSAGES

    for key in ("error.password_pwned", "error.current_password_wrong",
                "error.password_unchanged"):
        assert MESSAGES["nb"][key] and MESSAGES["en"][key]
        assert MESSAGES["nb"][key] != MESSAGES["en"][key]


# --- where passwords are chosen ---------------------------------------------------


def test_create_user_refuses_a_pwned_password(hibp_fake, embedded):
    hibp_fake.add(PWNED)
    with pytest.raises(AccountError) as info, db.session() as s:
        accounts.create_first_admin(s, "kari@example.no", PWNED)
    assert info.value.code == "error.password_pwned"
    with db.session() as s:
        assert accounts.user_count(s) == 0


def test_setup_route_refuses_a_pwned_password_with_a_clear_message(hibp_fake, embedded):
    from dokvault.api.routes import api

    hibp_fake.add(PWNED)
    client = TestClient(api, base_url=HOST, follow_redirects=False)
    form = {"name": "Kari", "email": "kari@example.no", "password": PWNED,
            "password_confirm": PWNED}
    refused = client.post("/api/auth/setup", data=form, headers={"origin": HOST})
    assert refused.status_code == 303
    assert refused.headers["location"] == "/setup?error=error.password_pwned"
    assert "set-cookie" not in refused.headers
    with db.session() as s:
        assert accounts.user_count(s) == 0
    assert_k_anonymous(hibp_fake, PWNED)

    ok = client.post("/api/auth/setup", headers={"origin": HOST},
                     data={**form, "password": SAFE, "password_confirm": SAFE})
    assert ok.headers["location"] == "/" and "dokvault_access=" in ok.headers["set-cookie"]


def test_setup_goes_on_when_hibp_is_down(hibp_fake, embedded):
    from dokvault.api.routes import api

    hibp_fake.add(PWNED)
    hibp_fake.status = 503
    client = TestClient(api, base_url=HOST, follow_redirects=False)
    response = client.post("/api/auth/setup", headers={"origin": HOST},
                           data={"email": "kari@example.no", "password": PWNED,
                                 "password_confirm": PWNED})
    assert response.headers["location"] == "/"


def test_create_admin_command_refuses_a_pwned_password(hibp_fake, embedded):
    from dokvault.cli import app

    hibp_fake.add(PWNED)
    result = CliRunner().invoke(app, ["create-admin", "leder@example.no"],
                                input=f"{PWNED}\n{PWNED}\n")
    assert result.exit_code == 1
    assert "known data breaches" in result.output
    with db.session() as s:
        assert accounts.user_count(s) == 0
