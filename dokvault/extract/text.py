"""Plain text and Markdown: read as far as the text that is kept (MAX_TEXT_CHARS), never
the whole of a large file."""

from pathlib import Path

from dokvault.extract.types import MAX_TEXT_CHARS, Extracted, ExtractionError

# Enough bytes for MAX_TEXT_CHARS characters of any UTF-8 text (at most 4 bytes each).
MAX_BYTES = 4 * MAX_TEXT_CHARS


def decode(data: bytes, cut: bool = False) -> str:
    """UTF-8 first; Norwegian files from older Windows tools are often cp1252. `cut` says
    `data` may end inside a character, which is then left out."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if cut and exc.reason == "unexpected end of data" and exc.start >= len(data) - 3:
            try:
                return data[:exc.start].decode("utf-8-sig")
            except UnicodeDecodeError:
                pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def read_start(path: Path, limit: int) -> tuple[str, bool]:
    """The first `limit` bytes of the file as text, and whether there was more."""
    with path.open("rb") as fh:
        data = fh.read(limit + 1)
    cut = len(data) > limit
    return decode(data[:limit], cut), cut


def extract(path: Path) -> Extracted:
    with path.open("rb") as fh:
        head = fh.read(8192)
    if b"\x00" in head:
        raise ExtractionError("error.not_text")
    text, _cut = read_start(path, MAX_BYTES)  # text past MAX_TEXT_CHARS is noted by extract()
    return Extracted(text=text.strip())
