"""Words in pictures on PDF pages that have a text layer are read by OCR; pages that are
text only, tiny pictures and scans OCRed already are not."""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF
from fpdf.enums import TextMode
from PIL import Image, ImageDraw, ImageFont

from dokvault.extract import extract, tesseract
from tests.samples import FONT_PATH, SALGSOPPGAVE
from tests.unit.test_ocr import calls, share_found  # noqa: F401  (calls is a fixture)

STAMP = "Tinglyst hos Kartverket 12.03.2026 dokumentnummer 448120 Grønnåsen sameie"


def stamp(text: str = STAMP, dpi: int = 300) -> Image.Image:
    """A scanned stamp: a few lines of 14 pt type on a picture 5 inches wide."""
    image = Image.new("L", (5 * dpi, dpi), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONT_PATH), round(14 * dpi / 72))
    words = text.split()
    half = len(words) // 2
    for line, part in enumerate((words[:half], words[half:])):
        draw.text((dpi // 10, dpi // 10 + line * round(20 * dpi / 72)), " ".join(part), fill=0, font=font)
    return image


def page_pdf(path: Path, picture: Image.Image | None, *, width_mm: float = 127,
             invisible: str | None = None) -> Path:
    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", "", str(FONT_PATH))
    pdf.set_font("DejaVu", size=12)
    pdf.add_page()
    pdf.multi_cell(0, 7, SALGSOPPGAVE)
    if picture is not None:
        pdf.image(picture, x=20, y=80, w=width_mm)
    if invisible:  # the words of the picture as an OCR layer over it, as a searchable PDF has
        pdf.text_mode = TextMode.INVISIBLE
        pdf.set_xy(20, 80)
        pdf.multi_cell(width_mm, 7, invisible)
    pdf.output(str(path))
    return path


def test_a_text_page_with_words_in_a_picture_reads_both(tmp_path, calls):  # noqa: F811
    result = extract(page_pdf(tmp_path / "tinglyst.pdf", stamp()), ".pdf")
    assert "Prisantydning" in result.text  # the text layer, as it was
    assert share_found(STAMP, result.text) >= 0.8, result.text  # and the stamp's words
    assert "448120" in result.text and "Kartverket" in result.text
    assert (result.page_count, result.ocr_pages) == (1, 1)
    assert calls == [tesseract.PSM_AUTO] and not result.text_layers  # the picture, not the page


def test_a_small_picture_on_a_screen_is_enlarged_before_it_is_read(tmp_path):
    result = extract(page_pdf(tmp_path / "skjermbilde.pdf", stamp(dpi=110)), ".pdf")
    assert share_found(STAMP, result.text) >= 0.8, result.text


def test_text_only_pages_and_tiny_pictures_are_not_ocred(tmp_path, calls):  # noqa: F811
    logo = Image.new("L", (60, 20), 0)
    assert extract(page_pdf(tmp_path / "tekst.pdf", None), ".pdf").ocr_pages == 0
    assert extract(page_pdf(tmp_path / "logo.pdf", logo, width_mm=15), ".pdf").ocr_pages == 0
    assert calls == []


def test_a_scan_with_an_ocr_layer_already_is_not_read_again(tmp_path, calls):  # noqa: F811
    result = extract(page_pdf(tmp_path / "søkbar.pdf", stamp(), invisible=STAMP), ".pdf")
    assert calls == [] and result.ocr_pages == 0
    assert "Kartverket" in result.text and result.text.count("Kartverket") == 1


def test_pictures_count_against_the_ocr_page_budget(tmp_path, calls):  # noqa: F811
    from dokvault.extract.budget import Budget

    path = page_pdf(tmp_path / "tinglyst.pdf", stamp())
    result = extract(path, ".pdf", budget=Budget(seconds=60, ocr_pages=0))
    assert calls == [] and "Prisantydning" in result.text
    assert [n["code"] for n in result.notices] == ["notice.ocr_pages_limit"]
