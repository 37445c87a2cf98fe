"""What the extractors answer: the text and what is known about how it was read, the
files a document carries, and the one error an extractor raises (its code is the message
people read; such an error is final, never retried)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from dokvault.extract.layout import Layout

# Extracted text beyond this is cut: enough for search, bounded for the database.
MAX_TEXT_CHARS = 2_000_000


class ExtractionError(Exception):
    def __init__(self, code: str, detail: str = ""):
        super().__init__(code)
        self.code = code
        self.detail = detail


# What a document says about how it was read: {"code": "notice.…", **values for the text}.
Notice = dict[str, str | int]


def notice(code: str, **values: str | int) -> Notice:
    return {"code": code, **values}


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
    ocr_seconds: float = 0.0  # of the reading's time, what OCR took
    # OCRed pages (0-based index) as text-only PDF pages, for the searchable PDF.
    text_layers: dict[int, bytes] = field(default_factory=dict)
    attachments: list[Attachment] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)  # what was left unread, and why
    layout: Layout | None = None  # the first pages' lines and cells, where the format has them
