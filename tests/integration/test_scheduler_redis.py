"""The schedule in production: schedulers on the real Redis share one lease, only its
holder fires, a standby takes over once the holder stops renewing (and not before its
lease ran out), a holder whose lease was taken stops firing, and `dokvault scheduler`
runs as a process that gives the lease back when it is stopped; retraining the local
model holds a Redis lease too."""

from __future__ import annotations

import signal
import subprocess
import sys

import pytest
import redis

from dokvault.core import leases
from dokvault.services.ops import schedule
from tests.unit.helpers import wait_until
from tests.unit.test_schedule import Firings, b_takes_over_when_a_lets_go

pytestmark = pytest.mark.integration
TTL = 0.6
KEY = leases.PREFIX + "test-schedule"


@pytest.fixture
def on_redis(redis_url, configure_dokvault) -> redis.Redis:
    configure_dokvault(redis_url=redis_url)
    client = redis.Redis.from_url(redis_url)
    yield client
    client.close()


def holds_in_redis(client: redis.Redis):
    """Whether the lease in Redis carries this scheduler's token right now."""
    return lambda scheduler: client.get(KEY) == scheduler.lease._lock.local.token


def test_two_schedulers_never_both_fire_and_the_standby_takes_over(on_redis):
    firings = Firings(holds_in_redis(on_redis), ttl=TTL)

    def die(a) -> None:
        a.stop(release=False)  # as if its process died: the lease is left to expire
        assert on_redis.exists(KEY)

    assert isinstance(leases.lease("test-schedule"), leases.RedisLease)
    died = b_takes_over_when_a_lets_go(firings, die)
    # Not before a's last renewal (at most a third of the TTL before it stopped) ran out.
    assert firings.first("b") - died >= TTL * 2 / 3 - 0.05
    assert firings.never_both()
    assert not on_redis.exists(KEY)  # b gave it back


def test_a_holder_whose_lease_was_taken_stops_firing(on_redis):
    """A holder that stalled past its TTL finds the lease gone at its next renewal or
    firing, and stands by: whoever fires holds the lease at that moment."""
    firings = Firings(holds_in_redis(on_redis), ttl=TTL)
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
