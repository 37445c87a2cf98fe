"""A chart of the analytics service as a page draws it (plain Python, no Reflex): labels of
the time buckets in the reader's language, series names and colours, the table's rows and
the CSV, all from the same points, so the chart, its table and its export agree."""

from __future__ import annotations

from datetime import date
from typing import Any

from dokvault.i18n import translate
from dokvault.i18n.analytics import MONTHS, SHORT_MONTHS
from dokvault.services.analytics import Chart, to_csv
from dokvault.state.format import grouped, human_size

# Radix colour scales, in the order series get them; "others" is always gray.
PALETTE = ("blue", "grass", "amber", "crimson", "violet", "cyan", "orange", "pink", "teal", "brown")
# Series whose colour says what they are.
FIXED = {"analytics.others": "gray", "analytics.series.failed": "crimson",
         "analytics.series.sign_ins": "grass", "analytics.series.sync_ok": "grass",
         "analytics.series.sync_errors": "crimson"}
PERCENTILE_COLORS = {"_p50": "blue", "_p95": "orange"}  # a stage's two lines, whichever stage
HEIGHT = 260  # of a chart over time, before its legend
LEGEND_ROW = 24  # a row of the legend (two series a row on a phone)
BAR_ROW = 30  # a category's bar
BYTE_UNITS = (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024), ("B", 1))


def bucket_label(key: str, bucket: str, lang: str, long: bool = False) -> str:
    """"2026-01-05" as a reader names that day, week or month."""
    try:
        day = date.fromisoformat(key)
    except ValueError:
        return key
    months = MONTHS[lang] if long else SHORT_MONTHS[lang]
    month = months[day.month - 1]
    if bucket == "week":
        year, week = day.isocalendar()[:2]
        return translate(lang, "analytics.week_long" if long else "analytics.week", n=week, year=year)
    if bucket == "month":
        return f"{month} {day.year}" if long else f"{month} {day.year % 100:02d}"
    if lang == "nb":
        return f"{day.day}. {month}" + (f" {day.year}" if long else "")
    return f"{day.day} {month}" + (f" {day.year}" if long else "")


def _color(name: str, index: int) -> str:
    fixed = FIXED.get(name) or next((c for end, c in PERCENTILE_COLORS.items() if name.endswith(end)), None)
    return fixed or PALETTE[index % len(PALETTE)]


def _byte_unit(largest: float) -> tuple[str, int]:
    return next(((name, size) for name, size in BYTE_UNITS if largest >= size), ("B", 1))


def number(value: Any, unit: str, lang: str) -> str:
    """A value as the table shows it."""
    if value is None:
        return "–"
    if unit == "percent":
        return f"{value:.1f} %".replace(".", "," if lang == "nb" else ".")
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.2f}".replace(".", "," if lang == "nb" else ".")
    return grouped(int(value)) if lang == "nb" else f"{int(value):,}"


def view(chart: Chart, bucket: str, lang: str, name: str = "") -> dict[str, Any]:
    """What the page needs to draw `chart` and its table, and its CSV."""
    names = [translate(lang, s.name) if s.translate else s.name for s in chart.series]
    colors = [f"var(--{_color(s.name, i)}-9)" for i, s in enumerate(chart.series)]
    unit, scale = chart.unit, 1
    if chart.unit == "bytes":  # drawn in the unit that suits the largest value
        largest = max((p[s.key] or 0 for p in chart.points for s in chart.series), default=0)
        unit, scale = _byte_unit(largest)
    points, rows = [], []
    for p in chart.points:
        x = str(p["x"])
        shown = (bucket_label(x, bucket, lang) if chart.dated
                 else translate(lang, x) if x in chart.x_keys else x)
        values = {s.key: (round(p[s.key] / scale, 2) if scale > 1 and p[s.key] is not None else p[s.key])
                  for s in chart.series}
        points.append({"x": x, "label": shown, **values})
        rows.append({"label": bucket_label(x, bucket, lang, long=True) if chart.dated else shown,
                     "cells": [number(values[s.key], chart.unit, lang) for s in chart.series]})
    x_label = translate(lang, "analytics.x.date" if chart.dated else "analytics.x.category")
    unit_label = (translate(lang, "analytics.unit.bytes", unit=unit) if chart.unit == "bytes"
                  else translate(lang, f"analytics.unit.{chart.unit}") if chart.unit != "count" else "")
    csv_names = [f"{n} ({unit})" if chart.unit == "bytes" else n for n in names]
    return {
        "name": name,
        "has_data": bool(chart.series),
        "empty": translate(lang, chart.empty) if chart.empty else "",
        "notes": [translate(lang, n) for n in chart.notes],
        "series": [{"key": s.key, "name": n, "color": c}
                   for s, n, c in zip(chart.series, names, colors, strict=True)],
        "points": points,
        "columns": names,
        "rows": rows,
        "unit": unit_label,
        "short_unit": f" {unit}" if chart.unit == "bytes" else " %" if chart.unit == "percent" else "",
        # Tall enough for the legend (over time) or for every bar (categories).
        "height": HEIGHT + LEGEND_ROW * -(-len(chart.series) // 2) if chart.dated
        else max(200, BAR_ROW * len(points) + 40),
        "total": human_size(int(chart.total)) if chart.unit == "bytes"
        else number(chart.total, "count", lang) if chart.unit == "count" else "",
        "total_raw": chart.total,
        "csv": to_csv([x_label, *csv_names], [[p["x"] if chart.dated else p["label"],
                                               *(p[s.key] for s in chart.series)] for p in points]),
    }
