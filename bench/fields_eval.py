"""Exact-match rate of field extraction (dokvault/ai/fields.py `extract_fields`) per field on the
honest evaluation set (tests/eval/honest.py),
or the blind held-out one (`--set heldout`, tests/eval/heldout.py). Target: every field >= 90 % (issue 17).

    .venv/bin/python bench/fields_eval.py [--set honest|heldout|legacy] [--misses N]

A field counts as right when the extracted value equals the label (case aside); a missing
value counts as wrong. Also printed: the rate on bokmål and nynorsk documents, on clean and
scanned ones, per writer for the weakest fields, and how often a value is extracted for a
document that states none (`spurious`) and how often a stated value is read wrong rather than
left out (`wrong`: a false value, worse than none). `--misses N` shows N wrong extractions per field.
The last line is one JSON object with `exact_<field>` for each field. No asserts.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dokvault.ai.fields import extract_fields  # noqa: E402
from dokvault.ai.taxonomy_seed import seed_taxonomy  # noqa: E402
from tests.eval.generate import load_eval  # noqa: E402
from tests.eval.heldout import load_heldout  # noqa: E402
from tests.eval.honest import load_honest  # noqa: E402

# --set: the honest set, the blind held-out one (tests/eval/heldout.py) or the older, easier one
SETS = {"honest": load_honest, "heldout": load_heldout, "legacy": load_eval}


def rate(hits: list[bool]) -> float | None:
    return sum(hits) / len(hits) if hits else None


def pct(value: float | None) -> str:
    return "  n/a" if value is None else f"{100 * value:4.0f}%"


def score(docs: list[dict], keys: list[str]) -> tuple[dict, collections.Counter, dict]:
    """hits[(field, group)] for groups "all", "nb"/"nn", "clean"/"scanned" and "writer:<id>";
    spurious[field]: values found where none is stated; misses[field]: (id, want, got)."""
    hits: dict[tuple[str, str], list[bool]] = collections.defaultdict(list)
    spurious, misses = collections.Counter(), collections.defaultdict(list)
    specs = seed_taxonomy().fields
    for d in docs:
        got = extract_fields(d["text"], specs)
        for key in keys:
            want, have = d["fields"].get(key), got.get(key)
            if want is None:
                spurious[key] += have is not None
                continue
            ok = have is not None and have.casefold() == want.casefold()
            groups = ["all", f"writer:{d.get('writer', '-')}"]
            if "lang" in d:
                groups += [d["lang"], "scanned" if d["scanned"] else "clean"]
            for group in groups:
                hits[key, group].append(ok)
            if not ok:
                misses[key].append((d["id"], want, have))
    return hits, spurious, misses


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", choices=tuple(SETS), default="honest", help="evaluation set")
    parser.add_argument("--misses", type=int, default=0, metavar="N",
                        help="wrong extractions to show per field")
    args = parser.parse_args()
    docs = SETS[args.set]()
    keys = [spec.key for spec in seed_taxonomy().fields]
    hits, spurious, misses = score(docs, keys)
    wrong = collections.Counter({key: sum(have is not None for _, _, have in misses[key]) for key in keys})

    print(f"{args.set} evaluation set: {len(docs)} documents\n")
    print(f"{'field':<14} | {'stated':>6} | {'exact':>5} | {'nb':>5} | {'nn':>5} | {'clean':>5} | "
          f"{'scan':>5} | spurious | wrong")
    print("-" * 86)
    figures: dict[str, object] = {}
    for key in keys:
        overall = rate(hits[key, "all"])
        print(f"{key:<14} | {len(hits[key, 'all']):>6} | {pct(overall)} | {pct(rate(hits[key, 'nb']))} | "
              f"{pct(rate(hits[key, 'nn']))} | {pct(rate(hits[key, 'clean']))} | "
              f"{pct(rate(hits[key, 'scanned']))} | {spurious[key]:>8} | {wrong[key]}")
        if overall is not None:
            figures[f"exact_{key}"] = round(overall, 4)
    every = [ok for key in keys for ok in hits[key, "all"]]
    print(f"{'all fields':<14} | {len(every):>6} | {pct(rate(every))}")

    print("\nweakest writers per field (exact rate, documents):")
    for key in keys:
        writers = sorted((rate(v), g.removeprefix("writer:"), len(v))
                         for (k, g), v in hits.items() if k == key and g.startswith("writer:"))
        if writers:
            print(f"  {key:<14} " + ", ".join(f"{w} {pct(r).strip()} ({n})" for r, w, n in writers[:4]))
    for key in keys:
        for doc_id, want, have in misses[key][:args.misses]:
            print(f"  miss {key:<14} {doc_id:<16} want {want!r} got {have!r}")
    figures["target_met"] = all(v >= 0.9 for v in figures.values())
    figures["exact_all_fields"] = round(rate(every) or 0.0, 4)
    figures["wrong_values"] = sum(wrong.values())
    figures["spurious_values"] = sum(spurious.values())
    figures["eval_documents"] = len(docs)
    figures["eval_set"] = args.set
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
