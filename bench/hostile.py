"""Hostile-file benchmark: bombs of every kind DokVault reads, ingested on the embedded default.

    .venv/bin/python bench/hostile.py            # every file at an attacker's sizes (~5 min)
    .venv/bin/python bench/hostile.py --quick    # CI smoke run: small shapes, a few seconds each
    .venv/bin/python bench/hostile.py --only pdf # files whose name contains "pdf"

The files are built first, in this process (bench/hostile_files.py: ZIP bombs in DOCX and
ODT, flate-bomb and image-bomb PDFs, page-tree loops, a million-page tree, 2,000 scanned
pages, pages 200 inches wide or a hair thin, PNG decompression bombs and text-chunk bombs,
JPEG and TIFF of absurd dimensions, a 2,000-page TIFF, an e-mail carrying a zip-bomb DOCX,
mails nested deep and wide, 99 MB of HTML and of text, and one ordinary PDF to compare).
A child process then runs the embedded default from a clean environment (SQLite, the
local object folder, the in-process Dramatiq worker with its two threads) and takes the
files one at a time, the path a browser upload takes: `documents.ingest_path`, then the
worker, as `dokvault import` does. A file's clock runs from the upload until it and every
document it made (attachments, at any depth) are ready or failed; its peak RSS is the
process tree's (the app and the Tesseract processes it starts), sampled every 50 ms.

Targets: peak RSS < 1 GiB, every file final within 120 s. The last line of output is one
JSON object: `peak_rss_mib`, `slowest_s`, `slowest_file`, `ok` and every file's outcome.
Exit status: 0 when the targets are met, 1 when not, 2 on bad usage.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import hostile_files as h  # noqa: E402
from bench.ingest import SERVER_VARS, RssSampler, log  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
MIB = 1024 * 1024
GIB = 1024 * MIB
TARGET_RSS_MIB = 1024
TARGET_SECONDS = 120


def build_files(folder: Path, quick: bool) -> list[tuple[str, Path]]:
    """(what it is, where it is) for every hostile file, at full or smoke-test size."""
    from tests.samples import KJOPEKONTRAKT, SALGSOPPGAVE, make_pdf

    big = not quick
    inner = h.docx_bomb(folder / "vedlegg-bombe.docx", GIB if big else 20 * MIB)
    plan = [
        ("control: ordinary 2-page PDF", lambda p: make_pdf(p, [SALGSOPPGAVE, KJOPEKONTRAKT]),
         "kontroll.pdf"),
        ("DOCX zip bomb (document.xml 100 MB)", lambda p: h.docx_bomb(p, 100 * MIB if big else 20 * MIB),
         "bombe-100mb.docx"),
        ("DOCX zip bomb (document.xml 1 GiB)", lambda p: h.docx_bomb(p, GIB), "bombe-1gb.docx"),
        ("DOCX with 50,000 zip entries", lambda p: h.docx_with_entries(p, 50_000 if big else 12_000),
         "oppfor.docx"),
        ("ODT zip bomb (content.xml 1 GiB)", lambda p: h.odt_bomb(p, GIB if big else 20 * MIB),
         "bombe.odt"),
        ("PDF flate bomb (content 2 GiB)", lambda p: h.pdf_flate_bomb(p, 2 * GIB if big else 200 * MIB),
         "flate-bombe.pdf"),
        ("PDF image bomb (40000x40000 grey)",
         lambda p: h.pdf_image_bomb(p, *((40_000, 40_000) if big else (12_000, 12_000))),
         "bilde-bombe.pdf"),
        ("PDF page-tree loop", h.pdf_page_tree_cycle, "sykel.pdf"),
        ("PDF of a million pages (shared tree)", lambda p: h.pdf_many_pages(p, 1000 if big else 100),
         "million-sider.pdf"),
        ("PDF of 2,000 scanned pages", lambda p: h.pdf_scanned_pages(p, 2000 if big else 12),
         "skannet-2000.pdf"),
        ("PDF page 200 inches square (scan)", h.pdf_huge_page, "plakat.pdf"),
        ("PDF page 0.05 pt wide, 200 in tall", h.pdf_thin_page, "tynn.pdf"),
        ("PNG decompression bomb (1.6 Gpx)", lambda p: h.png_bomb(p, 40_000, 40_000), "bombe.png"),
        ("PNG 144 Mpx (under Pillow's error)", lambda p: h.png_bomb(p, 12_000, 12_000), "stor.png"),
        ("PNG 99 Mpx (accepted, OCR scaled)",
         lambda p: h.png_bomb(p, *((9_900, 10_000) if big else (3_000, 3_000)), bit_depth=8),
         "99mpx.png"),
        ("PNG zTXt chunk inflating to 100 MB", lambda p: h.png_text_bomb(p, 100 * MIB),
         "tekst-bombe.png"),
        ("PNG 80 text chunks of 1 MB each", lambda p: h.png_many_text_chunks(p, 80),
         "tekstbiter.png"),
        ("JPEG claiming 60000x60000", h.jpeg_huge_dimensions, "stor.jpg"),
        ("TIFF of 2,000 pages", lambda p: h.tiff_many_pages(p, 2000 if big else 12),
         "sider-2000.tif"),
        ("TIFF 30000x30000 bi-level", lambda p: h.tiff_huge_dimensions(p, 30_000, 30_000),
         "stor.tif"),
        ("e-mail carrying a zip-bomb DOCX", lambda p: h.eml_carrying(p, inner), "med-bombe.eml"),
        ("e-mail nested 12 deep", lambda p: h.eml_nested(p, 12, 1), "dyp.eml"),
        ("e-mails nested 2 deep x 12 wide", lambda p: h.eml_nested(p, 2, 12), "bred.eml"),
        ("e-mails nested 3 deep x 50 wide", lambda p: h.eml_nested(p, 3, 50 if big else 12),
         "bred-3x50.eml"),
        ("HTML of 99 MB tiny elements", lambda p: h.html_huge(p, 99 * MIB if big else 8 * MIB),
         "stor.html"),
        ("TXT of 99 MB on one line",
         lambda p: h.txt_huge(p, 99 * MIB if big else 10 * MIB), "stor.txt"),
    ]
    if quick:
        skip = {"bombe-1gb.docx", "plakat.pdf", "stor.tif"}
        plan = [entry for entry in plan if entry[2] not in skip]
    files = []
    for label, build, name in plan:
        started = time.perf_counter()
        path = build(folder / name)
        log(f"  built {name:<22} {path.stat().st_size / MIB:8.2f} MiB  {label} "
            f"({time.perf_counter() - started:.1f} s)")
        files.append((label, path))
    return files


# --- the child: embedded DokVault, one file at a time -----------------------------------------


def _tree(document_id: int) -> list:
    """The document and every document it made, at any depth."""
    from sqlmodel import col, select

    from dokvault import db
    from dokvault.models import Document

    with db.session() as s:
        found, frontier = [s.get(Document, document_id)], [document_id]
        while frontier:
            rows = s.exec(select(Document).where(col(Document.parent_id).in_(frontier))).all()
            found += rows
            frontier = [r.id for r in rows]
    return found


def _ingest_one(owner_id: int, path: Path, sampler: RssSampler, timeout: float) -> dict:
    from dokvault.core.filenames import UploadRefused
    from dokvault.services import documents

    sampler.peak_workers_total = 0
    started = time.perf_counter()
    try:
        upload = documents.ingest_path(owner_id, path)
    except UploadRefused as exc:
        return {"status": "refused at upload", "error": exc.code, "seconds": 0.0,
                "peak_rss_mib": round(sampler.peak_workers_total / MIB)}
    settled_at = None  # a mail is ready a moment before its attachments are stored
    while True:
        tree = _tree(upload.id)
        pending = [d for d in tree if d.status not in ("ready", "failed")]
        now = time.perf_counter()
        if pending:
            settled_at = None
        elif settled_at is None:
            settled_at, settled_count, elapsed = now, len(tree), now - started
        elif len(tree) != settled_count:
            settled_at = None
        elif now - settled_at > 0.5:
            break
        if now - started > timeout:
            elapsed = now - started
            break
        time.sleep(0.1)
    top = tree[0]
    made = tree[1:]
    return {
        "status": top.status if not pending else f"not final after {timeout:g} s",
        "error": top.error or "",
        "seconds": round(elapsed, 2),
        "peak_rss_mib": round(sampler.peak_workers_total / MIB),
        "pages": top.page_count,
        "ocr_pages": top.ocr_pages,
        "notices": [n["code"] for n in top.notices],
        "documents_made": len(made),
        "made_failed": sorted({d.error for d in made if d.status == "failed"}),
    }


def run_child(args: argparse.Namespace) -> int:
    import logging

    logging.basicConfig(level=logging.ERROR, format="%(levelname)s %(name)s: %(message)s")
    from dokvault import db
    from dokvault.migrations import upgrade_database
    from dokvault.services.auth import accounts

    manifest = json.loads(Path(args.manifest).read_text())
    upgrade_database()
    with db.session() as s:
        admin = accounts.create_first_admin(s, "bench@example.no", secrets.token_urlsafe(16))
    import workers.embedded

    workers.embedded.start()
    sampler = RssSampler([os.getpid()], interval=0.05)
    sampler.start()
    results = []
    try:
        for entry in manifest:
            outcome = _ingest_one(admin.id, Path(entry["path"]), sampler, args.timeout)
            outcome.update(file=Path(entry["path"]).name, kind=entry["label"],
                           size_mib=round(Path(entry["path"]).stat().st_size / MIB, 2))
            results.append(outcome)
            log(f"  {outcome['file']:<22} {outcome['status']:<8} {outcome['error']:<24} "
                f"{outcome['seconds']:7.2f} s  {outcome['peak_rss_mib']:5} MiB  "
                f"{' '.join(outcome.get('notices', []))}"
                + (f"  made {outcome['documents_made']}" if outcome.get("documents_made") else ""))
    finally:
        sampler.stop()
        workers.embedded.stop()
    Path(args.result).write_text(json.dumps(results))
    return 0


# --- the parent ---------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small shapes (CI smoke run)")
    parser.add_argument("--only", default="", help="files whose name contains this")
    parser.add_argument("--timeout", type=float, default=300, help="seconds per file")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--manifest", help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return run_child(args)

    with tempfile.TemporaryDirectory(prefix="dokvault-hostile-") as tmp:
        work = Path(tmp)
        (work / "files").mkdir()
        log("building hostile files")
        files = [(label, path) for label, path in build_files(work / "files", args.quick)
                 if args.only in path.name]
        if not files:
            log(f"no file matches --only {args.only!r}")
            return 2
        manifest = work / "manifest.json"
        manifest.write_text(json.dumps([{"label": label, "path": str(path)} for label, path in files]))
        env = os.environ.copy()
        env.update({name: "" for name in SERVER_VARS})
        env.update(DOKVAULT_DATA_DIR=str(work / "data"), LOG_LEVEL="ERROR", PYTHONUNBUFFERED="1",
                   REFLEX_TELEMETRY_ENABLED="false")
        result = work / "result.json"
        log(f"ingesting {len(files)} files on the embedded default, one at a time")
        subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child", "--manifest",
                        str(manifest), "--result", str(result), "--timeout", str(args.timeout)],
                       cwd=ROOT, env=env, check=False)
        if not result.exists():
            print(json.dumps({"ok": False, "error": "the benchmark process ended without a result"}))
            return 1
        outcomes = json.loads(result.read_text())
    peak = max(o["peak_rss_mib"] for o in outcomes)
    slowest = max(outcomes, key=lambda o: o["seconds"])
    final = all(o["status"] in ("ready", "failed", "refused at upload") for o in outcomes)
    ok = final and peak < TARGET_RSS_MIB and slowest["seconds"] < TARGET_SECONDS
    log(f"peak RSS {peak} MiB (target < {TARGET_RSS_MIB}); slowest {slowest['file']} "
        f"{slowest['seconds']:.1f} s (target < {TARGET_SECONDS}); all final: {final}")
    print(json.dumps({"peak_rss_mib": peak, "slowest_s": slowest["seconds"],
                      "slowest_file": slowest["file"], "all_final": final, "ok": ok,
                      "quick": args.quick, "files": outcomes}))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
