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
# The pytest-xdist worker running these tests ("gw0", "gw1", ...; "" without xdist).
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")


def _redis_test_url() -> str:
    """The tests' Redis database; each parallel worker its own (the base number + its index),
    since production-mode tests empty theirs."""
    url = os.environ.get("DOKVAULT_TEST_REDIS_URL") or "redis://127.0.0.1:6379/5"
    if not WORKER.startswith("gw"):
        return url
    base, _, number = url.rpartition("/")
    return f"{base}/{int(number or 0) + int(WORKER[2:])}"


REDIS_TEST_URL = _redis_test_url()


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
    """A real `dokvault worker` process (Dramatiq), as compose.yml runs it, logging to a file."""

    READY = "Worker process is ready for action."

    def __init__(self, log_path: Path, queues: tuple[str, ...] = (), threads: int = 2):
        self.log_path = log_path
        dokvault = Path(sys.executable).with_name("dokvault")
        self.command = [str(dokvault), "worker", *(a for q in queues for a in ("--queue", q)),
                        "--processes", "1", "--threads", str(threads)]
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


# --- SMTP ------------------------------------------------------------------------


def self_signed_cert(directory: Path, names: tuple[str, ...] = ("localhost", "127.0.0.1")
                     ) -> tuple[Path, Path]:
    """A throw-away self-signed certificate (SAN: the names) and its key, as PEM files."""
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])])
    alt_names: list[x509.GeneralName] = []
    for name in names:
        try:
            alt_names.append(x509.IPAddress(ipaddress.ip_address(name)))
        except ValueError:
            alt_names.append(x509.DNSName(name))
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName(alt_names), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    directory.mkdir(parents=True, exist_ok=True)
    cert_path, key_path = directory / "smtp-cert.pem", directory / "smtp-key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


@dataclass
class CapturedMail:
    mail_from: str
    rcpt_tos: list[str]
    message: object  # email.message.EmailMessage
    tls: bool
    login: str

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    def text(self) -> str:
        return self.message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")

    def html(self) -> str:
        part = self.message.get_body(preferencelist=("html",))
        return part.get_content().replace("\r\n", "\n") if part is not None else ""


class SmtpCapture:
    """aiosmtpd in a thread of this process: STARTTLS required (self-signed certificate;
    trust it with `ca_file`), AUTH required (`user`/`password`), every accepted message kept
    in `messages`. `starttls=False` gives a plain server that offers neither."""

    def __init__(self, directory: Path, *, starttls: bool = True, user: str = "dokvault",
                 password: str | None = None):
        self.directory = directory
        self.starttls = starttls
        self.user = user
        self.password = password or secrets.token_urlsafe(12)
        self.messages: list[CapturedMail] = []
        self.auth_attempts: list[tuple[str, bool]] = []
        self.port = 0
        self.ca_file: Path | None = None
        self._controller = None

    def __enter__(self) -> SmtpCapture:
        import ssl
        from email import message_from_bytes
        from email.policy import default

        try:
            from aiosmtpd.controller import Controller
            from aiosmtpd.smtp import AuthResult, LoginPassword
        except ImportError as exc:
            unavailable(f"aiosmtpd is not installed: {exc}")
        capture = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                capture.messages.append(CapturedMail(
                    envelope.mail_from, list(envelope.rcpt_tos),
                    message_from_bytes(envelope.original_content or envelope.content,
                                       policy=default),
                    tls=session.ssl is not None,
                    login=(session.auth_data.login.decode()
                           if isinstance(session.auth_data, LoginPassword) else ""),
                ))
                return "250 Message accepted for delivery"

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = (isinstance(auth_data, LoginPassword)
                  and auth_data.login.decode() == capture.user
                  and auth_data.password.decode() == capture.password)
            capture.auth_attempts.append((mechanism, ok))
            # handled=False on failure, or the client waits for an answer that never comes.
            if ok:
                return AuthResult(success=True, auth_data=auth_data)
            return AuthResult(success=False, handled=False)

        kwargs: dict = {}
        if self.starttls:
            cert, key = self_signed_cert(self.directory)
            self.ca_file = cert
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(cert, key)
            kwargs = dict(tls_context=context, require_starttls=True, authenticator=authenticator,
                          auth_required=True)
        self.port = free_port()  # port=0 does not work with aiosmtpd's Controller
        self._controller = Controller(Handler(), hostname="127.0.0.1", port=self.port,
                                      server_hostname="localhost", ready_timeout=10, **kwargs)
        self._controller.start()
        return self

    def __exit__(self, *exc) -> None:
        if self._controller is not None:
            self._controller.stop()

    def env(self) -> dict[str, str]:
        """The SMTP_* settings that point DokVault at this server."""
        values = {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(self.port),
                  "SMTP_USER": self.user, "SMTP_PASSWORD": self.password,
                  "SMTP_FROM": "DokVault <no-reply@dokvault.test>"}
        if self.ca_file is not None:
            values["SMTP_CA_FILE"] = str(self.ca_file)
        return values

    def wait_for(self, to: str, count: int = 1, timeout: float = 30) -> list[CapturedMail]:
        """The first `count` messages to `to`, waiting until they have arrived."""
        deadline = time.monotonic() + timeout
        while True:
            found = [m for m in self.messages if to in m.rcpt_tos]
            if len(found) >= count:
                return found[:count]
            if time.monotonic() > deadline:
                pytest.fail(f"no mail to {to} within {timeout} s ({len(self.messages)} in all)",
                            pytrace=False)
            time.sleep(0.05)

    def to(self, address: str) -> list[CapturedMail]:
        return [m for m in self.messages if address in m.rcpt_tos]
