"""Shared fixtures. `embedded` gives a fresh embedded DokVault (SQLite, object folder,
in-process Dramatiq worker) in a temporary data directory."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from dramatiq import Worker
from dramatiq.brokers.stub import StubBroker


def pytest_configure(config):
    os.environ.setdefault("REFLEX_TELEMETRY_ENABLED", "false")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if worker:  # a parallel worker builds and serves the frontend from a folder of its own
        root = Path(__file__).resolve().parent.parent
        os.environ["REFLEX_WEB_WORKDIR"] = str(root / f".web-{worker}")


@pytest.fixture(autouse=True)
def _no_event_loop_left_by_the_browser(request):
    """Playwright's sync API marks its event loop as running in this thread between calls,
    and the browser lives for the whole session: on an xdist worker that ran a browser test
    first, `asyncio.run` in a later test would refuse to start. Tests that do not drive the
    browser run without that mark; it is put back afterwards for the browser's sake."""
    loop = asyncio._get_running_loop()
    if loop is None or "e2e" in request.node.path.parts:
        yield
        return
    asyncio._set_running_loop(None)
    try:
        yield
    finally:
        asyncio._set_running_loop(loop)


@pytest.fixture
def clean_env(monkeypatch, tmp_path) -> Path:
    """No production settings leak in; the data dir is a fresh temp folder."""
    from dokvault.core.caches import reset_caches
    from dokvault.settings import Settings

    for name in Settings.model_fields:  # nothing from the shell or an .env file leaks in
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.setitem(Settings.model_config, "env_file", None)
    data = tmp_path / "data"
    monkeypatch.setenv("DOKVAULT_DATA_DIR", str(data))
    monkeypatch.setenv("HIBP_ENABLED", "false")  # never the internet; `hibp_fake` opts in
    reset_caches()
    yield data
    reset_caches()


@pytest.fixture
def allow_outbound(clean_env, monkeypatch):
    """`allow_outbound("127.0.0.1:8080", ...)` adds hosts to OUTBOUND_ALLOWED_HOSTS, as an
    operator would: the local fakes are internal addresses the outbound guard refuses."""
    from dokvault.core.caches import reset_caches

    def allow(*entries: str) -> None:
        current = [e for e in os.environ.get("OUTBOUND_ALLOWED_HOSTS", "").split(",") if e]
        monkeypatch.setenv("OUTBOUND_ALLOWED_HOSTS", ",".join([*current, *entries]))
        reset_caches()

    return allow


@pytest.fixture
def hibp_fake(clean_env, monkeypatch):
    """A local Pwned Passwords range server, with HIBP_URL pointing at it and the check on.
    `hibp_fake.add(password)` makes a password pwned; `.status = 503`; `.go_down()`."""
    from dokvault.core.caches import reset_caches
    from tests.fakes.hibp import HibpFake

    with HibpFake() as fake:
        monkeypatch.setenv("HIBP_URL", fake.url)
        monkeypatch.setenv("HIBP_ENABLED", "true")
        reset_caches()
        yield fake


@pytest.fixture
def stub_worker() -> Iterator[StubBroker]:
    """A fresh in-memory broker with a running worker, as on the embedded default."""
    import workers.embedded  # noqa: F401  (every actor, declared before the worker starts)
    from dokvault.core.jobs import rebind

    broker = rebind(StubBroker())
    broker.emit_after("process_boot")
    worker = Worker(broker, worker_threads=2, worker_timeout=100)
    worker.start()
    yield broker
    worker.stop()


@pytest.fixture
def embedded(clean_env, stub_worker) -> Path:
    from dokvault.migrations import upgrade_database

    upgrade_database()
    return clean_env


@pytest.fixture
def admin(embedded):
    from dokvault import db
    from dokvault.services.auth import accounts

    with db.session() as s:
        return accounts.create_first_admin(s, "admin@example.no", "correct horse battery")
