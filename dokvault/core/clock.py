"""Times as people read them: stored in UTC, shown in the TIME_ZONE setting (Europe/Oslo)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from dokvault.settings import get_settings

MINUTES = "%Y-%m-%d %H:%M"


@lru_cache(maxsize=8)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def zone() -> ZoneInfo:
    """The TIME_ZONE setting's zone."""
    return _zone(get_settings().time_zone)


def local(moment: datetime) -> datetime:
    """`moment` in TIME_ZONE; a naive time is UTC (SQLite hands timestamps back without a zone)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone())


def shown(moment: datetime | None, fmt: str = MINUTES) -> str:
    """`moment` formatted in TIME_ZONE, or "" when there is none."""
    return local(moment).strftime(fmt) if moment else ""


def midnight(day: date) -> datetime:
    """The instant (UTC) the day `day` begins in TIME_ZONE."""
    return datetime.combine(day, time(), zone()).astimezone(UTC)


def utc(moment: datetime) -> datetime:
    """A stored time as an aware UTC time: SQLite hands timestamps back without their zone."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def recent(moment: datetime | None, window: timedelta) -> bool:
    """Whether a stored time (a worker's heartbeat, a start) is less than `window` ago: the
    test of "is its worker still alive" every long-running job makes. None never is."""
    return moment is not None and utc(moment) > datetime.now(UTC) - window
