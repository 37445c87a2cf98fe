"""The retry action in the browser: a failed document is sent to be read again from its
page and, with every failed one shown, from the document list."""

from __future__ import annotations

from playwright.sync_api import expect

from tests import samples
from tests.e2e.conftest import shot
from tests.e2e.test_admin_sessions import ADMIN, create_first_admin

BROKEN = "Ødelagt salgsoppgave.pdf"


def test_a_failed_document_is_retried_from_its_page_and_from_the_list(page, app, tmp_path):
    create_first_admin(page, app)
    folder = tmp_path / "import"
    folder.mkdir()
    (folder / BROKEN).write_bytes(b"%PDF-1.4\n" + b"\x00ikke en pdf" * 50)  # its signature only
    samples.make_text(folder / "takst.txt", samples.TAKST)
    app.command("import", str(folder), "--owner", ADMIN[0])

    page.goto(f"{app.url}/documents")
    retry_all = page.locator("#retry-failed-button")
    expect(retry_all).to_have_text("Prøv feilede igjen (1)")
    shot(page, app, "50-retry-failed-list")

    page.get_by_role("link", name=BROKEN).click()
    expect(page.locator("#document-error")).to_be_visible()
    page.click("#retry-button")
    expect(page.get_by_text("Dokumentet leses på nytt.")).to_be_visible()
    # A broken file stays broken: read again, it fails again with its own message.
    expect(page.locator("#retry-button")).to_be_visible(timeout=60_000)
    expect(page.locator("#document-error")).to_be_visible()
    shot(page, app, "51-retry-detail")

    page.goto(f"{app.url}/documents")
    page.locator("#retry-failed-button").click()
    expect(page.get_by_text("1 dokumenter leses på nytt.")).to_be_visible()
    expect(page.locator("#retry-failed-button")).to_have_text("Prøv feilede igjen (1)",
                                                            timeout=60_000)
    log = app.log()
    assert log.count("documents sent again") == 2 and "document retry refused" not in log
