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


def _chain(exc: BaseException) -> list[BaseException]:
    """`exc` and the errors it was raised from."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and all(current is not seen for seen in chain):
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def is_outage(exc: BaseException) -> bool:
    """True when `exc`, or an error it was raised from, is an outage."""
    return any(_is_outage_itself(e) for e in _chain(exc))


def service_of(exc: BaseException) -> str | None:
    """Which service is away, in words for an operator: "the database", "the object
    store", "the broker"; None when it is no outage (or of nothing we can name)."""
    for e in _chain(exc):
        if not _is_outage_itself(e):
            continue
        if isinstance(e, sqlalchemy.exc.SQLAlchemyError):
            return "the database"
        if isinstance(e, urllib3.exceptions.HTTPError | S3Error | ServerError | InvalidResponseError):
            return "the object store"
        if isinstance(e, redis.exceptions.RedisError | BrokerConnectionError):
            return "the broker"
    return "a service" if is_outage(exc) else None
