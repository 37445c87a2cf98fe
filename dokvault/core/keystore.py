"""Keys that expire: revoked token ids, used one-time codes.

Redis in production (TTL = the key's lifetime); a database table on the embedded
default, so a restart forgets nothing.
"""

from __future__ import annotations

from datetime import timedelta

import redis
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from dokvault import db
from dokvault.core.caches import per_settings
from dokvault.models import ExpiringKey
from dokvault.models.base import utcnow
from dokvault.settings import get_settings

PREFIX = "dokvault:key:"


@per_settings
def _redis() -> redis.Redis | None:
    url = get_settings().redis_url
    return redis.Redis.from_url(url, socket_timeout=3) if url else None


def claim(key: str, ttl_seconds: int) -> bool:
    """Store `key` for `ttl_seconds` if it is not stored yet. True if this call stored it,
    False if it was already there (a replay)."""
    client = _redis()
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
    client = _redis()
    if client is not None:
        return bool(client.exists(PREFIX + key))
    with db.session() as s:
        row = s.get(ExpiringKey, key)
        return row is not None and row.expires_at > utcnow()


def purge_expired() -> int:
    """Drop expired rows (the embedded table; Redis expires keys itself)."""
    if _redis() is not None:
        return 0
    with db.session() as s:
        result = s.exec(delete(ExpiringKey).where(col(ExpiringKey.expires_at) <= utcnow()))
        s.commit()
        return result.rowcount or 0
