"""Sizes as people read and type them: 1024-based, as the document list shows them."""

from __future__ import annotations

import re

UNITS = {"": 1, "B": 1, "KB": 1024, "MB": 1024 ** 2, "GB": 1024 ** 3, "TB": 1024 ** 4,
         "PB": 1024 ** 5}
_SIZE = re.compile(r"(\d+(?:[.,]\d+)?)\s*([KMGTP]?B?)", re.IGNORECASE)


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if value < 1024 or unit == "TB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"


def parse_size(text: str) -> int:
    """"500 MB", "1,5 GB", "2tb", "1048576" -> bytes; ValueError for anything else."""
    found = _SIZE.fullmatch(" ".join(str(text).split()))
    if found is None:
        raise ValueError(text)
    number, unit = found.groups()
    unit = unit.upper()
    if unit and not unit.endswith("B"):
        unit += "B"  # "5 G" is "5 GB"
    return int(float(number.replace(",", ".")) * UNITS[unit])
