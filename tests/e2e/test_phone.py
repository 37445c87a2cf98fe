"""A phone (390×844): every page fits the width (the code page of a 2FA sign-in
included), the menu button opens the navigation and a link in it navigates, the page's
content shows. At desktop size the side bar is still there.

The layout does not depend on how DokVault runs, so one embedded app serves every test."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pyotp
import pytest
from playwright.sync_api import expect

from tests import samples
from tests.e2e.conftest import ARTIFACTS, RunningApp, running_app

PHONE = {"width": 390, "height": 844}
ADMIN = ("kontorleder.med.et.langt.navn@strandkaien-eiendomsmegling.example.no",
         "Leder-Strandkaien-12")
BROKER = ("megler.med.en.veldig.lang.adresse@strandkaien-eiendomsmegling.example.no",
          "Megler-Strandkaien-12")
LONG_NAME = "Salgsoppgave_Strandkaien_Stavanger_gnr_12_bnr_345_seksjon_6_endelig_versjon_v3.pdf"

# Every signed-in page and what shows its content (beside its heading).
PAGES = {
    "/": "#stat-review",
    "/documents": ".document-row",
    "/analytics": "#chart-documents_by_type",
    "/search": "#content input",
    "/review": "#content h1, #content h2",
    "/trash": "#content h1",
    "/account": "#content h1",
    "/account/security": "#security-title",
    "/account/sessions": ".session-row",
}
ADMIN_PAGES = {
    "/admin/users": ".user-row",
    "/admin/quotas": ".quota-row",
    "/admin/security": "#policy-form",
    "/admin/audit": ".audit-row",
    "/admin/taxonomy": ".row-name",
    "/admin/ai": "#content h1",
    "/admin/system": "#sanity-run",
}
PUBLIC_PAGES = ("/login", "/forgot-password", "/reset-password?token=ugyldig")


@pytest.fixture(scope="module")
def app(tmp_path_factory, hibp_server) -> Iterator[RunningApp]:
    with running_app("embedded", tmp_path_factory, hibp_server) as running:
        yield running


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, locale="nb-NO", is_mobile=True,
                                  has_touch=True, device_scale_factor=1)
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


def phone_shot(page, name: str) -> None:
    (ARTIFACTS / "phone").mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "phone" / f"{name}.png"), full_page=True)


def menu_shot(page, name: str) -> None:
    page.wait_for_function("document.getAnimations().every(a => a.playState !== 'running')")
    phone_shot(page, name)


def assert_fits(page, route: str) -> None:
    # A mobile browser zooms out to show a too-wide page, widening innerWidth with it:
    # compare with the phone's own width as well.
    wide, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert wide <= inner + 1 and inner == PHONE["width"], \
        f"{route} is {wide} px wide ({inner} px layout viewport) on a {PHONE['width']} px phone"


def visit(page, app, route: str, content: str, name: str) -> None:
    page.goto(f"{app.url}{route}")
    expect(page.locator("#content h1").first).to_be_visible()
    expect(page.locator(content).first).to_be_visible()
    expect(page.locator("#sidebar")).to_be_hidden()
    assert_fits(page, route)
    phone_shot(page, name)
    assert_fits(page, route)  # again: what loaded meanwhile (a badge, a row) fits too


def sign_in(page, app, email: str, password: str) -> None:
    page.goto(f"{app.url}/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("#sign-in")
    page.wait_for_url(f"{app.url}/")


def test_admin_uses_every_page_on_a_phone(phone, app, tmp_path):
    page = phone
    page.goto(f"{app.url}/setup")
    assert_fits(page, "/setup")
    phone_shot(page, "setup")
    page.fill("#name", "Kontorleder")
    page.fill("#email", ADMIN[0])
    page.fill("#password", ADMIN[1])
    page.fill("#password_confirm", ADMIN[1])
    page.click("#create-admin")
    page.wait_for_url(f"{app.url}/")

    page.goto(f"{app.url}/documents")
    pdf = samples.make_pdf(tmp_path / LONG_NAME, [samples.SALGSOPPGAVE])
    page.set_input_files("#documents input[type=file]", str(pdf))
    page.click("#upload-button")
    expect(page.locator(".document-row", has_text="Salgsoppgave")).to_be_visible()

    for route, content in {**PAGES, **ADMIN_PAGES}.items():
        visit(page, app, route, content, "admin" + (route.replace("/", "-") if route != "/" else
                                                     "-home"))

    # The detail page of the long-named document.
    page.goto(f"{app.url}/documents")
    page.locator(".document-link").first.click()
    page.wait_for_url(re.compile(r"/documents/"))
    expect(page.locator("#document-title")).to_be_visible()
    assert_fits(page, "/documents/[uid]")
    phone_shot(page, "admin-documents-detail")
    assert_fits(page, "/documents/[uid]")

    # The menu holds the same navigation, admin's part included, and its links navigate.
    page.goto(f"{app.url}/documents")
    expect(page.locator(".document-row").first).to_be_visible()
    page.click("#menu-button")
    menu = page.locator("#menu")
    expect(menu).to_be_visible()
    expect(menu.locator("#menu-nav-admin_users")).to_be_visible()
    expect(menu.locator("#menu-nav-sign-out")).to_be_visible()
    expect(menu).to_contain_text(ADMIN[0])
    assert_fits(page, "/documents with the menu open")
    menu_shot(page, "admin-menu-open")
    page.click("#menu-nav-admin_audit")
    page.wait_for_url(f"{app.url}/admin/audit")
    expect(page.locator(".audit-row").first).to_be_visible()
    expect(menu).to_have_count(0)  # the menu closes with the page it was opened on

    page.click("#menu-button")
    page.click("#menu-nav-search")
    page.wait_for_url(f"{app.url}/search")

    # Sign out from the menu.
    page.click("#menu-button")
    page.click("#menu-nav-sign-out")
    page.wait_for_url(re.compile(r"/login/?(\?.*)?$"))


def test_broker_and_public_pages_on_a_phone(phone, app):
    app.command("create-user", BROKER[0], "--role", "broker", "--name", "Megler",
                "--password", BROKER[1])
    page = phone
    for route in PUBLIC_PAGES:
        page.goto(f"{app.url}{route}")
        expect(page.locator("button[type=submit]").first).to_be_visible()
        assert_fits(page, route)
        phone_shot(page, "public" + route.split("?")[0].replace("/", "-"))

    sign_in(page, app, *BROKER)
    for route, content in PAGES.items():
        if route == "/documents":
            content = "#content h1"  # the broker sees no documents of the admin's
        visit(page, app, route, content, "broker" + (route.replace("/", "-") if route != "/"
                                                      else "-home"))
    page.click("#menu-button")
    menu = page.locator("#menu")
    expect(menu.locator("#menu-nav-trash")).to_be_visible()
    expect(menu.locator("#menu-nav-admin_users")).to_have_count(0)
    expect(menu).to_contain_text(BROKER[0])
    menu_shot(page, "broker-menu-open")
    page.click("#menu-nav-trash")
    page.wait_for_url(f"{app.url}/trash")

    # The second step of signing in: the broker turns 2FA on (on the phone), signs out and
    # in again, and gets the code page.
    page.goto(f"{app.url}/account/security")
    page.click("#enrol-start")
    secret = page.locator("#totp-secret").inner_text().strip()
    assert_fits(page, "/account/security while enrolling")
    inside = page.locator("#totp-secret").evaluate(
        "el => el.getBoundingClientRect().right"
        " <= el.closest('.rt-Card').getBoundingClientRect().right - 8")
    assert inside, "the 2FA key sticks out of its card"
    phone_shot(page, "broker-account-security-enrol")
    page.fill("#enrol-code", pyotp.TOTP(secret).now())
    page.click("#enrol-confirm")
    expect(page.locator("#backup-codes .backup-code")).to_have_count(10)
    assert_fits(page, "/account/security with the backup codes")
    phone_shot(page, "broker-account-security-codes")
    page.click("#backup-codes-saved")
    page.click("#menu-button")
    page.click("#menu-nav-sign-out")
    page.wait_for_url(re.compile(r"/login/?(\?.*)?$"))
    page.fill("#email", BROKER[0])
    page.fill("#password", BROKER[1])
    page.click("#sign-in")
    page.wait_for_url(re.compile(r"/login/2fa"))
    expect(page.locator("#verify-code")).to_be_visible()
    expect(page.locator("#verify-backup-code")).to_be_visible()
    assert_fits(page, "/login/2fa")
    phone_shot(page, "public-login-2fa")


def test_desktop_still_has_the_side_bar(browser, app):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nb-NO")
    try:
        page = context.new_page()
        sign_in(page, app, *ADMIN)
        expect(page.locator("#sidebar")).to_be_visible()
        expect(page.locator("#nav-search")).to_be_visible()
        expect(page.locator("#top-bar")).to_be_hidden()
        box = page.locator("#sidebar").bounding_box()
        assert box is not None and box["width"] == 230
        page.click("#nav-admin_users")
        page.wait_for_url(f"{app.url}/admin/users")
        expect(page.locator(".user-row").first).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 1280
        page.screenshot(path=str(ARTIFACTS / "phone" / "desktop-users.png"), full_page=True)
    finally:
        context.close()
