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


class Recorder:
    """Firings of several schedulers, in order, with the name of the one that fired."""

    def __init__(self):
        self.fired: list[str] = []
        self._lock = threading.Lock()

    def of(self, name: str):
        def fire(job: str) -> None:
            with self._lock:
                self.fired.append(name)
        return fire

    def count(self, name: str) -> int:
        with self._lock:
            return self.fired.count(name)


def two_schedulers(recorder: Recorder, ttl: float = 0.3) -> tuple[LeasedScheduler, LeasedScheduler]:
    return tuple(LeasedScheduler(leases.lease("test-schedule", ttl), {"tick": 0.05}, recorder.of(name))
                 for name in ("a", "b"))


def test_two_schedulers_on_the_lock_file_never_both_fire(clean_env):
    recorder = Recorder()
    a, b = two_schedulers(recorder)
    a.start()
    wait_until(lambda: a.active, what="a holding the lock")
    b.start()
    try:
        wait_until(lambda: b.checks >= 5 and recorder.count("a") >= 5, what="a firing, b checking")
        assert recorder.count("b") == 0 and not b.active
        a.stop()  # gives the lock file back
        wait_until(lambda: recorder.count("b") >= 3, what="b taking over")
    finally:
        a.stop()
        b.stop()
    assert recorder.fired == sorted(recorder.fired)  # a, a, ..., b, b: never one between the other's


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
        recorder = Recorder()
        mine = LeasedScheduler(leases.lease(schedule.LEASE, 0.3), {"tick": 0.05}, recorder.of("mine"))
        mine.start()
        wait_until(lambda: mine.checks >= 5, what="five lock checks")
        assert not mine.active and recorder.fired == []
        holder.kill()  # the kernel gives its lock back
        holder.wait(10)
        wait_until(lambda: recorder.count("mine") >= 2, what="the standby taking over")
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
