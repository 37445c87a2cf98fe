"""Rate limits per account, device cookie, session and IP, with the `limits` library:
Redis storage in production (shared by every process), memory on the embedded default.
Scopes: the account (shared by every client without a device cookie for it), a device cookie
(dokvault.services.auth.devices), a signed-in session, and the client IP."""

from __future__ import annotations

import hashlib
import logging
import math
import time
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from dokvault.core.caches import per_settings
from dokvault.settings import get_settings

log = logging.getLogger(__name__)


class Policy:
    """What one operation allows, per scope: `Policy("sign_in", account="10/15 minutes")`.
    Each policy lives in the service that owns the operation; this module only counts."""

    def __init__(self, name: str, **rules: str) -> None:
        self.name = name
        self.rules = MappingProxyType(rules)

    def __repr__(self) -> str:
        return f"Policy({self.name!r}, {dict(self.rules)!r})"

    def limit(self, scope: str) -> int:
        """How many attempts `scope` allows per window."""
        return _item(self.rules[scope]).amount


@dataclass(frozen=True)
class Limited:
    """A refused attempt: try again in `retry_after` seconds."""

    retry_after: int


@per_settings
def _limiter() -> MovingWindowRateLimiter:
    url = get_settings().redis_url
    return MovingWindowRateLimiter(storage_from_string(url if url else "memory://"))


@lru_cache
def _item(rule: str) -> RateLimitItem:
    return parse(rule)


def _key(value: str) -> str:
    # Hash identifiers: e-mail addresses never sit in Redis in the clear.
    return hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]


def hit(policy: Policy, **scopes: str) -> Limited | None:
    """Count one attempt in each scope given (`account=email, ip=...`, scopes as in the
    policy); None if allowed, else how long to wait."""
    limiter = _limiter()
    for scope, value in scopes.items():
        if not value:
            continue
        item = _item(policy.rules[scope])
        key = (policy.name, scope, _key(value))
        if not limiter.hit(item, *key):
            reset_at = limiter.get_window_stats(item, *key).reset_time
            log.warning("rate limit %s/%s reached", policy.name, scope)
            return Limited(retry_after=max(1, math.ceil(reset_at - time.time())))
    return None


def reset(policy: Policy, **scopes: str) -> None:
    """Forget the attempts in the scopes given (after a success: `account=email`)."""
    for scope, value in scopes.items():
        if value:
            _limiter().clear(_item(policy.rules[scope]), policy.name, scope, _key(value))
