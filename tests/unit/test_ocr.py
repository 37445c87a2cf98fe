"""OCR on scans generated at test time: Norwegian letters, rotation, small type, multi-page
TIFF, scanned and mixed PDFs, the searchable PDF, time limits and a missing Tesseract."""

from __future__ import annotations

import io
import logging
import re
import subprocess
import textwrap
import threading
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageDraw, ImageFont

from dokvault.extract import ExtractionError, extract, ocr, searchable, tesseract
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
    real = tesseract.run

    def counting(source, psm, deadline):
        made.append(psm)
        return real(source, psm, deadline)

    monkeypatch.setattr(tesseract, "run", counting)
    return made


def trimmed_tessdata(tmp_path: Path, monkeypatch, *names: str) -> None:
    """Tesseract as installed with only these of its data files."""
    tessdata = tmp_path / "tessdata"
    tessdata.mkdir()
    installed = Path("/usr/share/tesseract-ocr/5/tessdata")
    for name in names:
        (tessdata / name).symlink_to(installed / name)
    monkeypatch.setenv("TESSDATA_PREFIX", str(tessdata))


@pytest.fixture
def fresh_engine():
    tesseract.engine.cache_clear()
    yield
    tesseract.engine.cache_clear()


def test_png_page_with_norwegian_letters(tmp_path, calls):
    result = extract(save(scan(), tmp_path / "kontrakt.png"), ".png")
    assert_reads_kontrakt(result.text)
    assert (result.page_count, result.ocr_pages, result.language) == (1, 1, "nb")
    assert calls == [tesseract.PSM_AUTO]  # an upright page is read once: no orientation pass


@pytest.mark.parametrize("angle", [90, 180, 270])
def test_rotated_scan_is_read_upright(tmp_path, angle, calls):
    page = scan().rotate(angle, expand=True)
    result = extract(save(page, tmp_path / f"rotert-{angle}.png"), ".png")
    assert_reads_kontrakt(result.text)
    assert result.text.index("Kjøpekontrakt") < result.text.index("Grønnåsen")  # not mirrored
    assert result.ocr_pages == 1


def test_upside_down_page_costs_one_extra_reading(tmp_path, calls):
    extract(save(scan().rotate(180), tmp_path / "opp-ned.png"), ".png")
    assert calls == [tesseract.PSM_AUTO, tesseract.PSM_AUTO_OSD]


def test_rotation_without_osd_data(tmp_path, monkeypatch, fresh_engine, calls):
    """Tesseract installed without osd.traineddata: the page is tried at each angle instead."""
    trimmed_tessdata(tmp_path, monkeypatch, "nor.traineddata", "eng.traineddata")
    assert tesseract.engine().has_osd is False
    result = extract(save(scan().rotate(180), tmp_path / "opp-ned.png"), ".png")
    assert_reads_kontrakt(result.text)
    assert tesseract.PSM_AUTO_OSD not in calls and len(calls) >= 2


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
    assert calls == [tesseract.PSM_AUTO]


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
    assert calls == [tesseract.PSM_AUTO]
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
    assert info.value.code == "error.ocr_not_installed"
    assert translate("en", "error.ocr_not_installed").startswith(
        "OCR not available: Tesseract is not installed.")
    assert translate("nb", "error.ocr_not_installed").startswith(
        "OCR er ikke tilgjengelig: Tesseract er ikke installert.")
    # What the app logs at start-up.
    assert tesseract.unavailable_reason() == "tesseract is not installed"
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


def made_searchable(src: Path, dest: Path, ext: str) -> bool:
    """What the worker does: read the file, then lay the OCR pass's text layers under it."""
    return searchable.make_searchable_pdf(src, dest, ext, extract(src, ext).text_layers)


def reads_where_its_text_layer_says(path: Path, word: str, index: int = 0) -> bool:
    """The page as shown, cut to where its text layer puts `word`, reads `word` again.

    pdfium maps the layer's character boxes to the rendered page; the cut-out is read
    with Tesseract at each quarter turn, since a page may be shown sideways.
    """
    import ctypes

    document = pdfium.PdfDocument(str(path))
    try:
        page = document[index]
        textpage = page.get_textpage()
        at = textpage.get_text_range().find(word)
        assert at >= 0, f"{word!r} not in the text layer of page {index + 1}"
        boxes = [textpage.get_charbox(at + k) for k in range(len(word))]
        image = page.render(scale=DPI / 72, grayscale=True).to_pil().copy()
        corners = []
        for x, y in ((min(b[0] for b in boxes), min(b[1] for b in boxes)),
                     (max(b[2] for b in boxes), max(b[3] for b in boxes))):
            dx, dy = ctypes.c_int(), ctypes.c_int()
            pdfium.raw.FPDF_PageToDevice(page, 0, 0, image.width, image.height, 0, x, y, dx, dy)
            corners.append((dx.value, dy.value))
        textpage.close()
        page.close()
    finally:
        document.close()
    (x0, y0), (x1, y1) = corners
    margin = min(abs(x1 - x0), abs(y1 - y0)) // 2  # half a line: the layer's boxes are near, not exact
    cut = image.crop((min(x0, x1) - margin, min(y0, y1) - margin, max(x0, x1) + margin, max(y0, y1) + margin))
    for angle in (0, 90, 180, 270):
        out = io.BytesIO()
        cut.rotate(angle, expand=True, fillcolor=255).save(out, format="PNG", dpi=(DPI, DPI))
        done = subprocess.run(["tesseract", "stdin", "stdout", "-l", "nor+eng", "--psm", "7"],
                              input=out.getvalue(), capture_output=True, check=True)
        if word in done.stdout.decode():
            return True
    return False


def test_searchable_pdf_from_a_scanned_pdf_in_a_worker_thread(tmp_path, calls):
    src = image_only_pdf(tmp_path / "skannet.pdf", [scan(), scan().rotate(180)])
    dest = tmp_path / "ut" / "skannet.searchable.pdf"
    assert in_worker_thread(made_searchable, src, dest, ".pdf") is True
    # Read once, not again for the PDF.
    assert calls == [tesseract.PSM_AUTO, tesseract.PSM_AUTO, tesseract.PSM_AUTO_OSD]
    pages, text = pdf_text(dest)
    assert pages == 2
    first, second = text[: len(text) // 2], text[len(text) // 2:]
    assert share_found(KONTRAKT, first) >= 0.8
    assert share_found(KONTRAKT, second) >= 0.8  # the upside-down page's layer reads upright
    assert reads_where_its_text_layer_says(dest, "Grønnåsen", 0)
    assert reads_where_its_text_layer_says(dest, "Grønnåsen", 1)
    assert dest.stat().st_size < src.stat().st_size + 40_000  # the scans kept as they were, not redone


@pytest.mark.parametrize("rotate, crop", [(90, None), (270, [30, 40, 560, 800]), (0, [30, 40, 560, 800])])
def test_searchable_pdf_layer_lies_over_its_words_on_turned_and_cropped_pages(tmp_path, rotate, crop):
    """Pages shown turned (/Rotate) or cut (/CropBox) are read as shown; the layer follows."""
    import pikepdf

    plain = image_only_pdf(tmp_path / "skannet.pdf", [scan()])
    src = tmp_path / "snudd.pdf"
    with pikepdf.open(plain) as pdf:
        if rotate:
            pdf.pages[0].Rotate = rotate
        if crop:
            pdf.pages[0].CropBox = pikepdf.Array(crop)
        pdf.save(src)
    dest = tmp_path / "ut.pdf"
    assert made_searchable(src, dest, ".pdf") is True
    for word in ("Kjøpekontrakt", "Grønnåsen"):
        assert reads_where_its_text_layer_says(dest, word)


def test_searchable_pdf_layer_without_osd_data(tmp_path, monkeypatch, fresh_engine):
    """Without osd data the page is turned by DokVault before reading: the layer is turned back."""
    trimmed_tessdata(tmp_path, monkeypatch, "nor.traineddata", "eng.traineddata", "pdf.ttf")
    assert tesseract.engine().has_osd is False and tesseract.engine().text_layer is True
    src = image_only_pdf(tmp_path / "opp-ned.pdf", [scan().rotate(90, expand=True)])
    dest = tmp_path / "ut.pdf"
    assert made_searchable(src, dest, ".pdf") is True
    assert reads_where_its_text_layer_says(dest, "Grønnåsen")


def test_without_the_glyphless_font_there_is_text_but_no_layer(tmp_path, monkeypatch, fresh_engine, caplog):
    trimmed_tessdata(tmp_path, monkeypatch, "nor.traineddata", "eng.traineddata", "osd.traineddata")
    with caplog.at_level(logging.WARNING, logger="dokvault.extract.ocr"):
        result = extract(save(scan(), tmp_path / "side.png"), ".png")
    assert_reads_kontrakt(result.text)
    assert result.text_layers == {} and "pdf.ttf" in caplog.text
    assert searchable.make_searchable_pdf(tmp_path / "side.png", tmp_path / "ut.pdf", ".png", {}) is False


def test_searchable_pdf_keeps_text_pages_as_they_are(tmp_path):
    src = mixed_pdf(tmp_path / "blandet.pdf")
    dest = tmp_path / "blandet.searchable.pdf"
    assert made_searchable(src, dest, ".pdf") is True
    pages, text = pdf_text(dest)
    assert pages == 2
    assert text.count("Tekstlaget på første side er ekte tekst.") == 1
    assert share_found(KONTRAKT, text) >= 0.8
    assert reads_where_its_text_layer_says(dest, "Grønnåsen", 1)


def test_searchable_pdf_from_images(tmp_path):
    png = save(scan(), tmp_path / "side.png")
    assert made_searchable(png, tmp_path / "png.pdf", ".png") is True
    assert share_found(KONTRAKT, pdf_text(tmp_path / "png.pdf")[1]) >= 0.8
    assert reads_where_its_text_layer_says(tmp_path / "png.pdf", "Grønnåsen")

    tiff = tmp_path / "sider.tif"
    scan("Første side: budjournal for Strandkaien.").save(
        tiff, save_all=True, append_images=[scan("Andre side: aksept av bud fra kjøper.")], dpi=(DPI, DPI))
    assert made_searchable(tiff, tmp_path / "tif.pdf", ".tif") is True
    pages, text = pdf_text(tmp_path / "tif.pdf")
    assert pages == 2 and "budjournal" in text and "aksept" in text
    assert reads_where_its_text_layer_says(tmp_path / "tif.pdf", "aksept", 1)


@pytest.mark.parametrize("orientation, stored", [
    (6, lambda page: page.rotate(90, expand=True)),  # "rotate 90 clockwise to display"
    (5, lambda page: page.transpose(Image.Transpose.TRANSPOSE)),  # mirrored: beyond /Rotate
])
def test_searchable_pdf_from_a_jpeg_turned_by_its_exif_tag(tmp_path, orientation, stored):
    exif = Image.Exif()
    exif[0x0112] = orientation
    path = tmp_path / "mobil.jpg"
    stored(scan()).convert("RGB").save(path, quality=90, exif=exif, dpi=(DPI, DPI))
    assert made_searchable(path, tmp_path / "ut.pdf", ".jpg") is True
    assert reads_where_its_text_layer_says(tmp_path / "ut.pdf", "Grønnåsen")


def test_searchable_pdf_from_an_image_without_resolution_or_in_16_bits(tmp_path):
    path = tmp_path / "uten-dpi.png"
    scan().save(path)  # no pHYs chunk: taken as a 300 dpi scan, so the page is A4
    assert made_searchable(path, tmp_path / "ut.pdf", ".png") is True
    document = pdfium.PdfDocument(str(tmp_path / "ut.pdf"))
    try:
        width, height = document[0].get_size()
    finally:
        document.close()
    assert round(width / 72 * 25.4) == 210 and round(height / 72 * 25.4) == 297
    assert reads_where_its_text_layer_says(tmp_path / "ut.pdf", "Grønnåsen")

    deep = tmp_path / "16-bit.tif"  # img2pdf will not embed it as it is: Pillow converts it first
    scan().convert("I;16").point(lambda v: v * 256).save(deep, dpi=(DPI, DPI))
    assert made_searchable(deep, tmp_path / "deep.pdf", ".tif") is True
    assert reads_where_its_text_layer_says(tmp_path / "deep.pdf", "Grønnåsen")


def test_searchable_pdf_refusals_leave_no_file(tmp_path, caplog):
    dest = tmp_path / "ut.pdf"
    layers = extract(save(scan(), tmp_path / "side.png"), ".png").text_layers
    (tmp_path / "side.png").unlink()
    corrupt = tmp_path / "ødelagt.pdf"
    corrupt.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 8)
    with caplog.at_level(logging.WARNING, logger="dokvault.extract.searchable"):
        assert searchable.make_searchable_pdf(corrupt, dest, ".pdf", layers) is False
    assert "searchable pdf not made" in caplog.text
    assert searchable.make_searchable_pdf(tmp_path / "x.docx", dest, ".docx", layers) is False
    assert searchable.make_searchable_pdf(corrupt, dest, ".pdf", {}) is False
    assert not dest.exists()
    assert list(tmp_path.iterdir()) == [corrupt]  # no temporary folder left behind


def test_searchable_pdf_is_not_made_from_an_encrypted_pdf(tmp_path):
    import pikepdf

    plain = image_only_pdf(tmp_path / "skannet.pdf", [scan()])
    locked = tmp_path / "låst.pdf"
    with pikepdf.open(plain) as pdf:  # opens without a password, but the owner forbids changes
        forbidden = pikepdf.Permissions(modify_other=False)
        pdf.save(locked, encryption=pikepdf.Encryption(owner="eier", user="", allow=forbidden))
    extracted = extract(locked, ".pdf")
    assert extracted.ocr_pages == 1 and extracted.text_layers
    assert searchable.make_searchable_pdf(locked, tmp_path / "ut.pdf", ".pdf", extracted.text_layers) is False
    assert not (tmp_path / "ut.pdf").exists()


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
