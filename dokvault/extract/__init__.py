"""Text extraction and thumbnails, one module per format.

Each extractor raises ExtractionError with a code the UI can translate
(see dokvault/i18n.py, keys starting with "error."). Such an error is final: the
file is what it is, so it is never retried. What was read only in part says so in
`Extracted.notices` ("notice." keys), which the document keeps.
"""

from __future__ import annotations

from pathlib import Path

from dokvault.extract import docx, eml, html, language, ocr, odt, pdf, text
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
from dokvault.i18n import register

register({
    "nb": {
        "error.ocr_unavailable": "Tekstgjenkjenning (OCR) er ikke tilgjengelig. Kontakt administrator.",
        "error.corrupt_image": "Bildefilen er skadet og kan ikke leses.",
        "error.image_too_large": "Bildet har for mange piksler til å behandles.",
        "error.corrupt_odt": "ODT-filen er skadet og kan ikke leses.",
        "error.corrupt_eml": "Filen er ikke en lesbar e-post.",
        "error.bomb": "Filen pakker seg ut til langt mer enn størrelsen sin; den ble ikke lest.",
        "error.too_complex": "Filen er bygd opp av for mange deler til å kunne leses.",
        "notice.pages_limit": "Bare de første {read} av {pages} sidene ble lest: grensen er "
                              "{limit} sider per dokument.",
        "notice.size_limit": "Bare de første {read} av {pages} sidene ble lest: resten av "
                             "dokumentet er for stort til å leses.",
        "notice.ocr_pages_limit": "Tekstgjenkjenning (OCR) leste {read} av {pages} skannede sider: "
                                  "grensen er {limit} sider per dokument.",
        "notice.time_limit": "Lesingen stoppet etter {seconds} sekunder: {read} av {pages} sider "
                             "ble lest.",
        "notice.pages_unreadable": "{n} av sidene er skadet og ble ikke lest.",
        "notice.text_cut": "Teksten ble kuttet etter {chars} tegn.",
        "notice.file_cut": "Bare de første {mb} MB av innholdet ble lest.",
        "notice.attachments_over_limit": "{n} vedlegg ble ikke importert: en e-post kan ha høyst "
                                         "{limit} vedlegg og {mb} MB vedlegg i alt.",
    },
    "en": {
        "error.ocr_unavailable": "Text recognition (OCR) is not available. Contact the administrator.",
        "error.corrupt_image": "The image file is damaged and cannot be read.",
        "error.image_too_large": "The image has too many pixels to be processed.",
        "error.corrupt_odt": "The ODT file is damaged and cannot be read.",
        "error.corrupt_eml": "The file is not a readable e-mail.",
        "error.bomb": "The file expands to far more than its size; it was not read.",
        "error.too_complex": "The file is made of too many parts to be read.",
        "notice.pages_limit": "Only the first {read} of {pages} pages were read: the limit is "
                              "{limit} pages per document.",
        "notice.size_limit": "Only the first {read} of {pages} pages were read: the rest of the "
                             "document is too large to read.",
        "notice.ocr_pages_limit": "Text recognition (OCR) read {read} of {pages} scanned pages: "
                                  "the limit is {limit} pages per document.",
        "notice.time_limit": "Reading stopped after {seconds} seconds: {read} of {pages} pages "
                             "were read.",
        "notice.pages_unreadable": "{n} of the pages are damaged and were not read.",
        "notice.text_cut": "The text was cut after {chars} characters.",
        "notice.file_cut": "Only the first {mb} MB of the content were read.",
        "notice.attachments_over_limit": "{n} attachments were not imported: a mail may bring at "
                                         "most {limit} attachments and {mb} MB of them.",
    },
})


# Each format's reader (formats.FORMATS names them).
READERS = {"pdf": pdf.extract, "docx": docx.extract, "odt": odt.extract, "text": text.extract,
           "html": html.extract, "eml": eml.extract, "image": ocr.extract_image}


def extract(path: Path, ext: str, *, attachments_dir: Path | None = None,
            budget: Budget | None = None) -> Extracted:
    """Text, page count and language of one file.

    `attachments_dir` is where e-mail attachments are written (one file each); without
    it an e-mail's attachments are only named in its text. `budget` bounds the pages
    read (default: the settings').
    """
    if path.stat().st_size == 0:
        raise ExtractionError("error.empty_file")
    fmt = format_of(ext)
    if fmt is None:
        raise ExtractionError("error.unsupported_type")
    read = READERS[fmt.reader]
    with lasting_errors():
        if fmt.reader == "eml":
            result = eml.extract(path, attachments_dir)
        elif fmt.paged:
            result = read(path, budget or Budget.from_settings())
        else:
            result = read(path)
    if len(result.text) > MAX_TEXT_CHARS:
        result.notices.append(notice("notice.text_cut", chars=MAX_TEXT_CHARS))
    result.text = result.text[:MAX_TEXT_CHARS].replace("\x00", "")
    result.language = language.detect(result.text)
    return result


__all__ = ["MAX_TEXT_CHARS", "Attachment", "Extracted", "ExtractionError", "Notice", "extract",
           "notice"]
