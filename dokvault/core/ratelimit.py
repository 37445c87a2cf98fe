"""Rate limits per account, device cookie, session and IP, with the `limits` library:
Redis storage in production (shared by every process), memory on the embedded default."""

from __future__ import annotations

import hashlib
import logging
import math
import time
from dataclasses import dataclass
from functools import lru_cache

from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from dokvault.core.caches import per_settings
from dokvault.settings import get_settings

log = logging.getLogger(__name__)

# What each action allows, per scope: the account (shared by every client without a device
# cookie for it), a device cookie (a browser that signed in to the account before, see
# dokvault.services.auth.devices), a signed-in session, and the client IP.
RULES: dict[str, dict[str, str]] = {
    "sign_in": {"account": "10/15 minutes", "device": "10/15 minutes", "ip": "30/15 minutes"},
    # The current password on the account page: guesses are counted per session, so
    # someone else's failed sign-ins never block the owner's change.
    "password_change": {"session": "10/15 minutes", "ip": "30/15 minutes"},
    "totp": {"account": "10/15 minutes", "ip": "30/15 minutes"},
    "backup_code": {"account": "5/15 minutes", "ip": "20/15 minutes"},
    "password_reset": {"account": "3/hour", "ip": "10/hour"},
}


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


def hit(action: str, **scopes: str) -> Limited | None:
    """Count one attempt in each scope given (`account=email, ip=...`, scopes as in RULES);
    None if allowed, else how long to wait."""
    limiter = _limiter()
    for scope, value in scopes.items():
        if not value:
            continue
        item = _item(RULES[action][scope])
        key = (action, scope, _key(value))
        if not limiter.hit(item, *key):
            reset_at = limiter.get_window_stats(item, *key).reset_time
            log.warning("rate limit %s/%s reached", action, scope)
            return Limited(retry_after=max(1, math.ceil(reset_at - time.time())))
    return None


def reset(action: str, **scopes: str) -> None:
    """Forget the attempts in the scopes given (after a success: `account=email`)."""
    for scope, value in scopes.items():
        _limiter().clear(_item(RULES[action][scope]), action, scope, _key(value))
