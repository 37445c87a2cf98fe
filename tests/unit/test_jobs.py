"""Jobs by name (core/jobs.py): services send them without importing the workers, every
queue is declared on the embedded broker, each actor sits on the queue the table names,
and `dokvault worker` consumes every queue it is given."""

from __future__ import annotations

import os

import pytest
from typer.testing import CliRunner

from dokvault.core import jobs


def test_every_job_has_an_actor_on_its_queue(stub_worker):
    declared = {name: stub_worker.get_actor(name).queue_name
                for name in stub_worker.get_declared_actors()}
    assert declared == jobs.JOBS
    assert set(jobs.QUEUES) <= set(stub_worker.get_declared_queues())


def test_a_job_sent_by_name_runs(stub_worker, embedded):
    from dokvault.services import documents

    spool = documents.temp_dir() / "up-abandoned"
    spool.write_bytes(b"half an upload")
    os.utime(spool, (1, 1))  # long ago
    jobs.send("clean_temp_files")
    stub_worker.join(jobs.queue_of("clean_temp_files"), fail_fast=True)
    assert not spool.exists()


def test_services_never_import_the_workers():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "dokvault"
    offenders = [str(p.relative_to(root)) for p in root.rglob("*.py")
                 if "import workers" in p.read_text() or "from workers" in p.read_text()]
    # Only the entry points start the embedded worker: the app and the `import` command.
    assert sorted(offenders) == ["cli.py", "dokvault.py"]


def test_an_unknown_job_is_refused_before_anything_is_queued(stub_worker):
    with pytest.raises(KeyError):
        jobs.send("no_such_job")


@pytest.mark.parametrize("given, consumed", [
    ([], list(jobs.QUEUES)),
    (["--queue", "documents", "--queue", "email"], ["documents", "email"]),
])
def test_the_worker_command_consumes_every_queue_it_is_given(monkeypatch, given, consumed):
    from dokvault import cli

    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/9")
    from dokvault.core.caches import reset_caches

    reset_caches()
    started = {}
    monkeypatch.setattr(cli.os, "execv", lambda path, args: started.update(args=args))
    monkeypatch.setattr(cli.os, "chdir", lambda _path: None)
    result = CliRunner().invoke(cli.app, ["worker", *given])
    reset_caches()
    assert result.exit_code == 0, result.output
    args = started["args"]
    assert args[args.index("--queues") + 1:] == consumed
    assert {"workers.documents", "workers.ai", "workers.email", "workers.maintenance"} <= set(args)


def test_the_worker_command_refuses_an_unknown_queue(monkeypatch):
    from dokvault import cli
    from dokvault.core.caches import reset_caches

    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/9")
    reset_caches()
    result = CliRunner().invoke(cli.app, ["worker", "--queue", "docments"])
    reset_caches()
    assert result.exit_code == 2 and "Unknown queue: docments" in result.output
