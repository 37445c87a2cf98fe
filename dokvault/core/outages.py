"""Is this error an outage (a service away for a while) rather than a fault of the file?
The database, the object store or the broker unreachable, a timeout, a 5xx: the work is
tried again later and the document waits; anything else is the document's own error."""

from __future__ import annotations

import redis.exceptions
import sqlalchemy.exc
import urllib3.exceptions
from dramatiq.errors import ConnectionError as BrokerConnectionError
from minio.error import InvalidResponseError, S3Error, ServerError

# S3 error codes that say "later", not "never".
_S3_BUSY = {"SlowDown", "ServiceUnavailable", "InternalError", "RequestTimeout", "ServiceBusy"}
_OUTAGES = (
    sqlalchemy.exc.OperationalError,  # connection refused, server restarting, timeout
    sqlalchemy.exc.InterfaceError,
    urllib3.exceptions.HTTPError,  # refused, reset, timed out, retries exhausted on 5xx
    ServerError,
    InvalidResponseError,  # a proxy's HTML page instead of S3's answer
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    BrokerConnectionError,
    ConnectionError,
    TimeoutError,
)


def _is_outage_itself(exc: BaseException) -> bool:
    if isinstance(exc, S3Error):
        return exc.code in _S3_BUSY
    if isinstance(exc, sqlalchemy.exc.DBAPIError) and exc.connection_invalidated:
        return True
    return isinstance(exc, _OUTAGES)


def is_outage(exc: BaseException) -> bool:
    """True when `exc`, or an error it was raised from, is an outage."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if _is_outage_itself(current):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False
