"""The ingest and hostile-file benchmarks still run and report their figures as one JSON line."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_ingest_benchmark_quick_run_prints_json_figures():
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "ingest.py"), "--quick", "--mode", "embedded"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["ok"] is True
    assert figures["embedded_searchable"] == figures["n"] == 20
    assert figures["embedded_docs_per_s"] > 0


def test_hostile_benchmark_quick_run_ends_every_file_with_its_own_outcome():
    env = {**os.environ, "OCR_MAX_PAGES": "5"}  # the page budget shows on the small scans
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "hostile.py"), "--quick"],
        cwd=ROOT, capture_output=True, text=True, timeout=600, env=env,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["all_final"] is True and figures["peak_rss_mib"] > 0 and figures["slowest_s"] > 0
    outcome = {f["file"]: f for f in figures["files"]}
    assert outcome["kontroll.pdf"]["status"] == "ready"
    for name, code in (("bombe-100mb.docx", "error.bomb"), ("bombe.odt", "error.bomb"),
                       ("flate-bombe.pdf", "error.bomb"), ("sykel.pdf", "error.corrupt_pdf"),
                       ("bombe.png", "error.image_too_large"), ("tekst-bombe.png", "error.corrupt_image"),
                       ("bred-3x50.eml", "error.too_complex")):
        assert (outcome[name]["status"], outcome[name]["error"]) == ("failed", code), name
    assert outcome["sider-2000.tif"]["notices"] == ["notice.ocr_pages_limit"]
    assert outcome["million-sider.pdf"]["notices"] == ["notice.pages_limit"]
    assert outcome["med-bombe.eml"]["made_failed"] == ["error.bomb"]
    assert outcome["dyp.eml"]["documents_made"] == 10  # five levels of mail and text file
    assert outcome["bred.eml"]["documents_made"] == 100  # one upload's share
