# ruff: noqa: E501  (data tables and one-line records read better unwrapped)
"""The honest evaluation set: Norwegian brokerage documents from several writers per type.

    python tests/eval/honest.py     # rewrite tests/eval/honest.jsonl (deterministic)

Every document names its `writer` (one style: template, wording, order, layout, language);
measure with folds grouped by writer so no style is both trained on and tested
(`grouped_folds`). Labels are described in tests/eval/writers/common.py; what the sets share
in tests/eval/evalset.py. The older, easier set (tests/eval/generate.py, documents.jsonl)
stays for the tests written for it.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.eval.evalset import EvalSet, merged  # noqa: E402
from tests.eval.writers import contracts, layouts, letters, prose, registry, reports, sale  # noqa: E402
from tests.eval.writers.common import Case  # noqa: E402
from tests.eval.writers.noise import scan  # noqa: E402

HONEST = EvalSet(path=Path(__file__).resolve().parent / "honest.jsonl", seed=20261206, per_writer=8, scanned=(7,),
                 writers=merged(sale.WRITERS, reports.WRITERS, contracts.WRITERS, registry.WRITERS, letters.WRITERS,
                                layouts.WRITERS, prose.WRITERS),
                 sale=Case, scan=scan, folds=3)
HONEST_PATH, WRITERS = HONEST.path, HONEST.writers
honest_set, load_honest, grouped_folds = HONEST.generate, HONEST.load, HONEST.grouped_folds

if __name__ == "__main__":
    raise SystemExit(HONEST.write())
