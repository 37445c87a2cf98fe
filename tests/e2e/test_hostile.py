"""Hostile files in the browser: a zip bomb fails at once with its own message, and a mail
nested too deep says on its page, in Norwegian and in English, which attachments it did
not bring and why."""

from __future__ import annotations

from playwright.sync_api import expect

from bench import hostile_files as h
from tests.e2e.conftest import shot
from tests.e2e.test_admin_sessions import ADMIN, create_first_admin

MIB = 1024 * 1024


def test_bombs_fail_with_their_message_and_skipped_attachments_are_shown(page, app, tmp_path):
    create_first_admin(page, app)
    folder = tmp_path / "import"
    folder.mkdir()
    h.docx_bomb(folder / "bombe.docx", 200 * MIB)
    h.eml_nested(folder / "dyp.eml", 7, 1)
    app.command("import", str(folder), "--owner", ADMIN[0])

    page.goto(f"{app.url}/documents")
    page.get_by_role("link", name="bombe.docx").click()
    expect(page.locator("#document-error")).to_have_text(
        "Filen pakker seg ut til langt mer enn størrelsen sin; den ble ikke lest.", timeout=60_000)

    page.goto(f"{app.url}/documents")
    page.get_by_role("link", name="dyp.eml").click()
    for level in range(1, 6):  # down the chain of attached mails to the fifth
        link = page.locator(".attachment-link", has_text=f"Nivå e{'.0' * level}.eml")
        expect(link).to_be_visible(timeout=60_000)
        link.click()
        expect(page.locator("#document-title")).to_have_text(f"Nivå e{'.0' * level}.eml")
    notices = page.locator("#document-notices")
    expect(notices).to_contain_text("2 vedlegg ble ikke importert: vedlegg hentes bare 5 nivåer ned",
                                    timeout=60_000)
    shot(page, app, "40-attachments-not-imported")
    page.click("#toggle-language")
    expect(notices).to_contain_text("2 attachments were not imported: attachments are only taken "
                                    "5 levels down")
    page.click("#toggle-language")
