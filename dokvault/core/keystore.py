"""Keys that expire: revoked token ids, used one-time codes.

Redis in production (TTL = the key's lifetime); a database table on the embedded
default, so a restart forgets nothing.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from dokvault import db
from dokvault.core.redis_client import redis_client
from dokvault.models import ExpiringKey
from dokvault.models.base import utcnow

log = logging.getLogger(__name__)
PREFIX = "dokvault:key:"


def claim(key: str, ttl_seconds: int) -> bool:
    """Store `key` for `ttl_seconds` if it is not stored yet. True if this call stored it,
    False if it was already there (a replay)."""
    client = redis_client()
    if client is not None:
        return bool(client.set(PREFIX + key, b"1", nx=True, ex=max(1, ttl_seconds)))
    now = utcnow()
    with db.session() as s:
        s.exec(delete(ExpiringKey).where(col(ExpiringKey.key) == key,
                                         col(ExpiringKey.expires_at) <= now))
        s.add(ExpiringKey(key=key, expires_at=now + timedelta(seconds=ttl_seconds)))
        try:
            s.commit()
        except IntegrityError:
            s.rollback()
            return False
    return True


def exists(key: str) -> bool:
    client = redis_client()
    if client is not None:
        return bool(client.exists(PREFIX + key))
    with db.session() as s:
        row = s.get(ExpiringKey, key)
        return row is not None and row.expires_at > utcnow()


def purge_expired() -> int:
    """Drop expired rows (the embedded table; Redis expires keys itself)."""
    if redis_client() is not None:
        return 0
    with db.session() as s:
        result = s.exec(delete(ExpiringKey).where(col(ExpiringKey.expires_at) <= utcnow()))
        s.commit()
    purged = result.rowcount or 0
    if purged:
        log.info("purged %s expired keys", purged)
    return purged
