"""Opening PDFs and rendering their pages with pypdfium2 (for OCR and thumbnails).

PDFium is not thread-safe, and the Dramatiq workers run several threads: every call
into it holds one process-wide lock (a collision can corrupt the library for good).
"""

import threading
from pathlib import Path

import pypdfium2 as pdfium

from dokvault.extract.types import ExtractionError

PDFIUM_LOCK = threading.RLock()


def open_pdf(path: Path) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        code = "error.pdf_encrypted" if "password" in str(exc).lower() else "error.corrupt_pdf"
        raise ExtractionError(code, str(exc)) from exc


def _bounded(scale: float, width: float, height: float, max_pixels: int) -> float:
    """`scale`, lowered so a page of `width` x `height` points renders to `max_pixels` at most."""
    pixels = width * height * scale * scale
    return scale * (max_pixels / pixels) ** 0.5 if pixels > max_pixels else scale


def render_page(path: Path, index: int, dpi: int, max_pixels: int):
    """Page `index` as a greyscale PIL image at `dpi`, scaled down to `max_pixels` at most
    (a copy, independent of PDFium)."""
    with PDFIUM_LOCK:
        pdf = open_pdf(path)
        try:
            page = pdf[index]
            width, height = page.get_size()  # points, 1/72 inch
            scale = _bounded(dpi / 72, width, height, max_pixels)
            bitmap = page.render(scale=scale, grayscale=True)
            image = bitmap.to_pil().copy()
            bitmap.close()
            page.close()
            image.info["dpi"] = (round(scale * 72),) * 2
            return image
        finally:
            pdf.close()


def render_first_page(path: Path, width: int, max_height: int):
    """The first page as a PIL image `width` pixels wide, or less when it would be taller
    than `max_height` (a copy, independent of PDFium). Extraction measured the page first."""
    with PDFIUM_LOCK:
        pdf = open_pdf(path)
        try:
            if len(pdf) == 0:
                raise ExtractionError("error.corrupt_pdf", "no pages")
            page = pdf[0]
            page_width, page_height = page.get_size()
            scale = min(width / max(page_width, 1e-3), max_height / max(page_height, 1e-3))
            bitmap = page.render(scale=scale)
            image = bitmap.to_pil().copy()
            bitmap.close()
            page.close()
            return image
        finally:
            pdf.close()
