"""Runs `reflex run --env prod`, reusing the built frontend when nothing it is built from changed.

Reflex compiles the pages and runs a production build (~15 s) at every start. The build
depends only on the app's Python source, the assets, rxconfig and what it reads (port,
addresses), Reflex's version and the JS package lock; their hash is kept beside the build,
and a start with the same hash serves the build as it is. `python -m dokvault.frontend_build`
takes the arguments of `reflex`.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sys
from pathlib import Path

from reflex import constants
from reflex import reflex as reflex_cli
from reflex.config import get_config
from reflex.utils import build
from reflex.utils.prerequisites import get_web_dir

ROOT = Path(__file__).resolve().parent.parent
STAMP_NAME = "dokvault-build.sha256"
# What the compiled frontend is built from (the states' fields and events are in the
# pages' JavaScript, so every Python module of the app counts, not just pages).
SOURCES = ("dokvault", "assets", "rxconfig.py", "reflex.lock")
log = logging.getLogger("dokvault.frontend")


def fingerprint(config_values: dict, reflex_version: str, root: Path = ROOT) -> str:
    """A hash of every file the frontend is built from, the config it bakes in and Reflex's version."""
    digest = hashlib.sha256()
    digest.update(reflex_version.encode())
    digest.update(json.dumps(config_values, sort_keys=True, default=str).encode())
    for source in SOURCES:
        base = root / source
        files = [base] if base.is_file() else sorted(
            p for p in base.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
        for path in files:
            digest.update(str(path.relative_to(root)).encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def stamp_path(web: Path | None = None) -> Path:
    """Where the fingerprint of the build in `web` is kept: Reflex's `.web`, or the folder
    REFLEX_WEB_WORKDIR names (a parallel test worker's own)."""
    return (web or get_web_dir()) / STAMP_NAME


def is_current(print_: str, web: Path | None = None) -> bool:
    """Whether the web folder holds a finished build made from exactly this fingerprint."""
    web = web or get_web_dir()
    stamp = stamp_path(web)
    client = web / "build" / "client" / "index.html"
    return client.is_file() and stamp.is_file() and stamp.read_text().strip() == print_


def _baked_config() -> dict:
    """The config values the build writes into the frontend (addresses, ports, paths)."""
    config = get_config()
    return {name: getattr(config, name, None) for name in (
        "app_name", "api_url", "deploy_url", "frontend_path", "frontend_port", "backend_port",
        "transport", "show_built_with_reflex")}


def main() -> None:
    wanted = fingerprint(_baked_config(), constants.Reflex.VERSION)
    if is_current(wanted):
        log.info("frontend unchanged since its last build: serving it as built")
        print("DokVault: the frontend is unchanged since its last build; serving it.", flush=True)
        reflex_cli._compile_app = lambda **_: None
        build.setup_frontend_prod = lambda root: None
    else:
        original = build.setup_frontend_prod

        def setup_and_stamp(root: Path) -> None:
            stamp_path().unlink(missing_ok=True)  # a build that fails half-way is not reused
            original(root)
            stamp_path().write_text(wanted + "\n")

        build.setup_frontend_prod = setup_and_stamp
    sys.argv[0] = "reflex"
    sys.exit(reflex_cli.cli())


if __name__ == "__main__":
    main()
