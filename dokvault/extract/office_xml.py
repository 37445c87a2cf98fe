"""The paragraphs and table rows of an office document's main XML part (DOCX's
word/document.xml, ODT's content.xml), in document order, read as a stream.

Each element is dropped as soon as its text is taken, so memory stays flat however large
the part is (a DOM of a 100 MB part is gigabytes). Reading stops once the text is longer
than what is kept (MAX_TEXT_CHARS), or after MAX_PART_BYTES of XML: streaming costs about
a second per 5 MB here, and a part of empty elements has no text to stop at. A table row
becomes one "cell | cell" line; a table inside a cell is folded into that cell's text.
Entities are never expanded and nothing is fetched: the part is data from a stranger.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO

from lxml import etree

from dokvault.extract.layout import Layout
from dokvault.extract.types import MAX_TEXT_CHARS

MAX_PART_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Dialect:
    """A format's tags (Clark notation, "{namespace}name") and how a paragraph reads."""

    paragraphs: frozenset[str]
    table: str
    row: str
    cell: str
    text: Callable[[etree._Element], str]


@dataclass
class _Table:
    row: list[str] = field(default_factory=list)
    cell: list[str] = field(default_factory=list)


def _drop(element: etree._Element) -> None:
    """Forget an element that has been read, and the siblings read before it."""
    element.clear(keep_tail=True)
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


class _Capped:
    """A stream that ends after `limit` bytes, and remembers whether it cut."""

    def __init__(self, stream: IO[bytes], limit: int):
        self.stream, self.left, self.cut = stream, limit, False

    def read(self, size: int = -1) -> bytes:
        if self.left <= 0:
            self.cut = self.cut or bool(self.stream.read(1))
            return b""
        data = self.stream.read(min(self.left, size if size >= 0 else self.left))
        self.left -= len(data)
        return data


@dataclass
class Reading:
    text: str
    part_cut: bool  # stopped at MAX_PART_BYTES: what came after was not read
    layout: Layout | None = None  # the first paragraphs and table rows, a cell per column


def read(stream: IO[bytes], dialect: Dialect, max_chars: int = MAX_TEXT_CHARS,
         max_bytes: int = MAX_PART_BYTES) -> Reading:
    """The part's lines, joined; a little more than `max_chars` of text at most."""
    capped = _Capped(stream, max_bytes)
    found: list[str] = []
    layout = Layout("rows")
    try:
        for cells in _lines(capped, dialect, max_chars):
            found.append(" | ".join(c for c in cells if c))
            layout.add_row(cells)
    except etree.XMLSyntaxError:
        if not capped.cut:  # a part broken in itself, not one cut short here
            raise
    return Reading("\n".join(found), capped.cut, layout if layout.lines else None)


def _lines(stream: _Capped, dialect: Dialect, max_chars: int) -> Iterator[list[str]]:
    """Each paragraph as one cell, each table row as its cells."""
    events = etree.iterparse(stream, events=("start", "end"), resolve_entities=False,
                             no_network=True, load_dtd=False, huge_tree=False)
    tables: list[_Table] = []
    open_paragraphs = 0  # runs and spans inside a paragraph are kept until it ends
    emitted = 0
    for event, element in events:
        tag = element.tag
        if open_paragraphs and tag not in dialect.paragraphs:
            continue  # a run or span: its paragraph reads it
        if event == "start":
            if tag in dialect.paragraphs:
                open_paragraphs += 1
            elif tag == dialect.table:
                tables.append(_Table())
            elif tag == dialect.row and tables:
                tables[-1].row = []
            elif tag == dialect.cell and tables:
                tables[-1].cell = []
            continue
        line: list[str] = []
        if tag in dialect.paragraphs:
            open_paragraphs -= 1
            text = dialect.text(element).strip()
            if tables and text:
                tables[-1].cell.append(text)
            elif text:
                line = [text]
        elif tag == dialect.cell and tables:
            tables[-1].row.append(" ".join(tables[-1].cell))  # an empty cell keeps its column
        elif tag == dialect.row and tables:
            text = " | ".join(c for c in tables[-1].row if c)
            if len(tables) > 1 and text:
                tables[-2].cell.append(text)
            elif text:
                line = tables[-1].row
        elif tag == dialect.table and tables:
            tables.pop()
        _drop(element)
        if line:
            yield line
            emitted += len(" | ".join(c for c in line if c)) + 1  # as read() joins them
            if emitted > max_chars:
                return
