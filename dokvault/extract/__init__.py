"""Text extraction and thumbnails, one module per format.

Each extractor raises ExtractionError with a code the UI can translate
(see dokvault/i18n.py, keys starting with "error."). Such an error is final: the
file is what it is, so it is never retried. What was read only in part says so in
`Extracted.notices` ("notice." keys), which the document keeps.
"""

from __future__ import annotations

from pathlib import Path

from dokvault.extract import doc, docx, eml, html, language, ocr, odt, pdf, text, zip_archive
from dokvault.extract.budget import Budget
from dokvault.extract.failures import lasting_errors
from dokvault.extract.formats import format_of
from dokvault.extract.types import (
    MAX_TEXT_CHARS,
    Attachment,
    Extracted,
    ExtractionError,
    Notice,
    notice,
)

# Each format's reader (formats.FORMATS names them).
READERS = {"pdf": pdf.extract, "doc": doc.extract, "docx": docx.extract, "odt": odt.extract,
           "text": text.extract, "html": html.extract, "eml": eml.extract, "image": ocr.extract_image,
           "zip": zip_archive.extract}
# Readers of containers whose files become documents of their own (written to attachments_dir).
CONTAINERS = {"eml", "zip"}


def extract(path: Path, ext: str, *, attachments_dir: Path | None = None,
            budget: Budget | None = None) -> Extracted:
    """Text, page count and language of one file.

    `attachments_dir` is where e-mail attachments and the files of a ZIP archive are
    written (one file each); without it they are only named in its text. `budget` bounds the pages
    read (default: the settings').
    """
    if path.stat().st_size == 0:
        raise ExtractionError("error.empty_file")
    fmt = format_of(ext)
    if fmt is None:
        raise ExtractionError("error.unsupported_type")
    read = READERS[fmt.reader]
    budget = budget or Budget.from_settings()
    with lasting_errors():
        if fmt.reader in CONTAINERS:
            result = read(path, attachments_dir)
        elif fmt.paged:
            result = read(path, budget)
        else:
            result = read(path)
    result.ocr_seconds = budget.ocr_seconds
    if len(result.text) > MAX_TEXT_CHARS:
        result.notices.append(notice("notice.text_cut", chars=MAX_TEXT_CHARS))
    result.text = result.text[:MAX_TEXT_CHARS].replace("\x00", "")
    result.language = language.detect(result.text)
    return result


__all__ = ["MAX_TEXT_CHARS", "Attachment", "Extracted", "ExtractionError", "Notice", "extract",
           "notice"]
