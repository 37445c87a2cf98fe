"""Issue 14 in the browser, on the embedded default and on PostgreSQL + Redis + S3, with the
local Vitec and Microsoft fakes: an admin runs a Vitec sync from the page and sees offices,
staff and assignments appear with a progress summary; a second sync with one employee gone
deactivates them; a Teams sync maps a team to an office; an office manager sees only their
office; a share reaches the colleague's bell without a reload; the colleague turns that
mail off. The tests of this module form one journey, in order."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from dokvault.core.net import host_port
from tests.e2e.conftest import running_app, shot
from tests.fakes.microsoft import MicrosoftFake, TeamsGraph
from tests.fakes.vitec import VitecFake

ADMIN = ("admin@example.no", "Admin-Strandkaien-12")
KARI = ("kari.nordmann@example.no", "Kari-Strandkaien-12")  # a broker in Bergen (Vitec)
OLA = ("ola.hansen@example.no", "Ola-Strandkaien-12")  # the office manager of Bergen
PER = ("per.berg@example.no", "Per-Strandkaien-12")  # a broker in Stavanger


@pytest.fixture(scope="module")
def fakes(tmp_path_factory):
    with VitecFake.sample() as vitec, MicrosoftFake(tmp_path_factory.mktemp("microsoft")) as ms:
        teams = ms.add(TeamsGraph())
        teams.teams = [teams.team("Proaktiv Bergen", [teams.user("Kari Nordmann", KARI[0]),
                                                      teams.user("Ola Hansen", OLA[0])]),
                       teams.team("Proaktiv Stavanger", [teams.user("Per Berg", PER[0])]),
                       teams.team("Ledergruppen")]
        yield vitec, ms


@pytest.fixture(scope="module", params=["embedded", "production"])
def app(request, tmp_path_factory, hibp_server, fakes):
    vitec, ms = fakes
    vitec.employees = VitecFake.sample().employees  # each app starts from the same Vitec
    # Microsoft's hosts are the operator's (MICROSOFT_LOGIN_URL, MICROSOFT_GRAPH_URL): allowed.
    settings = {**vitec.settings(), **ms.settings(), **ms.organisation(),
                "OUTBOUND_ALLOWED_HOSTS": host_port(vitec.url)}
    with running_app(request.param, tmp_path_factory, hibp_server, settings) as running:
        yield running


def sign_in(page, app, email: str, password: str) -> None:
    page.goto(f"{app.url}/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("#sign-in")
    expect(page.locator("#signed-in-as")).to_have_text(email)


def test_an_admin_syncs_vitec_and_microsoft_from_the_page(page, app, fakes):
    vitec, _ = fakes
    for email, password, role in (ADMIN + ("admin",), KARI + ("broker",), OLA + ("office_manager",),
                                  PER + ("broker",)):
        app.command("create-user", email, "--role", role, "--password", password)
    sign_in(page, app, *ADMIN)
    page.goto(f"{app.url}/admin/integrations")
    expect(page.locator("#vitec-configured")).to_be_visible()
    page.click("#vitec-test")
    expect(page.locator("#vitec-test-result")).to_contain_text("3")
    expect(page.locator(".vitec-method").first).to_be_visible()
    page.click("#vitec-sync")
    expect(page.locator("#vitec-run-status")).to_have_text("Ferdig", timeout=60_000)
    summary = page.locator("#vitec-summary")
    expect(summary.locator(".sync-entity", has_text="Kontorer")).to_contain_text("3")
    expect(summary.locator(".sync-entity", has_text="Oppdrag")).to_contain_text("5")
    expect(page.locator(".sync-skipped")).to_contain_text("employee #7")  # the malformed row
    shot(page, app, "org-10-vitec-synced")

    page.goto(f"{app.url}/admin/offices")
    expect(page.locator(".office-row")).to_have_count(3)
    expect(page.locator(".office-row", has_text="Proaktiv Bergen")).to_contain_text("Vitec")
    page.goto(f"{app.url}/staff")
    expect(page.locator("#staff-count")).to_have_text("5 ansatte")
    kari_row = page.locator(".staff-row", has_text="Kari Nordmann")
    expect(kari_row).to_contain_text("Har bruker")  # linked by e-mail, any case
    page.locator(".staff-row", has_text="Tor Aas").locator(".invite-employee").click()
    expect(page.locator(".staff-row", has_text="Tor Aas")).to_contain_text("Har bruker")
    assert app.mail.wait_for("tor.aas@example.no")[0].subject == "Du er invitert til DokVault"
    page.goto(f"{app.url}/assignments")
    expect(page.locator("#assignments-count")).to_have_text("5 oppdrag")
    page.locator(".assignment-link", has_text="1120-24-0101").click()
    expect(page.locator("#assignment-number")).to_have_text("1120-24-0101")
    expect(page.locator(".assignment-broker")).to_contain_text("Kari Nordmann")

    # Microsoft Teams: synced, and a team mapped to an office.
    page.goto(f"{app.url}/admin/integrations")
    page.click("#teams-sync")
    expect(page.locator("#teams-run-status")).to_have_text("Ferdig", timeout=60_000)
    page.goto(f"{app.url}/admin/teams")
    row = page.locator(".team-row", has_text="Proaktiv Bergen")
    expect(row.locator(".team-members")).to_have_text("2 / 2")  # both members are users
    row.locator(".team-office").get_by_role("combobox").click()
    page.get_by_role("option", name="Proaktiv Bergen").click()
    expect(page.get_by_text("Teamet er koblet til kontoret.")).to_be_visible()
    page.reload()
    expect(page.locator(".team-row", has_text="Proaktiv Bergen").locator(".team-office")
           ).to_contain_text("Proaktiv Bergen")
    shot(page, app, "org-11-teams")

    # A second sync with one employee gone: they are deactivated, nothing else changes.
    vitec.employees = [e for e in vitec.employees if e.get("employeeId") != "SILU"]
    page.goto(f"{app.url}/admin/integrations")
    page.click("#vitec-sync")
    expect(page.locator("#vitec-run-status")).to_have_text("Ferdig", timeout=60_000)
    staff_row = page.locator("#vitec-summary .sync-entity", has_text="Ansatte")
    expect(staff_row).to_have_text(re.compile(r"Ansatte\s*0\s*0\s*1\s*1"))
    page.goto(f"{app.url}/staff")
    expect(page.locator("#staff-count")).to_have_text("4 ansatte")
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{app.url}/admin/integrations")
    expect(page.locator("#vitec-run-status")).to_be_visible()
    shot(page, app, "org-12-integrations-phone")


def test_an_office_manager_sees_only_their_office(page, app, tmp_path):
    folder = tmp_path / "kari"
    folder.mkdir()
    (folder / "Oppdragsavtale Strandkaien.txt").write_text(
        "Oppdragsavtale for oppdrag 1120-24-0101, Strandkaien 12 i Bergen. Takstgrunnlag.\n")
    app.command("import", str(folder), "--owner", KARI[0])
    other = tmp_path / "per"
    other.mkdir()
    (other / "Takst Kirkegata.txt").write_text("Takstgrunnlag for Kirkegata 20 i Stavanger.\n")
    app.command("import", str(other), "--owner", PER[0])

    sign_in(page, app, *OLA)
    page.goto(f"{app.url}/search?q=takstgrunnlag")
    expect(page.locator("#search-count")).to_contain_text("1")
    expect(page.get_by_text("Oppdragsavtale Strandkaien.txt")).to_be_visible()
    expect(page.get_by_text("Takst Kirkegata.txt")).to_have_count(0)
    page.goto(f"{app.url}/search?q=office:Stavanger")
    expect(page.locator("#search-none")).to_be_visible()
    page.goto(f"{app.url}/assignments")
    expect(page.locator("#assignments-count")).to_have_text("2 oppdrag")  # Bergen's only
    page.locator(".assignment-link", has_text="1120-24-0101").click()
    # The document found its assignment by the number in its text.
    expect(page.locator(".assignment-document")).to_contain_text("Oppdragsavtale Strandkaien.txt")
    page.goto(f"{app.url}/staff")
    expect(page.locator(".staff-row")).to_have_count(2)  # Bergen: Kari and Ola (Per is Stavanger's)
    shot(page, app, "org-20-office-manager")


def test_a_share_reaches_the_bell_and_a_mail_can_be_turned_off(page, app, browser):
    sign_in(page, app, *OLA)
    page.goto(f"{app.url}/notifications")
    expect(page.locator("#nav-unread")).to_have_count(0)

    kari_context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nb-NO")
    try:
        kari = kari_context.new_page()
        sign_in(kari, app, *KARI)
        kari.goto(f"{app.url}/search?q=oppdragsavtale")
        kari.get_by_text("Oppdragsavtale Strandkaien.txt").click()
        expect(kari.locator("#document-assignment")).to_contain_text("1120-24-0101")
        kari.locator("#share-switch").click()
        expect(kari.get_by_text("Delt med Proaktiv Bergen.")).to_be_visible()

        # Ola's header counts it without a reload, and the entry leads to the document.
        expect(page.locator("#nav-unread")).to_have_text("1", timeout=20_000)
        assert app.mail.wait_for(OLA[0])[0].subject.endswith("med Proaktiv Bergen")
        page.click("#nav-bell")
        page.locator(".bell-entry").first.click()
        expect(page.locator("#document-title")).to_have_text("Oppdragsavtale Strandkaien.txt")
        shot(page, app, "org-30-shared")

        # Ola wants such notifications in the app only from now on.
        page.goto(f"{app.url}/account/notifications")
        page.locator("#mail-document_shared").click()
        expect(page.get_by_text("Innstillingen er lagret.")).to_be_visible()
        kari.locator("#share-switch").click()  # off
        expect(kari.get_by_text("Ikke lenger delt med kontoret.")).to_be_visible()
        kari.locator("#share-switch").click()  # and on again
        expect(kari.get_by_text("Delt med Proaktiv Bergen.").last).to_be_visible()  # the first may linger
        expect(page.locator("#nav-unread")).to_have_text("1", timeout=20_000)
        page.goto(f"{app.url}/notifications")
        expect(page.locator(".notification")).to_have_count(2)
        assert len(app.mail.to(OLA[0])) == 1  # no second mail
        page.click("#mark-all-read")
        expect(page.locator("#nav-unread")).to_have_count(0)
    finally:
        kari_context.close()
