"""A searchable PDF beside a scanned original: the scan with an invisible OCR text layer.

ocrmypdf runs in-process, in whatever thread calls it (a Dramatiq worker thread):
`use_threads=True` keeps it from forking a process pool inside the worker, and
`jobs=1` keeps one document from taking every core from the other workers. Pages
are rasterised with Ghostscript, a subprocess, and never with ocrmypdf's own
pypdfium2 plugin: that one guards PDFium with a lock of its own, and two locks
around one non-thread-safe library are no lock (see PDFIUM_LOCK in extract/pdf.py).
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from pathlib import Path

import ocrmypdf
from ocrmypdf.exceptions import ExitCodeException
from PIL import Image

from dokvault.extract import ocr
from dokvault.extract.formats import IMAGE_EXTENSIONS

log = logging.getLogger(__name__)

# An image without a resolution of its own is taken to be a scan at this many dpi.
DEFAULT_IMAGE_DPI = 300
# Turn sideways and upside-down pages upright in the output (/Rotate). Off: ocrmypdf finds
# the orientation with a separate Tesseract pass per page, which doubles the time. The text
# layer is right either way, because Tesseract reads with orientation detection (psm 1).
ROTATE_PAGES = False


def _image_dpi(src: Path) -> int | None:
    """The resolution to tell ocrmypdf, for images that carry none (it refuses to guess)."""
    with Image.open(src) as image:
        dpi = image.info.get("dpi")
    if dpi and dpi[0] and round(float(dpi[0])) >= 70:
        return None
    return DEFAULT_IMAGE_DPI


def make_searchable_pdf(src: Path, dest: Path, ext: str) -> bool:
    """Write `src` (a PDF, PNG, JPEG or TIFF) as a PDF with a text layer to `dest`.

    Pages that already have text are copied as they are (`skip` mode); only scanned
    pages get OCR. Returns False, with the reason logged, when the file cannot be made
    searchable (not a PDF or image, encrypted, unreadable, a tool missing); `dest` is then
    left untouched. Meant for documents whose extraction reported ocr_pages > 0.
    """
    if ext != ".pdf" and ext not in IMAGE_EXTENSIONS:
        return False
    try:
        engine = ocr._engine()
        options = dict(
            language=engine.languages.split("+"),
            mode="skip",
            output_type="pdf",  # not PDF/A: no Ghostscript re-rendering of the whole file
            rasterizer="ghostscript",
            rotate_pages=ROTATE_PAGES and engine.has_osd,
            optimize=1,  # lossless only
            jobs=1,
            use_threads=True,
            progress_bar=False,
            tesseract_timeout=ocr.OCR_PAGE_TIMEOUT_S,
            max_image_mpixels=ocr.MAX_IMAGE_PIXELS / 1_000_000,
        )
        if engine.has_osd:
            options["tesseract_pagesegmode"] = int(ocr.PSM_AUTO_OSD)
        if ext != ".pdf":
            image_dpi = _image_dpi(src)
            if image_dpi:
                options["image_dpi"] = image_dpi
        dest.parent.mkdir(parents=True, exist_ok=True)
        # Written beside dest and moved into place, so dest is never a half-written PDF.
        with tempfile.TemporaryDirectory(prefix="dokvault-ocrpdf-", dir=dest.parent) as tmp:
            partial = Path(tmp) / "searchable.pdf"
            code = ocrmypdf.ocr(src, partial, **options)
            if code != ocrmypdf.ExitCode.ok or not partial.exists():
                log.warning("searchable pdf not made: ocrmypdf exit %s", code)
                return False
            shutil.move(partial, dest)
        return True
    except ExitCodeException as exc:  # encrypted, bad input, missing Ghostscript, ...
        log.warning("searchable pdf not made: %s: %s", type(exc).__name__, str(exc)[:300])
    except Exception as exc:  # a broken scan must not fail the document it belongs to
        log.warning("searchable pdf not made: %s: %s", type(exc).__name__, str(exc)[:300])
    return False
