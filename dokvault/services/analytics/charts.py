"""A chart as the analytics service hands it to the page: points along an x axis (time
buckets or categories), named series, the unit of the values, and why it is empty when it
is. The same points feed the chart, its table and its CSV export, so the three agree."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

Unit = Literal["count", "bytes", "seconds", "percent"]
OTHERS = "analytics.others"  # the series that gathers everything past the largest few


@dataclass
class Series:
    key: str  # the points' key: "s0", "s1", … (a name may hold any character)
    name: str  # as shown; an i18n key when `translate` is set
    translate: bool = False


@dataclass
class Chart:
    unit: Unit
    x: list[str]  # bucket keys (YYYY-MM-DD) or category names
    series: list[Series]
    points: list[dict]  # {"x": …, "s0": value, …}: one per x, in order
    empty: str = ""  # i18n key saying why there is nothing, or ""
    dated: bool = True  # x is time buckets (else categories)
    total: float = 0  # of every value, for a headline figure
    notes: list[str] = field(default_factory=list)  # i18n keys shown under the chart
    x_keys: list[str] = field(default_factory=list)  # the x values that are i18n keys


def empty_chart(unit: Unit, reason: str, x: list[str] | None = None, dated: bool = True) -> Chart:
    return Chart(unit=unit, x=x or [], series=[], points=[], empty=reason, dated=dated)


def pivot(rows: Iterable[tuple], x: list[str], names: dict, unit: Unit, reason: str, *,
          top: int = 8, fill=0, translate: Iterable = ()) -> Chart:
    """A chart of (x, series id, value) rows from a GROUP BY: one series per id, the `top`
    largest kept and the rest summed into "others" (only for counts and sizes, which add
    up). `names` maps ids to names, `translate` lists the ids whose name is an i18n key;
    missing points are `fill` (0 for counts, None where nothing was measured)."""
    values: dict = {}
    totals: dict = {}
    for bucket, key, value in rows:
        if value is None:
            continue
        values[(str(bucket), key)] = value  # a date from PostgreSQL, text from SQLite
        totals[key] = totals.get(key, 0) + value
    if not values:
        return empty_chart(unit, reason, x)
    ranked = sorted(totals, key=lambda k: (-totals[k], str(names.get(k, k))))
    additive = unit in ("count", "bytes")
    kept = ranked[:top] if additive and len(ranked) > top + 1 else ranked
    series = [Series(f"s{i}", str(names.get(k, k)), k in set(translate)) for i, k in enumerate(kept)]
    rest = [k for k in ranked if k not in kept]
    if rest:
        series.append(Series(f"s{len(kept)}", OTHERS, True))
    points = []
    for bucket in x:
        point = {"x": bucket}
        for s, k in zip(series, kept, strict=False):
            point[s.key] = values.get((bucket, k), fill)
        if rest:
            point[series[-1].key] = sum(values.get((bucket, k), 0) for k in rest)
        points.append(point)
    total = sum(totals.values()) if additive else 0
    return Chart(unit=unit, x=x, series=series, points=points, total=total)


def _cell(text: str) -> str:
    """A name as a spreadsheet takes it: never as a formula (OWASP's CSV injection)."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def to_csv(header: list[str], rows: list[list]) -> str:
    """Rows as CSV under `header` (names as shown, never a formula; an empty cell for
    nothing measured)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([_cell(str(h)) for h in header])
    for row in rows:
        writer.writerow([_cell(v) if isinstance(v, str) else "" if v is None else v for v in row])
    return out.getvalue()
