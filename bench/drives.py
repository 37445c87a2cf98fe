"""Drive transfer benchmark: 200 files of mixed sizes and one 1 GiB file imported from a WebDAV
server (WsgiDAV, Basic auth, in a process of its own) into DokVault and exported back, against
a plain httpx GET/PUT of the same bytes to the same server.

    .venv/bin/python bench/drives.py              # 200 files + 1 GiB
    .venv/bin/python bench/drives.py --quick      # CI smoke: 20 files + 64 MiB
    .venv/bin/python bench/drives.py --big-mib 256 --files 50 --rounds 5

DokVault's side is the real path: the transfer service of the `run_drive_transfer` actor,
called in this process (webdavclient3 over the guarded requests session -> the documents'
intake: spooled, hashed, measured, moved into the local object store, a few rows per
commit; export: streamed from the object store through webdavclient3 PUT). Reading the
documents (extraction, OCR) is not timed: their queue is left unconsumed. The plain side
streams each file with httpx to or from disk.

Each side runs --rounds times (4), in turn with the other (plain first in even rounds, ours
in odd ones), each run after an `os.sync()`, and each time is the median of its rounds: on
this kind of disk a 1 GiB write's speed changes from one run to the next by more than the
code does. Speed ratios are plain time / DokVault time (1.0 = as fast as plain httpx); the
RSS growth is this process's peak during the big file's import and export over its RSS
before them (sampled every 20 ms), the most of any round. No timing asserts; the last line
is one JSON object with `ratio_import`, `ratio_export`, `rss_growth_mib` and every other
figure (each run's time under "rounds"). Every file it made
(the 1 GiB ones included) is removed at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import httpx
import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
MIB = 1024 * 1024
USER, PASSWORD = "bench", "bench-passord"
SERVER = """
import sys, threading
from pathlib import Path
from tests.webdav_server import DavServer
server = DavServer(Path(sys.argv[1]), auth="basic", user="bench", password="bench-passord")
server.port = int(sys.argv[2])
server.start()
print("ready", flush=True)
threading.Event().wait()
"""


def log(message: str) -> None:
    print(message, flush=True)


def make_files(folder: Path, count: int, big_mib: int, seed: int = 7) -> tuple[list[Path], Path]:
    """`count` text files of 1 KiB - 4 MiB (log-uniform), and one of `big_mib` MiB."""
    rng = random.Random(seed)
    words = ("kjøpekontrakt", "eiendom", "takst", "megler", "overtakelse", "selger", "kjøper", "tomt")
    block = " ".join(rng.choice(words) for _ in range(150_000)).encode()[:MIB]
    small = folder / "Mange filer"
    small.mkdir(parents=True)
    files = []
    for i in range(count):
        size = int(2 ** rng.uniform(10, 22))
        path = small / f"Dokument {i:03d} æøå.txt"
        path.write_bytes((block * (size // len(block) + 1))[:size])
        files.append(path)
    big = folder / "Stor fil.txt"
    with big.open("wb") as fh:
        for _ in range(big_mib):
            fh.write(block)
    return files, big


class Peak:
    """This process's peak RSS while in the block, sampled every 20 ms."""

    def __init__(self):
        self.process, self.peak, self._stop = psutil.Process(), 0, threading.Event()

    def __enter__(self) -> Peak:
        self.before = self.process.memory_info().rss
        self.peak = self.before
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, self.process.memory_info().rss)

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def growth_mib(self) -> float:
        return (self.peak - self.before) / MIB


def plain_get(client: httpx.Client, url: str, target: Path) -> None:
    with client.stream("GET", url) as response, target.open("wb") as fh:
        response.raise_for_status()
        for chunk in response.iter_bytes(MIB):
            fh.write(chunk)


def plain_put(client: httpx.Client, url: str, source: Path) -> None:
    def body():
        with source.open("rb") as fh:
            while chunk := fh.read(MIB):
                yield chunk
    response = client.put(url, content=body(), headers={"Content-Length": str(source.stat().st_size)})
    response.raise_for_status()


def plain_get_all(client: httpx.Client, urls: list[str], folder: Path) -> None:
    for i, url in enumerate(urls):
        plain_get(client, url, folder / f"{i}.txt")


def plain_put_all(client: httpx.Client, folder_url: str, sources: list[Path]) -> None:
    for i, source in enumerate(sources):
        plain_put(client, f"{folder_url}{i}.txt", source)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--big-mib", type=int, default=1024)
    parser.add_argument("--rounds", type=int, default=4, help="each side measured this many times, "
                        "alternating; the figures are the medians")
    parser.add_argument("--quick", action="store_true", help="20 files and 64 MiB, one round")
    args = parser.parse_args()
    if args.quick:
        args.files, args.big_mib, args.rounds = 20, 64, 1
    work = Path(tempfile.mkdtemp(prefix="dokvault-bench-drives-"))
    try:
        return run(args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)  # the 1 GiB files with everything else


def run(args, work: Path) -> int:
    from tests.servers import free_port, wait_for_port

    dav_root, data = work / "dav", work / "data"
    log(f"making {args.files} files and one of {args.big_mib} MiB in {work}")
    files, big = make_files(dav_root / "import", args.files, args.big_mib)
    small_bytes = sum(p.stat().st_size for p in files)
    port = free_port()
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(dav_root), str(port)], cwd=ROOT,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert wait_for_port(port, server), "WsgiDAV did not start"
        return measure(args, work, dav_root, data, files, big, small_bytes, f"http://127.0.0.1:{port}/")
    finally:
        server.terminate()
        server.wait(10)


def measure(args, work, dav_root, data, files, big, small_bytes, url) -> int:
    for name in list(os.environ):
        if name.startswith(("DATABASE_", "REDIS_", "MINIO_")):
            del os.environ[name]
    os.environ.update({"DOKVAULT_DATA_DIR": str(data), "MAX_UPLOAD_MB": str(args.big_mib + 64),
                       "OUTBOUND_ALLOWED_HOSTS": url.split("//")[1].rstrip("/"), "HIBP_ENABLED": "false"})
    from dramatiq.brokers.stub import StubBroker
    from sqlmodel import select

    import workers.embedded  # noqa: F401  (every actor declared; none is consumed here)
    from dokvault import db
    from dokvault.core.jobs import rebind
    from dokvault.migrations import upgrade_database
    from dokvault.models import DriveTransfer, DriveTransferItem, Role
    from dokvault.services import drives
    from dokvault.services.auth import accounts
    from dokvault.services.drives import transfers

    upgrade_database()
    rebind(StubBroker())  # transfers run below, in this process; documents are not read
    with db.session() as s:
        user = accounts.create_user(s, "bench@example.no", "benk passord 2026", Role.BROKER)
    auth = httpx.BasicAuth(USER, PASSWORD)
    figures: dict[str, list[float]] = {}

    def transfer(uid: str) -> None:
        with db.session() as s:
            transfer_id = s.exec(select(DriveTransfer.id).where(DriveTransfer.uid == uuid.UUID(uid))).one()
        transfers.run_transfer(transfer_id)
        with db.session() as s:
            failed = s.exec(select(DriveTransferItem).where(DriveTransferItem.transfer_id == transfer_id,
                                                            DriveTransferItem.status != "done")).all()
        assert not failed, [(f.name, f.error_code) for f in failed]

    # What a person's click starts (the transfer made, then moved), each timed whole.
    def import_folder(connection_id: int) -> None:
        transfer(drives.import_folder(user, connection_id, "/import/Mange filer/", "Mange filer"))

    def import_files(connection_id: int, entries: list) -> None:
        transfer(drives.import_files(user, connection_id, entries))

    def export(connection_id: int, folder: str, documents: list) -> None:
        transfer(drives.export_documents(user, connection_id, folder, folder.strip("/"),
                                         [str(d.uid) for d in documents]))

    def timed(label: str, fn, *args) -> None:
        os.sync()  # each run starts with nothing of the one before still being written to disk
        started = time.perf_counter()
        fn(*args)
        figures.setdefault(f"{label}_s", []).append(round(time.perf_counter() - started, 3))

    def peak_of(kind: str, fn, *args) -> None:
        with Peak() as peak:
            fn(*args)
        growth[kind] = max(growth[kind], peak.growth_mib)

    def in_turn(round_: int, *runs) -> None:
        """plain, ours, plain, ours: the plain side first in even rounds, ours in odd ones."""
        for plain, ours in zip(runs[::2], runs[1::2], strict=True):
            for label, fn, *args in ((plain, ours) if round_ % 2 == 0 else (ours, plain)):
                timed(label, fn, *args)

    from urllib.parse import quote

    from dokvault.models import Document
    from dokvault.storage.objects import get_object_store

    store_root = get_object_store().root  # the local object folder: plain PUTs read the same files
    small_urls = [f"{url}import/{quote('Mange filer')}/{quote(p.name)}" for p in files]
    big_url = f"{url}import/{quote(big.name)}"
    growth = {"import": 0.0, "export": 0.0}
    first: tuple[list, Document] | None = None  # the first round's documents, exported after
    with httpx.Client(auth=auth, timeout=600) as client:
        for round_ in range(args.rounds):
            log(f"import round {round_ + 1}/{args.rounds}")
            # A connection of its own each round: nothing is skipped as imported before.
            connection_id = drives.connect_with_password(user, "webdav", url, USER, PASSWORD).id
            big_entry = next(e for e in drives.browse(user, connection_id, "/import/").entries
                             if not e.is_folder)
            plain_dir = work / f"plain-{round_}"
            plain_dir.mkdir()
            in_turn(round_,
                    ("plain_small_import", plain_get_all, client, small_urls, plain_dir),
                    ("dokvault_small_import", import_folder, connection_id),
                    ("plain_big_import", plain_get, client, big_url, plain_dir / "big.txt"),
                    ("dokvault_big_import", peak_of, "import", import_files, connection_id, [big_entry]))
            shutil.rmtree(plain_dir)
            if first is None:
                with db.session() as s:
                    documents = s.exec(select(Document).where(Document.owner_id == user.id)).all()
                big_doc = next(d for d in documents if d.size == big.stat().st_size)
                first = ([d for d in documents if d.id != big_doc.id], big_doc)
        small_docs, big_doc = first
        for round_ in range(args.rounds):
            log(f"export round {round_ + 1}/{args.rounds}")
            folders = (f"plain-out-{round_}", f"export-{round_}", f"export-big-{round_}")
            for folder in folders:
                (dav_root / folder).mkdir()
            in_turn(round_,
                    ("plain_small_export", plain_put_all, client, f"{url}plain-out-{round_}/",
                     [store_root / d.object_key for d in small_docs]),
                    ("dokvault_small_export", export, connection_id, f"/export-{round_}/", small_docs),
                    ("plain_big_export", plain_put, client, f"{url}plain-out-{round_}/big.txt",
                     store_root / big_doc.object_key),
                    ("dokvault_big_export", peak_of, "export", export, connection_id,
                     f"/export-big-{round_}/", [big_doc]))
            assert (dav_root / f"export-big-{round_}" / big.name).stat().st_size == big.stat().st_size
            for folder in folders:
                shutil.rmtree(dav_root / folder)
    # Each figure is the median of its rounds: on this disk a 1 GiB write's speed changes from
    # one run to the next by more than the code does.
    median = {label: statistics.median(values) for label, values in figures.items()}
    plain_small_in, ours_small_in = median["plain_small_import_s"], median["dokvault_small_import_s"]
    plain_big_in, ours_big_in = median["plain_big_import_s"], median["dokvault_big_import_s"]
    plain_small_out, ours_small_out = median["plain_small_export_s"], median["dokvault_small_export_s"]
    plain_big_out, ours_big_out = median["plain_big_export_s"], median["dokvault_big_export_s"]
    n, big_mb, small_mb = len(files), big.stat().st_size / 1e6, small_bytes / 1e6
    ratio_import = (plain_small_in + plain_big_in) / (ours_small_in + ours_big_in)
    ratio_export = (plain_small_out + plain_big_out) / (ours_small_out + ours_big_out)
    rows = [
        ("import small", n / plain_small_in, n / ours_small_in, small_mb / plain_small_in,
         small_mb / ours_small_in),
        ("import big", 1 / plain_big_in, 1 / ours_big_in, big_mb / plain_big_in, big_mb / ours_big_in),
        ("export small", n / plain_small_out, n / ours_small_out, small_mb / plain_small_out,
         small_mb / ours_small_out),
        ("export big", 1 / plain_big_out, 1 / ours_big_out, big_mb / plain_big_out, big_mb / ours_big_out),
    ]
    log(f"\n{'':14}{'plain files/s':>14}{'ours files/s':>14}{'plain MB/s':>12}{'ours MB/s':>12}")
    for label, pf, of, pm, om in rows:
        log(f"{label:14}{pf:14.1f}{of:14.1f}{pm:12.1f}{om:12.1f}")
    most = max(growth.values())
    # Each part's own ratio too: the big file's weight hides what the small files cost.
    parts = {"small_import": plain_small_in / ours_small_in, "big_import": plain_big_in / ours_big_in,
             "small_export": plain_small_out / ours_small_out, "big_export": plain_big_out / ours_big_out}
    log("\nparts vs plain httpx: " + ", ".join(f"{k.replace('_', ' ')} {v:.2f}" for k, v in parts.items()))
    log(f"speed vs plain httpx: import {ratio_import:.2f}, export {ratio_export:.2f} (target >= 0.8); "
        f"RSS growth over the {args.big_mib} MiB file: import {growth['import']:.1f} MiB, "
        f"export {growth['export']:.1f} MiB (target < 64)")
    result = {"files": n, "small_mb": round(small_mb, 1), "big_mib": args.big_mib,
              **{f"{label.replace(' ', '_')}_mb_per_s": {"plain": round(pm, 1), "dokvault": round(om, 1)}
                 for label, _, _, pm, om in rows},
              **{f"{label.replace(' ', '_')}_files_per_s": {"plain": round(pf, 1), "dokvault": round(of, 1)}
                 for label, pf, of, _, _ in rows},
              **{label: round(value, 3) for label, value in median.items()}, "rounds": figures,
              "rss_import_growth_mib": round(growth["import"], 1),
              "rss_export_growth_mib": round(growth["export"], 1),
              **{f"ratio_{part}": round(value, 3) for part, value in parts.items()},
              "ratio_import": round(ratio_import, 3), "ratio_export": round(ratio_export, 3),
              "rss_growth_mib": round(most, 1)}
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
