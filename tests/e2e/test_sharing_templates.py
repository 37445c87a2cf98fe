"""The templates hub and sharing in the browser, on the embedded default and in production:
a template with <script> and onerror= is stored sanitised and runs nothing in Chromium;
templates are imported from the organisation's network share (a real WebDAV server), and a
changed file imported again is a new version; a document shared with a colleague rings their
bell and shows up in their list (marked "shared with you") and search; a share link with a
password and an expiry works, is logged for the owner, and then stops working.

Pages are opened by their address (or the navigation), never by assuming where the
document list lives."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import create_engine, text

from tests.e2e.conftest import RunningApp, running_app, shot
from tests.webdav_server import DavServer

ADMIN = ("admin@example.no", "Admin-Strandkaien-12")
KARI = ("kari@example.no", "Kari-Strandkaien-12", "Kari Nordmann")
PER = ("per@example.no", "Per-Strandkaien-12", "Per Berg")
LINK_PASSWORD = "Hemmelig visning 2026"
# Each would leave a trace if it ran: the page's title, a global, a console message.
HOSTILE = ("<h1>Oppdragsbekreftelse</h1><p>Kjære kjøper, takk for oppdraget.</p>"
           "<script>document.title = 'pwned'; window.__pwned = 1; console.log('PWNED')</script>"
           "<img src=x onerror=\"document.title = 'pwned'; window.__pwned = 2; "
           "console.log('PWNED')\">"
           "<ul><li>Nøkler</li><li>Visning</li></ul>")


SHARE_USER, SHARE_PASSWORD = "kontor", "delt-passord-æøå"


@pytest.fixture(scope="module")
def share_root(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("share")


@pytest.fixture(scope="module")
def share(share_root):
    """The organisation's network share (WsgiDAV, Digest), configured by the operator."""
    with DavServer(share_root, auth="digest", user=SHARE_USER, password=SHARE_PASSWORD) as dav:
        yield dav


@pytest.fixture(scope="module", params=["embedded", "production"])
def app(request, tmp_path_factory, hibp_server, share):
    settings = {"WEBDAV_URL": share.url, "WEBDAV_USERNAME": SHARE_USER, "WEBDAV_PASSWORD": SHARE_PASSWORD}
    with running_app(request.param, tmp_path_factory, hibp_server, settings) as running:
        yield running


def sql(app: RunningApp, statement: str, **params):
    """A statement on the app's own database (SQLite file or PostgreSQL), as its operator could."""
    url = app.env.get("DATABASE_URL") or f"sqlite:///{app.data_dir / 'dokvault.db'}"
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            result = connection.execute(text(statement), params)
            return result.all() if result.returns_rows else None
    finally:
        engine.dispose()


def sign_in(page, app: RunningApp, email: str, password: str) -> None:
    page.goto(f"{app.url}/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("#sign-in")
    page.wait_for_url(lambda url: "/login" not in url and "/setup" not in url)
    expect(page.locator("#signed-in-as")).to_have_text(email)


def test_a_template_with_script_is_stored_sanitised_and_runs_nothing(page, app, browser):
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    page.goto(f"{app.url}/setup")
    page.fill("#name", "Admin")
    page.fill("#email", ADMIN[0])
    page.fill("#password", ADMIN[1])
    page.fill("#password_confirm", ADMIN[1])
    page.click("#create-admin")
    page.wait_for_url(lambda url: "/setup" not in url)

    page.click("#nav-templates")
    page.wait_for_url(re.compile(r"/templates/?$"))
    expect(page.locator("#templates-empty")).to_be_visible()
    page.click("#new-template")
    page.wait_for_url(re.compile(r"/templates/new/?$"))
    page.fill("#template-title", "Oppdragsbekreftelse")
    page.fill("#template-category", "Brev")
    page.fill("#template-html", HOSTILE)
    page.dblclick("#save-template")  # a double click makes one template
    page.wait_for_url(re.compile(r"/templates/[0-9a-f-]{36}/?$"))
    expect(page.get_by_text("Utrygge deler (skript, hendelser, eksterne ressurser) ble fjernet "
                            "før malen ble lagret.")).to_be_visible()
    preview = page.frame_locator("#template-preview")
    expect(preview.locator("h1")).to_have_text("Oppdragsbekreftelse")
    expect(preview.locator("li")).to_have_count(2)
    assert page.locator("#template-preview").get_attribute("sandbox") == ""
    shot(page, app, "60-template")

    # Stored sanitised: neither the database nor the preview has the script or the handler.
    [(stored,)] = sql(app, "SELECT html FROM template")
    assert "<script" not in stored and "onerror" not in stored and "pwned" not in stored
    src = page.locator("#template-preview").get_attribute("src")
    served = page.request.get(f"{app.url}{src}")
    assert "<script" not in served.text() and "onerror" not in served.text()
    assert "sandbox" in served.headers["content-security-policy"]
    # And nothing ran: not in the page, not in the frame.
    assert page.title() == "DokVault" and page.evaluate("window.__pwned") is None
    assert not [m for m in messages if "PWNED" in m]
    [(count,)] = sql(app, "SELECT count(*) FROM template")
    assert count == 1

    # Every save a version; an old one viewed and brought back.
    page.click("#edit-template")
    page.fill("#template-html", "<h1>Oppdragsbekreftelse</h1><p>Ny tekst.</p>")
    page.click("#save-template")
    expect(page.get_by_text("Lagret som versjon 2.")).to_be_visible()
    expect(preview.locator("p")).to_have_text("Ny tekst.")
    page.locator(".version-row", has_text="Versjon 1").locator(".view-version").click()
    expect(page.locator("#showing-old-version")).to_be_visible()
    expect(preview.locator("li")).to_have_count(2)
    page.locator(".version-row", has_text="Versjon 1").locator(".restore-version").click()
    expect(page.get_by_text("Versjon 1 er gjenopprettet som versjon 3.")).to_be_visible()
    expect(page.locator(".version-row")).to_have_count(3)

    # Search finds it by a word of its text; the public sanitiser answers as the hub stores.
    page.click("#nav-templates")
    page.fill("#template-search", "nøkler")
    expect(page.locator(".template-row")).to_have_count(1)
    page.fill("#template-search", "finnes ikke")
    expect(page.locator("#templates-empty")).to_be_visible()
    answer = page.request.post(f"{app.url}/api/sanitize", data={"html": HOSTILE})
    assert answer.ok and answer.json()["html"] == stored

    phone = browser.new_context(viewport={"width": 375, "height": 812}, locale="nb-NO",
                                storage_state=page.context.storage_state())
    try:
        small = phone.new_page()
        small.goto(f"{app.url}/templates")
        small.locator(".template-link").click()
        expect(small.frame_locator("#template-preview").locator("h1")).to_be_visible()
        shot(small, app, "61-template-phone")
    finally:
        phone.close()
    assert page.title() == "DokVault" and not [m for m in messages if "PWNED" in m]


def test_templates_are_imported_from_the_network_share(page, app, browser, share_root):
    folder = share_root / "Maler"
    folder.mkdir(exist_ok=True)
    (folder / "Sjekkliste_visning.html").write_text(
        "<h2>Sjekkliste visning</h2><ul><li>Nøkler</li><li>Visningsliste</li></ul>"
        "<img src=x onerror=\"document.title = 'pwned'\">", encoding="utf-8")
    (folder / "Standardtekst bud.htm").write_text("<p>Budet er bindende til fristen.</p>", encoding="utf-8")
    (folder / "Prisliste.pdf").write_bytes(b"%PDF-1.4 not a template")
    sign_in(page, app, *ADMIN)
    page.goto(f"{app.url}/templates")
    expect(page.locator(".template-row")).to_have_count(1)
    page.click("#import-from-share")
    expect(page.locator(".import-crumb")).to_have_text(["Nettverksdisken"])
    page.locator(".import-folder", has_text="Maler").click()
    expect(page.locator(".import-entry")).to_have_count(2)  # HTML files only
    for name in ("Sjekkliste_visning.html", "Standardtekst bud.htm"):
        page.locator(".import-entry", has_text=name).locator(".import-check").click()
    page.fill("#import-category", "Visning")
    page.locator("#import-category").blur()
    shot(page, app, "67-template-import")
    page.dblclick("#import-templates")  # a double click imports once
    expect(page.get_by_text("2 nye maler, 0 nye versjoner, 0 uendret.")).to_be_visible()
    expect(page.locator(".template-row")).to_have_count(3)
    expect(page.locator(".template-row", has_text="Sjekkliste visning")).to_contain_text("Visning")
    [(html, source)] = sql(app, "SELECT html, source FROM template WHERE title = 'Sjekkliste visning'")
    assert "onerror" not in html and "<li>Nøkler</li>" in html and source == "/Maler/Sjekkliste_visning.html"

    # The file changes on the share; imported again, it is a new version of its template.
    (folder / "Sjekkliste_visning.html").write_text(
        "<h2>Sjekkliste visning</h2><ul><li>Nøkler</li><li>Brosjyrer</li></ul>", encoding="utf-8")
    page.click("#import-from-share")
    page.locator(".import-folder", has_text="Maler").click()
    for name in ("Sjekkliste_visning.html", "Standardtekst bud.htm"):
        page.locator(".import-entry", has_text=name).locator(".import-check").click()
    page.click("#import-templates")
    expect(page.get_by_text("0 nye maler, 1 nye versjoner, 1 uendret.")).to_be_visible()
    expect(page.locator(".template-row")).to_have_count(3)
    page.locator(".template-link", has_text="Sjekkliste visning").click()
    expect(page.frame_locator("#template-preview").locator("li").nth(1)).to_have_text("Brosjyrer")
    expect(page.locator(".version-row")).to_have_count(2)

    phone = browser.new_context(viewport={"width": 375, "height": 812}, locale="nb-NO",
                                storage_state=page.context.storage_state())
    try:
        small = phone.new_page()
        small.goto(f"{app.url}/templates")
        small.click("#import-from-share")
        small.locator(".import-folder", has_text="Maler").click()
        expect(small.locator(".import-entry")).to_have_count(2)
        shot(small, app, "68-template-import-phone")
    finally:
        phone.close()


def test_sharing_with_a_colleague_and_by_a_link_that_stops_working(page, app, browser):
    for email, password, name in (KARI, PER):
        app.command("create-user", email, "--role", "broker", "--name", name,
                    "--password", password)
    folder = app.data_dir.parent / f"share-import-{app.mode}"
    folder.mkdir(exist_ok=True)
    (folder / "Kjøpekontrakt Storgata 12B.txt").write_text(
        "Kjøpekontrakt for Storgata 12B, 5003 Bergen. Kjøpesum kr 6 300 000.")
    app.command("import", str(folder), "--owner", KARI[0])
    [(raw_uid,)] = sql(app, "SELECT uid FROM document WHERE name = :name",
                       name="Kjøpekontrakt Storgata 12B.txt")
    uid = str(uuid.UUID(str(raw_uid)))
    content = (folder / "Kjøpekontrakt Storgata 12B.txt").read_bytes()

    contexts = [browser.new_context(viewport={"width": 1280, "height": 900}, locale="nb-NO")
                for _ in range(2)]
    try:
        owner, reader = (c.new_page() for c in contexts)
        sign_in(owner, app, *KARI[:2])
        sign_in(reader, app, *PER[:2])
        reader.goto(f"{app.url}/search?q=Storgata")
        expect(reader.locator("#search-none")).to_be_visible()
        expect(reader.get_by_role("link", name="Kjøpekontrakt Storgata 12B.txt")).to_have_count(0)
        expect(reader.locator("#nav-unread")).to_have_count(0)

        # Kari shares it with Per (a double click shares once).
        owner.goto(f"{app.url}/documents/{uid}")
        expect(owner.locator("#sharing-card")).to_be_visible()
        owner.click("#share-person-select")
        owner.get_by_role("option", name="Per Berg (per@example.no)").click()
        owner.dblclick("#share-person-button")
        expect(owner.get_by_text("Delt. Personen kan nå lese dokumentet.")).to_be_visible()
        expect(owner.locator(".share-row")).to_have_count(1)

        # Per's bell counts it without a reload (and a mail tells him, his default).
        expect(reader.locator("#nav-unread")).to_have_text("1", timeout=20_000)
        assert app.mail.wait_for(PER[0])[0].subject == \
            "Kari Nordmann delte «Kjøpekontrakt Storgata 12B.txt» med deg"

        # Per finds it in his list (marked shared with him) and his search, and reads it (but
        # may not change it).
        reader.click("#nav-documents")
        expect(reader.get_by_role("link", name="Kjøpekontrakt Storgata 12B.txt")).to_be_visible()
        expect(reader.locator(".document-row", has_text="Kjøpekontrakt Storgata 12B.txt")
               .locator(".shared-badge")).to_have_text("Delt med deg")
        shot(reader, app, "62-list-shared-with-you")
        reader.goto(f"{app.url}/search?q=Storgata")
        result = reader.get_by_role("link", name="Kjøpekontrakt Storgata 12B.txt")
        expect(result).to_be_visible()
        result.click()
        expect(reader.locator("#shared-with-me")).to_have_text("Delt med deg av Kari Nordmann")
        expect(reader.locator("#trash-button")).to_have_count(0)
        expect(reader.locator("#sharing-card")).to_have_count(0)
        shot(reader, app, "62-shared-with-me-detail")

        # A link with a password and a download limit.
        owner.fill("#link-days", "2")
        owner.fill("#link-password", LINK_PASSWORD)
        owner.fill("#link-max-downloads", "5")
        owner.click("#make-link")
        expect(owner.locator("#new-link-url")).to_be_visible()
        link = owner.locator("#new-link-url").inner_text()
        assert link.startswith(f"{app.url}/s/")
        shot(owner, app, "63-sharing-card")
    finally:
        for context in contexts:
            context.close()

    # Someone not signed in, on a phone: the password, then the document and nothing else.
    visitor_context = browser.new_context(viewport={"width": 375, "height": 812}, locale="nb-NO",
                                          accept_downloads=True)
    try:
        visitor = visitor_context.new_page()
        visitor.goto(link)
        expect(visitor.locator("#share-password")).to_be_visible()
        expect(visitor.get_by_text("Kjøpekontrakt Storgata 12B.txt")).to_have_count(0)
        visitor.fill("#share-password", "feil passord")
        visitor.click("#share-unlock")
        expect(visitor.locator("#share-error")).to_have_text("Feil passord.")
        visitor.fill("#share-password", LINK_PASSWORD)
        visitor.click("#share-unlock")
        expect(visitor.locator("#shared-name")).to_have_text("Kjøpekontrakt Storgata 12B.txt")
        expect(visitor.locator("#sidebar")).to_have_count(0)  # nothing else of DokVault
        shot(visitor, app, "64-link-page")
        with visitor.expect_download() as download:
            visitor.click("#shared-download")
        assert download.value.suggested_filename == "Kjøpekontrakt Storgata 12B.txt"
        assert download.value.path().read_bytes() == content
        href = visitor.locator("#shared-download").get_attribute("href")

        # Time passes: the link's expiry is behind it. The page and the file both say so.
        sql(app, "UPDATE share_link SET expires_at = :past",
            past="2020-01-01 00:00:00" if app.mode == "embedded" else "2020-01-01T00:00:00+00:00")
        visitor.reload()
        expect(visitor.locator("#share-refused")).to_have_text(
            "Lenken er utløpt. Be den som delte den om en ny.")
        assert visitor.request.get(f"{app.url}{href}").status == 410
        shot(visitor, app, "65-link-expired")
    finally:
        visitor_context.close()

    # Kari sees every use of the link: when, from where, and whether it worked.
    owner_context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nb-NO")
    try:
        owner = owner_context.new_page()
        sign_in(owner, app, *KARI[:2])
        owner.goto(f"{app.url}/documents/{uid}")
        rows = owner.locator(".access-row")
        expect(rows).to_have_count(5)
        expect(owner.locator(".link-status")).to_have_text("Utløpt")
        for outcome in ("Feil passord", "Riktig passord", "Lastet ned", "Utløpt"):
            expect(rows.filter(has_text=outcome).first).to_be_visible()
        shot(owner, app, "66-access-log")
        owner.click("#nav-documents")  # her list: shared (with a person, not her office)
        expect(owner.locator(".document-row", has_text="Kjøpekontrakt Storgata 12B.txt")
               .locator(".shared-badge")).to_have_text("Delt")
    finally:
        owner_context.close()
    kinds = {k for (k,) in sql(app, "SELECT DISTINCT kind FROM audit_event")}
    assert {"document.shared_user", "document.shared_link", "share_link.accessed"} <= kinds
