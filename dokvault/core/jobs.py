"""Background jobs, sent by actor name: services hand work to the workers without
importing them, and the workers (workers/) declare their actors on the queues named here.

The broker is Redis in production (workers are separate `dokvault worker` processes) and
an in-memory one consumed inside the app on the embedded default; nothing is lost with it,
since what is pending is re-sent from the database (documents.requeue_pending).
"""

from __future__ import annotations

import logging
import time

import dramatiq
from dramatiq.brokers.redis import RedisBroker
from dramatiq.brokers.stub import StubBroker

from dokvault.core.private import make_private
from dokvault.settings import get_settings

log = logging.getLogger(__name__)

# Every queue, and the queue of every job.
QUEUES = ("documents", "ai", "email", "integrations", "maintenance")
JOBS = {
    "process_document": "documents",   # extraction, OCR, thumbnail, index
    "reindex_search": "documents",     # vectors of an older format, a batch at a time
    "classify_document": "ai",         # suggestions from the configured provider
    "retrain_local_model": "ai",       # the shared local model, one training at a time
    "send_notification": "email",      # reset links, invitations, security alerts
    "clean_temp_files": "maintenance",  # abandoned uploads and spool files
    "requeue_stuck": "maintenance",    # documents left in a non-final state
    "purge_expired_keys": "maintenance",  # expired rows of the embedded key store
    "check_sanity": "maintenance",     # rows without objects, objects without rows
    "sync_vitec": "integrations",      # offices, staff and assignments from Vitec Megler
    "sync_teams": "integrations",      # Microsoft Teams and their members
    "mail_notification": "email",      # the mail of a notification someone wants by mail
    "review_digest": "maintenance",    # suggestions waiting for review more than a day
    "run_drive_transfer": "integrations",  # files from or to a cloud drive, one by one
    "sync_drives": "integrations",     # folders due for sync sent; stalled transfers sent again
    "sync_drive_folder": "integrations",  # one folder's new and changed files imported
    "run_web_import": "integrations",  # a web page or a crawl through Firecrawl
    "sample_queue_depth": "maintenance",  # jobs waiting per queue, for the analytics
    "trim_metrics": "maintenance",     # stage timings and queue samples past their retention
    "export_audit_log": "maintenance",  # yesterday's audit log to the object store; retention
    "apply_taxonomy_rule": "ai",       # a type's or tag's rule applied to stored documents
}


class PrivateFiles(dramatiq.Middleware):
    """A worker process writes owner-only files in the data folder (spool, model)."""

    def after_process_boot(self, broker: dramatiq.Broker) -> None:
        make_private()


CONSUMED_KEY = "dokvault:consumed:{queue}"  # when a worker last finished a message there


class Consumed(dramatiq.Middleware):
    """Stamps each queue when a message of it is done, so /health tells a long backlog that
    is being worked through from a queue nobody consumes."""

    def after_process_message(self, broker, message, *, result=None, exception=None) -> None:
        try:
            broker.client.set(CONSUMED_KEY.format(queue=message.queue_name),
                              int(time.time() * 1000), ex=7 * 24 * 3600)
        except Exception as exc:  # a missed stamp must never fail the message
            log.debug("consumed stamp not written: %s", type(exc).__name__)

    after_skip_message = after_process_message


_broker: dramatiq.Broker | None = None


def queue_of(job: str) -> str:
    return JOBS[job]


def configure_broker() -> dramatiq.Broker:
    settings = get_settings()
    if settings.redis_url:
        broker: dramatiq.Broker = RedisBroker(url=settings.redis_url)
        # Separate worker processes; on the embedded default the app itself has done it.
        broker.add_middleware(PrivateFiles())
        broker.add_middleware(Consumed())
    else:
        broker = StubBroker()
        broker.emit_after("process_boot")
    for queue in QUEUES:  # a job may be sent before its worker module is imported
        broker.declare_queue(queue)
    return _use(broker)


def _use(broker: dramatiq.Broker) -> dramatiq.Broker:
    global _broker
    dramatiq.set_broker(broker)
    _broker = broker
    return broker


def broker() -> dramatiq.Broker:
    """The broker jobs go to, configured from the settings at first use (never Dramatiq's
    own default, a Redis on localhost)."""
    return _broker if _broker is not None else configure_broker()


def rebind(broker: dramatiq.Broker) -> dramatiq.Broker:
    """Make `broker` current and move the declared actors onto it (tests, benchmarks)."""
    old = dramatiq.get_broker()
    _use(broker)
    for queue in QUEUES:
        broker.declare_queue(queue)
    for name in old.get_declared_actors():
        actor = old.get_actor(name)
        actor.broker = broker
        broker.declare_actor(actor)
    return broker


def send(job: str, *args, delay_ms: int | None = None) -> None:
    """Queue `job` with plain arguments (ids and short values, never a secret)."""
    message = dramatiq.Message(queue_name=queue_of(job), actor_name=job, args=args, kwargs={},
                               options={})
    broker().enqueue(message, delay=delay_ms)
