"""Times are stored in UTC and shown in TIME_ZONE (Europe/Oslo unless set)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from dokvault.core import clock
from dokvault.core.caches import reset_caches
from dokvault.settings import Settings

SUMMER = datetime(2026, 7, 1, 10, 30, tzinfo=UTC)   # CEST, UTC+2
WINTER = datetime(2026, 1, 15, 10, 30, tzinfo=UTC)  # CET, UTC+1


def test_oslo_by_default_in_summer_and_winter(clean_env):
    assert clock.shown(SUMMER) == "2026-07-01 12:30"
    assert clock.shown(WINTER) == "2026-01-15 11:30"
    assert clock.shown(WINTER, "%H:%M %Z") == "11:30 CET"


def test_a_naive_time_from_sqlite_is_utc(clean_env):
    assert clock.shown(SUMMER.replace(tzinfo=None)) == "2026-07-01 12:30"
    assert clock.shown(None) == ""


def test_another_time_zone(clean_env, monkeypatch):
    monkeypatch.setenv("TIME_ZONE", "America/New_York")
    reset_caches()
    assert clock.shown(SUMMER) == "2026-07-01 06:30"
    assert clock.shown(WINTER) == "2026-01-15 05:30"


def test_an_unknown_zone_is_refused_with_its_name(clean_env):
    with pytest.raises(ValidationError, match="TIME_ZONE: 'Europe/Olso' is not an IANA"):
        Settings(time_zone="Europe/Olso")


def test_the_document_list_shows_oslo_time(clean_env, admin):
    from dokvault import db
    from dokvault.models import Document
    from dokvault.services import documents

    with db.session() as s:
        s.add(Document(owner_id=admin.id, name="a.txt", size=1, object_key="k",
                       sha256="0" * 64, status="ready", created_at=WINTER))
        s.commit()
    rows, _ = documents.list_documents(admin)
    assert rows[0].created_at == "2026-01-15 11:30"


def test_stored_times_are_utc_and_a_heartbeat_is_recent_within_its_window():
    naive = datetime(2026, 12, 1, 10, 0)  # as SQLite hands it back
    assert clock.utc(naive) == datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    oslo = datetime(2026, 12, 1, 11, 0, tzinfo=clock.zone())
    assert clock.utc(oslo) is oslo
    now = datetime.now(UTC)
    assert clock.recent(now.replace(tzinfo=None) - timedelta(seconds=30), timedelta(minutes=2))
    assert not clock.recent(now - timedelta(minutes=3), timedelta(minutes=2))
    assert not clock.recent(None, timedelta(days=1))
