from pathlib import Path

from dokvault.extract import Extracted, ExtractionError

MAX_BYTES = 20 * 1024 * 1024


def decode(data: bytes) -> str:
    """UTF-8 first; Norwegian files from older Windows tools are often cp1252."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def extract(path: Path) -> Extracted:
    with path.open("rb") as fh:
        data = fh.read(MAX_BYTES)
    if b"\x00" in data[:8192]:
        raise ExtractionError("error.not_text")
    return Extracted(text=decode(data).strip())
