"""The second factor in the browser, on the embedded default and on production servers:
create the admin, enrol TOTP by reading the secret from the security page, keep the backup
codes, sign out, sign in with password + code, see a replayed code refused, sign in with a
backup code, see that backup code refused the second time, and that nothing works without
the cookies."""

from __future__ import annotations

import re
import time

import pyotp
from playwright.sync_api import expect

from tests.e2e.conftest import shot

ADMIN_EMAIL = "tove.tofaktor@example.no"
ADMIN_PASSWORD = "Kongsgaard-Alle-41-Kristiansand"


def sign_in_with_password(page, app) -> None:
    page.goto(f"{app.url}/login")
    page.fill("#email", ADMIN_EMAIL)
    page.fill("#password", ADMIN_PASSWORD)
    page.click("#sign-in")
    page.wait_for_url(re.compile(r"/login/2fa/?$"))
    names = {c["name"]: c for c in page.context.cookies()}
    assert "dokvault_access" not in names  # no session before the second factor
    assert names["dokvault_2fa"]["httpOnly"] and names["dokvault_2fa"]["sameSite"] == "Strict"


def sign_out(page, app) -> None:
    page.click("#sign-out")
    page.wait_for_url(re.compile(r"/login"))


def test_enrol_then_sign_in_with_a_code_and_with_a_backup_code(page, app):
    # A fresh app: the set-up page creates the administrator.
    page.goto(f"{app.url}/")
    page.wait_for_url(re.compile(r"/setup/?$"))
    page.fill("#name", "Tove Tofaktor")
    page.fill("#email", ADMIN_EMAIL)
    page.fill("#password", ADMIN_PASSWORD)
    page.fill("#password_confirm", ADMIN_PASSWORD)
    page.click("#create-admin")
    page.wait_for_url(f"{app.url}/")
    expect(page.locator("#signed-in-as")).to_have_text(ADMIN_EMAIL)

    # Enrol: the QR code is an image rendered on the server; the key is readable as text.
    page.goto(f"{app.url}/account/security")
    expect(page.locator("#two-factor-status")).to_have_text("Av")
    page.click("#enrol-start")
    expect(page.locator("#totp-qr")).to_be_visible()
    assert page.locator("#totp-qr").evaluate("img => img.naturalWidth") > 0
    secret = page.locator("#totp-secret").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    totp = pyotp.TOTP(secret)
    shot(page, app, "2fa-01-enrol")
    page.fill("#enrol-code", "000000" if totp.now() != "000000" else "111111")
    page.click("#enrol-confirm")
    expect(page.locator("#security-error")).to_be_visible()
    page.fill("#enrol-code", totp.now())
    page.click("#enrol-confirm")

    # Ten backup codes, shown once.
    expect(page.locator("#backup-codes .backup-code")).to_have_count(10)
    codes = [c.strip() for c in page.locator("#backup-codes .backup-code").all_inner_texts()]
    assert all(re.fullmatch(r"[a-z2-9]{5}-[a-z2-9]{5}", c) for c in codes)
    expect(page.locator("#two-factor-status")).to_have_text("På")
    shot(page, app, "2fa-02-backup-codes")
    page.click("#backup-codes-saved")
    expect(page.locator("#backup-codes")).to_have_count(0)
    expect(page.locator("#backup-codes-remaining")).to_have_text("10")
    assert secret not in app.log()  # the key never reaches the log

    sign_out(page, app)

    # Password, then a code. The enrolment code is spent for 90 s: use the next window's.
    sign_in_with_password(page, app)
    shot(page, app, "2fa-03-code")
    code = totp.at(time.time() + 30)
    page.fill("#code", code)
    page.click("#verify-code")
    page.wait_for_url(f"{app.url}/")
    expect(page.locator("#signed-in-as")).to_have_text(ADMIN_EMAIL)
    session = next(c for c in page.context.cookies() if c["name"] == "dokvault_access")
    assert session["httpOnly"] and session["sameSite"] == "Strict"
    assert "dokvault_2fa" not in {c["name"] for c in page.context.cookies()}
    sign_out(page, app)

    # The same code again, within 90 s: refused with a clear message.
    sign_in_with_password(page, app)
    page.fill("#code", code)
    page.click("#verify-code")
    page.wait_for_url(re.compile(r"/login/2fa/?\?error="))
    expect(page.locator("#form-error")).to_contain_text("allerede brukt")

    # A backup code instead.
    page.fill("#backup_code", codes[0])
    page.click("#verify-backup-code")
    page.wait_for_url(f"{app.url}/")
    expect(page.locator("#signed-in-as")).to_have_text(ADMIN_EMAIL)
    page.goto(f"{app.url}/account/security")
    expect(page.locator("#backup-codes-remaining")).to_have_text("9")
    sign_out(page, app)

    # The same backup code a second time: refused.
    sign_in_with_password(page, app)
    page.fill("#backup_code", codes[0])
    page.click("#verify-backup-code")
    page.wait_for_url(re.compile(r"/login/2fa/?\?error="))
    expect(page.locator("#form-error")).to_be_visible()
    shot(page, app, "2fa-04-backup-reused")
    assert "dokvault_access" not in {c["name"] for c in page.context.cookies()}

    # Without cookies: the security page sends to sign-in, the second step has nothing to finish.
    page.context.clear_cookies()
    page.goto(f"{app.url}/account/security")
    page.wait_for_url(re.compile(r"/login/?$"))
    page.goto(f"{app.url}/login/2fa")
    page.wait_for_url(re.compile(r"/login/?\?error=twofa.expired"))
    expect(page.locator("#form-error")).to_be_visible()
