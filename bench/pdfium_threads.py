"""Reproduce: DokVault's PDF extraction and thumbnails are not safe in several threads.

PDFium is not thread-safe (pypdfium2 README, "Incompatibility with Threading"), but
Dramatiq runs `process_document` in several worker threads of one process (2 in the
embedded default, --threads N in production). This runs `dokvault.extract.extract`
and `thumbnail.render` on valid PDFs from several threads and counts errors and
texts that differ from a single-threaded run. It may also crash with SIGSEGV.

    .venv/bin/python bench/pdfium_threads.py --threads 3
    .venv/bin/python bench/pdfium_threads.py --threads 3 --lock   # one lock: no errors

Exit status 1 when anything went wrong.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.ingest import generate_documents  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=300, help="documents per thread")
    parser.add_argument("--lock", action="store_true", help="serialise PDFium with one lock")
    args = parser.parse_args()

    from dokvault.extract import extract, pdf, thumbnail

    if args.lock:
        lock = threading.Lock()
        for name in ("extract", "render_first_page"):
            original = getattr(pdf, name)

            def locked(*a, _fn=original, **kw):
                with lock:
                    return _fn(*a, **kw)

            setattr(pdf, name, locked)

    folder = Path(tempfile.mkdtemp(prefix="dokvault-pdfium-"))
    try:
        files = [Path(f["path"]) for f in generate_documents(40, folder, seed=7)["files"]]
        expected = {f: extract(f, ".pdf").text for f in files}
        problems: Counter[str] = Counter()

        def work(k: int) -> None:
            for i in range(args.rounds):
                path = files[(i * 7 + k) % len(files)]
                try:
                    if extract(path, ".pdf").text != expected[path]:
                        problems["wrong text"] += 1
                    thumbnail.render(path, ".pdf", "")
                except Exception as exc:
                    problems[f"{type(exc).__name__}: {exc}"] += 1

        started = time.perf_counter()
        threads = [threading.Thread(target=work, args=(k,)) for k in range(args.threads)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        total = args.threads * args.rounds
        print(f"{total} documents in {args.threads} threads, {time.perf_counter() - started:.1f} s"
              f"{' (with one lock)' if args.lock else ''}: "
              + (", ".join(f"{n} x {what}" for what, n in problems.most_common()) or "no errors"))
        return 1 if problems else 0
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
