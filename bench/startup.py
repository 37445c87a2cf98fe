"""Start-up time of `dokvault run`: seconds until the HTTP port answers, twice.

The first start builds the frontend when nothing is cached; the second, with nothing
changed, should reuse it. Prints both figures and one line of JSON; asserts no timings.
Use `--cold` to drop the frontend cache first (.web/build and the fingerprint).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_once(data_dir: Path, port: int) -> float:
    """Seconds from launching `dokvault run` until GET / answers 200."""
    env = {**os.environ, "PORT": str(port), "DOKVAULT_DATA_DIR": str(data_dir),
           "FRONTEND_URL": f"http://localhost:{port}"}
    started = time.monotonic()
    process = subprocess.Popen([str(Path(sys.executable).with_name("dokvault")), "run"],
                               cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = started + 300
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise SystemExit(f"dokvault run exited with {process.returncode}")
            try:
                if httpx.get(f"http://localhost:{port}/", timeout=1).status_code == 200:
                    return time.monotonic() - started
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise SystemExit("dokvault run did not answer within 300 s")
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)


def main() -> None:
    if "--cold" in sys.argv:
        shutil.rmtree(ROOT / ".web", ignore_errors=True)
    with tempfile.TemporaryDirectory() as tmp:
        # One port for both, as `make run` uses PORT: the port is built into the frontend.
        port = _free_port()
        first = start_once(Path(tmp) / "data", port)
        second = start_once(Path(tmp) / "data", port)
    print(f"first start:  {first:5.1f} s")
    print(f"second start: {second:5.1f} s")
    print(json.dumps({"first_start_s": round(first, 2), "second_start_s": round(second, 2)}))


if __name__ == "__main__":
    main()
