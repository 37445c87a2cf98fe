"""Which files DokVault accepts: one table, read by the upload page (the browser's accept
list and the hint under the drop zone), the intake checks and the extractors."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

# A signature is what the content starts with, or a pattern for one that has a field in
# between (RIFF size, ISO box size) or may come late (a PDF after a BOM or a little junk).
Signature = bytes | re.Pattern[bytes]


@dataclass(frozen=True)
class Format:
    label: str  # what people call it, in the upload hint
    content_type: str
    extensions: tuple[str, ...]
    reader: str  # the extractor: a key of extract.READERS
    # What the content must start with: a renamed file is caught before it is stored.
    magic: tuple[Signature, ...] = ()
    paged: bool = False  # its pages cost time (PDF pages, scans): it gets the reading budget
    scanned: bool = False  # its text comes from OCR; it gets a searchable PDF beside it


_ZIP = (b"PK\x03\x04",)
# Readers (PDFium, qpdf) find the header within the first KiB: a UTF-8 BOM, a mail
# gateway's stray line or a little junk before "%PDF-" is accepted as they accept it.
PDF_HEADER_WITHIN = 1024
_PDF = re.compile(rb"[\s\S]{0,%d}?%%PDF-" % (PDF_HEADER_WITHIN - 1))
# HEIF stills (phone photos): an ISO "ftyp" box, its size first, then an HEVC/HEIF brand.
_HEIC = re.compile(rb"[\s\S]{4}ftyp(heic|heix|heim|heis|hevc|hevx|mif1|msf1)")
FORMATS = (
    Format("PDF", "application/pdf", (".pdf",), "pdf", (_PDF,), paged=True),
    Format("DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
           (".docx",), "docx", _ZIP),
    # Word 97-2003: an OLE2 compound file (extract/doc.py reads it with catdoc).
    Format("DOC", "application/msword", (".doc",), "doc", (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)),
    Format("ODT", "application/vnd.oasis.opendocument.text", (".odt",), "odt", _ZIP),
    Format("TXT", "text/plain", (".txt",), "text"),
    Format("Markdown", "text/markdown", (".md", ".markdown"), "text"),
    Format("HTML", "text/html", (".html", ".htm"), "html"),
    Format("EML", "message/rfc822", (".eml",), "eml"),
    # Each file inside that is read here becomes a document of its own (extract/zip_archive.py).
    Format("ZIP", "application/zip", (".zip",), "zip", _ZIP),
    Format("PNG", "image/png", (".png",), "image", (b"\x89PNG\r\n\x1a\n",), paged=True,
           scanned=True),
    Format("JPEG", "image/jpeg", (".jpg", ".jpeg"), "image", (b"\xff\xd8\xff",), paged=True,
           scanned=True),
    Format("TIFF", "image/tiff", (".tif", ".tiff"), "image", (b"II*\x00", b"MM\x00*"),
           paged=True, scanned=True),
    Format("GIF", "image/gif", (".gif",), "image", (b"GIF87a", b"GIF89a"), paged=True,
           scanned=True),
    Format("BMP", "image/bmp", (".bmp",), "image", (b"BM",), paged=True, scanned=True),
    Format("WebP", "image/webp", (".webp",), "image", (re.compile(rb"RIFF[\s\S]{4}WEBP"),),
           paged=True, scanned=True),
    Format("HEIC", "image/heic", (".heic", ".heif"), "image", (_HEIC,), paged=True,
           scanned=True),
)
# How many leading bytes the intake keeps for signature_matches: enough for the latest one.
HEAD_BYTES = PDF_HEADER_WITHIN + 8
BY_EXTENSION = {ext: f for f in FORMATS for ext in f.extensions}
CONTENT_TYPES = {ext: f.content_type for ext, f in BY_EXTENSION.items()}
# Formats whose text comes from OCR, and which get a searchable PDF beside the original.
IMAGE_EXTENSIONS = tuple(ext for ext, f in BY_EXTENSION.items() if f.scanned)


def extension_of(filename: str) -> str:
    return Path(filename).suffix.lower()


def format_of(ext: str) -> Format | None:
    return BY_EXTENSION.get(ext)


def is_supported(filename: str) -> bool:
    return extension_of(filename) in BY_EXTENSION


def content_type_for(ext: str) -> str:
    return CONTENT_TYPES.get(ext, "application/octet-stream")


def signature_matches(ext: str, head: bytes) -> bool:
    fmt = BY_EXTENSION.get(ext)
    return fmt is None or not fmt.magic or any(_starts(head, sig) for sig in fmt.magic)


def _starts(head: bytes, signature: Signature) -> bool:
    if isinstance(signature, bytes):
        return head.startswith(signature)
    return signature.match(head) is not None


def browser_accept() -> dict[str, list[str]]:
    """The upload's accept list: content type -> extensions (react-dropzone's form)."""
    accept: dict[str, list[str]] = {}
    for f in FORMATS:
        accept.setdefault(f.content_type, []).extend(f.extensions)
    return accept


def labels() -> list[str]:
    return [f.label for f in FORMATS]
