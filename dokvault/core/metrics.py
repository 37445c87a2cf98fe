"""Measurements the workers write as they go, read by the analytics views: how long each
stage of a document took, and how deep each queue was. Cheap and bounded: one small insert
per stage (never in the way: a failed write is logged and forgotten), and rows older than
RETENTION are deleted by the scheduled `trim_metrics` job."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import delete
from sqlmodel import col

from dokvault import db
from dokvault.models import QueueSample, StageTiming
from dokvault.models.base import utcnow

log = logging.getLogger(__name__)
STAGES = ("upload", "extraction", "ocr", "classification")
RETENTION = timedelta(days=90)


def record_stage(stage: str, document_id: int | None, seconds: float) -> None:
    """One stage of one document took `seconds`."""
    if document_id is None or stage not in STAGES:
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
    """Delete measurements older than RETENTION; returns how many rows went."""
    cutoff = (now or utcnow()) - RETENTION
    with db.session() as s:
        gone = s.execute(delete(StageTiming).where(col(StageTiming.recorded_at) < cutoff)).rowcount
        gone += s.execute(delete(QueueSample).where(col(QueueSample.sampled_at) < cutoff)).rowcount
        s.commit()
    if gone:
        log.info("trimmed %s measurements older than %s days", gone, RETENTION.days)
    return gone
