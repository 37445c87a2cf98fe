"""The analytics views by name, each answered from SQL and cached briefly per viewer
scope and filters: the page asks for the charts the viewer may see."""

from __future__ import annotations

import copy
import logging
import threading
from collections.abc import Callable

from cachetools import TTLCache

from dokvault.models import User
from dokvault.services.access import Forbidden
from dokvault.services.analytics import dashboard, documents, operations, reviews, scope, signins, syncs
from dokvault.services.analytics.charts import Chart
from dokvault.services.analytics.filters import Filters

log = logging.getLogger(__name__)
CACHE_SECONDS = 30

VIEWS: dict[str, Callable[[User, Filters], Chart]] = {
    "documents_by_type": lambda u, f: documents.over_time(u, f, "type"),
    "documents_by_office": lambda u, f: documents.over_time(u, f, "office"),
    "documents_by_user": lambda u, f: documents.over_time(u, f, "user"),
    "storage_by_office": lambda u, f: documents.storage(u, f, "office"),
    "storage_by_type": lambda u, f: documents.storage(u, f, "type"),
    "processing": operations.processing_times,
    "queue_depth": lambda u, f: operations.queue_depth(f),
    "acceptance_by_provider": lambda u, f: reviews.acceptance(u, f, "provider"),
    "acceptance_by_field": lambda u, f: reviews.acceptance(u, f, "field"),
    "sign_ins": signins.sign_ins,
    "sync_history": lambda u, f: syncs.history(f),
}
ADMIN_ONLY = {"queue_depth", "sync_history"}  # system-wide: not scoped to anyone's documents

_cache: TTLCache = TTLCache(maxsize=1024, ttl=CACHE_SECONDS)
_lock = threading.Lock()


def views_for(user: User) -> list[str]:
    """The views this user may open, in the page's order."""
    return [name for name in VIEWS if name not in ADMIN_ONLY or scope.is_admin(user)]


def chart(user: User, name: str, filters: Filters) -> Chart:
    """One view for this viewer and these filters; the same viewer scope and filters within
    CACHE_SECONDS get the same answer without a query."""
    if name not in VIEWS:
        raise KeyError(name)
    if name in ADMIN_ONLY and not scope.is_admin(user):
        raise Forbidden()
    key = (name, scope.viewer_key(user), filters)
    with _lock:
        cached = _cache.get(key)
    if cached is None:
        cached = VIEWS[name](user, filters)
        with _lock:
            _cache[key] = cached
    return copy.deepcopy(cached)  # the caller may change its copy


def forget() -> None:
    """Drop every cached answer (tests, and after a bulk change), the dashboards' too."""
    with _lock:
        _cache.clear()
    dashboard.forget()
