"""Errors from the libraries underneath that retrying can never change, as the codes
people read. Anything else is unexpected, and the worker tries the document again."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pypdfium2 as pdfium
from PIL import Image

from dokvault.extract.types import ExtractionError

LASTING = (
    (Image.DecompressionBombError, "error.image_too_large"),  # Pillow's pixel limit
    (pdfium.PdfiumError, "error.corrupt_pdf"),  # a page PDFium cannot load, a broken tree
    (RecursionError, "error.too_complex"),  # structures nested deeper than Python's stack
)


@contextlib.contextmanager
def lasting_errors() -> Iterator[None]:
    try:
        yield
    except ExtractionError:
        raise
    except Exception as exc:
        for kind, code in LASTING:
            if isinstance(exc, kind):
                raise ExtractionError(code, f"{type(exc).__name__}: {str(exc)[:200]}") from exc
        raise
