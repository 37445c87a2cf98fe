"""Word documents (.docx): the body's paragraphs and table rows, in order, streamed from
word/document.xml after the container is checked (extract/archive.py)."""

from pathlib import Path

from lxml import etree

from dokvault.extract.archive import open_container
from dokvault.extract.office_xml import MAX_PART_BYTES, Dialect, read
from dokvault.extract.types import Extracted, ExtractionError, notice

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_PIECES = {f"{W}t": None, f"{W}tab": "\t", f"{W}ptab": "\t", f"{W}br": "\n", f"{W}cr": "\n",
           f"{W}noBreakHyphen": "-"}


def _paragraph_text(paragraph: etree._Element) -> str:
    """Runs as Word shows them; deleted text (w:delText) and field codes are not text."""
    pieces = []
    for element in paragraph.iter(*_PIECES):
        fixed = _PIECES[element.tag]
        pieces.append(element.text or "" if fixed is None else fixed)
    return "".join(pieces)


DOCX = Dialect(paragraphs=frozenset({f"{W}p"}), table=f"{W}tbl", row=f"{W}tr", cell=f"{W}tc",
               text=_paragraph_text)


def extract(path: Path) -> Extracted:
    with open_container(path, "error.corrupt_docx") as archive:
        try:
            with archive.open("word/document.xml") as part:
                reading = read(part, DOCX)
        except Exception as exc:  # no main part, bad XML, a broken stream: one answer to a person
            raise ExtractionError("error.corrupt_docx", f"{type(exc).__name__}: {exc}") from exc
    result = Extracted(text=reading.text.strip(), layout=reading.layout)
    if reading.part_cut:
        result.notices.append(notice("notice.file_cut", mb=MAX_PART_BYTES // 2**20))
    return result
