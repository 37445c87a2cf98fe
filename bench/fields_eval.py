"""Exact-match rate of field extraction (dokvault/ai/fields.py `extract_fields`) per field on the
honest evaluation set (tests/eval/honest.py),
or the blind held-out one (`--set heldout`, tests/eval/heldout.py). Target: every field >= 90 % (issue 17).

    .venv/bin/python bench/fields_eval.py [--set honest|heldout|legacy] [--misses N] [--draws N]

Three figures per field:
- `exact_<field>`: the rules alone, as on the first day (no confirmed document);
- `grouped_exact_<field>`: with the field model trained on 4 confirmed documents per type from
  other writers (folds grouped by writer, as bench/classify_eval.py), measured on the writers
  left out: a style never seen;
- `writer_exact_<field>`: the same, plus the first 2 documents of each measured writer
  confirmed (corrected where the rules were wrong): the layout learnt from corrections,
  measured on that writer's other documents.
A confirmed document's fields count as corrected where the rules' value was not the label.

A field counts as right when the extracted value equals the label (case aside); a missing
value counts as wrong. Also printed: the rate on bokmål and nynorsk documents, on clean and
scanned ones, per writer for the weakest fields, and how often a value is extracted for a
document that states none (`spurious`) and how often a stated value is read wrong rather than
left out (`wrong`: a false value, worse than none), and `candidates_<field>`: how often the stated
value is among the candidates the field model chooses from (what it can reach at best).
`--misses N` shows N wrong extractions per field.
The last line is one JSON object with `exact_<field>` for each field. No asserts.
"""

from __future__ import annotations

import argparse
import collections
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dokvault.ai import field_model  # noqa: E402
from dokvault.ai.field_learn import candidates  # noqa: E402
from dokvault.ai.fields import extract_fields, prepare, rule_fields  # noqa: E402
from dokvault.ai.taxonomy_seed import seed_taxonomy  # noqa: E402
from tests.eval.generate import load_eval  # noqa: E402
from tests.eval.heldout import HELDOUT  # noqa: E402
from tests.eval.honest import HONEST  # noqa: E402

# --set: the honest set, the blind held-out one (tests/eval/heldout.py) or the older, easier one
SETS = {"honest": (HONEST.load, HONEST.grouped_folds), "heldout": (HELDOUT.load, HELDOUT.grouped_folds),
        "legacy": (load_eval, None)}
PER_TYPE = 4  # confirmed documents per type from the training writers
SAME_WRITER = 2  # confirmed documents of each measured writer (writer_exact_)


def rate(hits: list[bool]) -> float | None:
    return sum(hits) / len(hits) if hits else None


def pct(value: float | None) -> str:
    return "  n/a" if value is None else f"{100 * value:4.0f}%"


def confirmed(d: dict, keys: set[str]) -> field_model.Example:
    """A document a person confirmed: the fields the rules did not read right were corrected."""
    doc = prepare(d["text"])
    rules = rule_fields(doc.text, keys)
    fixed = {k for k, v in d["fields"].items()
             if not (rules.get(k) and field_model.same_value(k, rules[k], v))}
    return field_model.Example(doc, d["fields"], frozenset(fixed), rules)


def learned(docs: list[dict], folds, keys: list[str], same_writer: int, draws: int) -> dict[str, list[bool]]:
    """hits[field] with the field model trained per fold and draw (see the module docstring)."""
    specs, hits = seed_taxonomy().fields, collections.defaultdict(list)
    for fold, (train, test) in enumerate(folds(docs)):
        by_type, by_writer = collections.defaultdict(list), collections.defaultdict(list)
        for d in train:
            by_type[d["type"]].append(d)
        for d in test:
            by_writer[d["writer"]].append(d)
        for draw in range(draws):
            r = random.Random(100 * fold + draw)
            chosen = [d for t in sorted(by_type)
                      for d in r.sample(by_type[t], min(PER_TYPE, len(by_type[t])))]
            chosen += [d for w in sorted(by_writer) for d in by_writer[w][:same_writer]]
            model = field_model.train(confirmed(d, set(keys)) for d in chosen)
            for w in sorted(by_writer):
                for d in by_writer[w][same_writer:]:
                    got = extract_fields(d["text"], specs, model=model)
                    for key, want in d["fields"].items():
                        hits[key].append(key in got and got[key].casefold() == want.casefold())
    return hits


def score(docs: list[dict], keys: list[str]) -> tuple[dict, collections.Counter, dict]:
    """hits[(field, group)] for groups "all", "nb"/"nn", "clean"/"scanned" and "writer:<id>";
    spurious[field]: values found where none is stated; misses[field]: (id, want, got)."""
    hits: dict[tuple[str, str], list[bool]] = collections.defaultdict(list)
    spurious, misses = collections.Counter(), collections.defaultdict(list)
    specs = seed_taxonomy().fields
    for d in docs:
        got = extract_fields(d["text"], specs)
        read = prepare(d["text"])
        for key in keys:
            want, have = d["fields"].get(key), got.get(key)
            if want is None:
                spurious[key] += have is not None
                continue
            hits[key, "candidate"].append(any(field_model.same_value(key, c.value, want)
                                              for c in candidates(read.text, key)))
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
    parser.add_argument("--draws", type=int, default=3, help="training draws per fold (default 3)")
    args = parser.parse_args()
    load, folds = SETS[args.set]
    docs = load()
    keys = [spec.key for spec in seed_taxonomy().fields]
    hits, spurious, misses = score(docs, keys)
    wrong = collections.Counter({key: sum(have is not None for _, _, have in misses[key]) for key in keys})

    print(f"{args.set} evaluation set: {len(docs)} documents\n")
    print(f"{'field':<14} | {'stated':>6} | {'exact':>5} | {'nb':>5} | {'nn':>5} | {'clean':>5} | "
          f"{'scan':>5} | spurious | wrong | candidates")
    print("-" * 99)
    figures: dict[str, object] = {}
    for key in keys:
        overall = rate(hits[key, "all"])
        print(f"{key:<14} | {len(hits[key, 'all']):>6} | {pct(overall)} | {pct(rate(hits[key, 'nb']))} | "
              f"{pct(rate(hits[key, 'nn']))} | {pct(rate(hits[key, 'clean']))} | "
              f"{pct(rate(hits[key, 'scanned']))} | {spurious[key]:>8} | {wrong[key]:>5} | "
              f"{pct(rate(hits[key, 'candidate']))}")
        if overall is not None:
            figures[f"exact_{key}"] = round(overall, 4)
            figures[f"candidates_{key}"] = round(rate(hits[key, "candidate"]), 4)
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
    figures["target_met"] = all(v >= 0.9 for k, v in figures.items() if k.startswith("exact_"))
    figures["exact_all_fields"] = round(rate(every) or 0.0, 4)
    if folds is not None:
        print(f"\nwith the field model ({args.draws} draws per fold): {PER_TYPE} confirmed per type from "
              f"other writers, then also the first {SAME_WRITER} of each measured writer")
        print(f"{'field':<14} | {'rules':>5} | {'grouped':>7} | {'writer':>6}")
        for prefix, same in (("grouped", 0), ("writer", SAME_WRITER)):
            found = learned(docs, folds, keys, same, args.draws)
            for key in keys:
                if found[key]:
                    figures[f"{prefix}_exact_{key}"] = round(rate(found[key]), 4)
            every_learned = [ok for key in keys for ok in found[key]]
            figures[f"{prefix}_exact_all_fields"] = round(rate(every_learned) or 0.0, 4)
            figures[f"{prefix}_target_met"] = all(rate(found[k]) >= 0.9 for k in keys if found[k])
        for key in keys:
            if f"exact_{key}" in figures:
                grouped, writer = figures.get(f"grouped_exact_{key}"), figures.get(f"writer_exact_{key}")
                print(f"{key:<14} | {pct(figures[f'exact_{key}'])} | {pct(grouped):>7} | {pct(writer):>6}")
    figures["wrong_values"] = sum(wrong.values())
    figures["spurious_values"] = sum(spurious.values())
    figures["eval_documents"] = len(docs)
    figures["eval_set"] = args.set
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
