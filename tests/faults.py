"""A production DokVault of its own for fault injection (issue 13), shared by
tests/integration/test_faults.py and bench/faults.py.

Everything runs on private ports in one temp folder: a PostgreSQL cluster (initdb, as the
`postgres` user when we are root), a redis-server without persistence, s3rver keeping its
objects on disk, two `dokvault worker` processes (every queue) and a `dokvault scheduler`.
Each service can be killed and started again on the same port with the same data, which is
what the faults are made of. `Stack.audit()` compares the documents table with the bucket.
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests import servers
from tests.samples import NORWEGIAN_SAMPLES, make_corrupt_pdf, make_pdf

ROOT = servers.ROOT
OWNER = "faults@example.no"
OWNER_PASSWORD = "riktig hest batteri stift"
FINAL = ("ready", "failed")
BROKEN_NAME = "0000-broken.pdf"  # the one file that may end `failed`


class MissingServer(RuntimeError):
    """A server binary the faults need is not installed: a failure, never a skip."""


def unavailable(reason: str):
    raise MissingServer(reason)


def _bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if found:
        return found[-1]
    path = shutil.which(name)
    if path is None:
        unavailable(f"PostgreSQL's {name} is not installed (/usr/lib/postgresql/*/bin)")
    return path


def _as_postgres() -> list[str]:
    """initdb refuses root: run the cluster as `postgres` then."""
    return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


# --- services ---------------------------------------------------------------------------------


class PgCluster:
    """initdb in a folder of ours, trust on 127.0.0.1, its own port and socket folder."""

    def __init__(self):
        # Not under pytest's tmp_path: that is root-only, and the cluster runs as postgres.
        self.dir = Path(tempfile.mkdtemp(prefix="dokvault-faults-pg-"))
        self.data = self.dir / "pgdata"
        self.port = servers.free_port()
        self.log = self.dir / "postgres.log"

    def _run(self, *args: str, timeout: float = 60) -> None:
        result = subprocess.run([*_as_postgres(), *args], capture_output=True, text=True,
                                timeout=timeout)
        if result.returncode != 0:
            unavailable(f"{args[0]} failed: {result.stderr.strip()[-1500:]}")

    def init(self) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        self._run(_bin("initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres",
                  "--no-sync", "-E", "UTF8", "--locale", "C.UTF-8")

    def start(self) -> None:
        options = (f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c max_connections=200")
        self._run(_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-o", options,
                  "-w", "-t", "30", "start")

    def stop(self, mode: str = "fast") -> None:
        subprocess.run([*_as_postgres(), _bin("pg_ctl"), "-D", str(self.data), "-m", mode,
                        "-w", "stop"], capture_output=True, timeout=60)

    def restart(self) -> None:
        """A real restart: every connection is cut, the data stays."""
        self.stop("fast")
        self.start()

    def psql(self, *args: str) -> str:
        result = subprocess.run(
            [_bin("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
             "-p", str(self.port), "-U", "postgres", "-d", "postgres", *args],
            capture_output=True, text=True, timeout=60)
        if result.returncode != 0:
            raise RuntimeError(f"psql failed: {result.stderr.strip()}")
        return result.stdout

    def create_database(self) -> servers.PgDatabase:
        name = "dokvault_faults"
        database = servers.PgDatabase(name, f"{name}_app", secrets.token_hex(12),
                                      f"{name}_migrate", secrets.token_hex(12))
        self.psql("-v", f"dbname={database.name}", "-v", f"app_user={database.app_user}",
                  "-v", f"app_password={database.app_password}",
                  "-v", f"migrate_user={database.migrate_user}",
                  "-v", f"migrate_password={database.migrate_password}",
                  "-f", str(servers.ROLES_SQL))
        return database

    def url(self, user: str, password: str, name: str) -> str:
        return f"postgresql+psycopg://{user}:{password}@127.0.0.1:{self.port}/{name}"


class Daemon:
    """A process of ours on a fixed port, killed and started again on the same port."""

    def __init__(self, name: str, directory: Path, port: int):
        self.name, self.dir, self.port = name, directory, port
        self.process: subprocess.Popen | None = None
        self.starts = 0

    def command(self) -> list[str]:
        raise NotImplementedError

    def start(self) -> None:
        self.starts += 1
        log = (self.dir / f"{self.name}-{self.starts}.log").open("wb")
        self.process = subprocess.Popen(self.command(), stdout=log, stderr=subprocess.STDOUT,
                                        start_new_session=True, cwd=self.dir)
        if not servers.wait_for_port(self.port, self.process, timeout=30):
            unavailable(f"{self.name} did not listen on {self.port}")

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)


class RedisServer(Daemon):
    def command(self) -> list[str]:
        exe = shutil.which("redis-server")
        if exe is None:
            unavailable("redis-server is not installed")
        # No persistence: a restart loses every queued message, as in the issue.
        return [exe, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--dir", str(self.dir)]


class S3rver(Daemon):
    def command(self) -> list[str]:
        if not servers.S3RVER.exists() or shutil.which("node") is None:
            unavailable(f"s3rver needs node and {servers.S3RVER}")
        return [str(servers.S3RVER), "-d", str(self.dir / "objects"), "-a", "127.0.0.1",
                "-p", str(self.port), "--silent"]


class DokvaultProcess:
    """`dokvault worker` or `dokvault scheduler`, its own process group, a log per start."""

    def __init__(self, name: str, directory: Path, args: list[str], ready: str | None):
        self.name, self.dir, self.args, self.ready = name, directory, args, ready
        self.process: subprocess.Popen | None = None
        self.starts = 0

    @property
    def log_path(self) -> Path:
        return self.dir / f"{self.name}-{self.starts}.log"

    def start(self, env: dict[str, str], timeout: float = 60) -> None:
        self.starts += 1
        dokvault = str(Path(sys.executable).with_name("dokvault"))
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen([dokvault, *self.args], cwd=ROOT, env=env,
                                            stdout=log, stderr=subprocess.STDOUT,
                                            start_new_session=True)
        deadline = time.monotonic() + timeout
        while self.ready and self.ready not in self.log_path.read_text(errors="replace"):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{self.name} did not start:\n{self.tail()}")
            time.sleep(0.1)

    def tail(self, chars: int = 3000) -> str:
        return self.log_path.read_text(errors="replace")[-chars:] if self.log_path.exists() else ""

    def kill(self) -> None:
        """kill -9 of the whole group: the dramatiq parent and its worker processes."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):  # a group kill -9'ed already
                servers.stop_process(self.process, timeout=20)


# --- corpus -----------------------------------------------------------------------------------


def make_scan_pdf(path: Path, text: str, dpi: int = 150) -> Path:
    """A one-page image-only PDF, as a flatbed scan: nothing to extract, all OCR."""
    import textwrap

    from PIL import Image, ImageDraw, ImageFont

    from tests.samples import FONT_PATH

    width, height = int(8.27 * dpi), int(11.69 * dpi)
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    size = round(12 * dpi / 72)
    font = ImageFont.truetype(str(FONT_PATH), size)
    y = margin = int(0.8 * dpi)
    for line in textwrap.wrap(text, 70):
        draw.text((margin, y), line, fill=0, font=font)
        y += int(size * 1.5)
    image.save(path, resolution=dpi)
    return path


def make_corpus(folder: Path, count: int, scans: int, broken: bool = True) -> dict[str, int]:
    """`count` distinct documents (`scans` of them scanned), plus one broken PDF."""
    folder.mkdir(parents=True, exist_ok=True)
    nonce = secrets.token_hex(4)
    for index in range(count):
        body = NORWEGIAN_SAMPLES[index % len(NORWEGIAN_SAMPLES)]
        text = f"Dokument {index} ({nonce}). {body}"
        if index < scans:
            make_scan_pdf(folder / f"{index + 1:04d}-skann.pdf", text)
        else:
            make_pdf(folder / f"{index + 1:04d}-tekst.pdf", [text, body])
    if broken:
        make_corrupt_pdf(folder / BROKEN_NAME)
    return {"documents": count + int(broken), "scans": scans}


# --- the stack --------------------------------------------------------------------------------


@dataclass
class Audit:
    statuses: dict[str, int]
    rows: int
    lost: list[str]  # files of the folder that did not end as they should
    not_final: list[str]
    unexpected_failed: list[str]
    rows_without_object: list[str]
    objects_without_row: list[str]
    duplicates: list[str]
    details: dict = field(default_factory=dict)

    def problems(self) -> list[str]:
        names = ("lost", "not_final", "unexpected_failed", "rows_without_object",
                 "objects_without_row", "duplicates")
        return [f"{n}: {getattr(self, n)[:10]} ({len(getattr(self, n))})"
                for n in names if getattr(self, n)]


class Stack:
    """Every server and process of a production DokVault, on private ports under `directory`."""

    def __init__(self, directory: Path, workers: int = 2, threads: int = 2,
                 extra_env: dict[str, str] | None = None):
        self.dir = directory
        self.dir.mkdir(parents=True, exist_ok=True)
        self.pg = PgCluster()
        self.redis = RedisServer("redis", self._sub("redis"), servers.free_port())
        self.s3 = S3rver("s3rver", self._sub("s3"), servers.free_port())
        self.bucket = "dokvault-faults"
        self.workers = [
            DokvaultProcess(f"worker{i + 1}", self._sub("logs"),
                            ["worker", "--processes", "1", "--threads", str(threads)],
                            servers.WorkerProcess.READY)
            for i in range(workers)]
        self.scheduler = DokvaultProcess("scheduler", self._sub("logs"), ["scheduler"], None)
        self.extra_env = extra_env or {}
        self.env: dict[str, str] = {}
        self.database: servers.PgDatabase | None = None
        self._engine = None

    def _sub(self, name: str) -> Path:
        path = self.dir / name
        path.mkdir(parents=True, exist_ok=True)
        return path

    # life cycle

    def start(self) -> Stack:
        self.pg.init()
        self.pg.start()
        self.redis.start()
        self.s3.start()
        self.database = self.pg.create_database()
        db = self.database
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DOKVAULT_", "DATABASE_",
                                                                         "REDIS_", "MINIO_"))}
        env.update({
            "DATABASE_URL": self.pg.url(db.app_user, db.app_password, db.name),
            "DATABASE_MIGRATE_URL": self.pg.url(db.migrate_user, db.migrate_password, db.name),
            "REDIS_URL": f"redis://127.0.0.1:{self.redis.port}/0",
            "MINIO_ENDPOINT": f"127.0.0.1:{self.s3.port}",
            "MINIO_PUBLIC_ENDPOINT": f"http://127.0.0.1:{self.s3.port}",
            "MINIO_ACCESS_KEY": "S3RVER", "MINIO_SECRET_KEY": "S3RVER",
            "MINIO_BUCKET": self.bucket,
            "DOKVAULT_DATA_DIR": str(self._sub("data")),
            "HIBP_ENABLED": "false", "LOG_LEVEL": "INFO", "PYTHONPATH": str(ROOT),
            **self.extra_env,
        })
        self.env = env
        self.dokvault("migrate")
        self.dokvault("create-admin", OWNER, "--password", OWNER_PASSWORD)
        for worker in self.workers:
            worker.start(env)
        self.scheduler.start(env)
        return self

    def close(self) -> None:
        for process in (*self.workers, self.scheduler):
            process.stop()
        if self._engine is not None:
            self._engine.dispose()
        self.redis.kill()
        self.s3.kill()
        self.pg.stop("immediate")
        shutil.rmtree(self.pg.dir, ignore_errors=True)

    def dokvault(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        dokvault = str(Path(sys.executable).with_name("dokvault"))
        result = subprocess.run([dokvault, *args], cwd=ROOT, env=self.env, capture_output=True,
                                text=True, timeout=timeout)
        if result.returncode != 0:
            raise RuntimeError(f"dokvault {' '.join(args[:1])} failed: {result.stdout[-2000:]}"
                               f"{result.stderr[-3000:]}")
        return result

    def start_import(self, folder: Path) -> subprocess.Popen:
        dokvault = str(Path(sys.executable).with_name("dokvault"))
        log = (self.dir / "logs" / "import.log").open("wb")
        return subprocess.Popen([dokvault, "import", str(folder), "--owner", OWNER], cwd=ROOT,
                                env={**self.env, "COLUMNS": "120"}, stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True)

    def import_log(self) -> str:
        return (self.dir / "logs" / "import.log").read_text(errors="replace")

    def logs(self, chars: int = 2500) -> str:
        parts = [f"--- import\n{self.import_log()[-chars:]}"]
        for process in (*self.workers, self.scheduler):
            parts.append(f"--- {process.name} (start {process.starts})\n{process.tail(chars)}")
        return "\n".join(parts)

    # reading state, straight from the servers (never through DokVault)

    def query(self, sql: str) -> list[tuple]:
        """A short-lived connection, so a PostgreSQL restart never leaves us a dead one."""
        import psycopg

        db = self.database
        with psycopg.connect(host="127.0.0.1", port=self.pg.port, dbname=db.name,
                             user="postgres", connect_timeout=5) as conn:
            return conn.execute(sql).fetchall()

    def try_query(self, sql: str) -> list[tuple] | None:
        import psycopg

        try:
            return self.query(sql)
        except psycopg.Error:
            return None  # PostgreSQL down (that is the fault): ask again later

    def statuses(self) -> dict[str, int] | None:
        rows = self.try_query("SELECT status, count(*) FROM document WHERE deleted_at IS NULL "
                              "GROUP BY status")
        return None if rows is None else dict(rows)

    def stored(self) -> int:
        counts = self.statuses()
        return sum(counts.values()) if counts else 0

    def wait_for(self, predicate, timeout: float, what: str, every: float = 0.2):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = predicate()
            if value:
                return value
            time.sleep(every)
        raise TimeoutError(f"not within {timeout:.0f} s: {what}")

    def all_final(self, expected: int) -> bool:
        counts = self.statuses()
        if counts is None:
            return False
        return (sum(counts.values()) >= expected
                and sum(n for s, n in counts.items() if s not in FINAL) == 0)

    def bucket_keys(self) -> set[str]:
        from minio import Minio

        client = Minio(f"127.0.0.1:{self.s3.port}", "S3RVER", "S3RVER", secure=False)
        if not client.bucket_exists(self.bucket):
            return set()
        return {o.object_name for o in client.list_objects(self.bucket, recursive=True)}

    def audit(self, folder: Path) -> Audit:
        rows = self.query("SELECT id, name, status, sha256, object_key, thumbnail_key, "
                          "searchable_key, error, deleted_at FROM document")
        live = [r for r in rows if r[8] is None]
        keys = self.bucket_keys()
        referenced = {k for r in rows for k in (r[4], r[5], r[6]) if k}
        names = {p.name for p in folder.rglob("*") if p.is_file()}
        # Lost: a file that did not end `ready` (only the broken one may end `failed`).
        kept = {r[1] for r in live if r[2] == "ready" or (r[2] == "failed" and r[1] == BROKEN_NAME)}
        by_sha: dict[str, list[str]] = {}
        for r in live:
            by_sha.setdefault(r[3], []).append(r[1])
        counts: dict[str, int] = {}
        for r in live:
            counts[r[2]] = counts.get(r[2], 0) + 1
        return Audit(
            statuses=counts, rows=len(live),
            lost=sorted(names - kept),
            not_final=sorted(f"{r[1]}={r[2]}" for r in live if r[2] not in FINAL),
            unexpected_failed=sorted(f"{r[1]}: {r[7]}" for r in live
                                     if r[2] == "failed" and r[1] != BROKEN_NAME),
            rows_without_object=sorted(r[1] for r in live if r[4] not in keys),
            objects_without_row=sorted(keys - referenced),
            duplicates=sorted(f"{names}" for names in by_sha.values() if len(names) > 1),
            details={"failed": {r[1]: r[7] for r in live if r[2] == "failed"}},
        )


# --- the four faults --------------------------------------------------------------------------

FAULTS = ("worker_kill", "postgres_restart", "s3_outage", "redis_restart")
WORKER_RESTART_DELAY_S = 10  # the scenario: the killed worker is back 10 s later


@dataclass
class FaultRun:
    fault: str
    audit: Audit
    fault_at: float  # monotonic
    back_at: float  # the service is back
    final_at: float | None  # everything final (None: never, within the bound)
    import_rc: int | None
    import_tail: str
    logs: str = ""  # the import's, the workers' and the scheduler's, for a failure's report

    @property
    def recover_s(self) -> float | None:
        return None if self.final_at is None else round(self.final_at - self.fault_at, 1)

    @property
    def recover_after_back_s(self) -> float | None:
        return None if self.final_at is None else round(self.final_at - self.back_at, 1)

    def summary(self) -> dict:
        return {"fault": self.fault, "lost": len(self.audit.lost),
                "duplicates": len(self.audit.duplicates), "recover_s": self.recover_s,
                "recover_after_back_s": self.recover_after_back_s, "import_rc": self.import_rc,
                "statuses": self.audit.statuses, "problems": self.audit.problems()}


def _ocr_worker(stack: Stack) -> DokvaultProcess | None:
    """The worker running tesseract right now (a child in its process group)."""
    groups = {w.process.pid: w for w in stack.workers if w.process and w.process.poll() is None}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if (entry / "comm").read_text().strip() != "tesseract":
                continue
            worker = groups.get(os.getpgid(int(entry.name)))
        except (OSError, ProcessLookupError):
            continue
        if worker is not None:
            return worker
    return None


def inject(stack: Stack, fault: str, expected: int, outage_s: float) -> tuple[float, float]:
    """Wait for the moment of the fault, inject it; returns (fault_at, back_at)."""
    threshold = max(3, expected // 5)  # some stored, most of the import still to come
    if fault == "worker_kill":
        victim = stack.wait_for(lambda: _ocr_worker(stack), 120, "a worker running tesseract",
                                every=0.05)
        fault_at = time.monotonic()
        victim.kill()
        time.sleep(WORKER_RESTART_DELAY_S)  # part of the scenario, not a wait for sync
        victim.start(stack.env)
        return fault_at, time.monotonic()
    stack.wait_for(lambda: stack.stored() >= threshold, 120, f"{threshold} documents stored")
    fault_at = time.monotonic()
    if fault == "postgres_restart":
        stack.pg.restart()
    elif fault == "s3_outage":
        stack.s3.kill()
        time.sleep(outage_s)  # the outage itself is the scenario
        stack.s3.start()
    elif fault == "redis_restart":
        stack.redis.kill()
        stack.redis.start()
    else:
        raise ValueError(fault)
    return fault_at, time.monotonic()


def run_fault(directory: Path, fault: str, count: int, scans: int, outage_s: float,
              settle_s: float, extra_env: dict[str, str] | None = None) -> FaultRun:
    """A fresh stack, one import of a fresh corpus, one fault, then the audit."""
    folder = directory / "corpus"
    expected = make_corpus(folder, count, scans)["documents"]
    stack = Stack(directory / "stack", extra_env=extra_env).start()
    importer = None
    try:
        importer = stack.start_import(folder)
        fault_at, back_at = inject(stack, fault, expected, outage_s)
        final_at = None
        try:
            stack.wait_for(lambda: stack.all_final(expected), settle_s, "every document final",
                           every=0.5)
            final_at = time.monotonic()
        except TimeoutError:
            pass
        try:
            rc = importer.wait(30 if final_at else 5)
        except subprocess.TimeoutExpired:
            rc = None
        audit = stack.audit(folder)
        return FaultRun(fault, audit, fault_at, back_at, final_at, rc,
                        stack.import_log()[-1500:], stack.logs())
    finally:
        if importer is not None and importer.poll() is None:
            os.killpg(importer.pid, signal.SIGKILL)
            importer.wait(10)
        stack.close()


def main_json(runs: list[FaultRun]) -> str:
    out: dict[str, object] = {}
    for run in runs:
        out[f"lost_{run.fault}"] = len(run.audit.lost)
        out[f"duplicates_{run.fault}"] = len(run.audit.duplicates)
        out[f"recover_s_{run.fault}"] = run.recover_s
    return json.dumps(out)
