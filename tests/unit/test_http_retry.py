"""The retry loop the HTTP adapters share (core/http_retry.py): Retry-After read as seconds
or an HTTP date, busy answers and dropped connections tried again within the bounds, a 401
renewed once, the guard's refusal never retried, every call logged without its query."""

from __future__ import annotations

import asyncio
import email.utils
import logging
import time

import httpx2
import pytest

from dokvault.core import http_retry, net

log = logging.getLogger("tests.http_retry")


def test_retry_after_is_seconds_or_a_date():
    assert http_retry.retry_after({"retry-after": "3"}) == 3.0
    assert http_retry.retry_after({"retry-after": "-5"}) == 0.0
    soon = email.utils.formatdate(time.time() + 30, usegmt=True)
    assert 25 < http_retry.retry_after({"retry-after": soon}) <= 30
    assert http_retry.retry_after({"retry-after": "tomorrow"}) is None
    assert http_retry.retry_after({}) is None
    assert all(0.375 <= http_retry.backoff(1) <= 0.5 for _ in range(20))
    assert http_retry.backoff(10) <= 8.0


def run(answers: list, **kwargs) -> tuple[http_retry.Reply, list[str]]:
    """call() against a transport answering `answers` in turn (a status, (status, headers),
    or an exception to raise)."""
    seen: list[str] = []

    def handle(request: httpx2.Request) -> httpx2.Response:
        seen.append(request.headers.get("authorization", ""))
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        status, headers = answer if isinstance(answer, tuple) else (answer, {})
        return httpx2.Response(status, headers=headers, request=request)

    async def go():
        async with httpx2.AsyncClient(transport=httpx2.MockTransport(handle)) as client:
            return await http_retry.call(lambda: client.get("https://api.example/v1/x?key=secret"),
                                         log=log, system="test", method="GET", path="/v1/x", **kwargs)
    return asyncio.run(go()), seen


def test_busy_answers_and_dropped_connections_are_tried_again(caplog):
    caplog.set_level(logging.INFO, "tests.http_retry")
    reply, seen = run([(429, {"Retry-After": "0"}), 503, httpx2.ConnectError("reset"), 200])
    assert reply.accepted and reply.status == 200 and reply.attempts == 4 and len(seen) == 4
    assert "test GET /v1/x status=200" in caplog.text and "secret" not in caplog.text


def test_retrying_stops_at_its_bounds_and_says_why():
    reply, _ = run([500, 500, 500], max_retries=1)
    assert not reply.accepted and reply.status == 500 and reply.attempts == 2
    reply, _ = run([(503, {"Retry-After": "120"})], max_wait=60)  # would wait too long: not at all
    assert not reply.accepted and reply.attempts == 1
    reply, _ = run([httpx2.ReadTimeout("slow")], max_retries=0)
    assert reply.response is None and reply.problem == "timed out"
    reply, _ = run([404])  # not a busy answer: no retry
    assert not reply.accepted and reply.attempts == 1


def test_a_401_is_renewed_once():
    renewed: list[int] = []

    async def renew(status: int) -> bool:
        if status == 401 and not renewed:
            renewed.append(status)
            return True
        return False

    reply, seen = run([401, 200], renew=renew)
    assert reply.accepted and renewed == [401] and len(seen) == 2
    renewed.clear()
    reply, _ = run([401, 401], renew=renew)
    assert not reply.accepted and reply.status == 401 and reply.attempts == 2


def test_the_guards_refusal_is_never_retried():
    refused = net.OutboundRefused("error.outbound_internal", "10.0.0.1", "private")
    wrapped = httpx2.ConnectError("refused")
    wrapped.__cause__ = refused
    with pytest.raises(net.OutboundRefused):
        run([wrapped, 200])
