"""What the analytics views are asked for: a date range, an office, a document type and a
bucket size. They live in the page's URL (`?from=2026-01-01&to=2026-03-31&office=2&type=5&
bucket=week`); anything missing or malformed falls back to the default, so a URL can never
make a query fail."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from sqlmodel import col, select

from dokvault import db
from dokvault.core import clock
from dokvault.models import DocumentType, Office
from dokvault.models.base import utcnow
from dokvault.services.analytics.timebuckets import UNITS, Unit, window

DEFAULT_DAYS = 90
LONGEST = timedelta(days=3 * 366)  # a longer range is cut to its last three years
DAYS_AT_MOST = 366  # more days than this are counted by the week


def today() -> date:
    return clock.local(utcnow()).date()


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _id(value: str | None) -> int | None:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


@dataclass(frozen=True)
class Filters:
    start: date
    end: date
    office_id: int | None = None
    type_id: int | None = None
    bucket: Unit = "week"

    @classmethod
    def default(cls, now: date | None = None) -> Filters:
        end = now or today()
        return cls(start=end - timedelta(days=DEFAULT_DAYS - 1), end=end)

    @classmethod
    def from_params(cls, params: Mapping[str, str], now: date | None = None) -> Filters:
        base = cls.default(now)
        start = _day(params.get("from")) or base.start
        end = _day(params.get("to")) or base.end
        if start > end:
            start, end = end, start
        start = max(start, end - LONGEST)
        bucket = params.get("bucket") if params.get("bucket") in UNITS else base.bucket
        if bucket == "day" and (end - start).days >= DAYS_AT_MOST:
            bucket = "week"
        return cls(start, end, _id(params.get("office")), _id(params.get("type")), bucket)

    def params(self) -> dict[str, str]:
        """The filters as URL parameters (those set)."""
        out = {"from": self.start.isoformat(), "to": self.end.isoformat(), "bucket": self.bucket}
        if self.office_id:
            out["office"] = str(self.office_id)
        if self.type_id:
            out["type"] = str(self.type_id)
        return out

    def window(self) -> tuple[datetime, datetime]:
        """The range in UTC: from the local midnight that starts it to the one that ends it."""
        return window(self.start, self.end)

    def with_(self, **changes) -> Filters:
        return replace(self, **changes)


def choices() -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """The offices and the document types the filters offer, by name."""
    with db.session() as s:
        offices = s.exec(select(Office.id, Office.name).order_by(col(Office.name))).all()
        types = s.exec(select(DocumentType.id, DocumentType.name).order_by(col(DocumentType.name))).all()
    return [tuple(o) for o in offices], [tuple(t) for t in types]
