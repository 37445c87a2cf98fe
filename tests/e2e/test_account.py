"""The account page in the browser, on the embedded default and on production servers:
a pwned password is refused at set-up and on /account (local HIBP fake), a wrong current
password is refused, a change signs out the other browser but keeps this one, and the
new password signs in while the old one no longer does."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import shot
from tests.fakes.hibp import sha1

ADMIN_EMAIL = "konto@example.no"
ADMIN_PASSWORD = "Bryggen-12-Bergen-Kontor"
NEW_PASSWORD = "Torgallmenningen 9, Bergen"
PWNED = "Passord123456789!"


def sign_in(page, app, password: str) -> None:
    page.goto(f"{app.url}/login")
    page.fill("#email", ADMIN_EMAIL)
    page.fill("#password", password)
    page.click("#sign-in")


def change_password(page, current: str, new: str, repeat: str | None = None) -> None:
    page.fill("#current_password", current)
    page.fill("#new_password", new)
    page.fill("#new_password_confirm", new if repeat is None else repeat)
    page.click("#change-password")


def test_change_password_on_the_account_page(page, app, browser, hibp_server):
    hibp_server.add(PWNED)

    # Set-up refuses a password known to HIBP, with a clear message.
    page.goto(f"{app.url}/")
    page.wait_for_url(re.compile(r"/setup/?$"))
    page.fill("#name", "Kari Konto")
    page.fill("#email", ADMIN_EMAIL)
    page.fill("#password", PWNED)
    page.fill("#password_confirm", PWNED)
    page.click("#create-admin")
    page.wait_for_url(re.compile(r"/setup/?\?error=error\.password_pwned"))
    expect(page.locator("#form-error")).to_contain_text("datalekkasjer")

    page.fill("#name", "Kari Konto")
    page.fill("#email", ADMIN_EMAIL)
    page.fill("#password", ADMIN_PASSWORD)
    page.fill("#password_confirm", ADMIN_PASSWORD)
    page.click("#create-admin")
    page.wait_for_url(f"{app.url}/")

    # A second browser signed in to the same account.
    other = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nb-NO")
    try:
        phone = other.new_page()
        phone.set_default_timeout(30_000)
        sign_in(phone, app, ADMIN_PASSWORD)
        phone.wait_for_url(f"{app.url}/")

        page.click("#nav-account")
        page.wait_for_url(re.compile(r"/account/?$"))
        expect(page.locator("#account-email")).to_have_text(ADMIN_EMAIL)
        expect(page.locator("#account-name")).to_have_text("Kari Konto")
        expect(page.locator("#account-role")).to_have_text("Administrator")
        shot(page, app, "30-account")

        change_password(page, ADMIN_PASSWORD, NEW_PASSWORD, "Torgallmenningen 10, Bergen")
        expect(page.locator("#account-error")).to_have_text("De nye passordene er ikke like.")

        change_password(page, "feil passord her", NEW_PASSWORD)
        expect(page.locator("#account-error")).to_have_text("Nåværende passord er feil.")

        change_password(page, ADMIN_PASSWORD, PWNED)
        expect(page.locator("#account-error")).to_contain_text("datalekkasjer")

        change_password(page, ADMIN_PASSWORD, NEW_PASSWORD)
        expect(page.locator("#account-success")).to_contain_text("Passordet er endret")
        expect(page.locator("#account-success")).to_contain_text("1 andre")
        expect(page.locator("#current_password")).to_have_value("")  # the form was cleared
        shot(page, app, "31-password-changed")

        # This browser stays signed in; the other one loses access at its next event.
        page.click("#nav-documents")
        page.wait_for_url(f"{app.url}/documents")
        expect(page.locator("#signed-in-as")).to_have_text(ADMIN_EMAIL)
        phone.click("#nav-search")
        phone.wait_for_url(re.compile(r"/login/?$"))
    finally:
        other.close()

    # The old password no longer works; the new one does.
    page.click("#sign-out")
    page.wait_for_url(re.compile(r"/login"))
    sign_in(page, app, ADMIN_PASSWORD)
    page.wait_for_url(re.compile(r"/login/?\?error=login\.invalid"))
    expect(page.locator("#form-error")).to_be_visible()
    sign_in(page, app, NEW_PASSWORD)
    page.wait_for_url(f"{app.url}/")
    expect(page.locator("#signed-in-as")).to_have_text(ADMIN_EMAIL)

    # The app asked HIBP by prefix only, with padding.
    assert hibp_server.requests and hibp_server.violations == []
    for request in hibp_server.requests:
        for password in (PWNED, ADMIN_PASSWORD, NEW_PASSWORD):
            assert sha1(password)[5:] not in request.path


def test_the_account_page_needs_a_session(page, app):
    page.goto(f"{app.url}/account")
    page.wait_for_url(re.compile(r"/login/?$"))
