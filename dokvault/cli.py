"""The `dokvault` command: run, worker, scheduler, migrate, create-admin, import, check,
requeue."""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlmodel import col, select

import workers.embedded
from dokvault import db
from dokvault.core import audit, outages
from dokvault.core.filenames import UploadRefused
from dokvault.core.jobs import QUEUES
from dokvault.core.logs import configure_logging
from dokvault.core.private import make_private
from dokvault.extract.formats import is_supported
from dokvault.i18n import translate
from dokvault.migrations import upgrade_database
from dokvault.models import Document, User
from dokvault.models.documents import PENDING_STATUSES
from dokvault.services import documents, drives
from dokvault.services.auth import accounts
from dokvault.services.ops import audit_export, sanity, schedule
from dokvault.settings import get_settings

# How long `import` waits for suggestions once every document is read.
SUGGESTIONS_PATIENCE_S = 120
# How long `import` rides out an outage of a service before it stops (one line of reason).
IMPORT_PATIENCE_S = 15 * 60
IMPORT_BACKOFF_MAX_S = 10.0  # at most this long after the service is back
T = TypeVar("T")
# One module per queue; every worker process declares every actor.
WORKER_MODULES = ("workers.documents", "workers.ai", "workers.email", "workers.integrations",
                  "workers.maintenance")
app = typer.Typer(help="DokVault: a self-hosted document hub.", no_args_is_help=True)
console = Console()
log = logging.getLogger("dokvault.cli")
ROOT = Path(__file__).resolve().parent.parent


def _tool_env() -> dict[str, str]:
    """Environment for Reflex: bun from the repository, caches inside it, no telemetry."""
    env = dict(os.environ)
    tools = ROOT / ".tools" / "node_modules" / ".bin"
    if tools.is_dir():
        env["PATH"] = f"{tools}{os.pathsep}{env.get('PATH', '')}"
    env.setdefault("REFLEX_DIR", str(ROOT / ".reflex"))
    env.setdefault("BUN_INSTALL_CACHE_DIR", str(ROOT / ".cache" / "bun"))
    env.setdefault("BUN_RUNTIME_TRANSPILER_CACHE_PATH", str(ROOT / ".cache" / "bun-transpiler"))
    env.setdefault("REFLEX_TELEMETRY_ENABLED", "false")
    env.setdefault("REFLEX_CHECK_LATEST_VERSION", "false")
    return env


@app.callback()
def main() -> None:
    """Every command (and what it starts: Reflex, Dramatiq) writes owner-only files."""
    make_private()


@app.command()
def migrate() -> None:
    """Bring the database schema up to date (uses DATABASE_MIGRATE_URL, the DDL role)."""
    configure_logging()
    upgrade_database()
    console.print("[green]Database schema is up to date.[/]")


@app.command()
def run(
    port: Annotated[int | None, typer.Option(help="Port for the app (default PORT or 3000)")] = None,
) -> None:
    """Migrate, then serve DokVault on one port (frontend and backend)."""
    migrate()
    if not get_settings().embedded_workers:
        # Once per start, not per backend worker: re-send what the database says is pending.
        documents.requeue_pending()
        drives.requeue_at_start(workers_died=False)  # worker processes may still be moving some
    env = _tool_env()
    if port:
        env["PORT"] = str(port)
    # Reflex through our launcher: it skips the frontend build when nothing it is built from changed.
    os.chdir(ROOT)
    os.execve(sys.executable, [sys.executable, "-m", "dokvault.frontend_build", "run", "--env",
                               "prod"], env)


@app.command()
def worker(
    queues: Annotated[list[str] | None, typer.Option(
        "--queue", help="A queue to consume (repeat for more; default: all)")] = None,
    processes: int = 1,
    threads: int = 4,
) -> None:
    """Run Dramatiq workers (production: needs REDIS_URL)."""
    configure_logging()
    if not get_settings().redis_url:
        log.error("worker refused: REDIS_URL is not set")
        console.print("[red]REDIS_URL is not set: on the embedded default the app runs the "
                      "workers itself.[/]")
        raise typer.Exit(2)
    unknown = sorted(set(queues or ()) - set(QUEUES))
    if unknown:
        log.error("worker refused: unknown queue %s", ", ".join(unknown))
        console.print(f"[red]Unknown queue: {', '.join(unknown)}. Queues: {', '.join(QUEUES)}.[/]")
        raise typer.Exit(2)
    _requeue_at_start()
    dramatiq = Path(sys.executable).with_name("dramatiq")
    # Dramatiq keeps only the last of several --queues flags: one flag, every queue after it.
    args = [str(dramatiq), *WORKER_MODULES, "--processes", str(processes), "--threads",
            str(threads), "--queues", *(queues or QUEUES)]
    os.chdir(ROOT)
    os.execv(str(dramatiq), args)


def _requeue_at_start() -> None:
    """A worker starting (after a crash, say) sends again what went stale meanwhile; with
    a service away it starts anyway and the scheduled sweep does it later."""
    try:
        documents.requeue_stuck()
        drives.requeue_at_start(workers_died=False)  # other workers may still be moving some
    except Exception as exc:
        log.warning("stale work not requeued at start: %s", type(exc).__name__)


@app.command("scheduler")
def run_scheduler(
    heartbeat: Annotated[Path | None, typer.Option(
        help="File touched at every lease check, for a health check")] = None,
) -> None:
    """Fire the scheduled jobs (production: needs REDIS_URL). Start as many as you like:
    one holds the Redis lease and fires, the others stand by and take over."""
    configure_logging()
    if not get_settings().redis_url:
        log.error("scheduler refused: REDIS_URL is not set")
        console.print("[red]REDIS_URL is not set: on the embedded default the app runs the "
                      "scheduler itself.[/]")
        raise typer.Exit(2)
    stopping = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopping.set())
    scheduler = schedule.scheduler(heartbeat=heartbeat)
    scheduler.start()
    while not stopping.wait(1):  # woken by the signal handler within a second
        pass
    scheduler.stop()  # the lease is given back: a standby takes over at its next check
    log.info("scheduler stopped")


def _create_user(email: str, password: str, role: str, name: str) -> None:
    configure_logging()
    with db.session() as s:
        try:
            user = accounts.create_user(s, email, password, role, name)
        except accounts.AccountError as exc:
            console.print(f"[red]{translate('en', exc.code, **exc.values)}[/]")
            raise typer.Exit(1) from exc
        audit.record("admin.user_created", target_user_id=user.id, session=s, via="cli", role=role)
    console.print(f"[green]{role} {email} created.[/]")


@app.command("create-admin")
def create_admin(
    email: str,
    name: Annotated[str, typer.Option(help="Display name")] = "",
    password: Annotated[str, typer.Option(prompt=True, hide_input=True,
                                          confirmation_prompt=True)] = "",
) -> None:
    """Create an administrator account."""
    _create_user(email, password, "admin", name)


@app.command("create-user")
def create_user(
    email: str,
    role: Annotated[str, typer.Option(help="admin, office_manager or broker")] = "broker",
    name: Annotated[str, typer.Option(help="Display name")] = "",
    password: Annotated[str, typer.Option(prompt=True, hide_input=True,
                                          confirmation_prompt=True)] = "",
) -> None:
    """Create a user account with a role."""
    if role not in ("admin", "office_manager", "broker"):
        console.print(f"[red]Unknown role {role!r}.[/]")
        raise typer.Exit(2)
    _create_user(email, password, role, name)


def _wait_until_settled(progress: Progress, ids: list[int]) -> None:
    """Until every imported document, and every attachment they brought, is read and has its
    suggestions (the `ai` queue), or suggestions are late: they come later, the documents
    are ready already. On the embedded default the jobs live in this process, so it waits."""
    task = progress.add_task("Processing", total=len(ids))
    patience = time.monotonic() + SUGGESTIONS_PATIENCE_S
    def look() -> tuple[list[int], list[int], list[int]]:
        with db.session() as s:
            family = documents.with_attachments(s, ids)
            done = s.exec(select(Document.id).where(
                col(Document.id).in_(family), col(Document.status).in_(["ready", "failed"]))).all()
            return family, list(done), documents.unclassified(s, family)

    while True:
        family, done, waiting = _ride_out(look)
        progress.update(task, total=len(family), completed=len(done) - len(waiting))
        if len(done) == len(family) and (not waiting or time.monotonic() > patience):
            return
        if len(done) < len(family):
            patience = time.monotonic() + SUGGESTIONS_PATIENCE_S
        time.sleep(0.5)


@app.command("import")
def import_folder(
    folder: Path,
    owner: Annotated[str, typer.Option(help="E-mail of the user who will own the documents")],
    wait: Annotated[bool, typer.Option(help="Wait until every document is processed")] = True,
) -> None:
    """Ingest every supported file under FOLDER, with a progress bar. Run again, it skips
    what is stored already and imports the rest."""
    configure_logging()
    logging.getLogger("dokvault").setLevel(logging.WARNING)
    if not folder.is_dir():
        console.print(f"[red]{folder} is not a folder.[/]")
        raise typer.Exit(2)
    embedded = get_settings().embedded_workers
    try:
        user_id = _ride_out(lambda: _owner_id(owner))
        if embedded:
            workers.embedded.start()
        _import_files(folder, user_id, wait)
    except typer.Exit:
        raise
    except Exception as exc:  # one line of reason, not a traceback; what is stored stays
        console.print(f"[red]Import stopped:[/] {_stop_reason(exc)}")
        raise typer.Exit(1) from None
    finally:
        if embedded:
            workers.embedded.stop()


def _owner_id(owner: str) -> int:
    with db.session() as s:
        user = s.exec(select(User).where(User.email == owner.strip().lower())).first()
    if user is None or user.id is None:
        console.print(f"[red]No user with e-mail {owner}.[/]")
        raise typer.Exit(2)
    return user.id


def _stop_reason(exc: BaseException) -> str:
    service = outages.service_of(exc)
    again = "Run the same command again to import the rest: what is stored is skipped."
    if service:
        return f"{service} is unreachable ({type(exc).__name__}). {again}"
    return f"unexpected error ({type(exc).__name__}). {again}"


def _ride_out(action: Callable[[], T]) -> T:
    """`action()`, tried again with backoff while the database, the object store or the
    broker is away (core.outages), for up to IMPORT_PATIENCE_S; other errors go up."""
    deadline = time.monotonic() + IMPORT_PATIENCE_S
    delay, told = 1.0, False
    while True:
        try:
            return action()
        except Exception as exc:
            if not outages.is_outage(exc) or time.monotonic() + delay > deadline:
                raise
            if not told:
                console.print(f"[yellow]{outages.service_of(exc)} is unreachable "
                              f"({type(exc).__name__}): waiting for it.[/]")
                told = True
        time.sleep(delay)  # backoff while the service is away, not a wait for state
        delay = min(delay * 2, IMPORT_BACKOFF_MAX_S)


def _import_one(user_id: int, path: Path) -> int | None:
    """The new document's id; None when the owner has this file already. An outage midway
    is ridden out: an object whose row is unknown is settled first (kept if its row
    committed, deleted if not), then the file is stored again."""
    if not is_supported(path.name):
        raise UploadRefused("error.unsupported_type")
    sha256 = documents.file_sha256(path)
    unsettled: list[str] = []

    def attempt() -> int | None:
        while unsettled:
            claimed = documents.settle_object(unsettled[-1])
            unsettled.pop()
            if claimed is not None:
                return claimed  # the commit went through before the error
        if documents.already_stored(user_id, sha256):
            return None
        try:
            return documents.ingest_path(user_id, path).id
        except documents.UnsettledObject as exc:
            unsettled.append(exc.key)
            raise

    return _ride_out(attempt)


def _import_files(folder: Path, user_id: int, wait: bool) -> None:
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    ids: list[int] = []
    skipped = 0
    refused: list[tuple[Path, str]] = []
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())
    with Progress(*columns, console=console) as progress:
        task = progress.add_task("Storing", total=len(files))
        for path in files:
            try:
                document_id = _import_one(user_id, path)
            except UploadRefused as exc:
                refused.append((path, translate("en", exc.code, mb=get_settings().max_upload_mb,
                                                **exc.values)))
            else:
                if document_id is None:
                    skipped += 1
                else:
                    ids.append(document_id)
            progress.advance(task)
        if wait and ids:
            _wait_until_settled(progress, ids)
    for path, reason in refused:  # whole lines: a path broken over two lines cannot be copied
        console.print(f"[yellow]Refused[/] {escape(str(path))}: {escape(reason)}", soft_wrap=True)
    console.print(f"[green]{len(ids)} stored[/], {skipped} already imported, {len(refused)} refused.")


@app.command()
def check(
    checksums: Annotated[bool, typer.Option(
        help="Also compare every original's checksum (reads every file)")] = False,
) -> None:
    """Find rows without stored objects and objects without rows; exit 1 when any."""
    configure_logging()
    report = sanity.run(checksums=checksums)
    console.print(f"{report.documents} documents, {report.objects} stored objects checked.")
    if not report.counts:
        console.print("[green]No problems found.[/]")
        return
    for kind in sanity.KINDS:
        if report.counts.get(kind):
            console.print(f"[red]{report.counts[kind]} {kind.replace('_', ' ')}[/]")
    for problem in report.problems[:20]:
        document = f" (document {problem['document_id']})" if problem["document_id"] else ""
        console.print(f"  {problem['kind']}: {problem['key']}{document}")
    raise typer.Exit(1)


@app.command()
def requeue(
    failed: Annotated[bool, typer.Option(
        "--failed", help="Also read every failed document again (after fixing the cause)")] = False,
) -> None:
    """Send the jobs of every unfinished document again; prints how many."""
    configure_logging()
    embedded = get_settings().embedded_workers
    if embedded:  # the in-memory queue lives in this process: work it off before leaving
        workers.embedded.start()
    retried = documents.retry_failed() if failed else 0
    with db.session() as s:
        ids = list(s.exec(select(Document.id).where(
            col(Document.status).in_([str(p) for p in PENDING_STATUSES]))).all())
    count = documents.requeue_pending()
    if failed:
        console.print(f"{retried} failed documents sent to be read again.")
    if embedded:
        if ids:
            with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                          console=console) as progress:
                _wait_until_settled(progress, ids)
        workers.embedded.stop()
    console.print(f"{count} documents requeued.")


@app.command("export-audit")
def export_audit(
    day: Annotated[str | None, typer.Option(
        help="Write this UTC day (YYYY-MM-DD) again, finished or not; default: every finished "
             "day not yet exported, then the retention (as the nightly job)")] = None,
) -> None:
    """Write the audit log to the object store (audit/YYYY/MM/DD.jsonl, .csv, .manifest.json)."""
    configure_logging()
    if day is None:
        if not audit_export.run_daily():
            console.print("[red]An export is running elsewhere.[/]")
            raise typer.Exit(1)
        console.print("Audit log exported.")
        return
    try:
        wanted = date.fromisoformat(day)
    except ValueError:
        console.print(f"[red]Not a day: {day!r} (YYYY-MM-DD)[/]")
        raise typer.Exit(2) from None
    row = audit_export.export_day(wanted)
    console.print(f"{wanted}: {row.rows} entries written to "
                  f"{audit_export.key_of(wanted, 'jsonl')}.")


if __name__ == "__main__":
    app()
