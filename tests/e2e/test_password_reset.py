"""Password reset by mail in the browser, on the embedded default and on production servers:
forget the password, read the link from the mail the app sent over SMTP (STARTTLS + AUTH to
the capturing server, `app.mail`), choose a new password, sign in with it; the old password
and the used link are refused."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from playwright.sync_api import expect

from tests.e2e.conftest import shot

EMAIL = "tone.oppgjor@example.no"
OLD_PASSWORD = "Gamle-passordet-Bryggen-7"
NEW_PASSWORD = "Nye-passordet-Torgallmenningen-9"
LINK = re.compile(r"https?://\S+/reset-password\?token=\S+")


def create_first_admin(page, app) -> None:
    page.goto(f"{app.url}/setup")
    page.fill("#name", "Tone Oppgjør")
    page.fill("#email", EMAIL)
    page.fill("#password", OLD_PASSWORD)
    page.fill("#password_confirm", OLD_PASSWORD)
    page.click("#create-admin")
    page.wait_for_url(f"{app.url}/")


def sign_in(page, app, password: str) -> None:
    page.goto(f"{app.url}/login")
    page.fill("#email", EMAIL)
    page.fill("#password", password)
    page.click("#sign-in")


def open_link(page, app, link: str) -> None:
    """The mail's link names FRONTEND_URL; this app listens on its own port."""
    parts = urlsplit(link)
    page.goto(f"{app.url}{parts.path}?{parts.query}")


def test_reset_the_password_through_the_link_in_the_mail(page, app):
    create_first_admin(page, app)
    page.click("#sign-out")
    page.wait_for_url(re.compile(r"/login"))

    # Forgotten password: the same answer for every address, and a mail for a real one.
    page.click("#forgot-password-link")
    page.wait_for_url(re.compile(r"/forgot-password/?$"))
    page.fill("#email", EMAIL)
    shot(page, app, "30-forgot-password")
    page.click("#send-reset-link")
    expect(page.locator("#form-info")).to_contain_text("sendt en lenke")

    [mail] = app.mail.wait_for(EMAIL, timeout=60)
    assert mail.tls and mail.subject == "Tilbakestill passordet ditt i DokVault"
    link = LINK.search(mail.text()).group(0)

    # Choose a new password through the link.
    open_link(page, app, link)
    expect(page.locator("#reset-token")).not_to_have_value("")
    page.fill("#password", NEW_PASSWORD)
    page.fill("#password_confirm", NEW_PASSWORD)
    shot(page, app, "31-reset-password")
    page.click("#save-new-password")
    page.wait_for_url(re.compile(r"/login/?\?info=reset\.done"))
    expect(page.locator("#form-info")).to_contain_text("Passordet er endret")

    # The new password signs in; the old one does not.
    sign_in(page, app, OLD_PASSWORD)
    expect(page.locator("#form-error")).to_be_visible()
    sign_in(page, app, NEW_PASSWORD)
    page.wait_for_url(f"{app.url}/")
    expect(page.locator("#signed-in-as")).to_have_text(EMAIL)

    # The link works once.
    page.click("#sign-out")
    page.wait_for_url(re.compile(r"/login"))
    open_link(page, app, link)
    page.fill("#password", "Tredje-passordet-Fisketorget-3")
    page.fill("#password_confirm", "Tredje-passordet-Fisketorget-3")
    page.click("#save-new-password")
    expect(page.locator("#form-error")).to_contain_text("allerede brukt")
    expect(page.locator("#request-new-link")).to_be_visible()
    shot(page, app, "32-reset-link-used")
    sign_in(page, app, NEW_PASSWORD)
    page.wait_for_url(f"{app.url}/")
