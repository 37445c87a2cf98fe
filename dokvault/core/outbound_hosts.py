"""The hosts an admin allows the outbound guard to reach over plain http or at an internal
address (an on-premises Nextcloud), besides the operator's OUTBOUND_ALLOWED_HOSTS. Stored in
one AppSetting row (written by services/admin/outbound_hosts.py, validated and audited there)
and read here by the guard (core/net.py's Policy) in the app and in every worker, cached
CACHE_SECONDS per process; the process that saves forgets its copy at once. A database that
cannot be read adds nothing: the guard is then only as open as the settings say."""

from __future__ import annotations

import logging
import threading
import time

from sqlalchemy.exc import SQLAlchemyError

from dokvault import db
from dokvault.core.caches import before_reset
from dokvault.models import AppSetting
from dokvault.settings import HostEntry, host_entry

log = logging.getLogger(__name__)
KEY = "outbound.allowed_hosts"
CACHE_SECONDS = 10.0

_lock = threading.Lock()
_cached: tuple[float, tuple[HostEntry, ...]] | None = None


def stored() -> list[str]:
    """The hosts as the admin wrote them, one per entry."""
    with db.session() as s:
        row = s.get(AppSetting, KEY)
    return [h for h in (row.value.split(",") if row else []) if h]


def entries() -> tuple[HostEntry, ...]:
    """The admin's hosts as the guard matches them (cached)."""
    global _cached
    with _lock:
        if _cached is not None and time.monotonic() - _cached[0] < CACHE_SECONDS:
            return _cached[1]
    try:
        hosts = stored()
    except SQLAlchemyError as exc:  # no database yet (a unit test, the first start): nothing more
        log.debug("allowed hosts not read: %s", type(exc).__name__)
        hosts = []
    parsed = []
    for host in hosts:
        try:
            parsed.append(host_entry(host))
        except ValueError:  # written by hand into the database: left out, never widened
            log.warning("an allowed host in the database is not valid and is ignored")
    found = tuple(parsed)
    with _lock:
        _cached = (time.monotonic(), found)
    return found


@before_reset
def forget() -> None:
    """Read the hosts again at their next use (after a change)."""
    global _cached
    with _lock:
        _cached = None
