"""Probe the database, the object store and (when configured) Redis."""

from __future__ import annotations

import logging

import redis
from sqlalchemy import text

from dokvault import db
from dokvault.settings import get_settings
from dokvault.storage.objects import get_object_store

log = logging.getLogger(__name__)


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


def _redis() -> None:
    client = redis.Redis.from_url(get_settings().redis_url, socket_timeout=2, socket_connect_timeout=2)
    try:
        client.ping()
    finally:
        client.close()


def health() -> dict:
    checks = {
        "database": _probe("database", _database),
        "object_store": _probe("object_store", lambda: get_object_store().check()),
    }
    if get_settings().redis_url:
        checks["redis"] = _probe("redis", _redis)
    status = "ok" if all(v == "ok" for v in checks.values()) else "degraded"
    return {"status": status, "checks": checks}
