"""PDF text and page rendering with pypdfium2.

PDFium is not thread-safe, and the Dramatiq workers run several threads: every call
into it holds one process-wide lock (a collision can corrupt the library for good).
Pages without a text layer (scans) are rendered here and read by extract/ocr.py,
with the lock released while Tesseract works.
"""

import threading
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from dokvault.extract import Extracted, ExtractionError

PDFIUM_LOCK = threading.RLock()
# A page whose text layer has fewer visible characters than this, and that carries an
# image, is a scan: a stamped page number or "Scanned by" line does not make it text.
MIN_TEXT_CHARS = 20
# Rendering a poster-sized page at OCR resolution would take gigabytes; scale down past this.
MAX_RENDER_PIXELS = 60_000_000


def _open(path: Path) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        code = "error.pdf_encrypted" if "password" in str(exc).lower() else "error.corrupt_pdf"
        raise ExtractionError(code, str(exc)) from exc


def _is_scan(page: pdfium.PdfPage, text: str) -> bool:
    if len("".join(text.split())) >= MIN_TEXT_CHARS:
        return False
    return any(True for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]))


def extract(path: Path) -> Extracted:
    with PDFIUM_LOCK:
        pdf = _open(path)
        try:
            pages, scans = [], []
            for index in range(len(pdf)):
                page = pdf[index]
                textpage = page.get_textpage()
                text = textpage.get_text_range()
                textpage.close()
                if _is_scan(page, text):
                    scans.append(index)
                page.close()
                pages.append(text)
        finally:
            pdf.close()
    read = {}
    if scans:
        from dokvault.extract import ocr

        read = ocr.read_pdf_pages(path, scans)
        for index, page in read.items():
            pages[index] = page.text
    return Extracted(text="\n\n".join(p.strip() for p in pages).strip(), page_count=len(pages),
                     ocr_pages=len(read),
                     text_layers={index: page.layer for index, page in read.items() if page.layer})


def render_page(path: Path, index: int, dpi: int):
    """Page `index` as a greyscale PIL image at `dpi` (a copy, independent of PDFium)."""
    with PDFIUM_LOCK:
        pdf = _open(path)
        try:
            page = pdf[index]
            width, height = page.get_size()  # points, 1/72 inch
            scale = dpi / 72
            pixels = width * height * scale * scale
            if pixels > MAX_RENDER_PIXELS:
                scale *= (MAX_RENDER_PIXELS / pixels) ** 0.5
            bitmap = page.render(scale=scale, grayscale=True)
            image = bitmap.to_pil().copy()
            bitmap.close()
            page.close()
            image.info["dpi"] = (round(scale * 72),) * 2
            return image
        finally:
            pdf.close()


def render_first_page(path: Path, width: int):
    """The first page as a PIL image `width` pixels wide (a copy, independent of PDFium)."""
    with PDFIUM_LOCK:
        pdf = _open(path)
        try:
            if len(pdf) == 0:
                raise ExtractionError("error.corrupt_pdf", "no pages")
            page = pdf[0]
            scale = width / max(page.get_width(), 1)
            bitmap = page.render(scale=scale)
            image = bitmap.to_pil().copy()
            bitmap.close()
            page.close()
            return image
        finally:
            pdf.close()
