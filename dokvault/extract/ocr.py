"""OCR with Tesseract: images (PNG, JPEG, multi-page TIFF, GIF, BMP, WebP, HEIC) and PDF
pages without a text layer.

Tesseract runs as a subprocess (extract/tesseract.py), called directly rather than
through pytesseract: the page goes in on stdin as a fast-compressed PNG (or as the file itself when Tesseract
can read it as is), one place enforces the time limit (the process is killed), and
there is no extra dependency. The same run writes two outputs: TSV, whose word
confidences decide whether a page needs its orientation checked, and a text-only PDF
page (invisible text where the words are), which extract/searchable.py lays under the
scan. So a scan is read once, for its text and its searchable PDF alike.
(Uncompressed PNM on stdin looks cheaper but is not: measured on an A4 page at 300 dpi,
Tesseract takes ~0.1 s to read 9 MB from stdin and Leptonica's PNM reader another
~0.1 s, a third more per page than a PNG at compression level 1.)

Rotation costs nothing on upright pages: the page is read once with automatic page
segmentation (psm 3); only when the words come back with low confidence, as they do
from text upside down or on its side, is it read again with orientation detection
(psm 1, which turns the page before reading). Without Tesseract's `osd` data the page
is tried at 180, 90 and 270 degrees instead. The better reading wins.

What one document may cost is bounded: pictures over MAX_IMAGE_PIXELS are refused before
they are decoded (Pillow's own bomb check is set to the same limit), larger pages than
MAX_OCR_PIXELS are scaled down first (Tesseract needs about 10 bytes a pixel), and pages
past the document's budget (extract/budget.py) are not read.
"""

from __future__ import annotations

import io
import logging
import math
import time
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pillow_heif
from PIL import Image, ImageOps, UnidentifiedImageError

from dokvault.extract import tesseract
from dokvault.extract.budget import Budget
from dokvault.extract.layout import MAX_LAYOUT_CHARS, Layout, add_scan_page
from dokvault.extract.pdf_render import render_page
from dokvault.extract.types import Extracted, ExtractionError, Notice, notice

log = logging.getLogger(__name__)

# Wall-clock limit for one page, orientation retries included. A page over it is
# skipped (logged); the rest of the document is still read.
OCR_PAGE_TIMEOUT_S = 60
# Scanned PDF pages are rendered at this resolution, the one Tesseract is trained for.
RENDER_DPI = 300
# Mean word confidence (0-100) below which a page may be upside down or on its side.
# Upright print reads at 90+, text upside down at about 50.
ROTATION_CHECK_BELOW = 70.0
# Larger images are refused before they are decoded: 100 Mpx is A4 at 1000 dpi.
MAX_IMAGE_PIXELS = 100_000_000
# Pillow refuses twice its limit on open; what lies between, our own checks refuse.
Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
warnings.simplefilter("ignore", Image.DecompressionBombWarning)
# HEIC phone photos open through Pillow like any picture (thumbnails, searchable PDFs too),
# under the same pixel checks: their size is known from the header, before decoding.
pillow_heif.register_heif_opener()
# Pages are scaled down to this before Tesseract reads them (~250 MB in Tesseract; A2 at
# 300 dpi is 35 Mpx, A3 17 Mpx).
MAX_OCR_PIXELS = 25_000_000
# Formats Tesseract (Leptonica) reads straight from the file, in modes it handles well.
_DIRECT_FORMATS = {"PNG", "JPEG"}
_DIRECT_MODES = {"1", "L", "RGB"}


@dataclass
class PageText:
    """One page read by OCR: its text, and the same words as a text-only PDF page (None
    when Tesseract cannot write one) in the orientation the page was given in; its first
    words' boxes on the upright page and that page's size, for the layout (none when
    Tesseract turned the page itself, or past what a layout holds)."""

    text: str
    layer: bytes | None = None
    boxes: list[tesseract.Box] = field(default_factory=list)
    size: tuple[int, int] = (0, 0)


def _page(reading: tesseract.Reading, layer: bytes | None, upright: bool = True) -> PageText:
    return PageText(reading.text, layer, reading.boxes if upright else [], reading.size)


def _open_for_rotation(source: Path | Image.Image) -> Image.Image:
    if isinstance(source, Image.Image):
        return source
    with Image.open(source) as image:
        return prepared(image)


def _turned_back(layer: bytes | None, angle: int) -> bytes | None:
    """The text-only page of an image turned `angle` degrees counter-clockwise, shown
    turned back (/Rotate is clockwise), so its words lie over the page as given."""
    if layer is None:
        return None
    import pikepdf

    with pikepdf.open(io.BytesIO(layer)) as pdf:
        pdf.pages[0].Rotate = angle
        out = io.BytesIO()
        pdf.save(out)
    return out.getvalue()


def read_page(source: Path | Image.Image, budget: Budget | None = None) -> PageText | None:
    """One page's text, read upright however it was scanned.

    `source` is an image file Tesseract can read directly, or a PIL image. None when the
    page ran out of time (OCR_PAGE_TIMEOUT_S, or what is left of `budget`); empty text when
    there is nothing to read.
    """
    started = time.monotonic()
    deadline = started + OCR_PAGE_TIMEOUT_S
    if budget is not None:
        deadline = min(deadline, budget.deadline)
    try:
        return _read_upright(source, deadline)
    finally:
        if budget is not None:
            budget.ocr_seconds += time.monotonic() - started


def _read_upright(source: Path | Image.Image, deadline: float) -> PageText | None:
    try:
        best = tesseract.run(source, tesseract.PSM_AUTO, deadline)
    except tesseract.TimedOut:
        return None
    if best.words == 0 or best.confidence >= ROTATION_CHECK_BELOW:
        return _page(best, best.layer)
    upright = True
    try:
        if tesseract.engine().has_osd:  # psm 1 turns the page inside Tesseract; the layer fits as is
            retries = [(source, tesseract.PSM_AUTO_OSD, 0)]
        else:
            image = _open_for_rotation(source)
            retries = ((image.rotate(angle, expand=True), tesseract.PSM_AUTO, angle)
                       for angle in (180, 90, 270))
        for candidate, psm, angle in retries:
            reading = tesseract.run(candidate, psm, deadline)
            if (reading.confidence, reading.words) > (best.confidence, best.words):
                best = reading
                best.layer = _turned_back(reading.layer, angle) if angle else reading.layer
                # psm 1 gives its boxes on the page as given, which may lie on its side
                upright = psm != tesseract.PSM_AUTO_OSD
            if best.confidence >= ROTATION_CHECK_BELOW:
                break
    except tesseract.TimedOut:
        log.info("ocr orientation check ran out of time; keeping the best reading so far")
    return _page(best, best.layer, upright)


def scaled_down(frame: Image.Image) -> Image.Image:
    """The frame at MAX_OCR_PIXELS at most, its resolution scaled with it (a JPEG is decoded
    at the smaller size straight away)."""
    width, pixels = frame.width, frame.width * frame.height
    if pixels <= MAX_OCR_PIXELS:
        return frame
    info = dict(frame.info)
    shrink = (pixels / MAX_OCR_PIXELS) ** 0.5
    if frame.format == "JPEG":  # libjpeg decodes at 1/2, 1/4 or 1/8 of the size
        frame.draft(frame.mode, (int(frame.width / shrink), int(frame.height / shrink)))
    if frame.mode in ("1", "P") or frame.mode.startswith("I;"):  # modes reduce() cannot take
        frame = frame.convert({"1": "L", "P": "RGBA"}.get(frame.mode, "I"))
    factor = math.ceil((frame.width * frame.height / MAX_OCR_PIXELS) ** 0.5)
    reduced = frame.reduce(factor) if factor > 1 else frame.copy()
    reduced.info.update(info)
    if dpi := info.get("dpi"):
        scale = reduced.width / width
        reduced.info["dpi"] = (float(dpi[0]) * scale, float(dpi[1]) * scale)
    log.info("ocr page of %s pixels scaled down to %s", pixels, reduced.width * reduced.height)
    return reduced


def prepared(frame: Image.Image) -> Image.Image:
    """A decoded, upright copy in a mode Tesseract reads well (transparency flattened onto white)."""
    image = ImageOps.exif_transpose(frame)  # always a copy, so a TIFF frame outlives seek()
    info_dpi = frame.info.get("dpi")
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        image = Image.new("RGB", rgba.size, "white")
        image.paste(rgba, mask=rgba.getchannel("A"))
    elif image.mode.startswith("I"):  # 16/32-bit greyscale: scale down, a plain convert clips
        image = image.convert("I").point(lambda value: value / 256).convert("L")
    elif image.mode not in _DIRECT_MODES:
        image = image.convert("L" if image.mode == "F" else "RGB")
    if info_dpi:
        image.info["dpi"] = info_dpi
    return image


def _reads_directly(image: Image.Image) -> bool:
    orientation = image.getexif().get(0x0112, 1)  # EXIF Orientation; 1 is upright
    return image.format in _DIRECT_FORMATS and image.mode in _DIRECT_MODES and orientation == 1


@dataclass
class OcrRun:
    """The pages one document's OCR read, and why it stopped before the last, if it did."""

    limit: int  # pages the budget allowed when the run began
    pages: dict[int, PageText] = field(default_factory=dict)
    stopped: str | None = None  # "pages" (OCR_MAX_PAGES) or "time" (OCR_TIME_LIMIT_SECONDS)
    layout_chars: int = 0  # text of the pages read so far: past a layout's worth, no boxes are kept

    def may_read(self, budget: Budget) -> bool:
        if budget.ocr_pages <= 0:
            self.stopped = "pages"
        elif budget.expired():
            self.stopped = "time"
        return self.stopped is None

    def add(self, index: int, page: PageText, budget: Budget) -> None:
        if self.layout_chars > MAX_LAYOUT_CHARS:
            page.boxes = []  # a layout is full before this page (pages are read in order)
        self.layout_chars += len(page.text)
        self.pages[index] = page
        budget.ocr_pages -= 1

    def layout(self) -> Layout | None:
        """The pages' lines and cells, as a PDF's text pages give them."""
        layout = Layout("scan")
        for index in sorted(self.pages):
            page = self.pages[index]
            if page.boxes and not layout.full:
                add_scan_page(layout, index, *page.size, page.boxes)
        return layout if layout.lines else None

    def notices(self, scanned: int, read_pages: int, total: int, budget: Budget) -> list[Notice]:
        """What the document says about pages OCR left unread."""
        if self.stopped == "pages":
            log.info("ocr stopped at the page limit: %s of %s scanned pages", len(self.pages), scanned)
            return [notice("notice.ocr_pages_limit", read=len(self.pages), pages=scanned,
                           limit=self.limit)]
        if self.stopped == "time":
            log.info("ocr stopped at the time limit: %s of %s pages", read_pages, total)
            return [notice("notice.time_limit", seconds=round(budget.seconds), read=read_pages,
                           pages=total)]
        return []


def _open_image(path: Path) -> Image.Image:
    try:
        return Image.open(path)
    except Image.DecompressionBombError as exc:  # over twice MAX_IMAGE_PIXELS
        raise ExtractionError("error.image_too_large", str(exc)[:200]) from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        # ValueError: a PNG whose text chunks inflate past Pillow's limits, among others
        raise ExtractionError("error.corrupt_image", f"{type(exc).__name__}: {str(exc)[:200]}") from exc


def _check_pixels(image: Image.Image) -> None:
    if image.width * image.height > MAX_IMAGE_PIXELS:
        log.warning("image refused: %sx%s pixels", image.width, image.height)
        raise ExtractionError("error.image_too_large", f"{image.width}x{image.height}")


def extract_image(path: Path, budget: Budget) -> Extracted:
    """PNG, JPEG, TIFF, GIF, BMP, WebP or HEIC: every frame is a page, as far as the budget
    goes."""
    tesseract.engine()  # no Tesseract is the whole document's problem, not a page's
    with _open_image(path) as image:
        _check_pixels(image)
        try:
            frames = getattr(image, "n_frames", 1)
        except (OSError, ValueError, EOFError) as exc:
            raise ExtractionError("error.corrupt_image", f"{type(exc).__name__}: {exc}") from exc
        run = OcrRun(limit=budget.ocr_pages)
        texts: list[str] = []
        for index in range(frames):
            if not run.may_read(budget):
                break
            try:
                image.seek(index)
                _check_pixels(image)
                direct = frames == 1 and _reads_directly(image) \
                    and image.width * image.height <= MAX_OCR_PIXELS
                source = path if direct else prepared(scaled_down(image))
            except (OSError, ValueError, EOFError) as exc:
                if index == 0:
                    raise ExtractionError("error.corrupt_image", f"{type(exc).__name__}: {exc}") from exc
                log.warning("ocr skipped unreadable frame %s of %s: %s", index + 1, frames, exc)
                continue
            page = read_page(source, budget)
            del source
            if page is None:
                log.warning("ocr page %s of %s skipped: out of time", index + 1, frames)
                continue
            run.add(index, page, budget)
            texts.append(page.text)
    return Extracted(text="\n\n".join(t for t in texts if t).strip(), page_count=frames,
                     ocr_pages=len(run.pages),
                     notices=run.notices(frames, len(run.pages), frames, budget),
                     text_layers={i: p.layer for i, p in run.pages.items() if p.layer},
                     layout=run.layout())


def read_pdf_pages(path: Path, indexes: list[int], budget: Budget) -> OcrRun:
    """The given PDF pages (0-based) read, as far as the budget goes; pages that run out of
    time are left out.

    The next page is rendered while Tesseract reads the current one (PDFium held only
    while rendering), so a scanned PDF costs little more than the same pages as images.
    """
    tesseract.engine()
    run = OcrRun(limit=budget.ocr_pages)
    if not indexes:
        return run
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="ocr-render") as renderer:
        def render(position: int):
            return renderer.submit(render_page, path, indexes[position], RENDER_DPI, MAX_OCR_PIXELS)

        upcoming = render(0)
        for position, index in enumerate(indexes):
            if not run.may_read(budget):
                break
            image = upcoming.result()
            if position + 1 < len(indexes):
                upcoming = render(position + 1)
            page = read_page(image, budget)
            del image
            if page is None:
                log.warning("ocr pdf page %s skipped: out of time", index + 1)
                continue
            run.add(index, page, budget)
    return run
