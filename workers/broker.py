"""Redis broker in production; an in-memory broker consumed inside the app when embedded."""

from __future__ import annotations

import logging

import dramatiq
from dramatiq.brokers.redis import RedisBroker
from dramatiq.brokers.stub import StubBroker

from dokvault.settings import get_settings

log = logging.getLogger(__name__)


class PrivateFiles(dramatiq.Middleware):
    """A worker process writes owner-only files in the data folder (spool, model)."""

    def after_process_boot(self, broker: dramatiq.Broker) -> None:
        from dokvault.storage.private import make_private

        make_private()


def configure_broker() -> dramatiq.Broker:
    settings = get_settings()
    if settings.redis_url:
        broker: dramatiq.Broker = RedisBroker(url=settings.redis_url)
        # Separate worker processes; on the embedded default the app itself has done it.
        broker.add_middleware(PrivateFiles())
    else:
        # Nothing is lost with an in-memory queue: pending work is re-sent from the
        # database at start-up (dokvault.services.documents.requeue_pending).
        broker = StubBroker()
        broker.emit_after("process_boot")
    dramatiq.set_broker(broker)
    return broker


def rebind(broker: dramatiq.Broker) -> dramatiq.Broker:
    """Make `broker` current and move the declared actors onto it (tests, benchmarks)."""
    old = dramatiq.get_broker()
    dramatiq.set_broker(broker)
    for name in old.get_declared_actors():
        actor = old.get_actor(name)
        actor.broker = broker
        broker.declare_actor(actor)
    return broker
