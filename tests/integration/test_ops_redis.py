"""Operations on the production broker: `dokvault worker` with several --queue consumes
each of them, and /health says "degraded" while a Redis queue is not being consumed (no
worker alive, or its oldest message waiting too long), "ok" once it is."""

from __future__ import annotations

import time

import dramatiq
import pytest

from dokvault.core import jobs
from dokvault.services import documents, ops
from tests import servers
from tests.integration.test_redis_worker import (  # noqa: F401  (fixture)
    broker_user,
    redis_broker,
    wait_until_final,
)
from tests.samples import SALGSOPPGAVE, make_pdf
from tests.unit.helpers import wait_until

pytestmark = pytest.mark.integration
NO_SUCH_USER = 999_999


def start_worker(env, tmp_path, *queues: str) -> servers.WorkerProcess:
    worker = servers.WorkerProcess(tmp_path / f"worker-{'-'.join(queues)}.log", queues=queues)
    worker.start(env=env)
    return worker


def send_late(job: str, *args, minutes: float = 16) -> None:
    """A message sent `minutes` ago that nobody has taken since."""
    jobs.broker().enqueue(dramatiq.Message(
        queue_name=jobs.queue_of(job), actor_name=job, args=args, kwargs={}, options={},
        message_timestamp=int((time.time() - minutes * 60) * 1000)))


@pytest.mark.usefixtures("redis_broker")
def test_a_worker_with_two_queues_consumes_both(production, configure_dokvault, tmp_path):
    env = configure_dokvault(log_level="INFO")
    owner = broker_user("megler.drammen@example.no")
    send_late("process_document", NO_SUCH_USER)  # first in the queue, sent long ago
    send_late("send_notification", "password_reset", NO_SUCH_USER)
    path = make_pdf(tmp_path / "Salgsoppgave.pdf", [SALGSOPPGAVE])
    document = documents.ingest_path(owner.id, path)  # behind it
    health = ops.health()
    assert health["status"] == "degraded"
    assert health["reasons"] == ["queue_not_consumed:documents", "queue_not_consumed:email"]

    worker = start_worker(env, tmp_path, "documents", "email")
    try:
        assert wait_until_final(document.id, worker).status == "ready"
        wait_until(lambda: f"user={NO_SUCH_USER} skipped" in worker.log(), timeout=30,
                   what="the email queue consumed")
        assert wait_until(lambda: (h := ops.health())["status"] == "ok" and h, timeout=10,
                          what="health ok")["reasons"] == []
    finally:
        worker.stop()


@pytest.mark.usefixtures("redis_broker")
def test_only_the_queue_nobody_consumes_is_degraded(production, tmp_path):
    worker = start_worker(production, tmp_path, "email")  # alive, but not for `documents`
    try:
        send_late("process_document", NO_SUCH_USER)
        send_late("send_notification", "password_reset", NO_SUCH_USER)
        jobs.send("classify_document", NO_SUCH_USER)  # waiting, but not for long
        wait_until(lambda: f"user={NO_SUCH_USER} skipped" in worker.log(), timeout=30,
                   what="the email queue consumed")
        health = ops.health()
        assert (health["status"], health["reasons"]) == ("degraded",
                                                         ["queue_not_consumed:documents"])
    finally:
        worker.stop()


@pytest.mark.usefixtures("redis_broker")
def test_a_backlog_a_worker_is_working_through_is_not_degraded(production, tmp_path):
    """The oldest message waited long, but the queue is consumed: a big import, not a fault."""
    send_late("send_notification", "password_reset", NO_SUCH_USER, minutes=30)
    assert ops.health()["reasons"] == ["queue_not_consumed:email"]
    # A worker finishes an email message now; one sent long ago still waits behind it.
    worker = start_worker(production, tmp_path, "email")
    try:
        wait_until(lambda: f"user={NO_SUCH_USER} skipped" in worker.log(), timeout=30,
                   what="the email queue consumed")
    finally:
        worker.stop()
    send_late("send_notification", "password_reset", NO_SUCH_USER, minutes=30)
    assert ops.health()["reasons"] == []
