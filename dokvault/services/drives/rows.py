"""The life of a row that a worker works through - a drive transfer, a web import - as far
as it is the same for both: whether another worker has it (its heartbeat still beats), the
ones whose message or worker was lost (sent again by the schedule), whether a person has one
under way (their page follows it), and its end."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import update
from sqlmodel import col, select

from dokvault import db
from dokvault.core import jobs
from dokvault.models.base import utcnow
from dokvault.models.drives import TransferStatus

log = logging.getLogger(__name__)
ACTIVE = (TransferStatus.QUEUED, TransferStatus.RUNNING)


def claim(model, row_id: int, stale: timedelta) -> bool:
    """Take the row for this worker, in one UPDATE: a queued one, or a running one whose
    worker went silent for `stale`. False when it is over or another worker has it - so of
    two messages for one row (one re-sent at start-up, say) only one moves its files."""
    now = utcnow()
    with db.session() as s:
        taken = s.exec(update(model).where(
            col(model.id) == row_id, col(model.status).in_(ACTIVE),
            (col(model.status) == TransferStatus.QUEUED) | col(model.heartbeat_at).is_(None)
            | (col(model.heartbeat_at) < now - stale),
        ).values(status=TransferStatus.RUNNING, heartbeat_at=now))
        s.commit()
    return taken.rowcount == 1


def release(model, row_id: int) -> None:
    """A worker stops before the end (its time budget) and sends the row again: queued, so
    the next message may claim it at once."""
    with db.session() as s:
        s.exec(update(model).where(col(model.id) == row_id, col(model.status) == TransferStatus.RUNNING)
               .values(status=TransferStatus.QUEUED))
        s.commit()


def send_again_at_start(model, job: str, stale: timedelta, *, workers_died: bool) -> int:
    """At start-up, send `job` again for the rows that were under way when the process
    stopped: every queued row (its message may have died with an in-memory broker) and every
    running one - all of them when the workers lived in the process that died
    (`workers_died`, the embedded default: put back to queued), else those whose worker went
    silent for `stale` (another worker process may still be moving the rest)."""
    now = utcnow()
    with db.session() as s:
        if workers_died:
            s.exec(update(model).where(col(model.status) == TransferStatus.RUNNING)
                   .values(status=TransferStatus.QUEUED))
            s.commit()
        ids = s.exec(select(model.id).where(
            (col(model.status) == TransferStatus.QUEUED)
            | ((col(model.status) == TransferStatus.RUNNING)
               & (col(model.heartbeat_at).is_(None) | (col(model.heartbeat_at) < now - stale))))).all()
    for row_id in ids:
        jobs.send(job, row_id)
    if ids:
        log.info("sent %s of %s again at start", len(ids), job)
    return len(ids)


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
