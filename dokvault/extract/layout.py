"""A light layout of a document's first pages: its lines in reading order, each a row of
cells with their horizontal place, for the field rules and the field model (dokvault/ai).

A PDF's text page gives text segments with boxes (PDFium's rects: it starts a new one at a
gap between words, a new line or another text object); segments on one line are joined
unless a gap wider than a few characters parts them, which makes a table cell or a form's
label and value. A scanned page gives Tesseract's words with their boxes (each as tall as
its line), grouped the same way, so a label and its value that Tesseract read as two
blocks of text stand side by side again. A DOCX or ODT gives its paragraphs (one cell) and
table rows (a cell per column). Places are per mille of the page (x from the left, top from the top), or for a
file without pages the column and line number.

Bounded: reading stops after MAX_LAYOUT_CHARS of text (the field rules read the start of a
document), so a layout is a few kilobytes of JSON whatever the file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

MAX_LAYOUT_CHARS = 12_000
MAX_SEGMENTS = 2_000  # text segments read from one PDF page (a normal page has a few hundred)
FORMAT = 1
GAP_HEIGHTS = 1.5  # a gap wider than this many line heights parts two cells


@dataclass
class Cell:
    x0: int
    x1: int
    text: str


@dataclass
class Line:
    page: int
    top: int
    cells: list[Cell]

    @property
    def text(self) -> str:
        return " ".join(c.text for c in self.cells)


@dataclass
class Layout:
    kind: str  # "pdf" or "scan" (places per mille of the page), "rows" (column, line number)
    lines: list[Line] = field(default_factory=list)
    chars: int = 0

    @property
    def full(self) -> bool:
        return self.chars >= MAX_LAYOUT_CHARS

    def add(self, line: Line) -> None:
        if not self.full and line.cells:
            self.lines.append(line)
            self.chars += sum(len(c.text) + 1 for c in line.cells)

    def add_row(self, cells: list[str]) -> None:
        """A paragraph (one cell) or a table row of a file without pages."""
        cells = [" ".join(c.split()) for c in cells]
        self.add(Line(0, len(self.lines), [Cell(i, i + 1, c) for i, c in enumerate(cells) if c]))

    def to_json(self) -> str:
        return json.dumps({"v": FORMAT, "kind": self.kind, "lines": [
            [ln.page, ln.top, [[c.x0, c.x1, c.text] for c in ln.cells]] for ln in self.lines]},
            ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, data: str | None) -> Layout | None:
        """The layout stored by to_json, or None for nothing or another format."""
        if not data:
            return None
        try:
            raw = json.loads(data)
            if raw.get("v") != FORMAT:
                return None
            return cls(raw["kind"], [Line(int(p), int(t), [Cell(int(a), int(b), str(s)) for a, b, s in cells])
                                     for p, t, cells in raw["lines"]])
        except (ValueError, TypeError, KeyError, AttributeError):
            return None


def _rows(segments: list[tuple[float, float, float, float, str]]) -> list[list[tuple]]:
    """Segments (left, bottom, right, top, text) grouped into lines, top line first: a
    segment joins a line when its middle lies within the line's height."""
    rows: list[list[tuple]] = []
    for seg in sorted(segments, key=lambda s: (-(s[1] + s[3]) / 2, s[0])):
        middle = (seg[1] + seg[3]) / 2
        for row in rows[-3:]:  # top to bottom: only the last lines can still take it
            bottom, top = min(s[1] for s in row), max(s[3] for s in row)
            if bottom <= middle <= top:
                row.append(seg)
                break
        else:
            rows.append([seg])
    return rows


def add_pdf_page(layout: Layout, page: int, width: float, height: float,
                 segments: list[tuple[float, float, float, float, str]]) -> None:
    """One PDF page's text segments (PDF points: left, bottom, right, top, text) as lines of
    cells."""
    for row in _rows([s for s in segments if s[4].strip()]):
        row.sort(key=lambda s: s[0])
        cells: list[list] = []
        for left, bottom, right, top, text in row:
            gap_limit = GAP_HEIGHTS * max(1.0, top - bottom)
            if cells and left - cells[-1][1] <= gap_limit:
                cells[-1][1] = max(cells[-1][1], right)
                cells[-1][2] = f"{cells[-1][2].rstrip()} {text.strip()}"
            else:
                cells.append([left, right, text.strip()])
        top = max(s[3] for s in row)
        across = 1000 / width if width else 0.0
        layout.add(Line(page, round(1000 * (1 - top / height)) if height else 0,
                        [Cell(round(a * across), round(b * across), " ".join(t.split()))
                         for a, b, t in cells]))
        if layout.full:
            return


def add_scan_page(layout: Layout, page: int, width: int, height: int,
                  boxes: list[tuple[int, int, int, int, str]]) -> None:
    """One scanned page's words (pixels from the top left: left, top, right, bottom, text)
    as lines of cells, read as a PDF page's segments are."""
    flipped = [(left, height - bottom, right, height - top, text) for left, top, right, bottom, text in boxes]
    add_pdf_page(layout, page, width, height, flipped)


def in_page_order(layout: Layout, scans: dict[int, tuple[int, int, list]]) -> Layout:
    """A PDF's text-page layout with its scanned pages' words (page -> width, height, boxes)
    put in their places, page by page, as far as a layout holds."""
    if not scans:
        return layout
    out = Layout(layout.kind)
    by_page: dict[int, list[Line]] = {}
    for line in layout.lines:
        by_page.setdefault(line.page, []).append(line)
    for page in sorted(set(by_page) | set(scans)):
        if page in scans:
            add_scan_page(out, page, *scans[page])
        for line in by_page.get(page, []):
            out.add(line)
        if out.full:
            break
    return out
