"""A Word 97 (.doc) file built byte by byte: an OLE2 compound file with a WordDocument
stream (FIB and the text as UTF-16) and a 1Table stream (the piece table)."""

import struct
from pathlib import Path

SECTOR = 512
FREE, END, FATSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
TEXT_AT = 0x800  # where the text starts in the WordDocument stream


def _fib(chars: int, clx_size: int) -> bytes:
    fib = bytearray(900)
    struct.pack_into("<HHHHHHH", fib, 0, 0xA5EC, 0x00C1, 0, 0x0414, 0, 0x1200, 0x00BF)
    struct.pack_into("<II", fib, 24, TEXT_AT, TEXT_AT + 2 * chars)  # fcMin, fcMac
    struct.pack_into("<H", fib, 32, 14)  # csw
    struct.pack_into("<H", fib, 62, 22)  # cslw
    struct.pack_into("<I", fib, 64, TEXT_AT + 2 * chars)  # cbMac
    struct.pack_into("<I", fib, 76, chars)  # ccpText
    struct.pack_into("<H", fib, 152, 93)  # cbRgFcLcb
    struct.pack_into("<II", fib, 154 + 8 * 33, 0, clx_size)  # fcClx, lcbClx
    return bytes(fib)


def _clx(chars: int) -> bytes:
    plc = struct.pack("<II", 0, chars) + struct.pack("<HIH", 0, TEXT_AT, 0)
    return b"\x02" + struct.pack("<I", len(plc)) + plc


def _padded(data: bytes, size: int = 4096) -> bytes:
    data = data + b"\x00" * max(0, size - len(data))
    return data + b"\x00" * (-len(data) % SECTOR)


def _entry(name: str, kind: int, start: int, size: int, left=NOSTREAM, right=NOSTREAM,
           child=NOSTREAM) -> bytes:
    encoded = (name + "\x00").encode("utf-16-le") if name else b""
    entry = bytearray(128)
    entry[:len(encoded)] = encoded
    struct.pack_into("<HBBIII", entry, 64, len(encoded), kind, 1, left, right, child)
    struct.pack_into("<II", entry, 116, start, size)
    return bytes(entry)


def make_doc(path: Path, paragraphs: list[str]) -> Path:
    text = "\r".join(paragraphs) + "\r"
    chars = len(text)
    clx = _clx(chars)
    word = bytearray(_padded(b"", TEXT_AT + 2 * chars))
    word[:900] = _fib(chars, len(clx))
    word[TEXT_AT:TEXT_AT + 2 * chars] = text.encode("utf-16-le")
    word = _padded(bytes(word))
    table = _padded(clx)
    # Sectors: 0 FAT, 1 directory, then WordDocument, then 1Table.
    word_start, word_n = 2, len(word) // SECTOR
    table_start, table_n = word_start + word_n, len(table) // SECTOR
    fat = [FATSECT, END]
    for start, n in ((word_start, word_n), (table_start, table_n)):
        fat += [start + i + 1 for i in range(n - 1)] + [END]
    assert len(fat) <= SECTOR // 4
    fat += [FREE] * (SECTOR // 4 - len(fat))
    directory = (_entry("Root Entry", 5, END, 0, child=1)
                 + _entry("WordDocument", 2, word_start, chars and len(word), left=2)
                 + _entry("1Table", 2, table_start, len(table))
                 + _entry("", 0, 0, 0))
    header = bytearray(SECTOR)
    header[:8] = bytes.fromhex("D0CF11E0A1B11AE1")
    struct.pack_into("<HHHHH", header, 24, 0x003E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIIII", header, 40, 0, 1, 1, 0, 4096, END, 0, END, 0)
    difat = [0] + [FREE] * 108
    struct.pack_into("<109I", header, 76, *difat)
    path.write_bytes(bytes(header) + struct.pack(f"<{SECTOR // 4}I", *fat) + directory + word + table)
    return path
