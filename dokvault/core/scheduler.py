"""Jobs that fire at intervals from exactly one scheduler: APScheduler does the timing,
a lease (core/leases.py) decides who fires.

Every scheduler started on the same lease name checks the lease every third of its
TTL: the one that holds it fires and renews it, the others stand by and take it when it
falls free (the holder stopped or died). A job only fires after the lease was renewed
for it, so a holder that stalled past its TTL (and may have been replaced) skips it
rather than fire beside the new holder.

`speed` divides every interval (tests run half an hour in a second); the lease keeps its
own TTL. `last_fired(job)` says when a job last ran (from what the job leaves behind), so a
daily job is not put off by a day at every restart.

`at` names jobs that fire at a time of day instead (UTC, "HH:MM"): a cron trigger; one
whose last run is before its latest time (the scheduler was down then) fires at take-over.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler

from dokvault.core.leases import Lease

log = logging.getLogger(__name__)


class LeasedScheduler:
    def __init__(self, lease: Lease, every: Mapping[str, float], fire: Callable[[str], None], *,
                 speed: float = 1.0, heartbeat: Path | None = None,
                 last_fired: Callable[[str], datetime | None] | None = None,
                 at: Mapping[str, str] | None = None):
        """`every`: job name -> seconds between firings; `fire(name)` fires one (it should
        only hand the work on); `heartbeat`: a file touched at every check, for a health
        check of a standing-by scheduler too."""
        self.lease = lease
        self.every = {job: seconds / speed for job, seconds in every.items()}
        self.at = {job: _hour_minute(when) for job, when in (at or {}).items()}
        self._fire = fire
        self._heartbeat = heartbeat
        self._last_fired = last_fired
        self._period = lease.ttl / 3
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._timer: BackgroundScheduler | None = None
        self.active = False  # holds the lease and fires
        self.checks = 0  # lease checks so far, held or not (tests wait on it)

    # --- holding the lease -------------------------------------------------------------------

    def start(self) -> None:
        if self._thread is None:
            self._stopping.clear()
            self._thread = threading.Thread(target=self._run, name=f"scheduler-{self.lease.name}",
                                            daemon=True)
            self._thread.start()

    def stop(self, release: bool = True) -> None:
        """Stop firing and give the lease back (`release=False`: keep it until it expires,
        as a process that died would)."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        self._stand_by()
        if release:
            self.lease.release()

    def _run(self) -> None:
        log.info("scheduler started on lease %s: %s", self.lease.name,
                 ", ".join([*(f"{job} every {seconds:g} s" for job, seconds in self.every.items()),
                            *(f"{job} at {h:02d}:{m:02d} UTC" for job, (h, m) in self.at.items())]))
        while not self._stopping.is_set():
            self._check()
            self.checks += 1
            if self._heartbeat is not None:
                self._heartbeat.touch()
            self._stopping.wait(self._period)

    def _check(self) -> None:
        if self.active:
            if not self.lease.renew():
                log.warning("scheduler lost lease %s: standing by", self.lease.name)
                self._stand_by()
        elif self.lease.acquire():
            log.info("scheduler holds lease %s: firing", self.lease.name)
            self._take_over()
        elif self.checks == 0:
            log.info("scheduler standing by: lease %s is held by another", self.lease.name)

    # --- firing --------------------------------------------------------------------------------

    def _take_over(self) -> None:
        timer = BackgroundScheduler(timezone=UTC, executors={"default": ThreadPoolExecutor(1)},
                                    job_defaults={"coalesce": True, "max_instances": 1})
        for job, seconds in self.every.items():
            timer.add_job(self._fire_if_held, "interval", seconds=seconds, args=(job,), id=job,
                          misfire_grace_time=max(1, int(seconds)), **self._first_run(job, seconds))
        for job, (hour, minute) in self.at.items():
            timer.add_job(self._fire_if_held, "cron", hour=hour, minute=minute, args=(job,),
                          id=job, misfire_grace_time=3600)
            if self._overdue(job, hour, minute):
                timer.add_job(self._fire_if_held, "date", run_date=datetime.now(UTC), args=(job,),
                              id=f"{job}:catch-up", misfire_grace_time=3600)
        timer.start()
        self._timer, self.active = timer, True

    def _overdue(self, job: str, hour: int, minute: int) -> bool:
        """The daily job's latest time passed after its last run (or it never ran)."""
        now = datetime.now(UTC)
        latest = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
        if latest > now:
            latest -= timedelta(days=1)
        try:
            last = self._last_fired(job) if self._last_fired is not None else None
        except Exception as exc:  # the database may be down: the cron time will come
            log.warning("last run of %s unknown: %s", job, type(exc).__name__)
            return False
        return last is None or last.astimezone(UTC) < latest

    def _first_run(self, job: str, seconds: float) -> dict:
        """An interval after the job last ran (at once when that is past), not after now."""
        if self._last_fired is None:
            return {}
        try:
            last = self._last_fired(job)
        except Exception as exc:  # the database may be down: then an interval from now
            log.warning("last run of %s unknown: %s", job, type(exc).__name__)
            return {}
        if last is None:
            return {}
        now = datetime.now(UTC)
        return {"next_run_time": max(now, last.astimezone(UTC) + timedelta(seconds=seconds))}

    def _stand_by(self) -> None:
        timer, self._timer, self.active = self._timer, None, False
        if timer is not None:
            timer.shutdown(wait=True)  # a firing under way ends first

    def _fire_if_held(self, job: str) -> None:
        if not self.lease.renew():
            log.warning("scheduled job %s skipped: lease %s is no longer held", job, self.lease.name)
            return
        try:
            self._fire(job)
        except Exception:
            log.exception("scheduled job %s could not be sent", job)
            return
        log.info("scheduled job %s sent", job)


def _hour_minute(when: str) -> tuple[int, int]:
    hour, _, minute = when.partition(":")
    parsed = int(hour), int(minute or 0)
    if not (0 <= parsed[0] < 24 and 0 <= parsed[1] < 60):
        raise ValueError(f"not a time of day: {when!r}")
    return parsed
