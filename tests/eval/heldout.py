# ruff: noqa: E501  (data tables and one-line records read better unwrapped)
"""The blind held-out evaluation set: brokerage documents from writers the field rules' author
never saw (issue 17). The honest set (tests/eval/honest.py) was in view while the rules were
tuned, so it no longer says how they do on styles nobody tuned for; this one does.

    python tests/eval/heldout.py     # rewrite tests/eval/heldout.jsonl (deterministic)

Records have the honest set's form and labels (tests/eval/writers/common.py). Do not tune
rules against this set while looking at it, or it stops being held out.
"""

from __future__ import annotations

import json
import random
import sys
from collections.abc import Iterator
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.eval.heldout_writers import deal, mandate, office, registry, survey  # noqa: E402
from tests.eval.heldout_writers.base import Sale  # noqa: E402
from tests.eval.heldout_writers.noise import scan  # noqa: E402

HELDOUT_PATH = Path(__file__).resolve().parent / "heldout.jsonl"
SEED = 20261207
PER_WRITER = 6
SCANNED = (5,)  # which of a writer's documents come as a noisy scan
WRITERS = {**mandate.WRITERS, **survey.WRITERS, **deal.WRITERS, **registry.WRITERS, **office.WRITERS}


def heldout_set() -> list[dict]:
    docs = []
    for doc_type, writers in WRITERS.items():
        for writer, lang, write in writers:
            r = random.Random(f"{SEED}-{writer}")
            for i in range(PER_WRITER):
                doc = write(Sale(r, lang))
                assert doc.type == doc_type, (writer, doc.type)
                text = scan(doc.text, doc.fields, r) if i in SCANNED else doc.text
                docs.append({"id": f"{writer}-{i + 1:02d}", "writer": writer, "lang": lang, "scanned": i in SCANNED,
                             "text": text, "type": doc.type, "tags": doc.tags, "fields": doc.fields})
    return docs


def load_heldout() -> list[dict]:
    with HELDOUT_PATH.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def grouped_folds(docs: list[dict], k: int = 2) -> Iterator[tuple[list[dict], list[dict]]]:
    """(train, test) k times, each type's writers dealt round the folds (two writers per type,
    so two folds): no writer's style is both trained on and tested."""
    fold_of = {writer: n % k for writers in WRITERS.values() for n, (writer, _, _) in enumerate(writers)}
    for fold in range(k):
        yield ([d for d in docs if fold_of[d["writer"]] != fold], [d for d in docs if fold_of[d["writer"]] == fold])


def main() -> int:
    docs = heldout_set()
    with HELDOUT_PATH.open("w", encoding="utf-8") as f:
        for doc in docs:
            f.write(json.dumps(doc, ensure_ascii=False) + "\n")
    print(f"wrote {len(docs)} documents from {sum(map(len, WRITERS.values()))} writers to {HELDOUT_PATH}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
