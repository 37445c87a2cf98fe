"""The ingest benchmark still runs and reports its figures as one JSON line."""

import json
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
