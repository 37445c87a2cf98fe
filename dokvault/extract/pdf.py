"""PDF text and page rendering with pypdfium2.

PDFium is not thread-safe, and the Dramatiq workers run several threads: every call
into it holds one process-wide lock (a collision can corrupt the library for good).
Pages without a text layer (scans) are rendered here and read by extract/ocr.py,
with the lock released while Tesseract works. Before PDFium loads a page, what the page
would inflate to is measured (extract/pdf_bounds.py); reading stops at the budget
(extract/budget.py) and at the text that is kept, and the document says so.
"""

import logging
import threading
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from dokvault.extract import MAX_TEXT_CHARS, Extracted, ExtractionError, notice, pdf_bounds
from dokvault.extract.budget import Budget

log = logging.getLogger(__name__)
PDFIUM_LOCK = threading.RLock()
# A page whose text layer has fewer visible characters than this, and that carries an
# image, is a scan: a stamped page number or "Scanned by" line does not make it text.
MIN_TEXT_CHARS = 20


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


def _page_count(path: Path) -> int:
    with PDFIUM_LOCK:
        pdf = _open(path)
        try:
            return len(pdf)
        finally:
            pdf.close()


def _read_text(path: Path, readable: int, budget: Budget) -> tuple[list[str], list[int], int]:
    """The text layer of the first `readable` pages (fewer when the budget runs out or the
    text is longer than is kept), the scans among them, and how many failed to load."""
    pages: list[str] = []
    scans: list[int] = []
    failed = chars = 0
    with PDFIUM_LOCK:
        pdf = _open(path)
        try:
            for index in range(readable):
                if budget.expired() or chars > MAX_TEXT_CHARS:
                    break
                try:
                    page = pdf[index]
                except pdfium.PdfiumError:  # a broken page object: the others may still read
                    failed += 1
                    pages.append("")
                    continue
                textpage = page.get_textpage()
                text = textpage.get_text_range()
                textpage.close()
                if _is_scan(page, text):
                    scans.append(index)
                page.close()
                pages.append(text)
                chars += len(text)
        finally:
            pdf.close()
    return pages, scans, failed


def extract(path: Path, budget: Budget) -> Extracted:
    total = _page_count(path)
    bounds = pdf_bounds.measure(path, total)
    pages, scans, failed = _read_text(path, bounds.readable, budget)
    if pages and failed == len(pages):
        raise ExtractionError("error.corrupt_pdf", f"none of {failed} pages could be loaded")
    if bounds.cut is None and len(pages) == bounds.readable:
        # Pages PDFium counts that the page tree, as walked, does not have: never loaded.
        failed += max(0, min(total, pdf_bounds.MAX_PAGES) - bounds.readable)
    read = {}
    notices = []
    if scans:
        from dokvault.extract import ocr

        run = ocr.read_pdf_pages(path, scans, budget)
        read = run.pages
        for index, page in read.items():
            pages[index] = page.text
        notices += run.notices(len(scans), len(pages) - len(scans) + len(read), total, budget)
    if failed:
        log.warning("pdf pages that PDFium could not load: %s of %s", failed, len(pages))
        notices.append(notice("notice.pages_unreadable", n=failed))
    if len(pages) < total:
        if bounds.cut == "pages" and len(pages) == bounds.readable:
            notices.append(notice("notice.pages_limit", read=len(pages), pages=total,
                                  limit=pdf_bounds.MAX_PAGES))
        elif bounds.cut == "size" and len(pages) == bounds.readable:
            notices.append(notice("notice.size_limit", read=len(pages), pages=total))
        elif budget.expired():
            notices.append(notice("notice.time_limit", seconds=round(budget.seconds),
                                  read=len(pages), pages=total))
    return Extracted(text="\n\n".join(p.strip() for p in pages).strip(), page_count=total,
                     ocr_pages=len(read), notices=notices,
                     text_layers={index: page.layer for index, page in read.items() if page.layer})


def _bounded(scale: float, width: float, height: float, max_pixels: int) -> float:
    """`scale`, lowered so a page of `width` x `height` points renders to `max_pixels` at most."""
    pixels = width * height * scale * scale
    return scale * (max_pixels / pixels) ** 0.5 if pixels > max_pixels else scale


def render_page(path: Path, index: int, dpi: int, max_pixels: int):
    """Page `index` as a greyscale PIL image at `dpi`, scaled down to `max_pixels` at most
    (a copy, independent of PDFium)."""
    with PDFIUM_LOCK:
        pdf = _open(path)
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
        pdf = _open(path)
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
