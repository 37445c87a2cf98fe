"""`dokvault run` leaves the tracked files as they are, and a second start with nothing
changed reuses the built frontend instead of building it again."""

from __future__ import annotations

import subprocess

from dokvault import frontend_build
from tests.e2e.conftest import ROOT, _settings_free_env, _start_app, _stop


def _tracked_status() -> str:
    return subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                          capture_output=True, text=True, check=True).stdout


def test_running_changes_no_tracked_file_and_reuses_the_build(tmp_path):
    before = _tracked_status()
    frontend_build.stamp_path().unlink(missing_ok=True)  # the first start builds, as after a change
    process, app = _start_app("startup", _settings_free_env(), tmp_path / "data")
    _stop(process)
    assert "unchanged since its last build" not in app.log()
    assert _tracked_status() == before
    assert frontend_build.stamp_path().is_file()

    # The same port: it is built into the frontend, another one is another build.
    port = int(app.url.rsplit(":", 1)[1])
    process, app = _start_app("startup", _settings_free_env(), tmp_path / "data", port=port)
    _stop(process)
    assert "unchanged since its last build" in app.log()
    assert _tracked_status() == before
