"""A document's layout (dokvault/extract/layout.py: lines of cells with their places) read
back as lines the field rules understand, each with where it stands on the page.

- A line of several cells is a table row (`| a | b |`): field_layout.flatten makes a
  two-cell row `a: b`.
- A row of labels above a row of values (a form's header row, "Adresse | Kjøper" over
  "Strandkaien 12 | Ola Dunk") is read down the columns: each label pairs with the cell
  below it that shares its horizontal place (or its column, in a DOCX table).
- A label alone above its value needs nothing here: flatten joins them.
"""

from __future__ import annotations

from dataclasses import dataclass

from dokvault.ai.field_layout import is_label
from dokvault.extract.layout import MAX_LAYOUT_CHARS, Cell, Layout, Line


@dataclass(frozen=True)
class Place:
    """Where a line stands: its page, its top (per mille of the page, or its line number)
    and its first cell's left edge."""

    page: int
    top: int
    left: int


def _overlap(a: Cell, b: Cell) -> float:
    return min(a.x1, b.x1) - max(a.x0, b.x0)


def _under(label: Cell, values: list[Cell]) -> Cell | None:
    """The value cell below `label`: the one sharing most of its horizontal place."""
    best = max(values, key=lambda v: _overlap(label, v), default=None)
    return best if best is not None and _overlap(label, best) > 0 else None


def _columns(head: Line, below: Line) -> list[tuple[str, Place]] | None:
    """A row of labels over a row of values, read as `label: value` lines; None when the
    rows are not such a pair."""
    if len(head.cells) < 2 or not all(is_label(c.text) for c in head.cells):
        return None
    if any(is_label(c.text) for c in below.cells) or below.page != head.page:
        return None
    pairs = [(label, _under(label, below.cells)) for label in head.cells]
    if sum(value is not None for _, value in pairs) < 2:
        return None
    return [(f"{label.text}: {value.text}", Place(below.page, below.top, value.x0))
            for label, value in pairs if value is not None]


def page_lines(layout: Layout) -> list[tuple[str, Place]]:
    """The layout's lines as text for the rules, with their places."""
    out: list[tuple[str, Place]] = []
    lines = layout.lines
    i = 0
    while i < len(lines):
        line = lines[i]
        if i + 1 < len(lines) and (pairs := _columns(line, lines[i + 1])):
            out += pairs
            i += 2
            continue
        place = Place(line.page, line.top, line.cells[0].x0)
        if len(line.cells) == 1:
            out.append((line.cells[0].text, place))
        else:
            out.append(("| " + " | ".join(c.text for c in line.cells) + " |", place))
        i += 1
    return out


def reading_text(text: str, layout: Layout | None) -> tuple[str, list[Place | None]]:
    """The text the field rules read, one place per line (None where unknown): the layout's
    lines when it covers the text, followed by the plain text when it covers only part of it
    (scanned pages have no layout)."""
    if layout is None or not layout.lines:
        lines = text.split("\n")
        return text, [None] * len(lines)
    read = page_lines(layout)
    body = "\n".join(t for t, _ in read)
    places: list[Place | None] = [p for _, p in read]
    covered = sum(len("".join(ln.text.split())) for ln in layout.lines)
    stated = len("".join(text[:MAX_LAYOUT_CHARS if layout.full else len(text)].split()))
    if covered < 0.9 * stated:
        body += "\n\n" + text
        places += [None] * (text.count("\n") + 2)
    return body, places
