"""Sync runs, whatever they sync (Vitec today, Teams, later cloud drives): asked for, run
one at a time, followed with a progress bar, summed up.

- `request(kind, ...)` makes a queued run and sends its job, unless a run of that kind is
  queued or running already: then that one is the answer (two clicks, a click during the
  nightly run: one run).
- `execute(run_id, work)` is what the actor calls: it holds the lease `sync:<kind>`, so two
  runs never overlap even across workers, marks the run running, gives `work` a Progress,
  and records how it ended. A run delivered twice does nothing the second time.
- The record (models/org.py SyncRun) is generic: counts per entity (created, updated,
  deactivated, skipped, unchanged), the first skipped rows with the reason, the errors
  that did not stop the run and the one that did.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import col, select

from dokvault import db
from dokvault.core import clock, jobs, leases
from dokvault.models import SyncRun
from dokvault.models.base import utcnow

log = logging.getLogger(__name__)

JOBS = {"vitec": "sync_vitec", "teams": "sync_teams"}
QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
ACTIVE = (QUEUED, RUNNING)
# A running run whose heartbeat is older than this died with its worker; a queued one
# this old lost its message. Either is taken as finished, and a new run may start.
STALE = timedelta(minutes=5)
MAX_LISTED = 50  # skipped rows and errors kept per run (the counts say how many in all)
FLUSH_SECONDS = 0.5
COUNTERS = ("created", "updated", "deactivated", "skipped", "unchanged")


def _stale(run: SyncRun) -> bool:
    return not clock.recent(run.heartbeat_at or run.started_at or run.created_at, STALE)


def active_run(kind: str) -> SyncRun | None:
    """The queued or running run of `kind`, if it is alive."""
    with db.session() as s:
        runs = s.exec(select(SyncRun).where(SyncRun.kind == kind, col(SyncRun.status).in_(ACTIVE))
                      .order_by(col(SyncRun.id).desc())).all()
    return next((r for r in runs if not _stale(r)), None)


def request(kind: str, *, requested_by: int | None = None, trigger: str = "manual",
            full: bool = False, send: bool = True) -> tuple[SyncRun, bool]:
    """(the run, whether it is new): a new queued run and its job (`send`; the scheduled
    actor runs it itself), or the one under way."""
    if kind not in JOBS:
        raise ValueError(f"unknown sync kind {kind!r}")
    with leases.held(f"sync-request:{kind}", ttl=30) as mine:
        if not mine:  # someone asks at this very moment: theirs is the run
            time.sleep(0.2)
            current = active_run(kind)
            if current is not None:
                return current, False
        current = active_run(kind)
        if current is not None:
            return current, False
        with db.session() as s:
            run = SyncRun(kind=kind, trigger=trigger, requested_by_id=requested_by,
                          incremental=not full)
            s.add(run)
            s.commit()
            s.refresh(run)
    if send:
        jobs.send(JOBS[kind], run.id)
    log.info("sync %s requested run=%s trigger=%s", kind, run.id, trigger)
    return run, True


def get(run_id: int) -> SyncRun | None:
    with db.session() as s:
        return s.get(SyncRun, run_id)


def recent(kind: str | None = None, limit: int = 10) -> list[SyncRun]:
    query = select(SyncRun)
    if kind is not None:
        query = query.where(SyncRun.kind == kind)
    with db.session() as s:
        return list(s.exec(query.order_by(col(SyncRun.id).desc()).limit(limit)).all())


def last_finished(kind: str, *, status: str | None = DONE, trigger: str | None = None) -> SyncRun | None:
    query = select(SyncRun).where(SyncRun.kind == kind, col(SyncRun.finished_at).is_not(None))
    if status is not None:
        query = query.where(SyncRun.status == status)
    if trigger is not None:
        query = query.where(SyncRun.trigger == trigger)
    with db.session() as s:
        return s.exec(query.order_by(col(SyncRun.id).desc()).limit(1)).first()


class Progress:
    """What a running sync reports: its phase, steps done of a total, counts per entity,
    skipped rows and errors. Written to the run's row at most every FLUSH_SECONDS (and at
    every phase), so the page's bar moves without a write per row."""

    def __init__(self, run: SyncRun):
        self.run_id = run.id
        self.phase = ""
        self.done = self.total = 0
        self.counts: dict[str, dict[str, int]] = {}
        self.skipped: list[dict] = []
        self.errors: list[dict] = []
        self.watermark: datetime | None = None
        self._flushed = 0.0

    def start_phase(self, phase: str, total: int) -> None:
        self.phase, self.done, self.total = phase, 0, max(total, 0)
        self.flush(force=True)

    def step(self, n: int = 1) -> None:
        self.done = min(self.done + n, self.total) if self.total else self.done + n
        self.flush()

    def count(self, entity: str, what: str, n: int = 1) -> None:
        if n:
            bucket = self.counts.setdefault(entity, dict.fromkeys(COUNTERS, 0))
            bucket[what] = bucket.get(what, 0) + n

    def skip(self, entity: str, what: str, reason: str) -> None:
        self.count(entity, "skipped")
        if len(self.skipped) < MAX_LISTED:
            self.skipped.append({"entity": entity, "what": what[:120], "reason": reason[:300]})
        log.info("sync run=%s skipped %s: %s", self.run_id, what, reason)

    def error(self, what: str, message: str) -> None:
        if len(self.errors) < MAX_LISTED:
            self.errors.append({"what": what[:120], "error": message[:300]})
        log.warning("sync run=%s error at %s: %s", self.run_id, what, message)

    def flush(self, force: bool = False) -> None:
        if not force and time.monotonic() - self._flushed < FLUSH_SECONDS:
            return
        self._flushed = time.monotonic()
        with db.session() as s:
            run = s.get(SyncRun, self.run_id)
            if run is None:
                return
            run.phase, run.done, run.total = self.phase, self.done, self.total
            run.counts = {k: dict(v) for k, v in self.counts.items()}
            run.skipped, run.errors = list(self.skipped), list(self.errors)
            run.heartbeat_at = utcnow()
            s.add(run)
            s.commit()


class SyncFailed(Exception):
    """The whole run cannot go on (no connection, a refused login). `code` is an i18n key."""

    def __init__(self, code: str, detail: str):
        super().__init__(detail)
        self.code, self.detail = code, detail


@dataclass
class Outcome:
    run: SyncRun
    ran: bool  # False: another holder had the lease, or the run had ended already


def execute(run_id: int, work: Callable[[SyncRun, Progress], None],
            finished: Callable[[SyncRun], None] | None = None) -> Outcome:
    """Run `work(run, progress)` for a queued run, one run of a kind at a time; then
    `finished(run)` (notifications). Idempotent."""
    run = get(run_id)
    if run is None:
        return Outcome(SyncRun(kind="?"), False)
    with leases.held(f"sync:{run.kind}", ttl=60) as mine:
        if not mine:
            log.info("sync %s run=%s: another run holds the lease", run.kind, run_id)
            return Outcome(run, False)
        with db.session() as s:
            run = s.get(SyncRun, run_id)
            if run is None or run.status in (DONE, FAILED) or (
                    run.status == RUNNING and not _stale(run)):
                return Outcome(run, False)
            run.status, run.started_at, run.heartbeat_at = RUNNING, utcnow(), utcnow()
            s.add(run)
            s.commit()
            s.refresh(run)
        progress = Progress(run)
        log.info("sync %s run=%s started (%s)", run.kind, run.id,
                 "incremental" if run.incremental else "full")
        status = DONE
        try:
            work(run, progress)
        except SyncFailed as exc:
            status = FAILED
            progress.error(exc.code, exc.detail)
        except Exception as exc:
            status = FAILED
            log.exception("sync %s run=%s failed", run.kind, run.id)
            progress.error("error.sync_crashed", f"{type(exc).__name__}: {exc}"[:300])
        progress.flush(force=True)
        with db.session() as s:
            row = s.get(SyncRun, run.id)
            row.status, row.finished_at = status, utcnow()
            row.watermark = progress.watermark
            s.add(row)
            s.commit()
            s.refresh(row)
        log.info("sync %s run=%s %s in %.1f s: %s", row.kind, row.id, status,
                 (clock.utc(row.finished_at) - clock.utc(row.started_at)).total_seconds(), row.counts)
    if finished is not None:
        try:
            finished(row)
        except Exception:
            log.exception("sync %s run=%s: telling about it failed", row.kind, row.id)
    return Outcome(row, True)


def view(run: SyncRun | None) -> dict:
    """A run as the pages show it (plain values; catalogue keys for words)."""
    if run is None:
        return {}
    percent = int(100 * run.done / run.total) if run.total else (100 if run.status == DONE else 0)
    entities = [{"entity": entity, **{k: int(v.get(k, 0)) for k in COUNTERS}}
                for entity, v in (run.counts or {}).items()]
    return {
        "id": run.id, "kind": run.kind, "status": run.status, "trigger": run.trigger,
        "phase": run.phase, "done": run.done, "total": run.total, "percent": percent,
        "incremental": run.incremental, "entities": entities,
        "skipped": [dict(s) for s in run.skipped or []],
        "errors": [dict(e) for e in run.errors or []],
        "started": clock.shown(run.started_at) if run.started_at else "",
        "finished": clock.shown(run.finished_at) if run.finished_at else "",
        "active": run.status in ACTIVE,
    }
