"""One call to an outside HTTP API that may be busy, tried again as such APIs ask: the loop
the httpx2 adapters share (Vitec Megler Hub, Microsoft Graph), and the Retry-After reading
the `requests` ones use too (OneDrive).

- 408, 429, 5xx, timeouts and dropped connections are tried again: after what Retry-After
  says when the answer says (seconds or an HTTP date), else after an exponential backoff
  with jitter; at most `max_retries` times again and `max_wait` seconds of waiting in all.
- `renew(status)` may fix an answer once and ask for an immediate retry (a 401: a fresh
  token).
- Every call is logged by the caller's logger with system, method, path, status, duration
  and attempts; never a header or a query (keys and tokens travel there).
- The outbound guard's refusal is never retried: raised as net.OutboundRefused.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

import httpx2

from dokvault.core import net

RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})


def retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds a Retry-After header asks to wait (a number or an HTTP date), None without one."""
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        try:
            return max(email.utils.parsedate_to_datetime(value).timestamp() - time.time(), 0.0)
        except (TypeError, ValueError):
            return None


def backoff(attempt: int) -> float:
    """0.5 s, 1, 2, 4, then 8 at most, each within a quarter below."""
    return min(0.5 * 2 ** (attempt - 1), 8.0) * (0.75 + random.random() / 4)  # noqa: S311


@dataclass
class Reply:
    """How the call ended: `response` when it answered (accepted or not), else `problem`."""

    response: httpx2.Response | None
    status: int | None
    problem: str
    attempts: int
    accepted: bool


async def call(send: Callable[[], Awaitable[httpx2.Response]], *, log: logging.Logger, system: str,
               method: str, path: str, max_retries: int = 4, max_wait: float = 60.0,
               accept: Callable[[int], bool] = lambda status: status < 400,
               renew: Callable[[int], Awaitable[bool]] | None = None) -> Reply:
    """`send()` until an answer is accepted or retrying is over. Raises OutboundRefused."""
    started, waited, attempt = time.monotonic(), 0.0, 0
    while True:
        attempt += 1
        response, status, problem = None, None, ""
        try:
            response = await send()
            status = response.status_code
        except httpx2.TimeoutException:
            problem = "timed out"
        except httpx2.TransportError as exc:
            if (refused := net.refusal(exc)) is not None:
                raise refused from None
            problem = f"cannot connect ({type(exc).__name__})"
        elapsed = (time.monotonic() - started) * 1000
        if status is not None and accept(status):
            log.info("%s %s %s status=%s ms=%.0f attempts=%d", system, method, path, status, elapsed,
                     attempt)
            return Reply(response, status, "", attempt, True)
        if status is not None and renew is not None and await renew(status):
            continue
        wait = None
        if status is None or status in RETRY_STATUSES:
            wait = retry_after(response.headers) if response is not None else None
            if wait is None:
                wait = backoff(attempt)
            if attempt > max_retries or waited + wait > max_wait:
                wait = None
        log.warning("%s %s %s status=%s ms=%.0f attempt=%d%s", system, method, path, status or problem,
                    elapsed, attempt, f" retry_in_s={wait:.2f}" if wait is not None else "")
        if wait is None:
            return Reply(response, status, problem, attempt, False)
        await asyncio.sleep(wait)
        waited += wait
