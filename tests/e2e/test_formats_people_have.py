"""Formats people have, in the browser: one file of each new format is uploaded, becomes
ready, and a word from each is found by search (issue 17, part 2)."""

from __future__ import annotations

from playwright.sync_api import expect

from tests import samples
from tests.e2e.conftest import shot
from tests.e2e.test_admin_sessions import create_first_admin
from tests.e2e.test_walking_skeleton import file_payload, upload
from tests.legacy_doc import make_doc
from tests.unit.test_formats_more import write
from tests.unit.test_formats_people_have import alternative_mail, picture
from tests.unit.test_ocr import scan
from tests.unit.test_pdf_pictures import page_pdf, stamp
from tests.unit.test_rtl_text import ARABIC, naive_pdf
from tests.unit.test_zip_archives import make_zip

PICTURE_WORDS = {".gif": "Fjellstua", ".bmp": "Sjøboden", ".webp": "Naustet", ".heic": "Hytta"}


def files(folder):
    """(file, a word search finds in it, the name of the document that has the word)."""
    made = []
    for ext, word in PICTURE_WORDS.items():
        text = f"{word} ved fjorden er solgt. Kjøperen overtar eiendommen den 15. mars."
        image = scan(text, points=16)
        image = image.crop((0, 0, image.width, image.height // 4))  # the lines, under the 2 MB limit
        if ext == ".bmp":  # uncompressed: one bit a pixel, as a fax or an office scanner writes it
            image = image.convert("1")
        made.append((picture(folder / f"bilde{ext}", image), word, f"bilde{ext}"))
    clean = samples.make_pdf(folder / "ren.pdf", [samples.ENERGIATTEST])
    bom = folder / "energiattest.pdf"
    bom.write_bytes(b"\xef\xbb\xbf" + clean.read_bytes())
    made.append((bom, "Enova", bom.name))
    nul = folder / "eksport.txt"
    nul.write_bytes("Oppgjørsoppstilling\x00 fra megler\x00\x00".encode())
    made.append((nul, "Oppgjørsoppstilling", nul.name))
    mail = alternative_mail("Hei Ola,\n\nbudet er akseptert.",
                            "<p>Hei Ola,</p><p>budet er akseptert.</p><p>Budjournalen følger.</p>")
    made.append((write(folder / "bud.eml", mail), "Budjournalen", "bud.eml"))
    made.append((page_pdf(folder / "tinglyst.pdf", stamp()), "Kartverket", "tinglyst.pdf"))
    made.append((naive_pdf(folder / "arabisk.pdf", [ARABIC]), "الشقة", "arabisk.pdf"))
    made.append((make_doc(folder / "kontrakt.doc", [samples.KJOPEKONTRAKT]), "klientkonto",
                 "kontrakt.doc"))
    archive = make_zip(folder / "arkiv.zip", {"Takster/takst.txt": samples.TAKST.encode()})
    made.append((archive, "låneverdien", "takst.txt"))
    return made


def test_one_file_of_each_new_format_is_read_and_found(page, app, tmp_path):
    create_first_admin(page, app)
    made = files(tmp_path)
    upload(page, [file_payload(path) for path, _, _ in made])
    expect(page.locator(".upload-row", has_text="Lagret")).to_have_count(len(made))
    # Every upload and the file the archive brought are read.
    expect(page.locator(".document-row .status-badge", has_text="Klar")).to_have_count(
        len(made) + 1, timeout=180_000)
    shot(page, app, "40-formats-people-have")

    page.click("#nav-search")
    for _path, word, name in made:
        page.fill("#search-input", word)
        page.click("#search-button")
        expect(page.locator(".search-result .result-link", has_text=name)).to_have_count(1)
