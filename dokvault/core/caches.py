"""Values built from the settings (engine, object store, keys, clients), cached per process
and forgotten together when the environment changes (tests, benchmarks, the CLI)."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from dokvault.settings import get_settings

_caches: list[Any] = []
_before_reset: list[Callable[[], None]] = []


def per_settings(fn: Callable | None = None, *, maxsize: int | None = 128):
    """lru_cache, registered to be cleared by `reset_caches`."""
    def wrap(f: Callable):
        cached = lru_cache(maxsize=maxsize)(f)
        _caches.append(cached)
        return cached
    return wrap(fn) if fn is not None else wrap


def before_reset(hook: Callable[[], None]) -> Callable[[], None]:
    """Run `hook` before the caches are cleared (to close what a cached value holds open)."""
    _before_reset.append(hook)
    return hook


def reset_caches() -> None:
    for hook in _before_reset:
        hook()
    get_settings.cache_clear()
    for cached in _caches:
        cached.cache_clear()
