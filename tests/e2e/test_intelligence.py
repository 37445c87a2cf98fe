"""Document intelligence in the browser: the review queue (accept, correct, keys, accuracy),
type and fields corrected on a document's own page (kept after a reload, on a phone too),
the taxonomy admin page, and an LLM provider chosen on the AI page — a local fake speaking
OpenAI's wire format — classifying a new document."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from dokvault.core import net
from tests.e2e.conftest import RunningApp, running_app, shot
from tests.e2e.test_admin_sessions import ADMIN, create_first_admin
from tests.e2e.test_admin_sessions import sign_in as sign_in_as
from tests.samples import ENERGIATTEST, KJOPEKONTRAKT, TAKST

API_KEY = "sk-proj-e2e-key-0123456789"


@pytest.fixture(scope="module")
def openai_server():
    from tests.fakes.openai_fake import OpenAIFake

    with OpenAIFake(flavour="openai", api_key=API_KEY) as fake:
        yield fake


@pytest.fixture(scope="module", params=["embedded", "production"])
def app(request, tmp_path_factory, hibp_server, openai_server) -> Iterator[RunningApp]:
    """The app, with the operator allowing the fake's address (127.0.0.1 is refused otherwise)."""
    allowed = {"OUTBOUND_ALLOWED_HOSTS": net.host_port(openai_server.url)}
    with running_app(request.param, tmp_path_factory, hibp_server, allowed) as running:
        yield running


def sign_in(page, app) -> None:
    sign_in_as(page, app, *ADMIN)


def import_texts(app, tmp_path, texts: dict[str, str]) -> None:
    folder = tmp_path / "import"
    folder.mkdir(exist_ok=True)
    for name, text in texts.items():
        (folder / name).write_text(text)
    app.command("import", str(folder), "--owner", ADMIN[0])


def test_review_queue_accept_correct_and_accuracy(page, app, tmp_path):
    create_first_admin(page, app)
    import_texts(app, tmp_path, {"kontrakt.txt": KJOPEKONTRAKT, "energi.txt": ENERGIATTEST,
                                 "takst.txt": TAKST})
    page.click("#nav-review")
    expect(page.locator("#review-waiting")).to_have_text("3 venter")
    expect(page.locator(".review-item")).to_have_count(3)
    shot(page, app, "30-review")

    first = page.locator("#review-document").inner_text()
    page.keyboard.press("a")  # accept all
    expect(page.locator("#review-waiting")).to_have_text("2 venter")
    expect(page.locator("#review-document")).not_to_have_text(first)

    # Correct the type and a tag, then save with the keyboard.
    page.locator("#review-type").click()
    page.get_by_role("option", name="Tilstandsrapport").click()
    page.locator(".review-tag", has_text="Haster").click()
    expect(page.locator(".review-tag", has_text="Haster")).to_have_attribute("data-chosen", "true")
    page.locator("#review-title").click()
    page.keyboard.press("End")
    page.keyboard.press("s")  # typed into the title: not a shortcut
    expect(page.locator("#review-title")).to_have_value(re.compile("s$"))
    page.locator("#review-save").click()
    expect(page.locator("#review-waiting")).to_have_text("1 venter")
    rows = page.locator(".accuracy-row")
    expect(rows.filter(has_text="Type")).to_contain_text("50%")
    shot(page, app, "31-review-accuracy")

    page.keyboard.press("a")
    expect(page.locator("#review-empty")).to_be_visible()


def test_a_field_corrected_on_the_document_page_is_kept(page, app, tmp_path):
    import_texts(app, tmp_path, {"kontrakt-rettes.txt": KJOPEKONTRAKT + "\nSak 2026-0912\n"})
    sign_in(page, app)
    page.get_by_role("link", name="kontrakt-rettes.txt").click()
    expect(page.locator("#edit-fields")).to_be_visible(timeout=60_000)  # once its suggestions are in
    page.click("#edit-fields")
    price = page.locator('#edit-form input[data-key="price"]')
    price.fill("seks millioner")
    page.locator('#edit-form input[data-key="takeover_date"]').fill("31.02.2026")
    page.click("#edit-save")
    expect(page.locator('.field-error[data-key="price"]')).to_contain_text("beløp")
    expect(page.locator('.field-error[data-key="takeover_date"]')).to_contain_text("dd.mm.åååå")
    shot(page, app, "36-detail-field-errors")

    price.fill("kr 6 450 000")
    page.locator('#edit-form input[data-key="takeover_date"]').fill("01.04.2026")
    page.locator("#edit-type").click()
    page.get_by_role("option", name="Oppgjørsoppstilling").click()
    page.locator("#edit-save").dblclick()  # acts once: the second click finds the editor closed
    expect(page.locator("#edit-form")).to_have_count(0)
    expect(page.get_by_text("Lagret")).to_be_visible()
    expect(page.locator('.document-field[data-key="price"]')).to_contain_text("6\u00a0450\u00a0000")
    expect(page.locator("#document-type")).to_have_text("Oppgjørsoppstilling")

    page.reload()
    expect(page.locator('.document-field[data-key="price"]')).to_contain_text("6\u00a0450\u00a0000")
    expect(page.locator('.document-field[data-key="takeover_date"]')).to_contain_text("01.04.2026")
    expect(page.locator("#document-type")).to_have_text("Oppgjørsoppstilling")
    expect(page.locator("#unconfirmed")).to_have_count(0)  # corrected is confirmed

    # On a phone the editor is one column and its buttons are in reach.
    page.set_viewport_size({"width": 375, "height": 800})
    page.click("#edit-fields")
    expect(page.locator('#edit-form input[data-key="price"]')).to_have_value("kr 6\u00a0450\u00a0000")
    page.locator("#edit-cancel").scroll_into_view_if_needed()
    shot(page, app, "37-detail-edit-phone")
    box = page.locator('#edit-form input[data-key="price"]').bounding_box()
    assert box is not None and box["width"] <= 375
    page.click("#edit-cancel")
    expect(page.locator("#edit-form")).to_have_count(0)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_admin_edits_the_taxonomy_and_tests_a_rule(page, app):
    sign_in(page, app)
    page.click("#nav-admin_taxonomy")
    expect(page.locator(".type-row")).to_have_count(15)
    page.click("#tab-tags")
    page.click("#add-tag")
    page.fill("#item-name", "Strandkaien")
    page.locator("#item-algorithm").click()
    page.get_by_role("option", name="Ett av ordene").click()
    page.fill("#item-match", "strandkaien vågen")
    page.click("#item-save")
    expect(page.locator(".tag-row", has_text="Strandkaien")).to_be_visible()
    shot(page, app, "32-taxonomy")

    page.fill("#rule-match", "(unclosed")
    page.locator("#rule-algorithm").click()
    page.get_by_role("option", name="Regulært uttrykk").click()
    page.fill("#rule-sample", "Kjøpekontrakt for Strandkaien 12")
    page.click("#rule-test")
    expect(page.locator("#rule-error")).to_be_visible()

    # A pattern that would backtrack for hours gives up, and says so.
    page.fill("#rule-match", "(a|aa)+$")
    page.fill("#rule-sample", "a" * 40 + "b")
    page.click("#rule-test")
    expect(page.locator("#rule-error")).to_contain_text("ga opp")
    shot(page, app, "32-taxonomy-slow-rule")


def test_an_llm_chosen_by_the_admin_classifies_new_documents(page, app, tmp_path,
                                                             openai_server):
    sign_in(page, app)
    page.click("#nav-admin_ai")
    page.click("#ai-provider")
    page.click("#ai-provider-openai")
    page.fill("#ai-base-url", openai_server.base_url)
    page.fill("#ai-api-key", API_KEY)
    # Tested as typed, before saving: the fake sees the key; nothing is stored yet.
    page.click("#ai-test")
    expect(page.locator("#ai-health")).to_have_class(re.compile("health-ok"))
    expect(page.locator("#ai-key-none")).to_be_visible()
    assert openai_server.calls("/v1/chat/completions")[-1].headers["authorization"] == f"Bearer {API_KEY}"
    page.click("#ai-save")
    expect(page.locator("#ai-key-stored")).to_be_visible()
    assert API_KEY not in page.content()  # the key never comes back to the browser
    page.click("#ai-test")
    expect(page.locator("#ai-health")).to_have_class(re.compile("health-ok"))
    shot(page, app, "33-ai-settings")

    # New content: the import skips what its owner has stored already, by checksum.
    import_texts(app, tmp_path, {"kontrakt-llm.txt": KJOPEKONTRAKT + "\nOppdragsnummer 2026-0417\n"})
    chats = openai_server.calls("/v1/chat/completions")
    assert chats and all(r.headers.get("authorization") == f"Bearer {API_KEY}" for r in chats)
    page.click("#nav-review")
    page.locator(".review-item", has_text="kontrakt-llm.txt").click()
    expect(page.get_by_text("Foreslått av openai")).to_be_visible()


def test_a_mail_with_a_scanned_attachment_is_read_linked_and_classified(page, app, tmp_path):
    import io
    from email.message import EmailMessage

    from tests.unit.test_ocr import scan

    png = io.BytesIO()
    scan().save(png, format="PNG", dpi=(300, 300))
    message = EmailMessage()
    message["From"] = "Åse Kjærnes <ase@megler.example>"
    message["To"] = "Ola Nordmann <ola@example.no>"
    message["Subject"] = "Signert kjøpekontrakt"
    message.set_content("Hei Ola,\n\nvedlagt er den skannede kjøpekontrakten.\n\nHilsen Åse")
    message.add_attachment(png.getvalue(), maintype="image", subtype="png",
                           filename="skannet kontrakt.png")
    folder = tmp_path / "mail"
    folder.mkdir()
    (folder / "Signert kjøpekontrakt.eml").write_bytes(message.as_bytes())
    app.command("import", str(folder), "--owner", ADMIN[0])

    sign_in(page, app)
    page.get_by_role("link", name="Signert kjøpekontrakt.eml").click()
    expect(page.locator("#document-text")).to_contain_text("vedlagt er den skannede")
    attachment = page.locator(".attachment-link", has_text="skannet kontrakt.png")
    expect(attachment).to_be_visible(timeout=120_000)
    attachment.click()
    expect(page.locator("#attached-to")).to_have_text("Signert kjøpekontrakt.eml")
    expect(page.locator("#document-text")).to_contain_text("Kjøpesummen", timeout=120_000)
    expect(page.locator("#document-type")).to_have_text("Kjøpekontrakt")
    expect(page.locator("#searchable-link")).to_be_visible()
    shot(page, app, "34-scanned-attachment")
    with page.expect_download() as download:
        page.locator("#searchable-link").click()
    assert download.value.suggested_filename == "skannet kontrakt (OCR).pdf"
    assert download.value.path().read_bytes().startswith(b"%PDF-")


def test_search_with_facets_filters_and_suggestions(page, app):
    sign_in(page, app)
    page.click("#nav-search")
    page.fill("#search-input", "kjøper")
    page.click("#search-button")
    expect(page.locator(".search-result").first).to_be_visible()
    facet = page.locator('.facet-type[data-name="Kjøpekontrakt"]')
    expect(facet).to_be_visible()
    everything = page.locator(".search-result").count()
    facet.click()
    expect(page.locator("#search-input")).to_have_value(re.compile(r'type:"?Kjøpekontrakt'))
    expect(page.locator(".search-result").first).to_be_visible()
    assert page.locator(".search-result").count() <= everything
    shot(page, app, "35-search-facets")

    # A filter for a type nothing has: nothing found, said plainly.
    page.fill("#search-input", "kjøper type:Skjøte")
    page.click("#search-button")
    expect(page.locator("#search-none")).to_be_visible()

    # Suggestions while typing complete a filter from the taxonomy.
    page.fill("#search-input", "")
    page.locator("#search-input").press_sequentially("type:Energ", delay=50)
    expect(page.locator(".search-suggestion", has_text="Energiattest").first).to_be_visible()
