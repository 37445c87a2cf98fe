"""Measurements the workers write as they go, read by the analytics views: how long each
stage of a document took, and how deep each queue was. Cheap and bounded: one small insert
per stage (never in the way: a failed write is logged and forgotten), and rows older than
RETENTION are deleted by the scheduled `trim_metrics` job."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, text
from sqlmodel import Session, col

from dokvault import db
from dokvault.models import QueueSample, StageTiming
from dokvault.models.base import utcnow

log = logging.getLogger(__name__)
STAGES = ("upload", "extraction", "ocr", "classification")
RETENTION = timedelta(days=90)
# Queue samples older than this are kept as one per queue and hour (the hour's deepest):
# 90 days are then about 11,000 rows, not 324,000.
ROLL_UP_AFTER = timedelta(days=2)
HOUR_SQL = {"postgresql": "date_trunc('hour', sampled_at)",
            "sqlite": "strftime('%Y-%m-%d %H:00:00.000000', sampled_at)"}


def record_stage(stage: str, document_id: int | None, seconds: float, session: Session | None = None) -> None:
    """One stage of one document took `seconds` (added to `session`, the caller's transaction,
    when given: written with the document's own rows, at no commit of its own)."""
    if document_id is None or stage not in STAGES:
        return
    if session is not None:
        session.add(StageTiming(stage=stage, document_id=document_id,
                                duration_ms=max(0, round(seconds * 1000))))
        return
    try:
        with db.session() as s:
            s.add(StageTiming(stage=stage, document_id=document_id,
                              duration_ms=max(0, round(seconds * 1000))))
            s.commit()
    except Exception as exc:  # a measurement is never worth a document's work
        log.warning("stage timing not recorded stage=%s id=%s: %s", stage, document_id,
                    type(exc).__name__)


def record_queue_depths(depths: dict[str, int]) -> None:
    """How many jobs wait in each queue now."""
    now = utcnow()
    with db.session() as s:
        s.add_all([QueueSample(sampled_at=now, queue=queue[:32], depth=max(0, int(depth)))
                   for queue, depth in depths.items()])
        s.commit()


def trim(now=None) -> int:
    """Delete measurements older than RETENTION, and roll queue samples older than
    ROLL_UP_AFTER up to the hour; returns how many rows went."""
    now = now or utcnow()
    cutoff = now - RETENTION
    with db.session() as s:
        gone = s.execute(delete(StageTiming).where(col(StageTiming.recorded_at) < cutoff)).rowcount
        gone += s.execute(delete(QueueSample).where(col(QueueSample.sampled_at) < cutoff)).rowcount
        s.commit()
    gone += roll_up(now)
    if gone:
        log.info("trimmed %s measurements (older than %s days, or rolled up to the hour)", gone,
                 RETENTION.days)
    return gone


def roll_up(now=None) -> int:
    """Queue samples older than ROLL_UP_AFTER become one row per queue and hour holding the
    hour's deepest; returns how many rows went. An hour already rolled up has one row and
    is left alone, so each run handles the hours since the last."""
    before = ((now or utcnow()) - ROLL_UP_AFTER).replace(minute=0, second=0, microsecond=0)
    dialect = db.get_engine().dialect.name
    with db.session() as s:
        hours = s.execute(text(
            f"SELECT {HOUR_SQL.get(dialect, HOUR_SQL['sqlite'])} AS hour, queue, max(depth) "  # noqa: S608
            "FROM queue_sample WHERE sampled_at < :before GROUP BY 1, 2 HAVING count(*) > 1"),
            {"before": db.comparable(before, dialect)}).all()
        gone = 0
        for hour, queue, deepest in hours:  # groups (hours since the last run), not samples
            start = hour if isinstance(hour, datetime) else datetime.fromisoformat(hour).replace(tzinfo=UTC)
            gone += s.execute(delete(QueueSample).where(
                col(QueueSample.queue) == queue, col(QueueSample.sampled_at) >= start,
                col(QueueSample.sampled_at) < start + timedelta(hours=1))).rowcount
            s.add(QueueSample(sampled_at=start, queue=queue, depth=deepest))
            gone -= 1
        s.commit()
    return gone
