"""A double click acts once. Two helpers for the state side of it:

`while_busy("flag")` runs a handler with `self.flag` True, sent to the browser before the
work starts (a first yield), so the button bound to it (`loading=` / `disabled=`) is busy
and takes no more clicks; cleared when the handler ends, whatever happens.

    @rx.event
    @signed_in
    @while_busy("deleting")
    def delete_forever(self, uid: str, *, user: User): ...

A click already on its way (a double click's second) still arrives after the first is
done: the service or the handler must find the work done and do nothing (see
`is_repeat` for a form sent twice).
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import inspect
import json
import time  # wall time: the state may be restored in another process
from collections.abc import Callable

from dokvault.settings import get_settings

# How long after a successful submission the same form from the same tab is taken as its
# double click (two clicks are well under a second apart; a person typing again is not).
REPEAT_SECONDS = 10.0


def while_busy(flag: str) -> Callable[[Callable], Callable]:
    def wrap(handler: Callable) -> Callable:
        if inspect.iscoroutinefunction(handler):
            @functools.wraps(handler)
            async def run_async(self, *args, **kwargs):
                setattr(self, flag, True)
                yield
                try:
                    result = await handler(self, *args, **kwargs)
                finally:
                    setattr(self, flag, False)
                yield result
            return run_async

        @functools.wraps(handler)
        def run(self, *args, **kwargs):
            setattr(self, flag, True)
            yield
            try:
                result = handler(self, *args, **kwargs)
            finally:
                setattr(self, flag, False)
            yield result
        return run
    return wrap


def fingerprint(*parts) -> str:
    """A keyed digest of what was submitted, kept in a backend var instead of the values
    (a password form's fingerprint holds no password, nor anything to guess one from)."""
    key = hmac.new(get_settings().signing_key(), b"dokvault:double-click", hashlib.sha256)
    key.update(json.dumps(parts, sort_keys=True, default=str).encode())
    return key.hexdigest()


def is_repeat(last: str, current: str, now: float | None = None) -> bool:
    """`last` is "<fingerprint>@<time>" of the last successful submission (see
    `stamp`): True when `current` is the same submission again within REPEAT_SECONDS."""
    digest, _, at = last.partition("@")
    if not digest or digest != current:
        return False
    try:
        then = float(at)
    except ValueError:
        return False
    return ((time.time() if now is None else now) - then) <= REPEAT_SECONDS


def stamp(current: str, now: float | None = None) -> str:
    return f"{current}@{time.time() if now is None else now}"
