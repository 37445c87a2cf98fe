"""The search benchmark still runs on PostgreSQL and reports its figures as one JSON line."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests import servers

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.integration


def test_search_benchmark_small_run_prints_json_figures():
    servers.require_postgres()
    admin_url = f"postgresql://{servers.PG_SUPERUSER}@{servers.PG_HOST}:{servers.PG_PORT}/postgres"
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "search.py"), "--sizes", "400", "--repeat", "1",
         "--pg-admin-url", admin_url],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
        env={**os.environ, "SEARCH_EXACT_LIMIT": "40"},  # so that some results are estimated
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["index_same_as_worker"] is True  # the bulk SQL indexes as the worker does
    for kind in ("words", "phrases", "filters", "date_sort", "suggest"):
        assert figures[f"p95_ms_{kind}_400"] > 0
    assert figures["broker_visible_docs_400"] > 0
    # Estimated totals were checked against exact counts (a sample of 400 / 32 is rough).
    assert figures["estimated_share_words_admin_400"] > 0
    assert 0 <= figures["estimate_error_p50_pct_400"] <= figures["estimate_error_max_pct_400"]
