"""Leases: a name only one holder may have at a time, across threads and processes.

In production a Redis key with a time to live, renewed while it is held (redis-py's
Lock): a holder that dies stops renewing and the key expires, so another takes over
after `ttl` seconds at most. On the embedded default an flock on a file in the data
folder: the kernel gives it back the moment its process ends, and a second process on
the same data folder (or a second holder in this one) is refused meanwhile.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Protocol

import redis
from redis.exceptions import LockError
from redis.lock import Lock

from dokvault.core.redis_client import redis_client
from dokvault.settings import get_settings

log = logging.getLogger(__name__)
PREFIX = "dokvault:lease:"


class Lease(Protocol):
    name: str
    ttl: float  # seconds a Redis lease lives unrenewed; holders renew every third of it

    def acquire(self) -> bool: ...
    def renew(self) -> bool: ...  # True while it is still ours (its time starts again)
    def release(self) -> None: ...


class RedisLease:
    def __init__(self, client: redis.Redis, name: str, ttl: float):
        self.name, self.ttl = name, ttl
        # Not thread-local: a lease is taken by one thread and renewed by another.
        self._lock = Lock(client, PREFIX + name, timeout=ttl, thread_local=False)

    def acquire(self) -> bool:
        try:
            return self._lock.acquire(blocking=False)
        except redis.RedisError as exc:
            log.warning("lease %s not taken: Redis unreachable (%s)", self.name, type(exc).__name__)
            return False

    def renew(self) -> bool:
        try:
            return self._lock.reacquire()  # checks the token and resets the TTL in one script
        except LockError:
            return False  # expired, and perhaps someone else's now
        except redis.RedisError as exc:
            log.warning("lease %s not renewed: Redis unreachable (%s)", self.name, type(exc).__name__)
            return False

    def release(self) -> None:
        with contextlib.suppress(LockError, redis.RedisError):  # expired already: nothing to give back
            self._lock.release()


class FileLease:
    def __init__(self, path: Path, name: str, ttl: float):
        self.path, self.name, self.ttl = path, name, ttl
        self._file: IO[bytes] | None = None
        self._mutex = threading.Lock()

    def acquire(self) -> bool:
        with self._mutex:
            if self._file is not None:
                return True
            self.path.parent.mkdir(parents=True, exist_ok=True)
            file = self.path.open("ab")  # never truncated: it holds nothing, the lock is the point
            try:
                # Per open file: another holder in this process is refused as another process is.
                fcntl.flock(file, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                file.close()
                return False
            self._file = file
            return True

    def renew(self) -> bool:
        return self._file is not None  # the kernel keeps it until it is released or we die

    def release(self) -> None:
        with self._mutex:
            if self._file is not None:
                self._file.close()  # closing the file gives the lock back
                self._file = None


def lease(name: str, ttl: float = 30.0) -> Lease:
    """The lease `name`: in Redis when REDIS_URL is set, else a file in the data folder."""
    client = redis_client()
    if client is not None:
        return RedisLease(client, name, ttl)
    return FileLease(get_settings().data_dir / "locks" / f"{name}.lock", name, ttl)


@contextlib.contextmanager
def held(name: str, ttl: float = 60.0) -> Iterator[bool]:
    """Hold the lease `name` for the block when it is free (True), renewed in the
    background meanwhile; False at once when another holder has it."""
    current = lease(name, ttl)
    if not current.acquire():
        yield False
        return
    done = threading.Event()

    def keep() -> None:
        while not done.wait(ttl / 3):
            if not current.renew():
                log.error("lease %s lost while held: another holder may start", name)
                return

    keeper = threading.Thread(target=keep, name=f"lease-{name}", daemon=True)
    keeper.start()
    try:
        yield True
    finally:
        done.set()
        keeper.join()
        current.release()
