"""The Redis client for DokVault's own keys (expiring keys, leases), one per process;
None on the embedded default, where the data folder and the database stand in."""

from __future__ import annotations

import redis

from dokvault.core.caches import per_settings
from dokvault.settings import get_settings


@per_settings
def redis_client() -> redis.Redis | None:
    url = get_settings().redis_url
    return redis.Redis.from_url(url, socket_timeout=3, socket_connect_timeout=3) if url else None
