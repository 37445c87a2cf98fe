"""OCR on scans generated at test time: Norwegian letters, rotation, small type, multi-page
TIFF, scanned and mixed PDFs, the searchable PDF, time limits and a missing Tesseract."""

from __future__ import annotations

import io
import logging
import re
import textwrap
import threading
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageDraw, ImageFont

from dokvault.extract import ExtractionError, extract, ocr, searchable
from dokvault.i18n import translate
from tests.samples import FONT_PATH, make_pdf

DPI = 300
KONTRAKT = (
    "Kjøpekontrakt for Eiendom i Stavanger. Selgeren Kari Nordmann overdrar eiendommen til kjøper "
    "Åse Hansen. Kjøpesummen er avtalt til kr 6 300 000 med tillegg av omkostninger. Overtakelse "
    "skjer den 15. mars etter at oppgjøret er gjennomført via meglers klientkonto. Boligen har tre "
    "soverom, stue med peis, kjøkken og bad i første etasje. Partene bekrefter at de har lest "
    "salgsoppgaven og egenerklæringen. Særlige vilkår gjelder for sameiet på Grønnåsen."
)
# Words with æ, ø or å that must come back exactly.
NORWEGIAN_WORDS = ("kjøper", "Kjøpesummen", "Åse", "oppgjøret", "gjennomført", "kjøkken", "første",
                   "egenerklæringen", "Særlige", "Grønnåsen")


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


def share_found(expected: str, text: str) -> float:
    found = {w.lower() for w in words(text)}
    wanted = words(expected)
    return sum(w.lower() in found for w in wanted) / len(wanted)


def scan(text: str = KONTRAKT, points: float = 12) -> Image.Image:
    """An A4 page at 300 dpi with `text` set in DejaVu Sans, as a flatbed scanner makes it."""
    width, height = int(8.27 * DPI), int(11.69 * DPI)
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    size = round(points * DPI / 72)
    font = ImageFont.truetype(str(FONT_PATH), size)
    margin = int(0.8 * DPI)
    columns = int((width - 2 * margin) / (size * 0.55))
    y = margin
    for line in textwrap.wrap(text, columns):
        draw.text((margin, y), line, fill=0, font=font)
        y += int(size * 1.5)
    return image


def save(image: Image.Image, path: Path, **options) -> Path:
    image.save(path, dpi=(DPI, DPI), **options)
    return path


def assert_reads_kontrakt(text: str) -> None:
    assert share_found(KONTRAKT, text) >= 0.8, text
    found = set(words(text))
    missing = [w for w in NORWEGIAN_WORDS if w not in found]
    assert len(missing) <= 1, (missing, text)  # æøå words read as written
    assert "Eiendom" in found and "kjøper" in found


@pytest.fixture
def calls(monkeypatch):
    """Every Tesseract run, as the page segmentation mode it used."""
    made: list[str] = []
    real = ocr._tesseract

    def counting(source, psm, deadline):
        made.append(psm)
        return real(source, psm, deadline)

    monkeypatch.setattr(ocr, "_tesseract", counting)
    return made


@pytest.fixture
def fresh_engine():
    ocr._engine.cache_clear()
    yield
    ocr._engine.cache_clear()


def test_png_page_with_norwegian_letters(tmp_path, calls):
    result = extract(save(scan(), tmp_path / "kontrakt.png"), ".png")
    assert_reads_kontrakt(result.text)
    assert (result.page_count, result.ocr_pages, result.language) == (1, 1, "nb")
    assert calls == [ocr.PSM_AUTO]  # an upright page is read once: no orientation pass


@pytest.mark.parametrize("angle", [90, 180, 270])
def test_rotated_scan_is_read_upright(tmp_path, angle, calls):
    page = scan().rotate(angle, expand=True)
    result = extract(save(page, tmp_path / f"rotert-{angle}.png"), ".png")
    assert_reads_kontrakt(result.text)
    assert result.text.index("Kjøpekontrakt") < result.text.index("Grønnåsen")  # not mirrored
    assert result.ocr_pages == 1


def test_upside_down_page_costs_one_extra_reading(tmp_path, calls):
    extract(save(scan().rotate(180), tmp_path / "opp-ned.png"), ".png")
    assert calls == [ocr.PSM_AUTO, ocr.PSM_AUTO_OSD]


def test_rotation_without_osd_data(tmp_path, monkeypatch, fresh_engine, calls):
    """Tesseract installed without osd.traineddata: the page is tried at each angle instead."""
    tessdata = tmp_path / "tessdata"
    tessdata.mkdir()
    installed = Path("/usr/share/tesseract-ocr/5/tessdata")
    for lang in ("nor", "eng"):
        (tessdata / f"{lang}.traineddata").symlink_to(installed / f"{lang}.traineddata")
    monkeypatch.setenv("TESSDATA_PREFIX", str(tessdata))
    assert ocr._engine().has_osd is False
    result = extract(save(scan().rotate(180), tmp_path / "opp-ned.png"), ".png")
    assert_reads_kontrakt(result.text)
    assert ocr.PSM_AUTO_OSD not in calls and len(calls) >= 2


def test_small_type(tmp_path):
    result = extract(save(scan(points=9), tmp_path / "liten.png"), ".png")
    assert_reads_kontrakt(result.text)


def test_jpeg_turned_by_its_exif_tag(tmp_path, calls):
    """A phone photo stored sideways with an Orientation tag is turned before reading."""
    stored = scan().rotate(90, expand=True).convert("RGB")
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 clockwise to display"
    path = tmp_path / "mobil.jpg"
    stored.save(path, quality=90, exif=exif, dpi=(DPI, DPI))
    result = extract(path, ".jpg")
    assert_reads_kontrakt(result.text)
    assert calls == [ocr.PSM_AUTO]


def test_multipage_tiff_reads_every_frame_in_order(tmp_path):
    pages = [
        "Side en: Oppdragsavtale mellom megler og selger om salg av eiendommen i Bergen.",
        "Side to: Tilstandsrapporten viser fukt i kjelleren og råte i vinduene mot nord.",
        "Side tre: Overtakelsesprotokoll signert av kjøperen Bjørn Ødegård på tirsdag.",
    ]
    frames = [scan(text) for text in pages]
    path = tmp_path / "skann.tiff"
    frames[0].save(path, save_all=True, append_images=frames[1:], compression="tiff_deflate",
                   dpi=(DPI, DPI))
    result = extract(path, ".tiff")
    assert (result.page_count, result.ocr_pages) == (3, 3)
    for text in pages:
        assert share_found(text, result.text) >= 0.8
    positions = [result.text.index(marker) for marker in ("Oppdragsavtale", "Tilstandsrapporten",
                                                          "Overtakelsesprotokoll")]
    assert positions == sorted(positions)
    assert "råte" in result.text and "Ødegård" in result.text


def image_only_pdf(path: Path, pages: list[Image.Image]) -> Path:
    pages[0].save(path, save_all=True, append_images=pages[1:], resolution=DPI)
    return path


def test_scanned_pdf(tmp_path):
    result = extract(image_only_pdf(tmp_path / "skannet.pdf", [scan()]), ".pdf")
    assert_reads_kontrakt(result.text)
    assert (result.page_count, result.ocr_pages, result.language) == (1, 1, "nb")


def mixed_pdf(path: Path) -> Path:
    """Page 1 has a text layer; page 2 is a scanned image only."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", "", str(FONT_PATH))
    pdf.set_font("DejaVu", size=12)
    pdf.add_page()
    pdf.multi_cell(0, 7, "Salgsoppgave for Strandkaien 12. Tekstlaget på første side er ekte tekst.")
    pdf.add_page()
    pdf.image(scan(), x=0, y=0, w=210, h=297)
    pdf.output(str(path))
    return path


def test_mixed_pdf_reads_only_the_page_without_text(tmp_path, calls):
    result = extract(mixed_pdf(tmp_path / "blandet.pdf"), ".pdf")
    assert (result.page_count, result.ocr_pages) == (2, 1)
    assert calls == [ocr.PSM_AUTO]
    assert result.text.startswith("Salgsoppgave for Strandkaien 12. Tekstlaget på første side er ekte tekst.")
    assert_reads_kontrakt(result.text.split("ekte tekst.", 1)[1])


def test_text_pdf_is_not_ocred(tmp_path, calls):
    result = extract(make_pdf(tmp_path / "tekst.pdf", [KONTRAKT, KONTRAKT]), ".pdf")
    assert (result.page_count, result.ocr_pages) == (2, 0)
    assert calls == []


def test_blank_page_is_not_ocred(tmp_path, calls):
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.output(str(tmp_path / "blank.pdf"))
    result = extract(tmp_path / "blank.pdf", ".pdf")
    assert (result.text, result.ocr_pages, calls) == ("", 0, [])


def test_page_over_the_time_limit_is_skipped(tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(ocr, "OCR_PAGE_TIMEOUT_S", 0.05)
    frames = [scan(), scan()]
    path = tmp_path / "treg.tif"
    frames[0].save(path, save_all=True, append_images=frames[1:], dpi=(DPI, DPI))
    with caplog.at_level(logging.WARNING, logger="dokvault.extract.ocr"):
        result = extract(path, ".tif")
    assert (result.text, result.page_count, result.ocr_pages) == ("", 2, 0)
    assert sum("skipped" in r.getMessage() for r in caplog.records) == 2


def test_pdf_page_over_the_time_limit_keeps_the_text_pages(tmp_path, monkeypatch):
    monkeypatch.setattr(ocr, "OCR_PAGE_TIMEOUT_S", 0.05)
    result = extract(mixed_pdf(tmp_path / "blandet.pdf"), ".pdf")
    assert result.ocr_pages == 0
    assert "Tekstlaget på første side er ekte tekst." in result.text


def test_missing_tesseract(tmp_path, monkeypatch, fresh_engine):
    monkeypatch.setenv("PATH", str(tmp_path))  # no tesseract on the path
    path = save(scan(), tmp_path / "side.png")
    with pytest.raises(ExtractionError) as info:
        extract(path, ".png")
    assert info.value.code == "error.ocr_unavailable"
    assert translate("nb", "error.ocr_unavailable") != "error.ocr_unavailable"
    assert translate("en", "error.ocr_unavailable") != "error.ocr_unavailable"
    # A scanned PDF needs Tesseract too; a text PDF does not.
    with pytest.raises(ExtractionError):
        extract(image_only_pdf(tmp_path / "skannet.pdf", [scan()]), ".pdf")
    assert extract(make_pdf(tmp_path / "tekst.pdf", [KONTRAKT]), ".pdf").ocr_pages == 0


@pytest.mark.parametrize("ext", [".png", ".jpg", ".tif"])
def test_corrupt_image(tmp_path, ext):
    signature = {".png": b"\x89PNG\r\n\x1a\n", ".jpg": b"\xff\xd8\xff\xe0", ".tif": b"II*\x00"}[ext]
    path = tmp_path / f"ødelagt{ext}"
    path.write_bytes(signature + bytes(range(256)) * 8)
    with pytest.raises(ExtractionError) as info:
        extract(path, ext)
    assert info.value.code == "error.corrupt_image"


def test_truncated_png(tmp_path):
    data = io.BytesIO()
    scan().save(data, format="PNG")
    path = tmp_path / "avkuttet.png"
    path.write_bytes(data.getvalue()[: len(data.getvalue()) // 3])
    with pytest.raises(ExtractionError) as info:
        extract(path, ".png")
    assert info.value.code == "error.corrupt_image"


def test_image_with_too_many_pixels_is_refused_before_decoding(tmp_path, monkeypatch):
    monkeypatch.setattr(ocr, "MAX_IMAGE_PIXELS", 1_000_000)
    with pytest.raises(ExtractionError) as info:
        extract(save(scan(), tmp_path / "stor.png"), ".png")
    assert info.value.code == "error.image_too_large"


def test_transparent_png_is_read_on_white(tmp_path):
    page = scan()
    rgba = Image.new("RGBA", page.size, (0, 0, 0, 0))  # transparent black: all-black if alpha is dropped
    rgba.putalpha(page.point(lambda v: 255 - v))
    result = extract(save(rgba, tmp_path / "gjennomsiktig.png"), ".png")
    assert_reads_kontrakt(result.text)


def pdf_text(path: Path) -> tuple[int, str]:
    document = pdfium.PdfDocument(str(path))
    try:
        pages = []
        for page in document:
            textpage = page.get_textpage()
            pages.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return len(pages), "\n".join(pages)
    finally:
        document.close()


def in_worker_thread(function, *args):
    """Run as a Dramatiq worker would: in a thread that is not the main one."""
    outcome = {}

    def run():
        try:
            outcome["value"] = function(*args)
        except BaseException as exc:  # handed to the test thread
            outcome["error"] = exc

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=240)
    assert not thread.is_alive()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def test_searchable_pdf_from_a_scanned_pdf_in_a_worker_thread(tmp_path, monkeypatch):
    from ocrmypdf.builtin_plugins import pypdfium as ocrmypdf_pdfium

    def unguarded(*args):  # ocrmypdf's own PDFium use would bypass PDFIUM_LOCK
        raise AssertionError("ocrmypdf opened the PDF with PDFium")

    monkeypatch.setattr(ocrmypdf_pdfium, "_open_pdf_document", unguarded)
    src = image_only_pdf(tmp_path / "skannet.pdf", [scan(), scan().rotate(180)])
    dest = tmp_path / "ut" / "skannet.searchable.pdf"
    assert in_worker_thread(searchable.make_searchable_pdf, src, dest, ".pdf") is True
    pages, text = pdf_text(dest)
    assert pages == 2
    first, second = text[: len(text) // 2], text[len(text) // 2:]
    assert share_found(KONTRAKT, first) >= 0.8
    assert share_found(KONTRAKT, second) >= 0.8  # the upside-down page was turned first
    assert "kjøper" in text and "Grønnåsen" in text


def test_searchable_pdf_can_turn_pages_upright(tmp_path, monkeypatch):
    monkeypatch.setattr(searchable, "ROTATE_PAGES", True)
    src = image_only_pdf(tmp_path / "opp-ned.pdf", [scan().rotate(180)])
    dest = tmp_path / "rettet.pdf"
    assert searchable.make_searchable_pdf(src, dest, ".pdf") is True
    document = pdfium.PdfDocument(str(dest))
    try:
        assert document[0].get_rotation() == 180  # shown upright
    finally:
        document.close()
    assert share_found(KONTRAKT, pdf_text(dest)[1]) >= 0.8


def test_searchable_pdf_keeps_text_pages_as_they_are(tmp_path):
    src = mixed_pdf(tmp_path / "blandet.pdf")
    dest = tmp_path / "blandet.searchable.pdf"
    assert searchable.make_searchable_pdf(src, dest, ".pdf") is True
    pages, text = pdf_text(dest)
    assert pages == 2
    assert text.count("Tekstlaget på første side er ekte tekst.") == 1
    assert share_found(KONTRAKT, text) >= 0.8


def test_searchable_pdf_from_images(tmp_path):
    png = save(scan(), tmp_path / "side.png")
    assert searchable.make_searchable_pdf(png, tmp_path / "png.pdf", ".png") is True
    assert share_found(KONTRAKT, pdf_text(tmp_path / "png.pdf")[1]) >= 0.8

    tiff = tmp_path / "sider.tif"
    scan("Første side: budjournal for Strandkaien.").save(
        tiff, save_all=True, append_images=[scan("Andre side: aksept av bud fra kjøper.")], dpi=(DPI, DPI))
    assert searchable.make_searchable_pdf(tiff, tmp_path / "tif.pdf", ".tif") is True
    pages, text = pdf_text(tmp_path / "tif.pdf")
    assert pages == 2 and "budjournal" in text and "aksept" in text


def test_searchable_pdf_from_an_image_without_resolution(tmp_path):
    path = tmp_path / "uten-dpi.png"
    scan().save(path)  # no pHYs chunk: ocrmypdf alone refuses such an image
    assert searchable.make_searchable_pdf(path, tmp_path / "ut.pdf", ".png") is True
    assert share_found(KONTRAKT, pdf_text(tmp_path / "ut.pdf")[1]) >= 0.8


def test_searchable_pdf_refusals_leave_no_file(tmp_path):
    dest = tmp_path / "ut.pdf"
    corrupt = tmp_path / "ødelagt.pdf"
    corrupt.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 8)
    assert searchable.make_searchable_pdf(corrupt, dest, ".pdf") is False
    assert searchable.make_searchable_pdf(tmp_path / "x.docx", dest, ".docx") is False
    assert not dest.exists()
    assert list(tmp_path.iterdir()) == [corrupt]  # no temporary folder left behind


def test_concurrent_ocr_and_pdf_work_in_threads(tmp_path):
    """Worker threads OCR scanned PDFs while others read text PDFs: PDFium stays consistent."""
    scanned = image_only_pdf(tmp_path / "skannet.pdf", [scan()])
    texts = [make_pdf(tmp_path / f"tekst-{i}.pdf", [KONTRAKT] * 3) for i in range(3)]
    results: dict[str, object] = {}

    def work(name, path):
        try:
            results[name] = extract(path, ".pdf")
        except BaseException as exc:
            results[name] = exc

    threads = [threading.Thread(target=work, args=("scan", scanned))]
    threads += [threading.Thread(target=work, args=(p.name, p)) for p in texts for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert_reads_kontrakt(results["scan"].text)
    for path in texts:
        assert "Grønnåsen" in results[path.name].text
