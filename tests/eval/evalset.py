# ruff: noqa: E501  (one-line records read better unwrapped)
"""What the honest and the held-out evaluation sets share: documents made by writers (one
style each), a few of each writer's documents as noisy scans, a committed JSON-lines file,
and folds grouped by writer so that no style is both trained on and tested.

Each set is an `EvalSet` (tests/eval/honest.py, tests/eval/heldout.py); records are
{"id", "writer", "lang", "scanned", "text", "type", "tags", "fields"}.
"""

from __future__ import annotations

import json
import random
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# A writer: (name, "nb" or "nn", function of a sale giving a Doc)
Writer = tuple[str, str, Callable[[Any], Any]]


def merged(*tables: dict[str, tuple[Writer, ...]]) -> dict[str, tuple[Writer, ...]]:
    """Writer tables joined per type, later tables' writers after earlier ones (so adding a
    table never moves a writer to another fold)."""
    out: dict[str, tuple[Writer, ...]] = {}
    for table in tables:
        for doc_type, writers in table.items():
            out[doc_type] = out.get(doc_type, ()) + tuple(writers)
    return out


@dataclass(frozen=True)
class EvalSet:
    path: Path
    seed: int
    per_writer: int
    scanned: Sequence[int]  # which of a writer's documents come as a noisy scan
    writers: dict[str, tuple[Writer, ...]]
    sale: Callable[[random.Random, str], Any]  # one property sale in a writer's language
    scan: Callable[[str, dict[str, str], random.Random], str]
    folds: int

    def generate(self) -> list[dict]:
        """Every writer's documents, deterministic."""
        docs = []
        for doc_type, writers in self.writers.items():
            for writer, lang, write in writers:
                r = random.Random(f"{self.seed}-{writer}")
                for i in range(self.per_writer):
                    doc = write(self.sale(r, lang))
                    assert doc.type == doc_type, (writer, doc.type)
                    scanned = i in self.scanned
                    docs.append({"id": f"{writer}-{i + 1:02d}", "writer": writer, "lang": lang, "scanned": scanned,
                                 "text": self.scan(doc.text, doc.fields, r) if scanned else doc.text,
                                 "type": doc.type, "tags": doc.tags, "fields": doc.fields})
        return docs

    def load(self) -> list[dict]:
        with self.path.open(encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]

    def grouped_folds(self, docs: list[dict], k: int | None = None) -> Iterator[tuple[list[dict], list[dict]]]:
        """(train, test) k times; each type's writers are dealt round the folds, so every fold
        tests every type on writers whose style is nowhere in its training part."""
        k = k or self.folds
        fold_of = {writer: n % k for writers in self.writers.values() for n, (writer, _, _) in enumerate(writers)}
        for fold in range(k):
            yield ([d for d in docs if fold_of[d["writer"]] != fold], [d for d in docs if fold_of[d["writer"]] == fold])

    def write(self) -> int:
        """Rewrite the committed file (the sets' `python tests/eval/<set>.py`)."""
        docs = self.generate()
        with self.path.open("w", encoding="utf-8") as f:
            for doc in docs:
                f.write(json.dumps(doc, ensure_ascii=False) + "\n")
        writers = sum(map(len, self.writers.values()))
        print(f"wrote {len(docs)} documents from {writers} writers to {self.path}", file=sys.stderr)
        return 0
