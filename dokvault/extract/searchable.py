"""A searchable PDF beside a scanned original: the scan with an invisible OCR text layer.

The text layer is the one the OCR pass already made (extract/ocr.py writes each page's
words as a text-only PDF page in the same Tesseract run that reads the text), laid
under each scanned page with pikepdf, the way ocrmypdf's sandwich renderer grafts its
layers. Running ocrmypdf instead would read every page a second time, more than doubling
what a scan costs. Pages are otherwise left exactly as they are: no re-rendering, no
recompression, text pages untouched. Images are first wrapped losslessly as PDF pages
with img2pdf (JPEG kept as is; EXIF orientation kept as /Rotate).
"""

from __future__ import annotations

import io
import logging
import shutil
import tempfile
from pathlib import Path

import img2pdf
import pikepdf
from PIL import Image

from dokvault.extract.formats import IMAGE_EXTENSIONS
from dokvault.extract.ocr import prepared

log = logging.getLogger(__name__)

# An image without a resolution of its own is taken to be a scan at this many dpi.
DEFAULT_IMAGE_DPI = 300


def _image_facts(src: Path) -> tuple[int | None, bool]:
    """The resolution to give an image that carries none (else img2pdf takes 96 dpi and an
    A4 scan becomes a page a metre tall), and whether its EXIF orientation mirrors it,
    which /Rotate cannot show."""
    with Image.open(src) as image:
        dpi = image.info.get("dpi")
        mirrored = image.getexif().get(0x0112, 1) in (2, 4, 5, 7)
    if dpi and dpi[0] and round(float(dpi[0])) >= 70:
        return None, mirrored
    return DEFAULT_IMAGE_DPI, mirrored


def _prepared_frames(src: Path, folder: Path) -> list[str]:
    """Every frame as the PNG Tesseract read, upright (for images img2pdf cannot take as
    they are, such as 16-bit TIFF or a mirrored photo), written to `folder`, one at a time."""
    paths = []
    with Image.open(src) as image:
        for index in range(getattr(image, "n_frames", 1)):
            image.seek(index)
            path = folder / f"frame-{index:05d}.png"
            prepared(image).save(path, format="PNG", compress_level=1)
            paths.append(str(path))
    return paths


def _image_as_pdf(src: Path, dest: Path) -> None:
    """PNG, JPEG or TIFF (every frame a page) as a PDF, written to `dest` without holding
    the whole output in memory."""
    dpi, mirrored = _image_facts(src)
    options = dict(rotation=img2pdf.Rotation.ifvalid)
    if dpi:
        options["layout_fun"] = img2pdf.get_fixed_dpi_layout_fun((dpi, dpi))
    if not mirrored:
        try:
            with dest.open("wb") as out:
                img2pdf.convert(str(src), outputstream=out, **options)
            return
        except Exception as exc:  # a mode or depth img2pdf will not embed losslessly
            log.info("image taken through Pillow for its pdf: %s: %s", type(exc).__name__, str(exc)[:200])
    frames = _prepared_frames(src, dest.parent)
    with dest.open("wb") as out:
        img2pdf.convert(frames, outputstream=out, **options)


def _lay_under(pdf: pikepdf.Pdf, page: pikepdf.Page, layer: bytes) -> None:
    """Put a text-only page under `page`, fitted to the area a viewer shows (the crop box,
    turned by the page's /Rotate, which is how the page was rendered for OCR)."""
    with pikepdf.open(io.BytesIO(layer)) as text:
        form = pdf.copy_foreign(text.pages[0].as_form_xobject())
    page.add_underlay(form, pikepdf.Rectangle(page.cropbox))


def make_searchable_pdf(src: Path, dest: Path, ext: str, layers: dict[int, bytes]) -> bool:
    """Write `src` (a PDF, PNG, JPEG or TIFF) to `dest` with `layers` (page index to
    text-only PDF page, from the OCR pass) under its scanned pages.

    Returns False, with the reason logged, when there is nothing to lay or the file cannot
    take it (not a PDF or image, encrypted, unreadable); `dest` is then left untouched.
    """
    if not layers or (ext != ".pdf" and ext not in IMAGE_EXTENSIONS):
        return False
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        # Written beside dest and moved into place, so dest is never a half-written PDF.
        with tempfile.TemporaryDirectory(prefix="dokvault-ocrpdf-", dir=dest.parent) as tmp:
            base = src
            if ext != ".pdf":
                base = Path(tmp) / "image.pdf"
                _image_as_pdf(src, base)
            partial = Path(tmp) / "searchable.pdf"
            with pikepdf.open(base) as pdf:
                if pdf.is_encrypted:  # saving would drop the owner's restrictions
                    log.warning("searchable pdf not made: the pdf is encrypted")
                    return False
                for index, layer in sorted(layers.items()):
                    if index < len(pdf.pages):
                        _lay_under(pdf, pdf.pages[index], layer)
                pdf.save(partial)
            shutil.move(partial, dest)
        return True
    except Exception as exc:  # a broken scan must not fail the document it belongs to
        log.warning("searchable pdf not made: %s: %s", type(exc).__name__, str(exc)[:300])
    return False
