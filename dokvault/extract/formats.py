"""Which files DokVault accepts, by extension, and what their content must look like."""

from pathlib import Path

CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".txt": "text/plain",
    ".md": "text/markdown",
    ".markdown": "text/markdown",
    ".html": "text/html",
    ".htm": "text/html",
    ".eml": "message/rfc822",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
}

# Formats whose text comes from OCR, and which get a searchable PDF beside the original.
IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".tif", ".tiff")

_TIFF = (b"II*\x00", b"MM\x00*")  # little- and big-endian
# Binary formats must start with their signature; a renamed file is caught early.
MAGIC: dict[str, bytes | tuple[bytes, ...]] = {
    ".pdf": b"%PDF-",
    ".docx": b"PK\x03\x04",
    ".odt": b"PK\x03\x04",
    ".png": b"\x89PNG\r\n\x1a\n",
    ".jpg": b"\xff\xd8\xff",
    ".jpeg": b"\xff\xd8\xff",
    ".tif": _TIFF,
    ".tiff": _TIFF,
}


def extension_of(filename: str) -> str:
    return Path(filename).suffix.lower()


def is_supported(filename: str) -> bool:
    return extension_of(filename) in CONTENT_TYPES


def content_type_for(ext: str) -> str:
    return CONTENT_TYPES.get(ext, "application/octet-stream")


def signature_matches(ext: str, head: bytes) -> bool:
    magic = MAGIC.get(ext)
    return magic is None or head.startswith(magic)
