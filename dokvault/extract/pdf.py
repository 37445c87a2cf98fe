"""PDF text and first-page rendering with pypdfium2.

PDFium is not thread-safe, and the Dramatiq workers run several threads: every call
into it holds one process-wide lock (a collision can corrupt the library for good).
"""

import threading
from pathlib import Path

import pypdfium2 as pdfium

from dokvault.extract import Extracted, ExtractionError

PDFIUM_LOCK = threading.RLock()


def _open(path: Path) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        code = "error.pdf_encrypted" if "password" in str(exc).lower() else "error.corrupt_pdf"
        raise ExtractionError(code, str(exc)) from exc


def extract(path: Path) -> Extracted:
    with PDFIUM_LOCK:
        pdf = _open(path)
        try:
            pages = []
            for index in range(len(pdf)):
                page = pdf[index]
                textpage = page.get_textpage()
                pages.append(textpage.get_text_range())
                textpage.close()
                page.close()
            return Extracted(text="\n\n".join(p.strip() for p in pages).strip(),
                             page_count=len(pdf))
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
