"""The walking skeleton in the browser, on the embedded default and on production servers:
create the admin, sign in, upload three files, watch them become ready, open one, search
a word from the PDF, download it, trash and restore it; then bad input."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests import samples
from tests.e2e.conftest import MAX_UPLOAD_MB, shot

ADMIN_EMAIL = "kari.megler@example.no"
ADMIN_PASSWORD = "Strandkaien-12-Stavanger"
UPLOAD_INPUT = "#documents input[type=file]"


def sign_in(page, app) -> None:
    page.goto(f"{app.url}/login")
    page.fill("#email", ADMIN_EMAIL)
    page.fill("#password", ADMIN_PASSWORD)
    page.click("#sign-in")
    page.wait_for_url(f"{app.url}/")
    expect(page.locator("#signed-in-as")).to_have_text(ADMIN_EMAIL)
    page.goto(f"{app.url}/documents")  # sign-in lands on the dashboard; the list is here


def upload(page, files) -> None:
    page.set_input_files(UPLOAD_INPUT, files)
    expect(page.locator("#upload-button")).to_be_visible()
    page.click("#upload-button")


def file_payload(path) -> dict:
    return {"name": path.name, "mimeType": "application/octet-stream", "buffer": path.read_bytes()}


def row(page, name: str):
    return page.locator(".document-row", has=page.get_by_role("link", name=name, exact=True))


def test_first_admin_upload_search_download_trash(page, app, tmp_path):
    pdf = samples.make_pdf(tmp_path / "Salgsoppgave Strandkaien.pdf",
                           [samples.SALGSOPPGAVE, samples.ENERGIATTEST])
    docx = samples.make_docx(tmp_path / "Kjøpekontrakt.docx", [samples.KJOPEKONTRAKT],
                             table_rows=[["Kjøpesum", "6 300 000"]])
    note = samples.make_text(tmp_path / "Visningsnotat.md", "# Visning\n\n" + samples.TAKST)

    # First visit: no users yet, so the set-up page creates the administrator.
    page.goto(f"{app.url}/")
    page.wait_for_url(re.compile(r"/setup/?$"))
    shot(page, app, "01-setup")
    # The brand comes from assets/: the logo on the card, the favicon for the tab.
    expect(page.locator("#brand-logo")).to_be_visible()
    assert page.eval_on_selector("#brand-logo", "img => img.naturalWidth") > 0
    favicon = page.request.get(f"{app.url}/favicon.ico")
    assert favicon.ok and favicon.body()[:4] == b"\x00\x00\x01\x00"  # an ICO file
    page.fill("#name", "Kari Megler")
    page.fill("#email", ADMIN_EMAIL)
    page.fill("#password", ADMIN_PASSWORD)
    page.fill("#password_confirm", ADMIN_PASSWORD)
    page.click("#create-admin")
    page.wait_for_url(f"{app.url}/")
    expect(page.locator("#signed-in-as")).to_have_text(ADMIN_EMAIL)
    page.goto(f"{app.url}/documents")

    # The access and refresh cookies are httpOnly and SameSite=Strict: scripts cannot read them.
    for name in ("dokvault_access", "dokvault_refresh"):
        cookie = next(c for c in page.context.cookies() if c["name"] == name)
        assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
        assert f"{name}=" not in page.evaluate("document.cookie")

    # Three files through the file chooser, each with its own progress row.
    upload(page, [str(pdf), str(docx), str(note)])
    expect(page.locator(".upload-row")).to_have_count(3)
    expect(page.locator(".upload-row", has_text="Lagret")).to_have_count(3)

    # Statuses move to "Klar" by themselves, without a reload.
    expect(page.locator(".document-row")).to_have_count(3)
    expect(page.locator(".document-row .status-badge", has_text="Klar")).to_have_count(3,
                                                                                    timeout=60_000)
    expect(page.locator("#document-count")).to_have_text("3 dokumenter")
    shot(page, app, "02-documents")

    # Sortable: by name, then the other way round.
    names = page.locator(".document-row .document-link")
    page.click("#sort-name")
    expect(names).to_have_text(["Kjøpekontrakt.docx", "Salgsoppgave Strandkaien.pdf",
                                "Visningsnotat.md"])
    page.click("#sort-name")
    expect(names.first).to_have_text("Visningsnotat.md")

    # Open the PDF: metadata, thumbnail and its extracted text.
    page.get_by_role("link", name="Salgsoppgave Strandkaien.pdf").click()
    expect(page.locator("#document-title")).to_have_text("Salgsoppgave Strandkaien.pdf")
    expect(page.locator("#document-text")).to_contain_text("Eiendommene til kjøperen")
    expect(page.locator("#document-thumbnail")).to_be_visible()
    assert page.locator("#document-thumbnail").evaluate("img => img.naturalWidth") > 0
    shot(page, app, "03-detail")

    # Download returns exactly the uploaded bytes, under the human name.
    with page.expect_download() as download_info:
        page.click("#download-link")
    download = download_info.value
    assert download.suggested_filename == "Salgsoppgave Strandkaien.pdf"
    assert download.path().read_bytes() == pdf.read_bytes()

    # Search a word from the PDF, in other inflections than the text has.
    page.click("#nav-search")
    page.fill("#search-input", "eiendom kjøper")
    page.click("#search-button")
    expect(page.locator(".search-result")).to_have_count(1)
    expect(page.locator(".search-result .result-link")).to_have_text(
        "Salgsoppgave Strandkaien.pdf")
    expect(page.locator(".search-result mark.search-hit").first).to_be_visible()
    shot(page, app, "04-search")
    page.fill("#search-input", "energikarakter")
    page.click("#search-button")
    expect(page.locator(".search-result .result-link")).to_have_text(
        "Salgsoppgave Strandkaien.pdf")
    page.fill("#search-input", "ubåtflyplass")
    page.click("#search-button")
    expect(page.locator("#search-none")).to_be_visible()

    # Trash it: gone from the list and from search, present in the trash; then restore.
    page.click("#nav-documents")
    row(page, "Salgsoppgave Strandkaien.pdf").get_by_role("link").click()
    page.click("#trash-button")
    expect(page.locator("#in-trash")).to_be_visible()
    page.click("#nav-documents")
    expect(page.locator(".document-row")).to_have_count(2)
    page.click("#nav-trash")
    expect(page.locator(".trash-row")).to_have_count(1)
    shot(page, app, "05-trash")
    page.locator(".trash-row .restore-button").click()
    expect(page.locator("#trash-empty")).to_be_visible()
    page.click("#nav-documents")
    expect(page.locator(".document-row")).to_have_count(3)

    # English on choice.
    page.click("#toggle-language")
    expect(page.locator("#document-count")).to_have_text("3 documents")
    page.click("#toggle-language")

    # Sign out: the session is revoked on the server and pages send you to sign in.
    page.click("#sign-out")
    page.wait_for_url(re.compile(r"/login"))
    expect(page.locator("#form-info")).to_be_visible()
    page.goto(f"{app.url}/")
    page.wait_for_url(re.compile(r"/login/?$"))


def test_bad_input_is_refused_with_a_clear_message(page, app, tmp_path):
    sign_in(page, app)
    expect(page.locator(".document-row")).to_have_count(3)

    good = samples.make_text(tmp_path / "good.txt", "Oppgjørsoppstilling fra megler.")
    corrupt = samples.make_corrupt_pdf(tmp_path / "skadet.pdf")
    empty = tmp_path / "tom.txt"
    empty.write_bytes(b"")
    upload(page, [
        *(file_payload(p) for p in (good, corrupt, empty)),
        {"name": "../../etc/passwd.txt", "mimeType": "text/plain", "buffer": b"root:x:0:0"},
        {"name": "rapport\u202e\u0007.md", "mimeType": "text/markdown", "buffer": b"# Rapport"},
        {"name": "falsk.pdf", "mimeType": "application/pdf", "buffer": b"just text, not a pdf"},
    ])
    expect(page.locator(".upload-row")).to_have_count(6)
    expect(page.locator(".upload-row", has_text="Filen er tom")).to_have_count(1)
    expect(page.locator(".upload-row", has_text="passer ikke med filtypen")).to_have_count(1)
    expect(page.locator(".upload-row", has_text="Lagret")).to_have_count(4)

    # The hostile name is kept only as a harmless display name.
    expect(row(page, "passwd.txt")).to_have_count(1)
    expect(row(page, "rapport.md")).to_have_count(1)

    # The corrupt PDF fails with a reason a person can read; the others are unaffected.
    failed = row(page, "skadet.pdf")
    expect(failed.locator(".status-badge")).to_have_text("Feilet", timeout=60_000)
    expect(failed).to_contain_text("PDF-filen er skadet")
    expect(page.locator(".document-row .status-badge", has_text="Klar")).to_have_count(
        6, timeout=60_000)
    shot(page, app, "06-bad-input")

    # Over the size limit: refused in the browser before any byte is sent.
    big = tmp_path / "stor.txt"
    big.write_bytes(b"a" * (MAX_UPLOAD_MB * 1024 * 1024 + 1))
    page.set_input_files(UPLOAD_INPUT, str(big))
    expect(page.get_by_text(f"større enn grensen på {MAX_UPLOAD_MB} MB")).to_be_visible()

    # Another user's or an unknown document id: the same "not found", nothing leaks.
    page.goto(f"{app.url}/documents/00000000-0000-4000-8000-000000000000")
    expect(page.locator("#not-found")).to_be_visible()
    # (The browser itself asks: its token is bound to its User-Agent and languages.)
    response = page.goto(f"{app.url}/api/documents/00000000-0000-4000-8000-000000000000/download")
    assert response.status == 404
