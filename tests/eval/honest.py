# ruff: noqa: E501  (data tables and one-line records read better unwrapped)
"""The honest evaluation set: Norwegian brokerage documents from several writers per type.

    python tests/eval/honest.py     # rewrite tests/eval/honest.jsonl (deterministic)

Every document names its `writer` (one style: template, wording, order, layout, language);
measure with folds grouped by writer so no style is both trained on and tested
(`grouped_folds`). Labels are described in tests/eval/writers/common.py. The older,
easier set (tests/eval/generate.py, documents.jsonl) stays for the tests written for it.
"""

from __future__ import annotations

import json
import random
import sys
from collections.abc import Iterator
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.eval.writers import contracts, layouts, letters, registry, reports, sale  # noqa: E402
from tests.eval.writers.common import Case  # noqa: E402
from tests.eval.writers.noise import scan  # noqa: E402

HONEST_PATH = Path(__file__).resolve().parent / "honest.jsonl"
SEED = 20261206
PER_WRITER = 8
SCANNED = (7,)  # which of a writer's documents come as a noisy scan
WRITERS: dict[str, tuple] = {}
for _module in (sale, reports, contracts, registry, letters, layouts):  # later writers of a type come last
    for _type, _writers in _module.WRITERS.items():
        WRITERS[_type] = WRITERS.get(_type, ()) + _writers


def honest_set() -> list[dict]:
    docs = []
    for doc_type, writers in WRITERS.items():
        for writer, lang, write in writers:
            r = random.Random(f"{SEED}-{writer}")
            for i in range(PER_WRITER):
                doc = write(Case(r, lang))
                assert doc.type == doc_type, (writer, doc.type)
                text = scan(doc.text, doc.fields, r) if i in SCANNED else doc.text
                docs.append({"id": f"{writer}-{i + 1:02d}", "writer": writer, "lang": lang, "scanned": i in SCANNED,
                             "text": text, "type": doc.type, "tags": doc.tags, "fields": doc.fields})
    return docs


def load_honest() -> list[dict]:
    with HONEST_PATH.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def grouped_folds(docs: list[dict], k: int = 3) -> Iterator[tuple[list[dict], list[dict]]]:
    """(train, test) k times; each type's writers are dealt round the folds, so every fold tests
    every type on writers whose style is nowhere in its training part."""
    fold_of: dict[str, int] = {}
    for writers in WRITERS.values():
        for n, (writer, _, _) in enumerate(writers):
            fold_of[writer] = n % k
    for fold in range(k):
        yield ([d for d in docs if fold_of[d["writer"]] != fold], [d for d in docs if fold_of[d["writer"]] == fold])


def main() -> int:
    docs = honest_set()
    with HONEST_PATH.open("w", encoding="utf-8") as f:
        for doc in docs:
            f.write(json.dumps(doc, ensure_ascii=False) + "\n")
    print(f"wrote {len(docs)} documents from {sum(map(len, WRITERS.values()))} writers to {HONEST_PATH}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
