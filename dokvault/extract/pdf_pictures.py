"""Pictures on PDF pages that have a text layer: a scanned stamp, a pasted screenshot, a
photographed receipt in a report. Their words are not in the text layer, so each picture
large enough to hold words is read by OCR and its text added to the page's.

Pages that are text only have no pictures and cost nothing. A page whose text is drawn
invisibly is a scan that was OCRed already (a searchable PDF, ours among them): its
picture is not read a second time. Pictures are bounded like scans: pdf_bounds has
measured what they decode to before PDFium loads the page, each is scaled to
MAX_OCR_PIXELS at most, every page read counts against the document's OCR budget, and a
page gets at most MAX_PICTURES_PER_PAGE.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image

from dokvault.extract import ocr
from dokvault.extract.budget import Budget
from dokvault.extract.pdf_render import PDFIUM_LOCK, open_pdf
from dokvault.extract.types import ExtractionError

log = logging.getLogger(__name__)

# Smaller pictures are rules, bullets, logos and signatures, not text to read.
MIN_WIDTH_PT = 72  # an inch
MIN_HEIGHT_PT = 20
MIN_SIDE_PX = 32
MAX_PICTURES_PER_PAGE = 8  # a page of photo thumbnails is a catalogue, not text in pictures
# A picture is enlarged to this resolution as placed on the page (Tesseract reads small
# type badly below ~200 dpi), at most MAX_UPSCALE times, and within MAX_OCR_PIXELS.
TARGET_DPI = 300
MAX_UPSCALE = 4


def _has_invisible_text(page: pdfium.PdfPage) -> bool:
    return any(pdfium_c.FPDFTextObj_GetTextRenderMode(obj.raw) == pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE
               for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_TEXT]))


def _pictures(page: pdfium.PdfPage) -> list[tuple[pdfium.PdfImage, float]]:
    """The pictures worth reading, each with its resolution as placed (pixels per inch)."""
    found = []
    for image in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]):
        left, bottom, right, top = image.get_bounds()
        width, height = image.get_px_size()
        if right - left >= MIN_WIDTH_PT and top - bottom >= MIN_HEIGHT_PT \
                and min(width, height) >= MIN_SIDE_PX:
            found.append((image, width / ((right - left) / 72)))
        if len(found) == MAX_PICTURES_PER_PAGE:
            break
    return found


def has_pictures(page: pdfium.PdfPage) -> bool:
    """Whether a page with a text layer has pictures to read (called under PDFIUM_LOCK)."""
    return bool(_pictures(page)) and not _has_invisible_text(page)


def _enlarged(picture: Image.Image, dpi: float) -> Image.Image:
    room = (ocr.MAX_OCR_PIXELS / (picture.width * picture.height)) ** 0.5
    factor = min(TARGET_DPI / dpi, MAX_UPSCALE, room)
    if factor > 1.2:
        if picture.mode == "1":  # a bilevel picture is smoothed in grey, not in two colours
            picture = picture.convert("L")
        picture = picture.resize((round(picture.width * factor), round(picture.height * factor)),
                                 Image.Resampling.LANCZOS)
        dpi *= factor
    picture.info["dpi"] = (dpi, dpi)
    return picture


def _rendered(path: Path, index: int, position: int) -> tuple[bool, Image.Image | None]:
    """Whether the page has picture `position`, and that picture as shown (masks and turns
    applied), a copy independent of PDFium, ready for OCR (None when it cannot be shown).
    One picture is held at a time."""
    with PDFIUM_LOCK:
        pdf = open_pdf(path)
        try:
            page = pdf[index]
            pictures = _pictures(page)
            if position >= len(pictures):
                return False, None
            image, dpi = pictures[position]
            width, height = image.get_px_size()
            if width * height > ocr.MAX_IMAGE_PIXELS:  # pdf_bounds refuses these; never decode one
                return True, None
            try:
                bitmap = image.get_bitmap(render=True)
            except pdfium.PdfiumError as exc:  # a picture PDFium cannot show: the page is still read
                log.info("pdf picture on page %s not rendered: %s", index + 1, exc)
                return True, None
            picture = bitmap.to_pil().copy()
            bitmap.close()
            page.close()
        finally:
            pdf.close()
    return True, _enlarged(ocr.prepared(ocr.scaled_down(picture)), dpi)


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def read(path: Path, indexes: list[int], pages: list[str], budget: Budget) -> ocr.OcrRun:
    """Add the words of the pictures on the given pages to `pages` (the text layers), where
    the text layer lacks them. Each page read counts as one OCR page of the budget."""
    run = ocr.OcrRun(limit=budget.ocr_pages)
    for index in indexes:
        if not run.may_read(budget):
            break
        texts = []
        for position in range(MAX_PICTURES_PER_PAGE):
            found, picture = _rendered(path, index, position)
            if not found:
                break
            if picture is None:
                continue
            try:
                page = ocr.read_page(picture, budget)
            except ExtractionError as exc:  # the page's own text stands without its pictures
                if exc.code in ("error.ocr_unavailable", "error.ocr_not_installed"):
                    raise
                log.warning("ocr of a picture on pdf page %s failed: %s", index + 1, exc.code)
                continue
            if page is None:
                log.warning("ocr of a picture on pdf page %s skipped: out of time", index + 1)
                break
            texts.append(page.text)
        text = "\n\n".join(t for t in texts if t)
        run.add(index, ocr.PageText(text), budget)
        if text and not _words(text) <= _words(pages[index]):
            pages[index] = f"{pages[index].rstrip()}\n\n{text}"
    return run
