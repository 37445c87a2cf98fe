"""The benches on the honest set end with the JSON figures issue 17 asks for."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from dokvault.ai.taxonomy_seed import seed_taxonomy

ROOT = Path(__file__).resolve().parents[2]


def _last_json(*args: str) -> dict:
    result = subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_fields_eval_gives_an_exact_rate_for_every_field():
    figures = _last_json("bench/fields_eval.py", "--draws", "1")
    assert figures["eval_set"] == "honest" and figures["eval_documents"] >= 300
    for spec in seed_taxonomy().fields:
        for prefix in ("", "grouped_", "writer_"):  # rules alone; field model from other writers; and own
            assert 0.0 <= figures[f"{prefix}exact_{spec.key}"] <= 1.0


def test_classify_eval_gives_the_grouped_figure():
    figures = _last_json("bench/classify_eval.py", "--draws", "1", "--sizes", "0")
    assert 0.0 < figures["grouped_macro_f1_4_per_type"] <= 1.0
    assert figures["grouped_min_macro_f1_4_per_type"] <= figures["grouped_macro_f1_4_per_type"]
