"""Plain text and Markdown: read as far as the text that is kept (MAX_TEXT_CHARS), never
the whole of a large file. NUL bytes (a database export, a log padded by a crashed
writer, UTF-16 without its mark) are left out; a file that has other control bytes too is
binary, not text."""

from pathlib import Path

from dokvault.extract.types import MAX_TEXT_CHARS, Extracted, ExtractionError

# Enough bytes for MAX_TEXT_CHARS characters of any UTF-8 text (at most 4 bytes each).
MAX_BYTES = 4 * MAX_TEXT_CHARS
SNIFF_BYTES = 8192
# Control bytes that text does not have (NUL is counted apart; tab, line breaks, form feed,
# Ctrl-Z end-of-file and ESC are text's). Binary data of any kind has several in a hundred.
_CONTROL = bytes(c for c in range(1, 32) if c not in b"\t\n\v\f\r\x1a\x1b") + b"\x7f"
MAX_CONTROL_SHARE = 0.01
_UTF16_MARKS = (b"\xff\xfe", b"\xfe\xff")


def is_binary(head: bytes) -> bool:
    """Whether the start of a file is binary data rather than text with stray NULs."""
    if head.startswith(_UTF16_MARKS):
        return False
    rest = head.replace(b"\x00", b"")
    if not rest:
        return bool(head)  # nothing but NULs
    controls = len(rest) - len(rest.translate(None, _CONTROL))
    return controls > len(rest) * MAX_CONTROL_SHARE


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


def text_of(data: bytes, cut: bool = False) -> str:
    """A text file's bytes as text: UTF-16 by its mark (Windows Notepad's "Unicode"), else
    `decode` without the NUL bytes."""
    if data.startswith(_UTF16_MARKS):
        return data.decode("utf-16", "replace").replace("\x00", "")
    return decode(data.replace(b"\x00", b""), cut)


def read_start(path: Path, limit: int) -> tuple[str, bool]:
    """The first `limit` bytes of the file as text, and whether there was more."""
    with path.open("rb") as fh:
        data = fh.read(limit + 1)
    cut = len(data) > limit
    return text_of(data[:limit], cut), cut


def extract(path: Path) -> Extracted:
    with path.open("rb") as fh:
        head = fh.read(SNIFF_BYTES)
    if is_binary(head):
        raise ExtractionError("error.not_text")
    text, _cut = read_start(path, MAX_BYTES)  # text past MAX_TEXT_CHARS is noted by extract()
    return Extracted(text=text.strip())
