"""Date ranges of the search language (`added:`, `created:`): a year, a month, a day, or
two of them around `..`, as half-open ranges of days. Pure: no database."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

_ISO_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_NORWEGIAN_DATE = re.compile(r"(?:(\d{1,2})\.)?(\d{1,2})\.(\d{4})")


@dataclass(frozen=True)
class DateRange:
    """Days from `start` (included) up to `end` (not included); None leaves a side open.
    An empty range (start >= end) matches nothing; it comes from a reversed range or
    from two ranges on one key that do not overlap."""

    start: date | None = None
    end: date | None = None

    @property
    def last_day(self) -> date | None:
        """The end as users write it: the last day included."""
        return None if self.end is None else self.end - timedelta(days=1)

    @property
    def is_empty(self) -> bool:
        return self.start is not None and self.end is not None and self.start >= self.end

    def contains(self, day: date) -> bool:
        return (self.start is None or day >= self.start) and (self.end is None or day < self.end)

    def intersect(self, other: DateRange) -> DateRange:
        starts = [d for d in (self.start, other.start) if d is not None]
        ends = [d for d in (self.end, other.end) if d is not None]
        return DateRange(max(starts) if starts else None, min(ends) if ends else None)

    def to_text(self) -> str:
        """The shortest form that parses back to this range: 2026, 2026-02, 2026-01..2026-03."""
        unit = _coarsest_unit(self.start, self.end)
        if self.start is not None and self.end is not None and self.end == _add(self.start, unit):
            return _date_text(self.start, unit)
        start = "" if self.start is None else _date_text(self.start, unit)
        end = "" if self.end is None else _date_text(_add(self.end, unit, -1), unit)
        return f"{start}..{end}"


def parse_date_range(value: str) -> DateRange:
    """`2026`, `2026-02`, `2026-02-14`, `14.02.2026`, or two of them around `..` (either
    side may be left out). Raises ValueError on anything else."""
    value = value.strip()
    if ".." not in value:
        start, unit = _parse_date(value)
        return DateRange(start, _add(start, unit))
    first, _, last = value.partition("..")
    if not first.strip() and not last.strip():
        raise ValueError("a range needs at least one date")
    start = _parse_date(first)[0] if first.strip() else None
    end = None
    if last.strip():
        day, unit = _parse_date(last)
        end = _add(day, unit)
    return DateRange(start, end)


_UNITS = ("year", "month", "day")


def _parse_date(text: str) -> tuple[date, str]:
    """A date and the unit it names: 2026 -> (2026-01-01, year)."""
    text = text.strip()
    if m := _ISO_DATE.fullmatch(text):
        year, month, day = m.group(1), m.group(2), m.group(3)
    elif m := _NORWEGIAN_DATE.fullmatch(text):
        day, month, year = m.group(1), m.group(2), m.group(3)
    else:
        raise ValueError(f"not a date: {text!r}")
    unit = "day" if day else "month" if month else "year"
    if not 1000 <= int(year) <= 9998:  # room for the exclusive end of the last year
        raise ValueError(f"year out of range: {year}")
    return date(int(year), int(month or 1), int(day or 1)), unit  # ValueError on 2026-02-30


def _add(day: date, unit: str, count: int = 1) -> date:
    if unit == "day":
        return day + timedelta(days=count)
    if unit == "year":
        return day.replace(year=day.year + count)
    months = day.year * 12 + day.month - 1 + count
    return date(months // 12, months % 12 + 1, 1)


def _aligned(day: date, unit: str) -> bool:
    return unit == "day" or (day.day == 1 and (unit == "month" or day.month == 1))


def _coarsest_unit(*days: date | None) -> str:
    for unit in _UNITS:
        if all(d is None or _aligned(d, unit) for d in days):
            return unit
    return "day"


def _date_text(day: date, unit: str) -> str:
    if unit == "year":
        return f"{day.year:04d}"
    if unit == "month":
        return f"{day.year:04d}-{day.month:02d}"
    return day.isoformat()
