"""The life of a row that a worker works through - a drive transfer, a web import - as far
as it is the same for both: whether another worker has it (its heartbeat still beats), the
ones whose message or worker was lost (sent again by the schedule), whether a person has one
under way (their page follows it), and its end."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlmodel import col, select

from dokvault import db
from dokvault.core import clock, jobs
from dokvault.models.base import utcnow
from dokvault.models.drives import TransferStatus

log = logging.getLogger(__name__)
ACTIVE = (TransferStatus.QUEUED, TransferStatus.RUNNING)


def held_by_another(row, stale: timedelta) -> bool:
    """A running transfer or web import whose worker still beats: another worker has it."""
    return row.status == TransferStatus.RUNNING and clock.recent(row.heartbeat_at, stale)


def send_again_silent(model, job: str, stale: timedelta) -> int:
    """Send `job` again for the rows of `model` (transfers, web imports) that are queued or
    running with no heartbeat for `stale`: their message or their worker was lost."""
    cutoff = utcnow() - stale
    with db.session() as s:
        ids = s.exec(select(model.id).where(
            col(model.status).in_(ACTIVE),
            (col(model.heartbeat_at) < cutoff) |
            (col(model.heartbeat_at).is_(None) & (col(model.created_at) < cutoff)))).all()
    for row_id in ids:
        jobs.send(job, row_id)
    if ids:
        log.info("sent %s of %s again", len(ids), job)
    return len(ids)


def finish(model, row_id: int, error: str | None = None) -> None:
    """A transfer or web import is over: done (unless the person cancelled it), with the
    error that ended it if one did."""
    with db.session() as s:
        row = s.get(model, row_id)
        if row is None:
            return
        if row.status != TransferStatus.CANCELLED:
            row.status = TransferStatus.DONE
        row.error_code = error or row.error_code
        row.finished_at = utcnow()
        s.add(row)
        s.commit()


def moving(model, owner_id: int) -> bool:
    """A transfer or web import of this person's is queued or running."""
    with db.session() as s:
        found = s.exec(select(model.id).where(
            model.owner_id == owner_id,
            col(model.status).in_(ACTIVE)).limit(1)).first()
    return found is not None
