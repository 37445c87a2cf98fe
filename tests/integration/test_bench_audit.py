"""The audit viewer's benchmark still runs on PostgreSQL and reports its figures as one
JSON line."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests import servers

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.integration


def test_audit_benchmark_small_run_prints_json_figures():
    servers.require_postgres()
    admin_url = f"postgresql://{servers.PG_SUPERUSER}@{servers.PG_HOST}:{servers.PG_PORT}/postgres"
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "audit_log.py"), "--rows", "3000", "--repeat", "2",
         "--pg-admin-url", admin_url],
        cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["rows"] == 3000
    for page in ("first", "filtered", "deep"):
        assert figures[f"p95_ms_audit_{page}"] > 0
