"""Probe the database, the object store and (when configured) Redis, and say whether work
moves: the oldest pending document, and on Redis whether each queue is being consumed."""

from __future__ import annotations

import json
import logging
import time
from datetime import timedelta

import redis
from sqlalchemy import text
from sqlmodel import col, func, select

from dokvault import db
from dokvault.core.jobs import CONSUMED_KEY, QUEUES
from dokvault.models import Document
from dokvault.models.base import utcnow
from dokvault.models.documents import PENDING_STATUSES
from dokvault.settings import get_settings
from dokvault.storage.objects import get_object_store

log = logging.getLogger(__name__)
# Dramatiq's Redis broker (its default namespace): a queue is a list of message ids (pushed
# at the right, taken from the left) with the messages in a hash beside it. Its heartbeats
# are no sign of a consumer: every broker that sends a message stamps one too. A message a
# dead worker had taken goes back to the queue once its heartbeat is stale, and ages there.
NAMESPACE = "dramatiq"


def _probe(name: str, check) -> str:
    try:
        check()
        return "ok"
    except Exception as exc:
        log.warning("health check %s failed: %s", name, type(exc).__name__)
        return "error"


def _database() -> None:
    with db.get_engine().connect() as conn:
        conn.execute(text("SELECT 1"))


def _client() -> redis.Redis:
    return redis.Redis.from_url(get_settings().redis_url, socket_timeout=2, socket_connect_timeout=2)


def _redis() -> None:
    client = _client()
    try:
        client.ping()
    finally:
        client.close()


def stuck_documents(bound: timedelta) -> list[str]:
    """Why documents are stuck: the number pending for longer than `bound` while none has
    finished within it (a long import being worked through is not stuck)."""
    since = utcnow() - bound
    with db.session() as s:
        count = s.exec(select(func.count()).select_from(Document).where(
            col(Document.status).in_([str(p) for p in PENDING_STATUSES]),
            col(Document.deleted_at).is_(None), col(Document.created_at) < since)).one()
        moving = count and s.exec(select(Document.id).where(
            col(Document.processed_at) >= since).limit(1)).first() is not None
    return [f"documents_stuck:{count}"] if count and not moving else []


def unconsumed_queues(bound: timedelta) -> list[str]:
    """Queues whose oldest message has waited longer than `bound` while no worker finished
    one of theirs within it: nobody consumes them."""
    client = _client()
    reasons = []
    try:
        now_ms = time.time() * 1000
        late_ms = now_ms - bound.total_seconds() * 1000
        for queue in QUEUES:
            name = f"{NAMESPACE}:{queue}"
            oldest_id = client.lindex(name, 0)
            if oldest_id is None:
                continue
            raw = client.hget(f"{name}.msgs", oldest_id)
            sent_ms = json.loads(raw).get("message_timestamp", now_ms) if raw else now_ms
            consumed_ms = float(client.get(CONSUMED_KEY.format(queue=queue)) or 0)
            if sent_ms < late_ms and consumed_ms < late_ms:
                reasons.append(f"queue_not_consumed:{queue}")
    finally:
        client.close()
    return reasons


def health() -> dict:
    settings = get_settings()
    checks = {
        "database": _probe("database", _database),
        "object_store": _probe("object_store", lambda: get_object_store().check()),
    }
    if settings.redis_url:
        checks["redis"] = _probe("redis", _redis)
    reasons = [f"{name}_error" for name, value in checks.items() if value != "ok"]
    bound = timedelta(minutes=settings.stuck_after_minutes)
    if checks["database"] == "ok":
        reasons += _reasons("work", lambda: stuck_documents(bound))
    # On the embedded default the worker lives in this process: a queue is always consumed.
    if settings.redis_url and checks["redis"] == "ok":
        reasons += _reasons("queues", lambda: unconsumed_queues(bound))
    return {"status": "degraded" if reasons else "ok", "checks": checks, "reasons": reasons}


def _reasons(name: str, find) -> list[str]:
    try:
        return find()
    except Exception as exc:
        log.warning("health check %s failed: %s", name, type(exc).__name__)
        return [f"{name}_error"]
