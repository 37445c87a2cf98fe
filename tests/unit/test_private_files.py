"""The data folder is its owner's only: 0700 folders, 0600 files, also when an older
version left it readable (dokvault.core.private)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from tests.unit.helpers import wait_final


@pytest.fixture
def usual_umask():
    """A shell's usual umask (files 0644), put back afterwards: make_private changes it."""
    before = os.umask(0o022)
    yield
    os.umask(before)


def open_to_others(root: Path) -> list[str]:
    paths = [root, *root.rglob("*")]
    return [f"{p.relative_to(root)} {stat.filemode(p.lstat().st_mode)}" for p in paths
            if not p.is_symlink() and stat.S_IMODE(p.lstat().st_mode) & 0o077]


def test_a_data_folder_left_readable_is_tightened_at_start(clean_env, usual_umask):
    from dokvault.core.private import make_private

    (clean_env / "objects" / "1" / "abc").mkdir(parents=True)
    (clean_env / "objects" / "1" / "abc" / "kontrakt.pdf").write_bytes(b"%PDF")
    (clean_env / "dokvault.db").write_bytes(b"")
    script = clean_env / "tool.sh"
    script.write_text("#!/bin/sh\n")
    script.chmod(0o755)
    (clean_env / "link").symlink_to("/etc/hostname")
    assert open_to_others(clean_env)

    make_private()
    assert open_to_others(clean_env) == []
    assert stat.S_IMODE(clean_env.stat().st_mode) == 0o700
    assert stat.S_IMODE((clean_env / "dokvault.db").stat().st_mode) == 0o600
    assert stat.S_IMODE(script.stat().st_mode) == 0o700  # the owner's bits are kept
    assert stat.S_IMODE(Path("/etc/hostname").stat().st_mode) & 0o044  # links not followed


def test_everything_dokvault_writes_is_the_owners_only(clean_env, usual_umask, stub_worker,
                                                       tmp_path):
    from dokvault.core.private import make_private
    from dokvault.migrations import upgrade_database
    from dokvault.services import documents
    from dokvault.settings import get_settings
    from tests import samples

    make_private()
    upgrade_database()  # the SQLite file, its -wal and -shm
    get_settings().signing_key()  # the generated secret key
    from dokvault import db
    from dokvault.services.auth import accounts

    with db.session() as s:
        owner = accounts.create_first_admin(s, "admin@example.no", "correct horse battery")
    pdf = samples.make_pdf(tmp_path / "Kjøpekontrakt.pdf", [samples.KJOPEKONTRAKT])
    wait_final(documents.ingest_path(owner.id, pdf).id)  # objects, thumbnail, spool
    written = {p.name for p in clean_env.rglob("*")}
    assert {"dokvault.db", "dokvault.db-wal", "secret.key", "objects", "tmp"} <= written
    assert open_to_others(clean_env) == []


def test_the_secret_key_is_never_readable_by_others(clean_env, usual_umask):
    from dokvault.settings import get_settings

    get_settings().signing_key()
    assert stat.S_IMODE((clean_env / "secret.key").stat().st_mode) == 0o600
    assert stat.S_IMODE(clean_env.stat().st_mode) == 0o700
