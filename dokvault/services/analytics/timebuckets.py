"""Time buckets (day, week, month) of the firm's time zone (TIME_ZONE), in SQL that works on
both databases, and the buckets of a date range in Python to fill the gaps with zeros.

PostgreSQL converts with `AT TIME ZONE` and truncates with `date_trunc`. SQLite knows no
time zones: the UTC offsets in force over the queried span (two a year in Oslo) are found
here and applied with a CASE over the stored UTC time, then `date()` and `strftime()` cut
the local time to its day, Monday or first of the month. Every bucket is named by its
first day: a date on PostgreSQL, its `YYYY-MM-DD` on SQLite (the same under str()).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Literal

from dokvault.core import clock
from dokvault.db import comparable

Unit = Literal["day", "week", "month"]
UNITS: tuple[Unit, ...] = ("day", "week", "month")

def window(start: date, end: date) -> tuple[datetime, datetime]:
    """The UTC instants from the local midnight starting `start` to the one ending `end`."""
    return clock.midnight(start), clock.midnight(end + timedelta(days=1))


def _offset(moment: datetime) -> int:
    return int(moment.astimezone(clock.zone()).utcoffset().total_seconds())


@lru_cache(maxsize=64)
def _offsets(zone_name: str, start: datetime, end: datetime) -> tuple[tuple[datetime | None, int], ...]:
    """[(until, offset seconds)]: each offset holds before `until` (UTC), the last one to the
    end of the span. Walked a day at a time; a change is pinned to the second by halving."""
    found: list[tuple[datetime | None, int]] = []
    step = timedelta(days=1)
    at, current = start, _offset(start)
    while at < end:
        ahead = min(at + step, end)
        if _offset(ahead) != current:
            low, high = at, ahead  # offset(low) == current != offset(high)
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                low, high = (middle, high) if _offset(middle) == current else (low, middle)
            found.append((high, current))
            at, current = high, _offset(high)
        else:
            at = ahead
    found.append((None, current))
    return tuple(found)


def bucket_sql(column: str, unit: Unit, dialect: str, start: datetime, end: datetime,
               ) -> tuple[str, dict]:
    """SQL naming the bucket of `column` (a stored UTC timestamp between `start` and `end`)
    by its first day — 'YYYY-MM-DD' on SQLite, a date on PostgreSQL, the same under
    str() — and its parameters (named `tb_…`)."""
    if unit not in UNITS:
        raise ValueError(unit)
    if dialect == "postgresql":  # a date (cheaper per row than text), named by str()
        return (f"date_trunc('{unit}', {column} AT TIME ZONE :tb_zone)::date",
                {"tb_zone": clock.zone().key})
    params: dict = {}
    branches = []
    offsets = _offsets(clock.zone().key, start, end)
    for i, (until, seconds) in enumerate(offsets):
        modifier = f"'{seconds:+d} seconds'"  # our own integer, never input
        if until is None:
            branches.append(f"ELSE {modifier}")
        else:
            params[f"tb_{i}"] = comparable(until, dialect)
            branches.append(f"WHEN {column} < :tb_{i} THEN {modifier}")
    shift = branches[0].removeprefix("ELSE ") if len(branches) == 1 else f"CASE {' '.join(branches)} END"
    local = f"datetime({column}, {shift})"
    if unit == "day":
        return f"date({local})", params
    if unit == "week":  # the Sunday on or after, less six days: the Monday
        return f"date({local}, 'weekday 0', '-6 days')", params
    return f"strftime('%Y-%m-01', {local})", params


def first_day(day: date, unit: Unit) -> date:
    if unit == "week":
        return day - timedelta(days=day.weekday())
    if unit == "month":
        return day.replace(day=1)
    return day


def buckets(start: date, end: date, unit: Unit) -> list[str]:
    """Every bucket from the one holding `start` to the one holding `end`."""
    out, day = [], first_day(start, unit)
    while day <= end:
        out.append(day.isoformat())
        if unit == "day":
            day += timedelta(days=1)
        elif unit == "week":
            day += timedelta(days=7)
        else:
            day = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return out
