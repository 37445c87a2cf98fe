# ruff: noqa: E501  (data tables and one-line records read better unwrapped)
"""The blind held-out evaluation set: brokerage documents from writers the field rules' author
never saw (issue 17). The honest set (tests/eval/honest.py) was in view while the rules were
tuned, so it no longer says how they do on styles nobody tuned for; this one does.

    python tests/eval/heldout.py     # rewrite tests/eval/heldout.jsonl (deterministic)

Records have the honest set's form and labels (tests/eval/writers/common.py); what the sets
share is in tests/eval/evalset.py. Two writers per type, so two folds. Do not tune rules
against this set while looking at it, or it stops being held out.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.eval.evalset import EvalSet, merged  # noqa: E402
from tests.eval.heldout_writers import deal, mandate, office, registry, survey  # noqa: E402
from tests.eval.heldout_writers.base import Sale  # noqa: E402
from tests.eval.heldout_writers.noise import scan  # noqa: E402

HELDOUT = EvalSet(path=Path(__file__).resolve().parent / "heldout.jsonl", seed=20261207, per_writer=6, scanned=(5,),
                  writers=merged(mandate.WRITERS, survey.WRITERS, deal.WRITERS, registry.WRITERS, office.WRITERS),
                  sale=Sale, scan=scan, folds=2)
HELDOUT_PATH, WRITERS = HELDOUT.path, HELDOUT.writers
heldout_set, load_heldout, grouped_folds = HELDOUT.generate, HELDOUT.load, HELDOUT.grouped_folds

if __name__ == "__main__":
    raise SystemExit(HELDOUT.write())
