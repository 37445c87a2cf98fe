"""Drives and web import in the browser, on the embedded default and on production: connect a
WebDAV drive (Digest, a password with æøå), browse it, import a folder and find a word from it
by search, export a document and see it on the server, keep a folder in sync and see a new
file come in once; import a web page through the Firecrawl fake and find it; export from a
document's page (a taken name gets a number) and a selection from the document list; page
through a folder of more than one page, ticking files on two pages and importing them."""

from __future__ import annotations

import re
import secrets
from pathlib import Path

import pytest
from playwright.sync_api import expect

from dokvault.drives.types import PAGE_SIZE
from tests.e2e.conftest import running_app, shot
from tests.fakes.firecrawl import API_KEY, FirecrawlFake
from tests.webdav_server import PASSWORD, USER, DavServer

ADMIN = ("leder@example.no", "Leder-Strandkaien-12")
WEB_PAGE = "https://megler.example/nyheter/rentemote"


@pytest.fixture(scope="module")
def dav_root(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("dav")


@pytest.fixture(scope="module")
def dav(dav_root):
    with DavServer(dav_root, auth="digest") as server:
        yield server


@pytest.fixture(scope="module")
def firecrawl():
    with FirecrawlFake() as fake:
        fake.add_page(WEB_PAGE, "Rentemøtet i desember",
                      "# Rentemøtet i desember\n\nNorges Bank holdt styringsrenten uendret på rentemøtet.")
        yield fake


@pytest.fixture(scope="module", params=["embedded", "production"])
def app(request, tmp_path_factory, hibp_server, dav, firecrawl):
    settings = {
        "CLOUD_CREDS_KEY": secrets.token_hex(32),
        "OUTBOUND_ALLOWED_HOSTS": dav.host,  # an on-premises WebDAV the operator allowed
        "FIRECRAWL_API_KEY": API_KEY, "FIRECRAWL_API_URL": firecrawl.url, "FIRECRAWL_TIMEOUT_MS": "5000",
    }
    with running_app(request.param, tmp_path_factory, hibp_server, settings) as running:
        yield running


def set_up(page, app, dav_root: Path, mode: str) -> Path:
    """The first administrator, and a fresh folder tree on the server for this mode."""
    page.goto(f"{app.url}/setup")
    page.fill("#name", "Kontorleder")
    page.fill("#email", ADMIN[0])
    page.fill("#password", ADMIN[1])
    page.fill("#password_confirm", ADMIN[1])
    page.click("#create-admin")
    page.wait_for_url(lambda url: "/setup" not in url)
    root = dav_root / mode
    (root / "Kontrakter æøå").mkdir(parents=True)
    (root / "Kontrakter æøå" / "Kjøpekontrakt Storgata 5.txt").write_text(
        "Kjøpekontrakt for eiendommen i Storgata 5. Kjøpesum kr 4 500 000. Overtakelse 1.3.2027.")
    (root / "Kontrakter æøå" / "Takst Bjørkeveien.txt").write_text("Takst for Bjørkeveien 12.")
    (root / "Kontrakter æøå" / "program.exe").write_bytes(b"MZ\x90\x00" + b"\x00" * 100)
    (root / "Eksport").mkdir()
    (root / "Synk").mkdir()
    (root / "Synk" / "Første.txt").write_text("Den første filen i synk-mappen.")
    return root


def search_until_found(page, app, words: str, name: str) -> None:
    """Search until the imported document has been read (reading runs in the background)."""
    page.goto(f"{app.url}/search")
    for _ in range(30):
        page.fill("#search-input", words)
        page.click("#search-button")
        try:
            expect(page.locator(".search-result .result-link")).to_have_text(name, timeout=2_000)
            return
        except AssertionError:
            continue
    raise AssertionError(f"{name} was not found by {words!r}")


def open_folder(page, name: str) -> None:
    page.locator(".folder-link", has_text=name).click()
    expect(page.locator("#breadcrumbs")).to_contain_text(name)


def test_connect_browse_import_search_export_and_sync(page, app, dav, dav_root):
    root = set_up(page, app, dav_root, app.mode)
    page.goto(f"{app.url}/drives")
    expect(page.get_by_role("heading", name="Disker").first).to_be_visible()
    page.click("#connect-kind")
    page.get_by_role("option", name="WebDAV").click()
    page.fill("#connect-url", f"{dav.url}{app.mode}/")
    page.fill("#connect-username", USER)
    page.fill("#connect-password", PASSWORD)
    page.click("#connect-button")
    expect(page.get_by_text("Disken er koblet til.")).to_be_visible()
    card = page.locator(".connection-card")
    expect(card).to_have_count(1)
    expect(card.locator(".connection-status")).to_have_text("Tilkoblet")
    assert PASSWORD not in page.content()

    # Browse: a folder with æøå, then import all of it.
    card.locator(".browse-button").click()
    expect(page.locator(".folder-link", has_text="Kontrakter æøå")).to_be_visible()
    open_folder(page, "Kontrakter æøå")
    expect(page.locator(".file-name")).to_have_count(3)
    shot(page, app, "70-drive-browse")
    page.click("#import-folder")
    expect(page.get_by_text("Importen er startet.")).to_be_visible()
    transfer = page.locator(".transfer-card").first
    expect(transfer.locator(".transfer-summary")).to_have_text(
        "2 ferdig, 1 feilet, 0 hoppet over, av 3", timeout=60_000)
    expect(transfer.locator(".item-error")).to_contain_text("Filtypen støttes ikke")
    shot(page, app, "71-drive-imported")
    search_until_found(page, app, "Storgata kjøpesum", "Kjøpekontrakt Storgata 5.txt")

    # Export the contract to another folder: it appears on the server.
    page.goto(f"{app.url}/drives")
    page.locator(".connection-card .browse-button").click()
    open_folder(page, "Eksport")
    page.click("#export-here")
    page.locator(".export-row", has_text="Kjøpekontrakt Storgata 5.txt").locator(".export-check").click()
    page.click("#export-button")
    expect(page.get_by_text("Eksporten er startet.")).to_be_visible()
    expect(page.locator(".transfer-card").first.locator(".transfer-summary")).to_have_text(
        "1 ferdig, 0 feilet, 0 hoppet over, av 1", timeout=60_000)
    exported = root / "Eksport" / "Kjøpekontrakt Storgata 5.txt"
    assert exported.read_text().startswith("Kjøpekontrakt for eiendommen i Storgata 5.")
    shot(page, app, "72-drive-exported")

    # Keep a folder in sync: what is there comes in, then a new file, once.
    page.locator(".crumb").first.click()
    open_folder(page, "Synk")
    page.click("#keep-in-sync")
    expect(page.locator(".sync-row")).to_have_count(1)
    first_sync = page.locator(".transfer-card", has_text="Første.txt")
    expect(first_sync.locator(".transfer-summary")).to_have_text(
        "1 ferdig, 0 feilet, 0 hoppet over, av 1", timeout=60_000)
    transfers_before = page.locator(".transfer-card").count()
    (root / "Synk" / "Ny avtale.txt").write_text("En ny avtale om visning med ordet solsikkefelt.")
    page.locator(".sync-now").click()
    expect(page.locator(".transfer-card")).to_have_count(transfers_before + 1, timeout=30_000)
    expect(page.locator(".transfer-card").first).to_contain_text("Ny avtale.txt")
    expect(page.locator(".transfer-card").first.locator(".transfer-summary")).to_have_text(
        "1 ferdig, 0 feilet, 0 hoppet over, av 1", timeout=60_000)
    page.locator(".sync-now").click()  # nothing new: no transfer, nothing imported twice
    expect(page.get_by_text("Mappen hentes nå.").last).to_be_visible()
    page.reload()
    expect(page.locator(".sync-row")).to_have_count(1)
    expect(page.locator(".transfer-card")).to_have_count(transfers_before + 1)
    search_until_found(page, app, "solsikkefelt", "Ny avtale.txt")
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{app.url}/drives")
    expect(page.locator(".connection-card")).to_have_count(1)
    shot(page, app, "73-drives-phone")


def sign_in(page, app) -> None:
    page.goto(f"{app.url}/login")
    page.fill("#email", ADMIN[0])
    page.fill("#password", ADMIN[1])
    page.click("#sign-in")
    page.wait_for_url(lambda url: "/login" not in url)


def test_a_web_page_is_imported_through_firecrawl_and_found(page, app, firecrawl):
    sign_in(page, app)
    page.goto(f"{app.url}/drives/web")
    page.fill("#web-url", "http://127.0.0.1:9/admin")  # an internal address: refused, nothing sent
    page.click("#web-import-page")
    expect(page.locator("#web-error")).to_contain_text("intern")
    page.fill("#web-url", WEB_PAGE)
    page.click("#web-import-page")
    expect(page.get_by_text("Importen er startet.")).to_be_visible()
    item = page.locator(".web-import").first
    expect(item.locator(".web-document")).to_have_text("Rentemøtet i desember", timeout=60_000)
    expect(item.locator(".web-progress")).to_have_text("1 av høyst 1 sider")
    shot(page, app, "74-web-import")
    assert not any(b.get("url", "").startswith("http://127.0.0.1:9") for _, _, _, b in firecrawl.requests)
    search_until_found(page, app, "styringsrenten", "Rentemøtet i desember.md")


def export_to(page, folder: str) -> None:
    """In the export dialog: the only drive is chosen already; open `folder`, export there."""
    dialog = page.locator("#export-dialog")
    expect(dialog.locator("#export-crumbs")).to_contain_text("WebDAV")
    dialog.locator(".export-folder", has_text=folder).click()
    expect(dialog.locator("#export-crumbs")).to_contain_text(folder)
    expect(dialog.locator("#export-start")).to_contain_text(folder)


def test_export_from_a_documents_page_and_from_a_selection_in_the_list(page, app, dav_root):
    root = dav_root / app.mode
    (root / "Fra listen").mkdir()
    sign_in(page, app)

    # From the document's page, to the folder that has the contract already: a number is added.
    page.goto(f"{app.url}/documents")
    page.locator(".document-link", has_text="Kjøpekontrakt Storgata 5.txt").click()
    expect(page.locator("#document-title")).to_have_text("Kjøpekontrakt Storgata 5.txt")
    page.click("#export-to-drive")
    dialog = page.locator("#export-dialog")
    expect(dialog).to_contain_text("1 dokument(er)")
    export_to(page, "Eksport")
    shot(page, app, "75-export-dialog")
    dialog.locator("#export-start").click()
    expect(dialog.locator("#export-summary")).to_have_text("1 ferdig, 0 feilet, 0 hoppet over, av 1",
                                                           timeout=60_000)
    expect(dialog).to_contain_text("→ Kjøpekontrakt Storgata 5 (2).txt")
    shot(page, app, "76-export-done")
    assert (root / "Eksport" / "Kjøpekontrakt Storgata 5 (2).txt").read_text().startswith(
        "Kjøpekontrakt for eiendommen i Storgata 5.")
    page.get_by_role("button", name="Lukk").click()
    expect(dialog).to_have_count(0)

    # A selection in the list: two documents, one export.
    page.goto(f"{app.url}/documents")
    for name in ("Takst Bjørkeveien.txt", "Første.txt"):
        page.locator(".document-row", has_text=name).locator(".select-document").click()
    expect(page.locator("#selected-count")).to_have_text("2 valgt")
    shot(page, app, "77-list-selection")
    page.click("#export-selection")
    expect(dialog).to_contain_text("2 dokument(er)")
    export_to(page, "Fra listen")
    dialog.locator("#export-start").click()
    expect(dialog.locator("#export-summary")).to_have_text("2 ferdig, 0 feilet, 0 hoppet over, av 2",
                                                           timeout=60_000)
    assert sorted(p.name for p in (root / "Fra listen").iterdir()) == ["Første.txt", "Takst Bjørkeveien.txt"]
    assert (root / "Fra listen" / "Takst Bjørkeveien.txt").read_text() == "Takst for Bjørkeveien 12."


def showings(folder: Path, count: int) -> list[str]:
    """`count` small files with Norwegian names in `folder`, in the order the drive lists them
    (the number first, so the order does not hang on how æ, ø and å sort)."""
    streets = ("Ærfuglveien", "Østre Strandgate", "Åsgårdveien")
    folder.mkdir()
    names = [f"Visning {n:03d} {streets[n % 3]}.txt" for n in range(1, count + 1)]
    for name in names:
        (folder / name).write_text(f"Visningsrapport: {name[:-4]}.")
    return names


def ticked_count(n: int) -> re.Pattern:
    """The import button's label and its count of files ticked."""
    return re.compile(rf"^Importer valgte\s*{n}$")


def test_a_folder_of_more_than_a_page_is_paged_and_its_files_imported_across_pages(page, app, dav_root):
    names = showings(dav_root / app.mode / "Visninger æøå", 2 * PAGE_SIZE + 30)
    first, second, last = names[:PAGE_SIZE], names[PAGE_SIZE:2 * PAGE_SIZE], names[2 * PAGE_SIZE:]
    files, ticked = page.locator(".file-name"), page.locator("#import-selected")
    previous, next_page = page.locator("#drive-prev"), page.locator("#drive-next")
    shown_page = page.locator("#drive-page")

    def tick(name: str) -> None:
        page.locator(".entry-row", has_text=name).locator(".entry-check").click()

    def is_ticked(name: str):
        return expect(page.locator(".entry-row", has_text=name).locator(".entry-check"))

    sign_in(page, app)
    page.goto(f"{app.url}/drives")
    page.locator(".connection-card .browse-button").click()
    expect(page.locator(".folder-link", has_text="Visninger æøå")).to_be_visible()
    expect(next_page).to_have_count(0)  # the drive's root fits on one page
    open_folder(page, "Visninger æøå")

    # The first page: next, no previous. Two files ticked.
    expect(files).to_have_text(first)
    expect(next_page).to_have_text("Neste side")
    expect(previous).to_have_count(0)
    expect(shown_page).to_have_text("Side 1")
    tick(first[0])
    tick(first[41])
    expect(ticked).to_have_text(ticked_count(2))

    # The second page, not the first; the folder is still the one in the breadcrumbs.
    next_page.click()
    expect(files).to_have_text(second)
    expect(page.locator(".file-name", has_text=first[0])).to_have_count(0)
    expect(page.locator(".crumb")).to_have_text(["WebDAV", "Visninger æøå"])
    expect(previous).to_have_text("Forrige side")
    expect(next_page).to_be_visible()
    expect(shown_page).to_have_text("Side 2")
    expect(ticked).to_have_text(ticked_count(2))  # what was ticked on the first page stays
    tick(second[7])
    expect(ticked).to_have_text(ticked_count(3))

    # Back to the first: no previous, the two files still ticked.
    previous.click()
    expect(files).to_have_text(first)
    expect(previous).to_have_count(0)
    is_ticked(first[0]).to_be_checked()
    is_ticked(first[41]).to_be_checked()
    is_ticked(first[1]).not_to_be_checked()

    # A double click on next turns one page: back from there is the first page again.
    next_page.dblclick()
    expect(files).to_have_text(second)
    is_ticked(second[7]).to_be_checked()
    previous.click()
    expect(files).to_have_text(first)
    expect(previous).to_have_count(0)

    # To the last page: previous, no next.
    next_page.click()
    expect(files).to_have_text(second)
    shot(page, app, "78-drive-paged")
    next_page.click()
    expect(files).to_have_text(last)
    expect(next_page).to_have_count(0)
    expect(shown_page).to_have_text("Side 3")
    expect(previous).to_be_visible()
    expect(ticked).to_have_text(ticked_count(3))

    # The files ticked on two pages are imported in one go.
    ticked.click()
    expect(page.get_by_text("Importen er startet.")).to_be_visible()
    transfer = page.locator(".transfer-card").first
    expect(transfer.locator(".transfer-summary")).to_have_text(
        "3 ferdig, 0 feilet, 0 hoppet over, av 3", timeout=60_000)
    for name in (first[0], first[41], second[7]):
        expect(transfer).to_contain_text(name)
    expect(ticked).to_have_text(ticked_count(0))

    # Up to the drive's root by the breadcrumbs and in again: the folder starts on its first page.
    page.locator(".crumb").first.click()
    expect(page.locator(".crumb")).to_have_count(1)
    expect(next_page).to_have_count(0)
    expect(previous).to_have_count(0)
    open_folder(page, "Visninger æøå")
    expect(files).to_have_text(first)
    expect(previous).to_have_count(0)

    # On a phone: the paged folder, its second page.
    page.set_viewport_size({"width": 375, "height": 800})
    next_page.click()
    expect(files).to_have_text(second)
    shot(page, app, "79-drive-paged-phone")
