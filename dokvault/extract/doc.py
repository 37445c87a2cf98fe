"""Legacy Word documents (.doc, Word 97-2003), read by catdoc (Debian's `catdoc`).

catdoc runs as a subprocess, like Tesseract: a file that trips it up costs a process, not
the worker. Its output is read as far as the text that is kept (MAX_TEXT_CHARS) and the
process is killed after CATDOC_TIMEOUT_S. (antiword, the other Debian reader, crashes on
files that lack the optional tables Word writes; catdoc reads the text between the
offsets the file header gives.)
"""

from __future__ import annotations

import functools
import logging
import shutil
import subprocess
import threading
from pathlib import Path

from dokvault.extract.text import MAX_BYTES
from dokvault.extract.types import Extracted, ExtractionError

log = logging.getLogger(__name__)
CATDOC_TIMEOUT_S = 60


@functools.lru_cache(maxsize=1)
def _binary() -> str:
    binary = shutil.which("catdoc")
    if binary is None:
        raise ExtractionError("error.doc_reader_missing", "catdoc is not installed")
    return binary


def _run(path: Path) -> tuple[bytes, int, bool]:
    """catdoc's output (at most MAX_BYTES), its exit code, and whether it ran out of time."""
    # -w: paragraphs as lines, not wrapped at 72 columns; -d utf-8: the output's encoding.
    with subprocess.Popen([_binary(), "-w", "-d", "utf-8", str(path)], stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL) as process:
        timed_out = threading.Event()

        def stop() -> None:
            timed_out.set()
            process.kill()

        timer = threading.Timer(CATDOC_TIMEOUT_S, stop)
        timer.start()
        try:
            assert process.stdout is not None
            output = process.stdout.read(MAX_BYTES)
            if process.stdout.read(1):
                process.kill()  # more than is kept: the rest is never read
            code = process.wait()
        finally:
            timer.cancel()
    return output, code, timed_out.is_set()


def extract(path: Path) -> Extracted:
    output, code, timed_out = _run(path)
    if timed_out:
        log.warning("catdoc ran out of time after %s s", CATDOC_TIMEOUT_S)
    elif code > 0 and not output.strip():
        raise ExtractionError("error.corrupt_doc", f"catdoc exited with {code}")
    text = output.decode("utf-8", "replace").replace("\x00", "")
    return Extracted(text="\n".join(line.rstrip() for line in text.splitlines()).strip())
