"""What runs when: the jobs the scheduler sends to the `maintenance` queue. The scheduler
only sends them by name (core/jobs.py); the workers do the work.

One scheduler fires at a time (core/scheduler.py): in production the `dokvault scheduler`
process that holds the Redis lease, on the embedded default the app that holds the lock
file in the data folder.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from dokvault.core import jobs, leases
from dokvault.core.scheduler import LeasedScheduler
from dokvault.services.ops import audit_export, sanity
from dokvault.settings import get_settings

MINUTE = 60.0
EVERY = {
    "clean_temp_files": 30 * MINUTE,  # abandoned uploads and spool files (an hour old)
    "requeue_stuck": 0.5 * MINUTE,  # unfinished documents (SWEEP_EVERY_SECONDS, see every())
    "purge_expired_keys": 60 * MINUTE,  # used codes and revoked tokens past their time (embedded)
    "check_sanity": 24 * 60 * MINUTE,  # rows without objects, objects without rows
}
# Jobs that run at a time of day (UTC), not at an interval.
AT = {
    "export_audit_log": "00:00",  # the previous day of the audit log, then its retention
}
LEASE = "scheduler"
LEASE_SECONDS = 30.0  # a dead scheduler is replaced within this and a third of it


def last_fired(job: str) -> datetime | None:
    """When a job last ran, where it leaves a trace: the daily check its report. The others
    run often enough that starting their interval again costs nothing."""
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
