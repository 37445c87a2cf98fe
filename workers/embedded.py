"""Run the actors inside the app process on the embedded default."""

from __future__ import annotations

import logging

import dramatiq
from dramatiq import Worker

import workers.ai  # noqa: F401  (every actor, declared before the worker starts)
import workers.documents  # noqa: F401
import workers.email  # noqa: F401
import workers.integrations  # noqa: F401
import workers.maintenance  # noqa: F401

log = logging.getLogger(__name__)
_worker: Worker | None = None


def start(threads: int = 2) -> Worker:
    global _worker
    if _worker is None:
        _worker = Worker(dramatiq.get_broker(), worker_threads=threads, worker_timeout=200)
        _worker.start()
        log.info("embedded Dramatiq worker started with %s threads", threads)
    return _worker


def stop() -> None:
    global _worker
    if _worker is not None:
        _worker.stop()
        _worker = None
