"""The analytics benchmark still runs on PostgreSQL and reports its figures as one JSON line."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from dokvault.services.analytics import VIEWS
from tests import servers

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.integration


def test_analytics_benchmark_small_run_prints_json_figures():
    servers.require_postgres()
    admin_url = f"postgresql://{servers.PG_SUPERUSER}@{servers.PG_HOST}:{servers.PG_PORT}/postgres"
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "analytics.py"), "--documents", "2000", "--audit",
         "20000", "--repeat", "1", "--pg-admin-url", admin_url],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["documents"] == 2000 and figures["audit_rows"] == 20000
    assert figures["dashboard_p95_ms"] > 0 and figures["p95_ms_dashboard_warm"] > 0
    for view in VIEWS:
        assert figures[f"p95_ms_{view}"] > 0, view
    assert "p95_ms_audit_page" in figures  # the audit viewer's figure has its place
