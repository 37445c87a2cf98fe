"""Which files DokVault accepts, by extension, and what their content must look like."""

from pathlib import Path

CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".txt": "text/plain",
    ".md": "text/markdown",
    ".markdown": "text/markdown",
    ".html": "text/html",
    ".htm": "text/html",
}

# Binary formats must start with their signature; a renamed file is caught early.
MAGIC = {".pdf": b"%PDF-", ".docx": b"PK\x03\x04"}


def extension_of(filename: str) -> str:
    return Path(filename).suffix.lower()


def is_supported(filename: str) -> bool:
    return extension_of(filename) in CONTENT_TYPES


def content_type_for(ext: str) -> str:
    return CONTENT_TYPES.get(ext, "application/octet-stream")


def signature_matches(ext: str, head: bytes) -> bool:
    magic = MAGIC.get(ext)
    return magic is None or head.startswith(magic)
