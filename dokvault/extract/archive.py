"""ZIP containers (DOCX, ODT): the central directory is checked before anything is inflated.

zipfile never returns more than the size an entry declares, so the sizes in the central
directory bound everything reading the container can inflate: a zip bomb is refused on
them, before a byte is inflated, and the parts read afterwards stream through zipfile.
The central directory itself is sized from its end record first, because zipfile turns
every entry into an object at once (a hundred-megabyte directory is gigabytes of them).
"""

from __future__ import annotations

import logging
import struct
import zipfile
from pathlib import Path

from dokvault.extract.types import ExtractionError

log = logging.getLogger(__name__)
MIB = 1024 * 1024

MAX_ENTRIES = 10_000  # a DOCX has tens of parts; one with every page an image, thousands
MAX_DIRECTORY_BYTES = 4 * MIB  # the central directory of ten thousand entries with long names
MAX_ENTRY_BYTES = 256 * MIB  # what one part may inflate to
MAX_TOTAL_BYTES = 1024 * MIB  # what all parts together may inflate to
# Beyond RATIO_FROM inflated bytes, a part may be at most MAX_RATIO times its compressed
# size: text and XML compress 5-20 times, a flate bomb about a thousand.
MAX_RATIO = 100
RATIO_FROM = 16 * MIB

_END = b"PK\x05\x06"
_END64_LOCATOR = b"PK\x06\x07"
_END_SIZE = 22
_TAIL = _END_SIZE + 0xFFFF  # the end record and the longest archive comment


def _directory_size(path: Path) -> tuple[int, int] | None:
    """(entries, bytes) of the central directory, from the end record (zip64 included);
    None when there is no end record, which zipfile then reports as not a zip."""
    with path.open("rb") as fh:
        fh.seek(0, 2)
        size = fh.tell()
        fh.seek(max(0, size - _TAIL))
        tail = fh.read()
        at = tail.rfind(_END)
        if at < 0 or len(tail) - at < _END_SIZE:
            return None
        entries, directory = struct.unpack("<HI", tail[at + 10:at + 16])
        if entries != 0xFFFF and directory != 0xFFFFFFFF:
            return entries, directory
        locator = tail.rfind(_END64_LOCATOR, 0, at)
        if locator < 0:
            return entries, directory
        (end64,) = struct.unpack("<Q", tail[locator + 8:locator + 16])
        fh.seek(end64)
        record = fh.read(56)
        if len(record) < 56:
            return None
        entries64, directory64 = struct.unpack("<QQ", record[32:48])
        return entries64, directory64


def _refuse(code: str, detail: str) -> ExtractionError:
    log.warning("zip container refused: %s (%s)", code, detail)
    return ExtractionError(code, detail)


def check_entries(infos: list[zipfile.ZipInfo]) -> None:
    """Raise error.bomb when the declared sizes of these entries are too large or too
    compressed, error.too_complex when there are too many of them."""
    if len(infos) > MAX_ENTRIES:
        raise _refuse("error.too_complex", f"{len(infos)} entries")
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > MAX_ENTRY_BYTES or (info.file_size > RATIO_FROM and ratio > MAX_RATIO):
            raise _refuse("error.bomb", f"entry of {info.file_size} bytes, ratio {ratio:.0f}")
    if total > MAX_TOTAL_BYTES:
        raise _refuse("error.bomb", f"entries of {total} bytes in all")


def open_container(path: Path, corrupt: str) -> zipfile.ZipFile:
    """The ZIP at `path`, its central directory checked; `corrupt` is the code for a file
    that is not a readable ZIP."""
    try:
        directory = _directory_size(path)
    except OSError as exc:
        raise ExtractionError(corrupt, f"{type(exc).__name__}: {exc}") from exc
    if directory is not None:
        entries, size = directory
        if entries > MAX_ENTRIES or size > MAX_DIRECTORY_BYTES:
            raise _refuse("error.too_complex", f"{entries} entries in {size} bytes of directory")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise ExtractionError(corrupt, f"{type(exc).__name__}: {exc}") from exc
    try:
        check_entries(archive.infolist())
    except BaseException:
        archive.close()
        raise
    return archive
