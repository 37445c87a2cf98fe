"""Text extraction and thumbnails, one module per format.

Each extractor raises ExtractionError with a code the UI can translate
(see dokvault/i18n.py, keys starting with "error.").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from dokvault.i18n import register

# Extracted text beyond this is cut: enough for search, bounded for the database.
MAX_TEXT_CHARS = 2_000_000


register({
    "nb": {
        "error.ocr_unavailable": "Tekstgjenkjenning (OCR) er ikke tilgjengelig. Kontakt administrator.",
        "error.corrupt_image": "Bildefilen er skadet og kan ikke leses.",
        "error.image_too_large": "Bildet har for mange piksler til å behandles.",
        "error.corrupt_odt": "ODT-filen er skadet og kan ikke leses.",
        "error.corrupt_eml": "Filen er ikke en lesbar e-post.",
    },
    "en": {
        "error.ocr_unavailable": "Text recognition (OCR) is not available. Contact the administrator.",
        "error.corrupt_image": "The image file is damaged and cannot be read.",
        "error.image_too_large": "The image has too many pixels to be processed.",
        "error.corrupt_odt": "The ODT file is damaged and cannot be read.",
        "error.corrupt_eml": "The file is not a readable e-mail.",
    },
})


class ExtractionError(Exception):
    def __init__(self, code: str, detail: str = ""):
        super().__init__(code)
        self.code = code
        self.detail = detail


@dataclass
class Attachment:
    """A file carried inside a document (an e-mail attachment), already written to disk.

    `name` is the cleaned human name (never a path); `path` is where the bytes are,
    inside the folder the caller passed, and belongs to the caller from then on.
    """

    name: str
    path: Path
    content_type: str


@dataclass
class Extracted:
    text: str
    page_count: int | None = None
    language: str | None = None  # "nb", "en", "sv", "da", "de", or None when unsure
    ocr_pages: int = 0  # pages whose text came from OCR
    # OCRed pages (0-based index) as text-only PDF pages, for the searchable PDF.
    text_layers: dict[int, bytes] = field(default_factory=dict)
    attachments: list[Attachment] = field(default_factory=list)


def extract(path: Path, ext: str, *, attachments_dir: Path | None = None) -> Extracted:
    """Text, page count and language of one file.

    `attachments_dir` is where e-mail attachments are written (one file each); without
    it an e-mail's attachments are only named in its text.
    """
    from dokvault.extract import docx, eml, html, language, ocr, odt, pdf, text

    handlers = {
        ".pdf": pdf.extract,
        ".docx": docx.extract,
        ".odt": odt.extract,
        ".txt": text.extract,
        ".md": text.extract,
        ".markdown": text.extract,
        ".html": html.extract,
        ".htm": html.extract,
        ".png": ocr.extract_image,
        ".jpg": ocr.extract_image,
        ".jpeg": ocr.extract_image,
        ".tif": ocr.extract_image,
        ".tiff": ocr.extract_image,
    }
    if path.stat().st_size == 0:
        raise ExtractionError("error.empty_file")
    if ext == ".eml":
        result = eml.extract(path, attachments_dir)
    else:
        handler = handlers.get(ext)
        if handler is None:
            raise ExtractionError("error.unsupported_type")
        result = handler(path)
    result.text = result.text[:MAX_TEXT_CHARS].replace("\x00", "")
    result.language = language.detect(result.text)
    return result
