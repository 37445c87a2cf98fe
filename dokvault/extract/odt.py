"""OpenDocument text (.odt) with odfpy: headings, paragraphs and list items in order,
table rows as "cell | cell" lines, as the DOCX extractor writes them."""

import zipfile
from pathlib import Path

from odf import teletype
from odf.namespaces import TABLENS, TEXTNS
from odf.opendocument import load

from dokvault.extract import Extracted, ExtractionError

# odfpy parses content.xml whole; a zip bomb must be refused before it is inflated.
MAX_CONTENT_BYTES = 200 * 1024 * 1024

_PARAGRAPHS = {(TEXTNS, "p"), (TEXTNS, "h")}
_ROW = (TABLENS, "table-row")


def _row_text(row) -> str:
    cells = []
    for cell in row.childNodes:
        text = " ".join(teletype.extractText(node).strip() for node in _paragraphs(cell)).strip()
        if text:
            cells.append(text)
    return " | ".join(cells)


def _paragraphs(node):
    for child in node.childNodes:
        if getattr(child, "qname", None) in _PARAGRAPHS:
            yield child
        elif child.nodeType == child.ELEMENT_NODE:
            yield from _paragraphs(child)


def _lines(node):
    for child in node.childNodes:
        if child.nodeType != child.ELEMENT_NODE:
            continue
        if child.qname in _PARAGRAPHS:
            yield teletype.extractText(child).strip()
        elif child.qname == _ROW:
            yield _row_text(child)
        else:
            yield from _lines(child)


def extract(path: Path) -> Extracted:
    try:
        with zipfile.ZipFile(path) as archive:
            size = archive.getinfo("content.xml").file_size
        if size > MAX_CONTENT_BYTES:
            raise ExtractionError("error.corrupt_odt", f"content.xml is {size} bytes")
        document = load(str(path))
        lines = [line for line in _lines(document.body) if line]
    except ExtractionError:
        raise
    except Exception as exc:  # bad zip, missing parts, broken XML: all one answer to a person
        raise ExtractionError("error.corrupt_odt", f"{type(exc).__name__}: {exc}") from exc
    return Extracted(text="\n".join(lines).strip())
