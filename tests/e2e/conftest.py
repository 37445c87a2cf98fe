"""Browser tests: the real app (`dokvault run`) in a subprocess, driven by headless Chromium.

`app` is parametrised over the two ways DokVault runs: the embedded default and
production (PostgreSQL roles + Redis + S3 + a separate Dramatiq worker process).
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import expect

from tests import servers
from tests.fakes.hibp import HibpFake

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
MAX_UPLOAD_MB = 2
LOG_SUFFIX = f"-{servers.WORKER}" if servers.WORKER else ""  # parallel workers log apart

pytestmark = pytest.mark.e2e
# What a person waits for (a page, a toast) may take a few seconds on a loaded 2-core CI
# machine (Argon2 hashes, OCR in the same process): wait up to 15 s, not Playwright's 5.
expect.set_options(timeout=15_000)


@dataclass
class RunningApp:
    mode: str
    url: str
    data_dir: Path
    log_path: Path
    env: dict[str, str]
    mail: servers.SmtpCapture | None = None  # the SMTP server the app sends its mail to

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def command(self, *args: str, input: str | None = None) -> subprocess.CompletedProcess:
        """Run the `dokvault` command against this app's database and storage."""
        return subprocess.run([str(Path(sys.executable).with_name("dokvault")), *args],
                              cwd=ROOT, env=self.env, input=input, capture_output=True,
                              text=True, timeout=120, check=True)


def _settings_free_env() -> dict[str, str]:
    from dokvault.settings import Settings

    env = {k: v for k, v in os.environ.items() if k.lower() not in Settings.model_fields}
    tools = ROOT / ".tools" / "node_modules" / ".bin"
    env["PATH"] = f"{tools}{os.pathsep}{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    env["MAX_UPLOAD_MB"] = str(MAX_UPLOAD_MB)
    return env


_run_port: list[int] = []


def app_port() -> int:
    """The port of this run's apps: one for all of them while it is free. The frontend
    build bakes its port in, so apps on one port share one build (a start then takes a few
    seconds instead of a build's 15-30); an app started while another runs gets its own."""
    if not _run_port:
        _run_port.append(servers.free_port())
    with socket.socket() as probe:
        # As the server binds: connections of the last app left in TIME_WAIT do not count.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", _run_port[0]))
        except OSError:
            return servers.free_port()
    return _run_port[0]


def _start_app(mode: str, env: dict[str, str], data_dir: Path,
               mail: servers.SmtpCapture | None = None, port: int | None = None,
               ) -> tuple[subprocess.Popen, RunningApp]:
    port = port or app_port()
    # FRONTEND_URL: the address the browser opens, the only origin the app accepts.
    env = {"FRONTEND_URL": f"http://localhost:{port}", **env, "PORT": str(port),
           "DOKVAULT_DATA_DIR": str(data_dir)}
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log_path = ARTIFACTS / f"app-{mode}{LOG_SUFFIX}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [str(Path(sys.executable).with_name("dokvault")), "run"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
    app = RunningApp(mode, f"http://localhost:{port}", data_dir, log_path, env, mail)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the app exited during start-up:\n{app.log()[-4000:]}", pytrace=False)
        try:
            if httpx.get(f"{app.url}/health", timeout=2).status_code == 200 and \
                    httpx.get(f"{app.url}/", timeout=2).status_code == 200:
                return process, app
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    _stop(process)
    pytest.fail(f"the app did not start in time:\n{app.log()[-4000:]}", pytrace=False)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)


@pytest.fixture(scope="module")
def hibp_server() -> Iterator[HibpFake]:
    """The app's Pwned Passwords range API: a local fake, never the internet.
    `hibp_server.add(password)` makes a password pwned."""
    with HibpFake() as fake:
        yield fake


@pytest.fixture(scope="module", params=["embedded", "production"])
def app(request, tmp_path_factory, hibp_server) -> Iterator[RunningApp]:
    with running_app(request.param, tmp_path_factory, hibp_server) as running:
        yield running


@contextlib.contextmanager
def running_app(mode: str, tmp_path_factory, hibp_server, settings: dict[str, str] | None = None
                ) -> Iterator[RunningApp]:
    """The app in `mode`, with `settings` (environment variables) on top of the tests' own."""
    data_dir = tmp_path_factory.mktemp(f"data-{mode}")
    env = _settings_free_env()
    env["HIBP_URL"] = hibp_server.url
    env.update(settings or {})
    workers = []
    # Every app mails through a capturing SMTP server (STARTTLS + AUTH): `app.mail`.
    with _production_servers(mode) as production_env, \
            servers.SmtpCapture(tmp_path_factory.mktemp(f"smtp-{mode}")) as mail:
        env.update(production_env)
        env.update(mail.env())
        if mode == "production":  # the app migrates at start; the workers run beside it
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            workers = [servers.WorkerProcess(ARTIFACTS / f"worker-production{LOG_SUFFIX}.log")]
            for worker in workers:
                worker.start({**env, "DOKVAULT_DATA_DIR": str(data_dir)})
        process, running = _start_app(mode, env, data_dir, mail)
        try:
            yield running
        finally:
            _stop(process)
            for worker in workers:
                worker.stop()


class _production_servers:
    """PostgreSQL roles + Redis + moto S3 for production mode; nothing for embedded."""

    def __init__(self, mode: str):
        self.mode = mode
        self.database = None
        self.moto = None

    def __enter__(self) -> dict[str, str]:
        if self.mode != "production":
            return {}
        servers.require_postgres()
        redis = servers.require_redis(servers.REDIS_TEST_URL)
        redis.flushdb()
        redis.close()
        self.database = servers.create_database_with_roles()
        self.moto = servers.moto_server()
        s3 = self.moto.__enter__()
        settings = s3.dokvault_settings("dokvault-e2e")
        return {
            "DATABASE_URL": self.database.app_url,
            "DATABASE_MIGRATE_URL": self.database.migrate_url,
            "REDIS_URL": servers.REDIS_TEST_URL,
            **{k.upper(): v for k, v in settings.items()},
        }

    def __exit__(self, *exc) -> None:
        if self.moto is not None:
            self.moto.__exit__(None, None, None)
        if self.database is not None:
            from dokvault.core.caches import reset_caches

            reset_caches()
            servers.drop_database_with_roles(self.database)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        servers.unavailable(f"{CHROMIUM} is not installed (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, app):
    """A fresh browser tab; the test fails if the Content-Security-Policy refused anything."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True,
                                  locale="nb-NO")
    page = context.new_page()
    page.set_default_timeout(30_000)
    refused: list[str] = []
    page.on("console", lambda message: refused.append(message.text)
            if "Content Security Policy" in message.text else None)
    yield page
    context.close()
    assert not refused, f"the Content-Security-Policy refused: {refused}"


def shot(page, app: RunningApp, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{app.mode}-{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
