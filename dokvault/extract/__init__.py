"""Text extraction and thumbnails, one module per format.

Each extractor raises ExtractionError with a code the UI can translate
(see dokvault/i18n.py, keys starting with "error.").
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# Extracted text beyond this is cut: enough for search, bounded for the database.
MAX_TEXT_CHARS = 2_000_000


class ExtractionError(Exception):
    def __init__(self, code: str, detail: str = ""):
        super().__init__(code)
        self.code = code
        self.detail = detail


@dataclass
class Extracted:
    text: str
    page_count: int | None = None


def extract(path: Path, ext: str) -> Extracted:
    from dokvault.extract import docx, html, pdf, text

    handlers = {
        ".pdf": pdf.extract,
        ".docx": docx.extract,
        ".txt": text.extract,
        ".md": text.extract,
        ".markdown": text.extract,
        ".html": html.extract,
        ".htm": html.extract,
    }
    if path.stat().st_size == 0:
        raise ExtractionError("error.empty_file")
    handler = handlers.get(ext)
    if handler is None:
        raise ExtractionError("error.unsupported_type")
    result = handler(path)
    result.text = result.text[:MAX_TEXT_CHARS].replace("\x00", "")
    return result
