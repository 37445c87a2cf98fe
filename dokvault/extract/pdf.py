"""PDF text and page rendering with pypdfium2.

PDFium is not thread-safe, and the Dramatiq workers run several threads: every call
into it holds one process-wide lock (a collision can corrupt the library for good).
Pages without a text layer (scans) are rendered here and read by extract/ocr.py,
with the lock released while Tesseract works; the pictures on pages that have one are
read too (extract/pdf_pictures.py), where words in a picture are not in the text layer.
Before PDFium loads a page, what the page would inflate to is measured
(extract/pdf_bounds.py); reading stops at the budget (extract/budget.py) and at the text
that is kept, and the document says so.
"""

import logging
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from dokvault.extract import ocr, pdf_bounds, pdf_pictures, rtl, tesseract
from dokvault.extract.budget import Budget
from dokvault.extract.layout import MAX_LAYOUT_CHARS, MAX_SEGMENTS, Layout, add_pdf_page, in_page_order
from dokvault.extract.pdf_render import PDFIUM_LOCK, open_pdf
from dokvault.extract.types import MAX_TEXT_CHARS, Extracted, ExtractionError, notice

log = logging.getLogger(__name__)
# A page whose text layer has fewer visible characters than this, and that carries an
# image, is a scan: a stamped page number or "Scanned by" line does not make it text.
MIN_TEXT_CHARS = 20


def _is_scan(page: pdfium.PdfPage, text: str) -> bool:
    if len("".join(text.split())) >= MIN_TEXT_CHARS:
        return False
    return any(True for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]))


def _page_count(path: Path) -> int:
    with PDFIUM_LOCK:
        pdf = open_pdf(path)
        try:
            return len(pdf)
        finally:
            pdf.close()


def _segments(textpage: pdfium.PdfTextPage) -> list[tuple[float, float, float, float, str]]:
    """The page's text segments with their boxes (left, bottom, right, top, text), as many
    as a layout can hold."""
    out, chars = [], 0
    for i in range(min(textpage.count_rects(), MAX_SEGMENTS)):
        left, bottom, right, top = textpage.get_rect(i)
        text = rtl.logical_order(textpage.get_text_bounded(left, bottom, right, top))
        out.append((left, bottom, right, top, text))
        chars += len(text)
        if chars > MAX_LAYOUT_CHARS:
            break
    return out


def _read_text(path: Path, readable: int, budget: Budget, layout: Layout
               ) -> tuple[list[str], list[int], list[int], int]:
    """The text layer of the first `readable` pages (fewer when the budget runs out or the
    text is longer than is kept), the scans among them, the text pages with pictures to
    read, and how many failed to load. The text pages' lines go into `layout` while it has
    room."""
    pages: list[str] = []
    scans: list[int] = []
    pictured: list[int] = []
    failed = chars = 0
    with PDFIUM_LOCK:
        pdf = open_pdf(path)
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
                text = rtl.logical_order(textpage.get_text_range())
                scan = _is_scan(page, text)
                if not scan and not layout.full:
                    add_pdf_page(layout, index, *page.get_size(), _segments(textpage))
                textpage.close()
                if scan:
                    scans.append(index)
                elif pdf_pictures.has_pictures(page):
                    pictured.append(index)
                page.close()
                pages.append(text)
                chars += len(text)
        finally:
            pdf.close()
    return pages, scans, pictured, failed


def extract(path: Path, budget: Budget) -> Extracted:
    total = _page_count(path)
    bounds = pdf_bounds.measure(path, total)
    layout = Layout("pdf")
    pages, scans, pictured, failed = _read_text(path, bounds.readable, budget, layout)
    if pages and failed == len(pages):
        raise ExtractionError("error.corrupt_pdf", f"none of {failed} pages could be loaded")
    if bounds.cut is None and len(pages) == bounds.readable:
        # Pages PDFium counts that the page tree, as walked, does not have: never loaded.
        failed += max(0, min(total, pdf_bounds.MAX_PAGES) - bounds.readable)
    read = {}
    notices = []
    if scans:
        run = ocr.read_pdf_pages(path, scans, budget)
        read = run.pages
        for index, page in read.items():
            pages[index] = page.text
        layout = in_page_order(layout, {i: (*p.size, p.boxes) for i, p in read.items() if p.boxes})
        notices += run.notices(len(scans), len(pages) - len(scans) + len(read), total, budget)
    pictures = 0
    if pictured and not notices and tesseract.unavailable_reason() is None:
        run = pdf_pictures.read(path, pictured, pages, budget)
        pictures = len(run.pages)
        notices += run.notices(len(pictured), len(pages), total, budget)
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
                     ocr_pages=len(read) + pictures, notices=notices,
                     text_layers={index: page.layer for index, page in read.items() if page.layer},
                     layout=layout if layout.lines else None)
