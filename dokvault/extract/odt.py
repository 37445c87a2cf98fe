"""OpenDocument text (.odt): headings, paragraphs and list items in order, table rows as
"cell | cell" lines, as the DOCX extractor writes them; streamed from content.xml after
the container is checked (extract/archive.py)."""

from pathlib import Path

from lxml import etree

from dokvault.extract.archive import open_container
from dokvault.extract.office_xml import MAX_PART_BYTES, Dialect, read
from dokvault.extract.types import Extracted, ExtractionError, notice

TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
# <text:s text:c="3"/> is three spaces; an absurd count is not a gigabyte of them.
MAX_SPACES = 100


def _spaces(element: etree._Element) -> str:
    try:
        count = int(element.get(f"{TEXT}c", "1"))
    except ValueError:
        count = 1
    return " " * min(max(count, 1), MAX_SPACES)


def _paragraph_text(element: etree._Element) -> str:
    """Mixed content as odfpy's teletype reads it: spaces, tabs and line breaks included."""
    pieces = [element.text or ""]
    for child in element:
        if child.tag == f"{TEXT}s":
            pieces.append(_spaces(child))
        elif child.tag == f"{TEXT}tab":
            pieces.append("\t")
        elif child.tag == f"{TEXT}line-break":
            pieces.append("\n")
        elif isinstance(child.tag, str):
            pieces.append(_paragraph_text(child))
        pieces.append(child.tail or "")
    return "".join(pieces)


ODT = Dialect(paragraphs=frozenset({f"{TEXT}p", f"{TEXT}h"}), table=f"{TABLE}table",
              row=f"{TABLE}table-row", cell=f"{TABLE}table-cell", text=_paragraph_text)


def extract(path: Path) -> Extracted:
    with open_container(path, "error.corrupt_odt") as archive:
        try:
            with archive.open("content.xml") as part:
                reading = read(part, ODT)
        except Exception as exc:  # no content part, bad XML, a broken stream: one answer
            raise ExtractionError("error.corrupt_odt", f"{type(exc).__name__}: {exc}") from exc
    result = Extracted(text=reading.text.strip(), layout=reading.layout)
    if reading.part_cut:
        result.notices.append(notice("notice.file_cut", mb=MAX_PART_BYTES // 2**20))
    return result
