"""The schedule on the embedded default: the real scheduler with a fast clock sends the
cleanup to the embedded worker, only the holder of the lock file fires (another scheduler
in this process or in another process on the same data folder stands by), and
`dokvault scheduler` is for production only."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable

from typer.testing import CliRunner

from dokvault.core import leases
from dokvault.core.scheduler import LeasedScheduler
from dokvault.services import documents
from dokvault.services.ops import schedule
from tests.unit.helpers import wait_until


def abandoned_spool_file(name: str):
    path = documents.temp_dir() / name
    path.write_bytes(b"half an upload")
    os.utime(path, (1, 1))  # written long ago, then left
    return path


def test_the_scheduler_fires_the_cleanup_with_a_fast_clock(embedded):
    first = abandoned_spool_file("up-abandoned")
    fresh = documents.temp_dir() / "up-in-progress"
    fresh.write_bytes(b"an upload under way")
    runner = schedule.scheduler(speed=1800, lease_seconds=1.0)  # half an hour in a second
    runner.start()
    try:
        wait_until(lambda: not first.exists(), what="the first cleanup")
        second = abandoned_spool_file("up-abandoned-later")  # and again at the next interval
        wait_until(lambda: not second.exists(), what="the second cleanup")
    finally:
        runner.stop()
    assert fresh.exists()  # an upload younger than an hour is left alone
    assert schedule.EVERY["clean_temp_files"] == 30 * 60


class Firings:
    """Schedulers of one lease, and their firings in order: who fired, when, and whether
    `holds(scheduler)` said the lease was theirs at that moment."""

    def __init__(self, holds: Callable[[LeasedScheduler], bool] = lambda scheduler: True,
                 lease: str = "test-schedule", ttl: float = 0.3):
        self.log: list[tuple[str, float, bool]] = []
        self._holds, self._lease, self._ttl = holds, lease, ttl
        self._lock = threading.Lock()

    def scheduler(self, name: str) -> LeasedScheduler:
        def fire(job: str) -> None:
            ours = self._holds(scheduler)
            with self._lock:
                self.log.append((name, time.monotonic(), ours))

        scheduler = LeasedScheduler(leases.lease(self._lease, self._ttl), {"tick": 0.05}, fire)
        return scheduler

    def count(self, name: str) -> int:
        with self._lock:
            return sum(1 for who, _, _ in self.log if who == name)

    def first(self, name: str) -> float:
        return min(at for who, at, _ in self.log if who == name)

    def never_both(self) -> bool:
        """a, a, ..., b, b: never one firing between the other's, each holding the lease."""
        names = [who for who, _, _ in self.log]
        return names == sorted(names) and all(ours for _, _, ours in self.log)


def b_takes_over_when_a_lets_go(firings: Firings, let_go: Callable[[LeasedScheduler], None]) -> float:
    """a holds and fires while b stands by; then a lets go (gives the lease back, or dies)
    and b takes over. Returns when a let go."""
    a, b = firings.scheduler("a"), firings.scheduler("b")
    a.start()
    wait_until(lambda: a.active, what="a holding the lease")
    b.start()
    try:
        wait_until(lambda: b.checks >= 5 and firings.count("a") >= 5, what="a firing, b checking")
        assert firings.count("b") == 0 and not b.active
        let_go(a)
        let_go_at = time.monotonic()
        wait_until(lambda: firings.count("b") >= 3, what="b taking over")
    finally:
        a.stop()
        b.stop()
    return let_go_at


def test_two_schedulers_on_the_lock_file_never_both_fire(clean_env):
    firings = Firings()
    b_takes_over_when_a_lets_go(firings, lambda a: a.stop())  # closing the file gives it back
    assert firings.never_both()


HOLDER = """
import sys, time
from dokvault.core import leases
from dokvault.services.ops import schedule
held = leases.lease(schedule.LEASE)  # kept: the lock lives as long as its open file
assert held.acquire()
print("held", flush=True)
time.sleep(600)
"""


def test_a_second_app_on_the_same_data_folder_stands_by_until_the_first_dies(clean_env):
    holder = subprocess.Popen([sys.executable, "-c", HOLDER], stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "DOKVAULT_DATA_DIR": str(clean_env)})
    try:
        assert holder.stdout.readline().strip() == "held"
        firings = Firings(lease=schedule.LEASE)
        mine = firings.scheduler("mine")
        mine.start()
        wait_until(lambda: mine.checks >= 5, what="five lock checks")
        assert not mine.active and firings.log == []
        holder.kill()  # the kernel gives its lock back
        holder.wait(10)
        wait_until(lambda: firings.count("mine") >= 2, what="the standby taking over")
        mine.stop()
    finally:
        holder.kill()
        holder.wait(10)


def test_the_scheduler_command_needs_redis(clean_env, caplog):
    from dokvault import cli

    with caplog.at_level(logging.ERROR, logger="dokvault"):
        result = CliRunner().invoke(cli.app, ["scheduler"])
    assert result.exit_code == 2
    assert "REDIS_URL is not set" in result.output and "the app runs the scheduler itself" in result.output
    assert "scheduler refused: REDIS_URL is not set" in caplog.text


def test_a_job_runs_an_interval_after_it_last_ran_not_after_a_restart(clean_env):
    """A daily job whose last run was a day ago fires at once when the scheduler (re)starts;
    one that ran just now waits; one with no trace waits its interval."""
    from datetime import UTC, datetime, timedelta

    day = 24 * 3600.0
    last = {"overdue": datetime.now(UTC) - timedelta(days=1, minutes=5),
            "just_ran": datetime.now(UTC) - timedelta(minutes=5), "no_trace": None}
    fired: list[str] = []
    scheduler = LeasedScheduler(leases.lease("test-last-fired", 0.3),
                                dict.fromkeys(last, day), fired.append, last_fired=last.get)
    scheduler.start()
    try:
        wait_until(lambda: fired, what="the overdue job")
        wait_until(lambda: scheduler.checks >= 5, what="more lease checks")
    finally:
        scheduler.stop()
    assert fired == ["overdue"]


def test_the_daily_check_last_ran_when_its_last_report_started(embedded):
    from dokvault.services.ops import sanity

    assert schedule.last_fired("check_sanity") is None
    report = sanity.run()
    last = schedule.last_fired("check_sanity")
    assert last.tzinfo is not None  # compared with aware times by the scheduler
    assert last.replace(tzinfo=None) == report.started_at.replace(tzinfo=None)
    assert schedule.last_fired("clean_temp_files") is None


def test_nightly_jobs_fire_at_their_hour_and_catch_up_a_missed_night(admin):
    from datetime import UTC, datetime, timedelta

    from dokvault import db
    from dokvault.models import SyncRun
    from dokvault.services.ops import schedule

    now = datetime(2026, 12, 8, 12, 0, tzinfo=UTC)  # 13:00 in Oslo
    slot = datetime(2026, 12, 8, 1, 0, tzinfo=UTC)  # 02:00 in Oslo today
    # Never run: the first sync is an admin's; the schedule starts at the next 02:00.
    assert schedule.nightly_last_fired("sync_vitec", now) == slot
    with db.session() as s:  # last ran the night before yesterday: a night was missed
        s.add(SyncRun(kind="vitec", trigger="schedule", created_at=slot - timedelta(days=1, hours=1)))
        s.commit()
    assert schedule.nightly_last_fired("sync_vitec", now) == slot - timedelta(days=1)  # fire now
    with db.session() as s:  # ran this night: the next at 02:00 tomorrow
        s.add(SyncRun(kind="vitec", trigger="schedule", created_at=slot + timedelta(minutes=1)))
        s.commit()
    assert schedule.nightly_last_fired("sync_vitec", now) == slot
