"""What runs when: the jobs the scheduler sends to the `maintenance` queue (and the nightly
syncs to `integrations`). The scheduler only sends them by name (core/jobs.py); the workers
do the work.

One scheduler fires at a time (core/scheduler.py): in production the `dokvault scheduler`
process that holds the Redis lease, on the embedded default the app that holds the lock
file in the data folder.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from sqlmodel import col, select

from dokvault import db
from dokvault.core import clock, jobs, leases
from dokvault.core.scheduler import LeasedScheduler
from dokvault.models import Notification, SyncRun
from dokvault.services.ops import audit_export, sanity
from dokvault.settings import get_settings

MINUTE = 60.0
EVERY = {
    "clean_temp_files": 30 * MINUTE,  # abandoned uploads and spool files (an hour old)
    "requeue_stuck": 0.5 * MINUTE,  # unfinished documents (SWEEP_EVERY_SECONDS, see every())
    "purge_expired_keys": 60 * MINUTE,  # used codes and revoked tokens past their time (embedded)
    "check_sanity": 24 * 60 * MINUTE,  # rows without objects, objects without rows
    "sync_vitec": 24 * 60 * MINUTE,  # nightly (NIGHTLY_AT): offices, staff, assignments
    "sync_teams": 24 * 60 * MINUTE,  # nightly: Microsoft Teams and their members
    "review_digest": 24 * 60 * MINUTE,  # suggestions waiting for review for over a day
    "sync_drives": 1 * MINUTE,  # folders due for sync (DRIVE_SYNC_MINUTES), stalled transfers
    "sample_queue_depth": 2 * MINUTE,  # jobs waiting per queue, for the analytics
    "trim_metrics": 60 * MINUTE,  # measurements past their retention (core/metrics.py)
}
# The nightly jobs fire at this local time (TIME_ZONE); at start-up at once when last
# night's was missed.
NIGHTLY_AT = {"sync_vitec": time(2, 0), "sync_teams": time(2, 30), "review_digest": time(7, 0)}
# Jobs that run at a time of day (UTC), not at an interval.
AT = {
    "export_audit_log": "00:00",  # the previous day of the audit log, then its retention
}
LEASE = "scheduler"
LEASE_SECONDS = 30.0  # a dead scheduler is replaced within this and a third of it


def _last_slot(at: time, now: datetime) -> datetime:
    """The latest moment at local time `at` that is not after `now` (UTC)."""
    local = clock.local(now)
    slot = datetime.combine(local.date(), at, tzinfo=local.tzinfo)
    if slot > local:
        slot -= timedelta(days=1)
    return slot.astimezone(UTC)


def _traced(job: str) -> datetime | None:
    """When a nightly job last ran, from what it leaves: a scheduled sync run, a digest."""
    with db.session() as s:
        if job.startswith("sync_"):
            return s.exec(select(SyncRun.created_at).where(
                SyncRun.kind == job.removeprefix("sync_"), SyncRun.trigger == "schedule")
                .order_by(col(SyncRun.id).desc()).limit(1)).first()
        return s.exec(select(Notification.created_at).where(Notification.kind == "review_waiting")
                      .order_by(col(Notification.id).desc()).limit(1)).first()


def nightly_last_fired(job: str, now: datetime | None = None) -> datetime:
    """For the scheduler: a day before the next NIGHTLY_AT slot when this night's ran (or the
    job never ran: the first sync is an admin's, from the page), so it fires at that slot; a
    day before the slot just past when a night was missed, so it fires now."""
    now = now or datetime.now(UTC)
    slot = _last_slot(NIGHTLY_AT[job], now)
    ran = _traced(job)
    if ran is None or clock.local(ran) >= slot:
        return slot  # + a day: the next slot
    return slot - timedelta(days=1)


def last_fired(job: str) -> datetime | None:
    """When a job last ran, where it leaves a trace: the daily check its report, the nightly
    jobs their slot, the audit export its last day. The others run often enough that
    starting their interval again costs nothing."""
    if job in NIGHTLY_AT:
        return nightly_last_fired(job)
    if job == "export_audit_log":
        return audit_export.last_run()
    if job == "check_sanity":
        report = sanity.last_report()
        if report is not None:
            started = report.started_at
            return started if started.tzinfo else started.replace(tzinfo=UTC)
    return None


def every() -> dict[str, float]:
    """The intervals, the sweep's from the settings: recovery from a lost message or a dead
    worker should take a minute or two, not an operator."""
    return {**EVERY, "requeue_stuck": float(get_settings().sweep_every_seconds)}


def scheduler(*, speed: float = 1.0, lease_seconds: float = LEASE_SECONDS,
              heartbeat: Path | None = None) -> LeasedScheduler:
    """The scheduler of DokVault's jobs (not started); `speed` divides every interval."""
    return LeasedScheduler(leases.lease(LEASE, lease_seconds), every(), jobs.send, speed=speed,
                           heartbeat=heartbeat, last_fired=last_fired, at=AT)


_running: LeasedScheduler | None = None


def start() -> LeasedScheduler:
    """The schedule inside this process (the app on the embedded default): fired here
    while this process holds the lease, on standby while another app on the same data
    folder does."""
    global _running
    if _running is None:
        _running = scheduler()
        _running.start()
    return _running


def stop() -> None:
    global _running
    if _running is not None:
        _running.stop()
        _running = None
