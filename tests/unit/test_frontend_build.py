"""The built frontend is reused only when nothing it is built from changed."""

from __future__ import annotations

import shutil
from pathlib import Path

from dokvault import frontend_build

ROOT = Path(__file__).resolve().parents[2]
CONFIG = {"api_url": "http://localhost:3000", "frontend_port": 3000}


def _copy_sources(tmp: Path) -> Path:
    for source in frontend_build.SOURCES:
        src = ROOT / source
        if src.is_dir():
            shutil.copytree(src, tmp / source, ignore=shutil.ignore_patterns("__pycache__"))
        elif src.is_file():
            shutil.copy(src, tmp / source)
    return tmp


def test_the_fingerprint_follows_the_sources_the_config_and_reflex(tmp_path):
    root = _copy_sources(tmp_path)
    first = frontend_build.fingerprint(CONFIG, "0.10.1", root)
    assert frontend_build.fingerprint(CONFIG, "0.10.1", root) == first
    assert frontend_build.fingerprint(CONFIG, "0.10.2", root) != first
    # The port is built into the frontend's addresses: another PORT is another build.
    assert frontend_build.fingerprint({**CONFIG, "frontend_port": 3001}, "0.10.1", root) != first
    page = root / "dokvault" / "pages" / "documents" / "listing.py"
    page.write_text(page.read_text() + "\n# changed\n")
    changed = frontend_build.fingerprint(CONFIG, "0.10.1", root)
    assert changed != first
    (root / "reflex.lock" / "bun.lock").write_text("{}")
    assert frontend_build.fingerprint(CONFIG, "0.10.1", root) != changed


def test_a_build_is_current_only_when_finished_and_stamped_with_the_same_print(tmp_path):
    web = tmp_path / ".web"
    assert not frontend_build.is_current("abc", web)
    (web / "build" / "client").mkdir(parents=True)
    (web / frontend_build.STAMP_NAME).write_text("abc\n")
    assert not frontend_build.is_current("abc", web)  # no index.html: the build did not finish
    (web / "build" / "client" / "index.html").write_text("<html></html>")
    assert frontend_build.is_current("abc", web)
    assert not frontend_build.is_current("abd", web)
