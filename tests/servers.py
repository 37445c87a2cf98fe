"""Real servers for the integration tests: PostgreSQL with DokVault's roles, Redis,
an S3 server (moto in-process, or s3rver) and a Dramatiq worker process.

Each helper either gives a working server or calls `unavailable`, which skips the
test on a developer machine and fails it on CI, so CI never passes by skipping.
"""

from __future__ import annotations

import logging
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ROLES_SQL = ROOT / "deploy" / "postgres" / "roles.sql"
S3RVER = ROOT / ".tools" / "node_modules" / ".bin" / "s3rver"

# Where the servers run; the defaults are this machine's (see shared/testing.md).
PG_HOST = os.environ.get("DOKVAULT_TEST_PG_HOST", "127.0.0.1")
PG_PORT = int(os.environ.get("DOKVAULT_TEST_PG_PORT", "5432"))
PG_SUPERUSER = os.environ.get("DOKVAULT_TEST_PG_SUPERUSER", "postgres")
REDIS_TEST_URL = os.environ.get("DOKVAULT_TEST_REDIS_URL", "redis://127.0.0.1:6379/5")


def on_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def unavailable(reason: str) -> None:
    """Skip locally, fail on CI: a missing server there is a broken pipeline."""
    if on_ci():
        pytest.fail(f"{reason} (CI=true: integration servers are required)", pytrace=False)
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen | None = None, timeout: float = 15) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            return False
        with socket.socket() as sock:
            sock.settimeout(0.2)
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return True
        time.sleep(0.05)
    return False


def stop_process(process: subprocess.Popen, timeout: float = 15) -> None:
    """SIGTERM the process we started (dramatiq passes it on to its workers: a graceful
    stop); if it hangs, SIGKILL its whole process group (started with a new session)."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)


# --- PostgreSQL ------------------------------------------------------------------


@dataclass(frozen=True)
class PgDatabase:
    name: str
    app_user: str
    app_password: str
    migrate_user: str
    migrate_password: str

    @property
    def app_url(self) -> str:
        return _url(self.app_user, self.app_password, self.name)

    @property
    def migrate_url(self) -> str:
        return _url(self.migrate_user, self.migrate_password, self.name)


def _url(user: str, password: str, database: str) -> str:
    return f"postgresql+psycopg://{user}:{password}@{PG_HOST}:{PG_PORT}/{database}"


def psql(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    """psql as the superuser; raises with psql's own message on any SQL error."""
    command = [
        "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1",
        "-h", PG_HOST, "-p", str(PG_PORT), "-U", PG_SUPERUSER, "-d", "postgres", *args,
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        raise RuntimeError(f"psql failed ({result.returncode}): {result.stderr.strip()}")
    return result


def require_postgres() -> None:
    if shutil.which("psql") is None:
        unavailable("psql is not installed (needed to run deploy/postgres/roles.sql)")
    try:
        psql("-c", "SELECT 1", timeout=10)
    except (RuntimeError, subprocess.TimeoutExpired) as exc:
        unavailable(f"PostgreSQL not reachable at {PG_HOST}:{PG_PORT} as {PG_SUPERUSER}: {exc}")


def run_roles_script(database: PgDatabase) -> None:
    """deploy/postgres/roles.sql, exactly as initdb.sh runs it."""
    psql(
        "-v", f"dbname={database.name}",
        "-v", f"app_user={database.app_user}",
        "-v", f"app_password={database.app_password}",
        "-v", f"migrate_user={database.migrate_user}",
        "-v", f"migrate_password={database.migrate_password}",
        "-f", str(ROLES_SQL),
    )


def create_database_with_roles() -> PgDatabase:
    """A fresh database and two fresh roles, made by the deploy script itself."""
    name = f"dokvault_it_{secrets.token_hex(4)}"
    database = PgDatabase(
        name=name,
        app_user=f"{name}_app",
        app_password=secrets.token_hex(16),
        migrate_user=f"{name}_migrate",
        migrate_password=secrets.token_hex(16),
    )
    run_roles_script(database)
    return database


def drop_database_with_roles(database: PgDatabase) -> None:
    # FORCE ends connections still held by a pool or a worker that died.
    psql(
        "-c", f'DROP DATABASE IF EXISTS "{database.name}" WITH (FORCE)',
        "-c", f'DROP ROLE IF EXISTS "{database.app_user}"',
        "-c", f'DROP ROLE IF EXISTS "{database.migrate_user}"',
    )


# --- Redis -----------------------------------------------------------------------


def require_redis(url: str):
    import redis

    client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        client.close()
        unavailable(f"Redis not reachable at {url}: {exc}")
    return client


# --- S3 --------------------------------------------------------------------------


@dataclass(frozen=True)
class S3Server:
    endpoint: str  # host:port, as MINIO_ENDPOINT takes it
    access_key: str
    secret_key: str

    @property
    def url(self) -> str:
        return f"http://{self.endpoint}"

    def dokvault_settings(self, bucket: str) -> dict[str, str]:
        """The MINIO_* settings that point DokVault at this server."""
        return {
            "minio_endpoint": self.endpoint,
            "minio_access_key": self.access_key,
            "minio_secret_key": self.secret_key,
            "minio_bucket": bucket,
            "minio_public_endpoint": self.url,
        }


@contextmanager
def moto_server() -> Iterator[S3Server]:
    """moto's S3 in a thread of this process. It checks neither signatures nor expiry."""
    try:
        from moto.server import ThreadedMotoServer
    except ImportError as exc:
        unavailable(f"moto is not installed: {exc}")
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request otherwise
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    if not wait_for_port(port, timeout=10):
        server.stop()
        unavailable(f"moto server did not listen on 127.0.0.1:{port}")
    try:
        yield S3Server(f"127.0.0.1:{port}", "dokvault-test", "dokvault-test-secret")
    finally:
        server.stop()


@contextmanager
def s3rver_server(directory: Path) -> Iterator[S3Server]:
    """s3rver (Node): unlike moto it refuses expired presigned URLs."""
    if not S3RVER.exists() or shutil.which("node") is None:
        unavailable(f"s3rver needs node and {S3RVER} (npm install --prefix .tools s3rver)")
    port = free_port()
    log_path = directory / "s3rver.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [str(S3RVER), "-d", str(directory / "data"), "-a", "127.0.0.1", "-p", str(port),
             "--silent"],
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
    try:
        if not wait_for_port(port, process):
            unavailable(f"s3rver did not start: {log_path.read_text(errors='replace')[-2000:]}")
        # s3rver's built-in account; it refuses any other access key.
        yield S3Server(f"127.0.0.1:{port}", "S3RVER", "S3RVER")
    finally:
        stop_process(process)


# --- Dramatiq worker -------------------------------------------------------------


def dramatiq_command(*args: str) -> list[str]:
    beside_python = Path(sys.executable).with_name("dramatiq")
    executable = str(beside_python) if beside_python.exists() else shutil.which("dramatiq")
    if executable is None:
        unavailable("the dramatiq command is not installed")
    return [executable, *args]


class WorkerProcess:
    """A real `dramatiq` worker process, as compose.yml runs it, logging to a file."""

    READY = "Worker process is ready for action."

    def __init__(self, log_path: Path, queue: str = "documents", threads: int = 2):
        self.log_path = log_path
        self.command = dramatiq_command(
            "workers.documents", "--queues", queue, "--processes", "1", "--threads", str(threads)
        )
        self.process: subprocess.Popen | None = None

    def start(self, env: dict[str, str], timeout: float = 45) -> None:
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                self.command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while self.READY not in self.log():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                pytest.fail(f"dramatiq worker did not start:\n{self.log()[-4000:]}", pytrace=False)
            time.sleep(0.1)

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self) -> None:
        if self.process is not None:
            stop_process(self.process)
