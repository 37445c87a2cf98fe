"""The schedule in production: schedulers on the real Redis share one lease, only its
holder fires, a standby takes over once the holder stops renewing (and not before its
lease ran out), a holder whose lease was taken stops firing, and `dokvault scheduler`
runs as a process that gives the lease back when it is stopped; retraining the local
model holds a Redis lease too."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time

import pytest
import redis

from dokvault.core import leases
from dokvault.core.scheduler import LeasedScheduler
from dokvault.services.ops import schedule
from tests.unit.helpers import wait_until

pytestmark = pytest.mark.integration
TTL = 0.6
KEY = leases.PREFIX + "test-schedule"


@pytest.fixture
def on_redis(redis_url, configure_dokvault) -> redis.Redis:
    configure_dokvault(redis_url=redis_url)
    client = redis.Redis.from_url(redis_url)
    yield client
    client.close()


class Firings:
    """Who fired, when, and whether the lease in Redis was theirs at that moment."""

    def __init__(self, client: redis.Redis):
        self.client = client
        self.log: list[tuple[str, float, bool]] = []
        self.schedulers: dict[str, LeasedScheduler] = {}
        self._lock = threading.Lock()

    def scheduler(self, name: str) -> LeasedScheduler:
        def fire(job: str) -> None:
            ours = self.client.get(KEY) == self.schedulers[name].lease._lock.local.token
            with self._lock:
                self.log.append((name, time.monotonic(), ours))

        self.schedulers[name] = LeasedScheduler(leases.lease("test-schedule", TTL), {"tick": 0.05}, fire)
        return self.schedulers[name]

    def count(self, name: str) -> int:
        with self._lock:
            return sum(1 for who, _, _ in self.log if who == name)

    def first(self, name: str) -> float:
        return min(at for who, at, _ in self.log if who == name)


def test_two_schedulers_never_both_fire_and_the_standby_takes_over(on_redis):
    firings = Firings(on_redis)
    a, b = firings.scheduler("a"), firings.scheduler("b")
    assert isinstance(a.lease, leases.RedisLease)
    a.start()
    wait_until(lambda: a.active, what="a holding the lease")
    b.start()
    try:
        wait_until(lambda: b.checks >= 5 and firings.count("a") >= 5, what="a firing, b checking")
        assert firings.count("b") == 0 and not b.active
        a.stop(release=False)  # as if its process died: the lease is left to expire
        stopped = time.monotonic()
        assert on_redis.exists(KEY)
        wait_until(lambda: firings.count("b") >= 3, what="b taking over")
    finally:
        a.stop()
        b.stop()
    # Not before a's last renewal (at most a third of the TTL before it stopped) ran out.
    assert firings.first("b") - stopped >= TTL * 2 / 3 - 0.05
    assert [who for who, _, _ in firings.log] == sorted(who for who, _, _ in firings.log)
    assert all(ours for _, _, ours in firings.log)
    assert not on_redis.exists(KEY)  # b gave it back


def test_a_holder_whose_lease_was_taken_stops_firing(on_redis):
    """A holder that stalled past its TTL finds the lease gone at its next renewal or
    firing, and stands by: whoever fires holds the lease at that moment."""
    firings = Firings(on_redis)
    a, b = firings.scheduler("a"), firings.scheduler("b")
    a.start()
    wait_until(lambda: firings.count("a") >= 2, what="a firing")
    on_redis.delete(KEY)  # a's lease ran out while it stalled
    b.start()
    try:
        wait_until(lambda: a.active != b.active and firings.count("a") + firings.count("b") >= 20,
                   what="one of them firing again")
    finally:
        a.stop()
        b.stop()
    assert all(ours for _, _, ours in firings.log)


def test_the_scheduler_command_holds_the_lease_until_it_is_stopped(redis_url, configure_dokvault,
                                                                   tmp_path):
    env = configure_dokvault(redis_url=redis_url, log_level="INFO")
    heartbeat = tmp_path / "scheduler.alive"
    client = redis.Redis.from_url(redis_url)
    key = leases.PREFIX + schedule.LEASE
    process = subprocess.Popen([sys.executable, "-m", "dokvault.cli", "scheduler", "--heartbeat",
                                str(heartbeat)], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    try:
        wait_until(lambda: heartbeat.exists() and client.exists(key), timeout=30,
                   what="the scheduler holding its lease")
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)
        client.close()
    assert process.returncode == 0, output
    assert "holds lease scheduler: firing" in output and "scheduler stopped" in output
    assert not redis.Redis.from_url(redis_url).exists(key)  # given back, not left to expire


def test_two_trainings_at_once_on_redis_train_once(embedded, on_redis, monkeypatch):
    from tests.unit.test_retrain_once import two_trainings_at_once

    assert isinstance(leases.lease("probe"), leases.RedisLease)
    two_trainings_at_once(monkeypatch)
    assert not on_redis.exists(leases.PREFIX + "local-model-training")
