"""How many jobs wait in each queue, sampled by the scheduled `sample_queue_depth` job for
the analytics views. In production it is the Redis broker's own lists (the queue and its
delay queue of retries waiting for their time); on the embedded default the in-memory
queue dies with the app, so the database says what waits: documents not read yet (the
`documents` queue) and documents read but without suggestions (the `ai` queue)."""

from __future__ import annotations

import logging

import redis
from sqlmodel import col, func, select

from dokvault import db
from dokvault.core import metrics
from dokvault.core.jobs import QUEUES
from dokvault.core.redis_client import redis_client
from dokvault.models import Classification, Document, DocumentStatus
from dokvault.models.documents import PENDING_STATUSES
from dokvault.services.ops.health import NAMESPACE

log = logging.getLogger(__name__)


def _from_redis(client: redis.Redis) -> dict[str, int]:
    pipe = client.pipeline(transaction=False)
    for queue in QUEUES:
        pipe.llen(f"{NAMESPACE}:{queue}")
        pipe.llen(f"{NAMESPACE}:{queue}.DQ")
    lengths = pipe.execute()
    return {queue: int(lengths[2 * i]) + int(lengths[2 * i + 1]) for i, queue in enumerate(QUEUES)}


def _from_database() -> dict[str, int]:
    with db.session() as s:
        unread = s.exec(select(func.count()).select_from(Document).where(
            col(Document.status).in_([str(p) for p in PENDING_STATUSES]),
            col(Document.deleted_at).is_(None))).one()
        unsuggested = s.exec(select(func.count()).select_from(Document).where(
            Document.status == DocumentStatus.READY,
            ~select(Classification.id).where(Classification.document_id == Document.id).exists(),
        )).one()
    return {"documents": int(unread), "ai": int(unsuggested)}


def depths() -> dict[str, int]:
    """Jobs waiting now, per queue."""
    client = redis_client()
    return _from_redis(client) if client is not None else _from_database()


def sample() -> dict[str, int]:
    """Record the queues' depths now (the scheduled job)."""
    found = depths()
    metrics.record_queue_depths(found)
    log.debug("queue depths %s", found)
    return found
