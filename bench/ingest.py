"""Ingest benchmark: documents/second from upload to searchable, and peak memory.

    .venv/bin/python bench/ingest.py                      # both modes, 200 documents
    .venv/bin/python bench/ingest.py --mode embedded -n 50 --threads 2
    .venv/bin/python bench/ingest.py --quick              # CI smoke run, 20 documents
    .venv/bin/python bench/ingest.py --mode embedded --phases    # where the time goes
    .venv/bin/python bench/ingest.py --mode embedded --profile   # phases + cProfile

Text PDFs (1-3 pages of Norwegian brokerage text, DejaVu Sans) are generated once
into a temporary folder before anything is timed. Each mode then runs in a child
process of this script, so settings, engine, object store and Dramatiq broker are
built from a clean environment:

* embedded   - fresh DOKVAULT_DATA_DIR, SQLite, local object folder, the in-process
               Dramatiq worker of workers/embedded.py (StubBroker).
* production - a throwaway PostgreSQL database, a dedicated (flushed) Redis db, an
               in-process moto S3 server (hosted by this parent process) and two real
               `dramatiq workers.documents --queues documents --processes 1 --threads N`
               subprocesses.

The clock starts at the first `ingest_path` call and stops when every document
is `ready` and a search for a word unique to the last document finds it.
The last line of output is one JSON object with every figure.
Exit status: 0 ok, 1 a mode failed (failed documents, time-out, crash), 2 bad usage.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import random
import secrets
import shutil
import signal
import socket
import string
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
MIB = 1024 * 1024
MODES = ("embedded", "production")
REDIS_LOCK = "dokvault-bench:running"
# Every setting that selects a server. Set explicitly (to "" on embedded) so neither
# the caller's environment nor a stray .env file can switch the mode.
SERVER_VARS = (
    "DATABASE_URL", "DATABASE_MIGRATE_URL", "REDIS_URL", "MINIO_ENDPOINT", "MINIO_ACCESS_KEY",
    "MINIO_SECRET_KEY", "MINIO_PUBLIC_ENDPOINT", "SECRET_KEY", "ADMIN_EMAIL", "ADMIN_PASSWORD",
    "APP_PASSWORD_HASH",
)


def log(message: str) -> None:
    print(message, flush=True)


# --- test documents ---------------------------------------------------------------------------

STREETS = ("Bjørnveien", "Kongens gate", "Løkkeveien", "Solbakken", "Fjordgata", "Ålesundvegen",
           "Prinsens gate", "Granåsen", "Storgata", "Møllerveien", "Skårerbakken",
           "Øvre Slottsgate")
PLACES = ("Oslo", "Trondheim", "Bergen", "Tromsø", "Stavanger", "Ålesund", "Bodø", "Lillestrøm",
          "Drammen", "Kristiansand", "Hamar", "Tønsberg")
NAMES = ("Kari Nordmann", "Ola Nordmann", "Åse Kjærnes", "Bjørn Ødegård", "Ingrid Løvås",
         "Håkon Bråten", "Sigrid Æsøy", "Per Øyen", "Marte Haugen", "Jørgen Strøm")
TITLES = ("Kjøpekontrakt", "Salgsoppgave", "Tilstandsrapport", "Budjournal", "Oppdragsavtale",
          "Takstrapport", "Overtakelsesprotokoll", "Egenerklæringsskjema", "Forhåndstakst")
SENTENCES = (
    "Selger overdrar herved eiendommen {addr} i {place} til kjøper {buyer}.",
    "Kjøpesummen er avtalt til kr {price},- med tillegg av omkostninger.",
    "Overtakelse skjer den {date} kl. 12.00, etter at kjøpesummen er innbetalt til meglers "
    "klientkonto.",
    "Eiendomsmegler {broker} har oppdraget og forestår oppgjøret mellom partene.",
    "Skjøtet tinglyses først når kjøpesum og omkostninger er innbetalt i sin helhet.",
    "Boligen selges som den er, jf. avhendingslova § 3-9, og kjøper har fått oppfordring til å "
    "undersøke eiendommen.",
    "Felleskostnadene utgjør kr {fee},- per måned og dekker forsikring, vaktmester og kommunale "
    "avgifter.",
    "Tilstandsrapporten viser tilstandsgrad 2 for våtrom og drenering; takstmannen anbefaler "
    "utbedring innen fem år.",
    "Budfristen var satt til {date}, og budrunden ble gjennomført i henhold til "
    "budforskriftene.",
    "Det foreligger en pantobligasjon på kr {price},- til fordel for Sparebanken {place}, som "
    "skal slettes ved oppgjøret.",
    "Kjøperen har fått fremlagt salgsoppgave, egenerklæringsskjema og energiattest før "
    "budgivningen.",
    "Eierskiftforsikring er tegnet av selger gjennom meglerforetaket.",
    "Partene er enige om at løsøre og tilbehør følger eiendommen slik det er beskrevet i "
    "vedlegget.",
    "Ved mislighold kan kjøperen kreve prisavslag eller heving etter reglene i avhendingslova.",
    "Sameiet har forkjøpsrett, og fristen for å gjøre den gjeldende er ti dager etter at "
    "melding er mottatt.",
    "Eiendommens gårdsnummer er {gnr} og bruksnummer {bnr} i {place} kommune.",
    "Tomten er på {area} kvadratmeter og er selveid; det er ingen kjente heftelser utover det "
    "som fremgår av grunnboken.",
    "Megleren bekrefter at hvitvaskingsloven er fulgt og at kundetiltak er gjennomført for "
    "begge parter.",
)


def _alpha(number: int, width: int = 4) -> str:
    letters = []
    for _ in range(width):
        number, digit = divmod(number, 26)
        letters.append(string.ascii_lowercase[digit])
    return "".join(reversed(letters))


def _document_text(rng: random.Random, index: int, nonce: str) -> tuple[str, list[str]]:
    """Title and paragraphs for one document; `index` picks a unique marker word."""
    title = f"{rng.choice(TITLES)} – {rng.choice(STREETS)} {rng.randint(1, 120)}"
    pages = rng.randint(1, 3)
    paragraphs = []
    # Roughly 45 lines of 11 pt text fill an A4 page: ~6 paragraphs of 4-6 sentences.
    for _ in range(pages * 6):
        sentences = [
            rng.choice(SENTENCES).format(
                addr=f"{rng.choice(STREETS)} {rng.randint(1, 120)}",
                place=rng.choice(PLACES),
                buyer=rng.choice(NAMES),
                broker=rng.choice(NAMES),
                price=f"{rng.randint(1_500, 14_000) * 1000:,}".replace(",", " "),
                fee=rng.randint(1_800, 7_500),
                date=f"{rng.randint(1, 28)}.{rng.randint(1, 12)}.2026",
                gnr=rng.randint(1, 300),
                bnr=rng.randint(1, 900),
                area=rng.randint(300, 2500),
            )
            for _ in range(rng.randint(4, 6))
        ]
        paragraphs.append(" ".join(sentences))
    marker = f"merke{nonce}{_alpha(index)}"
    paragraphs.insert(1, f"Referanse: {marker}. Oppdragsmerke {nonce}bench.")
    return title, paragraphs


def _write_pdf(job: tuple[int, str, str, int]) -> tuple[str, str]:
    from fpdf import FPDF

    index, folder, nonce, seed = job
    title, paragraphs = _document_text(random.Random(seed * 100_003 + index), index, nonce)
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_font("DejaVu", fname=str(FONT))
    pdf.add_page()
    pdf.set_font("DejaVu", size=15)
    pdf.multi_cell(0, 9, title)
    pdf.ln(3)
    pdf.set_font("DejaVu", size=11)
    # Lines are wrapped here: fpdf2's own line breaking (multi_cell) costs ~0.1 s a page.
    for paragraph in paragraphs:
        for line in textwrap.wrap(paragraph, 86):
            pdf.cell(0, 5.5, line, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    path = Path(folder) / f"dokument-{index:05d}-{title.split(' – ')[0].lower()}.pdf"
    pdf.output(str(path))
    return str(path), f"merke{nonce}{_alpha(index)}"


def generate_documents(count: int, folder: Path, seed: int) -> dict:
    if not FONT.exists():
        raise SystemExit(f"font {FONT} is missing (apt-get install fonts-dejavu-core)")
    nonce = _alpha(random.Random(seed).randrange(26**5), 5)
    jobs = [(i, str(folder), nonce, seed) for i in range(count)]
    with ProcessPoolExecutor(max_workers=max(os.cpu_count() or 1, 1)) as pool:
        files = list(pool.map(_write_pdf, jobs, chunksize=8))
    manifest = {
        "files": [{"path": path, "marker": marker} for path, marker in files],
        # A word every document carries: searching it must find all of them.
        "common_word": f"{nonce}bench",
    }
    (folder / "manifest.json").write_text(json.dumps(manifest))
    return manifest


# --- memory sampling --------------------------------------------------------------------------


class RssSampler(threading.Thread):
    """Peak RSS of this process and of the process trees rooted at `worker_pids`."""

    def __init__(self, worker_pids: list[int], interval: float = 0.1):
        super().__init__(name="rss-sampler", daemon=True)
        import psutil

        self.psutil = psutil
        self.me = psutil.Process()
        self.roots = [psutil.Process(pid) for pid in worker_pids]
        self.interval = interval
        self.stopped = threading.Event()
        self.peak_self = 0
        self.peak_worker_process = 0  # the largest single worker-side process
        self.peak_workers_total = 0  # all worker-side processes together, at one moment
        self.sample()

    def sample(self) -> None:
        with contextlib.suppress(self.psutil.Error):
            self.peak_self = max(self.peak_self, self.me.memory_info().rss)
        total = 0
        for root in self.roots:
            try:
                procs = [root, *root.children(recursive=True)]
            except self.psutil.Error:
                continue
            for proc in procs:
                try:
                    rss = proc.memory_info().rss
                except self.psutil.Error:
                    continue
                total += rss
                self.peak_worker_process = max(self.peak_worker_process, rss)
        self.peak_workers_total = max(self.peak_workers_total, total)

    def cpu_seconds(self) -> tuple[float, float]:
        """CPU time (user + system) so far of this process and of all worker-side processes."""

        def cpu(proc) -> float:
            try:
                times = proc.cpu_times()
            except self.psutil.Error:
                return 0.0
            return times.user + times.system

        workers = 0.0
        for root in self.roots:
            with contextlib.suppress(self.psutil.Error):
                workers += sum(cpu(p) for p in [root, *root.children(recursive=True)])
        return cpu(self.me), workers

    def run(self) -> None:
        while not self.stopped.wait(self.interval):
            self.sample()

    def stop(self) -> None:
        self.stopped.set()
        self.join()
        self.sample()


# --- phase timing (--profile) -----------------------------------------------------------------


class Phases:
    """Wall and thread-CPU seconds per labelled call, summed over all threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.totals: dict[str, list[float]] = {}

    def wrap(self, label: str, fn):
        import functools

        @functools.wraps(fn)
        def timed(*args, **kwargs):
            wall, cpu = time.perf_counter(), time.thread_time()
            try:
                return fn(*args, **kwargs)
            finally:
                wall, cpu = time.perf_counter() - wall, time.thread_time() - cpu
                with self.lock:
                    entry = self.totals.setdefault(label, [0, 0.0, 0.0])
                    entry[0] += 1
                    entry[1] += wall
                    entry[2] += cpu

        return timed

    def report(self) -> None:
        log("\nphase timings (summed over threads; cpu = thread CPU time, wall - cpu = waiting "
            "for the GIL, locks or I/O)")
        log(f"  {'phase':<34} {'calls':>6} {'wall s':>8} {'ms/call':>8} {'cpu ms/call':>11}")
        for label, (calls, wall, cpu) in sorted(self.totals.items()):
            log(f"  {label:<34} {calls:>6} {wall:>8.2f} {1000 * wall / calls:>8.1f} "
                f"{1000 * cpu / calls:>11.1f}")


class CallProfiles:
    """cProfile per call (per thread, so worker threads are covered), merged."""

    def __init__(self, enabled: bool = True):
        self.enabled = enabled
        self.lock = threading.Lock()
        self.stats = None

    def wrap(self, fn):
        if not self.enabled:
            return fn
        import cProfile
        import functools
        import pstats

        @functools.wraps(fn)
        def profiled(*args, **kwargs):
            profile = cProfile.Profile()
            profile.enable()
            try:
                return fn(*args, **kwargs)
            finally:
                profile.disable()
                with self.lock:
                    if self.stats is None:
                        self.stats = pstats.Stats(profile)
                    else:
                        self.stats.add(profile)

        return profiled

    def report(self, limit: int = 30) -> None:
        if self.stats is None:
            return
        import io

        for key, title in (("cumulative", "cumulative"), ("tottime", "own time")):
            out = io.StringIO()
            self.stats.stream = out
            self.stats.sort_stats(key).print_stats(limit)
            log(f"\ncProfile of ingest_path + process_document, top {limit} by {title}:")
            log("\n".join(line for line in out.getvalue().splitlines() if line.strip()))


def install_profiling(store, cprofile: bool) -> tuple[Phases, CallProfiles]:
    """Wrap the service-layer phases in this process (the embedded worker runs here too)."""
    import sqlmodel

    from dokvault.core import jobs, norwegian
    from dokvault.extract import thumbnail
    from dokvault.services import documents, search

    phases, profiles = Phases(), CallProfiles(enabled=cprofile)
    documents.ingest_path = profiles.wrap(phases.wrap("upload: ingest_path (total)",
                                                      documents.ingest_path))
    store.put_file = phases.wrap("upload: object put", store.put_file)
    jobs.send = phases.wrap("upload: enqueue", jobs.send)
    documents.process_document = profiles.wrap(phases.wrap("process: process_document (total)",
                                                           documents.process_document))
    documents.processing.extract = phases.wrap("process: extract text", documents.processing.extract)
    thumbnail.render = phases.wrap("process: thumbnail render", thumbnail.render)
    store.put_bytes = phases.wrap("process: thumbnail put", store.put_bytes)
    search.index_document = phases.wrap("process: index (terms + FTS)", search.index_document)
    norwegian.terms = phases.wrap("process: norwegian.terms", norwegian.terms)
    sqlmodel.Session.commit = phases.wrap("db: commit (upload + process)",
                                          sqlmodel.Session.commit)
    return phases, profiles


# --- one mode, in a child process -------------------------------------------------------------


def _status_counts() -> dict[str, int]:
    from sqlmodel import func, select

    from dokvault import db
    from dokvault.models import Document

    with db.session() as s:
        rows = s.exec(select(Document.status, func.count()).group_by(Document.status)).all()
    return {status: count for status, count in rows}


def _quality_counts() -> tuple[int, int]:
    """Documents processed more than once, and ready documents without a thumbnail."""
    from sqlmodel import col, func, select

    from dokvault import db
    from dokvault.models import Document

    with db.session() as s:
        retried = s.exec(select(func.count()).select_from(Document)
                         .where(Document.attempts > 1)).one()
        no_thumb = s.exec(select(func.count()).select_from(Document)
                          .where(col(Document.thumbnail_key).is_(None))).one()
    return retried, no_thumb


def _start_workers(count: int, threads: int, logdir: Path) -> list[subprocess.Popen]:
    procs = []
    for i in range(count):
        logfile = (logdir / f"worker-{i}.log").open("wb")
        procs.append(
            subprocess.Popen(
                [sys.executable, "-m", "dramatiq", "workers.documents", "--queues", "documents",
                 "--processes", "1", "--threads", str(threads)],
                cwd=ROOT, env=os.environ.copy(), stdout=logfile, stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
        logfile.close()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready = 0
        for i, proc in enumerate(procs):
            if proc.poll() is not None:
                raise RuntimeError(f"dramatiq worker {i} exited with {proc.returncode}:\n"
                                   + (logdir / f"worker-{i}.log").read_text()[-3000:])
            ready += "Worker process is ready" in (logdir / f"worker-{i}.log").read_text()
        if ready == count:
            return procs
        time.sleep(0.1)
    raise RuntimeError("dramatiq workers did not become ready within 60 s")


def _stop_workers(procs: list[subprocess.Popen]) -> None:
    for proc in procs:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    for proc in procs:
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)  # the group this script created
            proc.wait()


def run_child(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    mode = args.child
    manifest = json.loads(Path(args.manifest).read_text())
    files = [(Path(f["path"]), f["marker"]) for f in manifest["files"]]
    n = len(files)
    result: dict = {"mode": mode, "n": n, "threads": args.threads, "ok": False}

    def finish(error: str | None = None) -> int:
        result["error"] = error
        result["ok"] = error is None
        Path(args.result).write_text(json.dumps(result))
        return 0 if error is None else 1

    # The environment was prepared by the parent: importing now builds everything from it.
    from dokvault import db
    from dokvault.migrations import upgrade_database
    from dokvault.services import documents
    from dokvault.services.auth import accounts
    from dokvault.storage.objects import get_object_store

    upgrade_database()
    with db.session() as s:
        admin = accounts.create_first_admin(s, "bench@example.no", secrets.token_urlsafe(16))
    store = get_object_store()  # creates the bucket on S3
    store.check()
    if args.phases or args.profile:
        phases, profiles = install_profiling(store, cprofile=args.profile)

    worker_procs: list[subprocess.Popen] = []
    embedded_worker = None
    try:
        if mode == "embedded":
            import workers.embedded

            embedded_worker = workers.embedded.start(threads=args.threads)
        else:
            worker_procs = _start_workers(args.workers, args.threads, Path(args.logdir))
        sampler = RssSampler([p.pid for p in worker_procs])
        sampler.start()
        uploaded = 0
        stop_progress = threading.Event()

        def progress(t0: float) -> None:
            while not stop_progress.wait(2.0):
                with contextlib.suppress(Exception):
                    counts = _status_counts()
                    log(f"  [{mode}] {time.perf_counter() - t0:6.1f} s  uploaded {uploaded}/{n}  "
                        f"ready {counts.get('ready', 0)}  failed {counts.get('failed', 0)}  "
                        f"rss {sampler.peak_self / MIB:.0f} MiB")

        log(f"  [{mode}] ingesting {n} documents, worker threads {args.threads}"
            + (f" x {args.workers} processes" if worker_procs else ""))
        cpu0 = sampler.cpu_seconds()
        t0 = time.perf_counter()
        threading.Thread(target=progress, args=(t0,), daemon=True).start()
        last = None
        for path, _marker in files:
            last = documents.ingest_path(admin.id, path)
            uploaded += 1
        t_uploaded = time.perf_counter()
        deadline = t0 + args.timeout
        while True:
            counts = _status_counts()
            done = counts.get("ready", 0) + counts.get("failed", 0)
            if done >= n:
                break
            if time.perf_counter() > deadline:
                stop_progress.set()
                return finish(f"time-out after {args.timeout:g} s: {counts} of {n} documents")
            time.sleep(0.05)
        t_ready = time.perf_counter()
        if counts.get("failed", 0):
            stop_progress.set()
            from sqlmodel import select

            from dokvault.models import Document

            with db.session() as s:
                failed = s.exec(select(Document.name, Document.error)
                                .where(Document.status == "failed").limit(5)).all()
            return finish(f"{counts['failed']} of {n} documents failed, e.g. {failed}")
        marker = files[-1][1]
        while True:
            rows, _total = documents.search_documents(admin, marker)
            if any(r.uid == str(last.uid) for r in rows):
                break
            if time.perf_counter() > deadline:
                stop_progress.set()
                return finish(f"the last document is ready but a search for {marker!r} "
                              f"did not find it within the time-out")
            time.sleep(0.02)
        t_end = time.perf_counter()
        cpu1 = sampler.cpu_seconds()
        stop_progress.set()
        sampler.stop()

        _rows, found = documents.search_documents(admin, manifest["common_word"])
        retried, without_thumbnail = _quality_counts()
        elapsed = t_end - t0
        result.update(
            seconds=round(elapsed, 3),
            docs_per_s=round(n / elapsed, 2),
            upload_seconds=round(t_uploaded - t0, 3),
            upload_docs_per_s=round(n / (t_uploaded - t0), 2),
            all_ready_seconds=round(t_ready - t0, 3),
            search_after_ready_ms=round(1000 * (t_end - t_ready), 1),
            peak_rss_mib=round(sampler.peak_self / MIB, 1),
            cpu_ms_per_doc=round(1000 * (cpu1[0] - cpu0[0]) / n, 1),
            searchable=found,
            retried=retried,
            without_thumbnail=without_thumbnail,
        )
        if worker_procs:
            result.update(
                workers=args.workers,
                workers_cpu_ms_per_doc=round(1000 * (cpu1[1] - cpu0[1]) / n, 1),
                worker_peak_rss_mib=round(sampler.peak_worker_process / MIB, 1),
                workers_total_peak_rss_mib=round(sampler.peak_workers_total / MIB, 1),
            )
        log(f"  [{mode}] {n} documents ready and searchable in {elapsed:.1f} s "
            f"({n / elapsed:.1f} docs/s; uploads alone {n / (t_uploaded - t0):.1f} docs/s)")
        if retried or without_thumbnail:
            log(f"  [{mode}] WARNING: {retried} documents needed more than one attempt and "
                f"{without_thumbnail} have no thumbnail (see the worker log lines above)")
        if args.phases or args.profile:
            phases.report()
            profiles.report()
        if found != n:
            return finish(f"a search for the word every document carries found {found} of {n}")
        return finish()
    finally:
        if embedded_worker is not None:
            workers.embedded.stop()
        _stop_workers(worker_procs)


# --- the parent: environment per mode, table, JSON --------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run_child(mode: str, args: argparse.Namespace, env: dict, manifest: Path, work: Path) -> dict:
    result_file = work / f"{mode}-result.json"
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", mode,
           "--manifest", str(manifest), "--result", str(result_file), "--logdir", str(work),
           "--threads", str(args.threads), "--workers", str(args.workers),
           "--timeout", str(args.timeout)]
    if args.profile:
        cmd.append("--profile")
    if args.phases:
        cmd.append("--phases")
    started = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, env=env, check=False)
    if result_file.exists():
        return json.loads(result_file.read_text())
    logs = "".join(f"\n--- {p.name}\n{p.read_text()[-2000:]}" for p in sorted(work.glob("*.log")))
    return {"mode": mode, "ok": False,
            "error": f"benchmark process exited with {proc.returncode} after "
                     f"{time.perf_counter() - started:.0f} s without a result{logs}"}


def _base_env(data_dir: Path) -> dict:
    env = os.environ.copy()
    env.update({name: "" for name in SERVER_VARS})
    env.update(DOKVAULT_DATA_DIR=str(data_dir), MAX_UPLOAD_MB="100", LOG_LEVEL="WARNING",
               MINIO_BUCKET="dokvault", MINIO_SECURE="false", PYTHONUNBUFFERED="1",
               REFLEX_TELEMETRY_ENABLED="false")
    return env


def run_embedded(args: argparse.Namespace, manifest: Path, work: Path) -> dict:
    return _run_child("embedded", args, _base_env(work / "data"), manifest, work)


def run_production(args: argparse.Namespace, manifest: Path, work: Path) -> dict:
    import psutil
    import psycopg
    import redis
    from moto.server import ThreadedMotoServer
    from psycopg import sql

    dbname = f"dokvault_bench_{os.getpid()}_{secrets.token_hex(3)}"
    admin_url = args.pg_admin_url
    host_url = admin_url.rsplit("/", 1)[0]
    app_url = f"{host_url.replace('postgresql://', 'postgresql+psycopg://', 1)}/{dbname}"
    redis_client = redis.Redis.from_url(args.redis_url)
    if redis_client.exists(REDIS_LOCK):
        raise RuntimeError(f"another benchmark is using {args.redis_url} (key {REDIS_LOCK}); "
                           "wait for it or pass another --redis-url")
    redis_client.flushdb()
    redis_client.set(REDIS_LOCK, os.getpid(), ex=int(args.timeout) + 600)
    port = _free_port()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per S3 request otherwise
    s3 = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    s3.start()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname)))
    try:
        env = _base_env(work / "data-production")
        env.update(
            DATABASE_URL=app_url, DATABASE_MIGRATE_URL=app_url, REDIS_URL=args.redis_url,
            MINIO_ENDPOINT=f"127.0.0.1:{port}", MINIO_ACCESS_KEY="bench",
            MINIO_SECRET_KEY="bench-secret-key", MINIO_BUCKET="dokvault-bench",
            SECRET_KEY=secrets.token_urlsafe(32),
        )
        me = psutil.Process()
        cpu0 = sum(me.cpu_times()[:2])
        result = _run_child("production", args, env, manifest, work)
        # This process only waits for the child meanwhile: its CPU is moto's.
        if result.get("ok"):
            result["s3_server_cpu_ms_per_doc"] = round(
                1000 * (sum(me.cpu_times()[:2]) - cpu0) / args.n, 1)
        return result
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
                         .format(sql.Identifier(dbname)))
        redis_client.flushdb()
        redis_client.close()
        s3.stop()


def print_table(results: list[dict]) -> None:
    rows = [
        ("documents", "n", "{:.0f}"),
        ("worker threads (per process)", "threads", "{:.0f}"),
        ("worker processes", "workers", "{:.0f}"),
        ("upload -> searchable, s", "seconds", "{:.1f}"),
        ("documents / s (to searchable)", "docs_per_s", "{:.2f}"),
        ("uploads alone, documents / s", "upload_docs_per_s", "{:.2f}"),
        ("all ready after, s", "all_ready_seconds", "{:.1f}"),
        ("search found last doc after, ms", "search_after_ready_ms", "{:.0f}"),
        ("CPU of bench/app process, ms/doc", "cpu_ms_per_doc", "{:.1f}"),
        ("CPU of worker processes, ms/doc", "workers_cpu_ms_per_doc", "{:.1f}"),
        ("CPU of moto S3 (whole run), ms/doc", "s3_server_cpu_ms_per_doc", "{:.1f}"),
        ("documents retried", "retried", "{:.0f}"),
        ("documents without thumbnail", "without_thumbnail", "{:.0f}"),
        ("peak RSS bench/app process, MiB", "peak_rss_mib", "{:.0f}"),
        ("peak RSS one worker process, MiB", "worker_peak_rss_mib", "{:.0f}"),
        ("peak RSS all worker procs, MiB", "workers_total_peak_rss_mib", "{:.0f}"),
    ]
    log("")
    log(f"{'':<34}" + "".join(f"{r['mode']:>14}" for r in results))
    for label, key, fmt in rows:
        cells = "".join(
            f"{fmt.format(r[key]) if isinstance(r.get(key), int | float) else '-':>14}"
            for r in results
        )
        log(f"{label:<34}{cells}")
    log(f"{'result':<34}" + "".join(f"{'ok' if r['ok'] else 'FAILED':>14}" for r in results))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mode", choices=(*MODES, "both"), default="both")
    parser.add_argument("-n", type=int, default=200, help="documents (default 200)")
    parser.add_argument("--quick", action="store_true", help="smoke run: 20 documents")
    parser.add_argument("--threads", type=int, default=2,
                        help="Dramatiq worker threads (per worker process in production)")
    parser.add_argument("--workers", type=int, default=2, help="worker processes in production")
    parser.add_argument("--timeout", type=float, default=600.0,
                        help="seconds per mode until every document must be searchable")
    parser.add_argument("--phases", action="store_true",
                        help="time the service-layer phases in the bench process (all of them "
                             "on embedded, where the worker runs in it; upload side only on "
                             "production)")
    parser.add_argument("--profile", action="store_true",
                        help="--phases plus cProfile of ingest_path and process_document "
                             "(slows the run roughly twofold)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--pg-admin-url", default="postgresql://postgres@127.0.0.1:5432/postgres",
                        help="superuser connection used to create and drop the database")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/13",
                        help="a Redis db used only by this benchmark: it is flushed")
    parser.add_argument("--keep", action="store_true", help="keep the temp folder")
    # Internal: one mode in a child process.
    parser.add_argument("--child", choices=MODES, help=argparse.SUPPRESS)
    parser.add_argument("--manifest", help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    parser.add_argument("--logdir", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return run_child(args)
    if args.quick:
        args.n = 20
    if args.n < 1 or args.threads < 1 or args.workers < 1:
        parser.error("-n, --threads and --workers must be at least 1")

    modes = MODES if args.mode == "both" else (args.mode,)
    work = Path(tempfile.mkdtemp(prefix="dokvault-bench-"))
    try:
        pdfs = work / "pdfs"
        pdfs.mkdir()
        started = time.perf_counter()
        manifest = generate_documents(args.n, pdfs, args.seed)
        pages_kib = sum(Path(f["path"]).stat().st_size for f in manifest["files"]) / 1024
        log(f"generated {args.n} PDFs ({pages_kib:.0f} KiB) in "
            f"{time.perf_counter() - started:.1f} s in {pdfs}")
        results = []
        for mode in modes:
            log(f"\n== {mode}")
            runner = run_embedded if mode == "embedded" else run_production
            try:
                result = runner(args, pdfs / "manifest.json", work)
            except Exception as exc:  # a server missing, a database that cannot be created...
                result = {"mode": mode, "ok": False, "error": f"{type(exc).__name__}: {exc}"}
            if not result["ok"]:
                log(f"  [{mode}] FAILED: {result['error']}")
            results.append(result)
    finally:
        if args.keep:
            log(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)

    print_table(results)
    figures: dict = {"n": args.n, "threads": args.threads}
    for r in results:
        for key, value in r.items():
            if key not in ("mode", "n", "threads") and value is not None:
                figures[f"{r['mode']}_{key}"] = (value.splitlines()[0] if key == "error"
                                                 else value)
    failed = [r for r in results if not r["ok"]]
    if failed:
        log("\nFAILED: " + "; ".join(f"{r['mode']}: {r['error'].splitlines()[0]}" for r in failed))
    figures["ok"] = not failed
    print(json.dumps(figures), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
