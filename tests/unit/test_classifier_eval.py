"""The labelled evaluation set (tests/eval) and the `local` classifier's accuracy on it after
100 confirmed documents from the generated training pool - never the evaluation documents."""

from __future__ import annotations

import collections
import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench.classify_eval import f1_scores, stratified
from dokvault.ai import local, local_provider
from dokvault.ai.taxonomy_seed import seed_taxonomy
from dokvault.ai.types import TrainingSample
from tests.eval.generate import EVAL_PATH, TYPES, eval_set, load_eval, training_pool

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def docs() -> list[dict]:
    return load_eval()


@pytest.fixture(scope="module")
def pool() -> list[dict]:
    return list(training_pool(1500))


def test_the_evaluation_set_covers_every_type(docs):
    assert len(docs) >= 150
    counts = collections.Counter(d["type"] for d in docs)
    assert set(counts) == set(TYPES) == set(seed_taxonomy().type_names())
    assert min(counts.values()) >= 8
    assert len({d["id"] for d in docs}) == len(docs)
    assert len({d["text"] for d in docs}) == len(docs)
    tags = set(seed_taxonomy().tag_names())
    fields = {f.key for f in seed_taxonomy().fields}
    for d in docs:
        assert set(d["tags"]) <= tags and set(d["fields"]) <= fields and d["text"].strip()


def test_the_committed_file_is_what_the_generator_makes(docs):
    assert eval_set() == docs, f"{EVAL_PATH} is stale: run python tests/eval/generate.py"


def test_the_training_pool_never_holds_an_evaluation_document(docs, pool):
    texts = {d["text"] for d in docs}
    assert not any(d["text"] in texts for d in pool)
    assert not {d["id"] for d in pool} & {d["id"] for d in docs}


def test_macro_f1_after_100_confirmed_documents(docs, pool):
    sample = stratified(pool, 100, seed=7)
    assert collections.Counter(d["type"] for d in sample).most_common()[-1][1] >= 6  # every type, evenly
    bundle = local.train(TrainingSample(d["text"], d["type"], tuple(d["tags"]), d["id"]) for d in sample)
    provider = local_provider.LocalProvider(bundle)
    taxonomy = seed_taxonomy()
    predicted = [provider.suggest(d["text"], taxonomy).document_type for d in docs]
    per_type = f1_scores([d["type"] for d in docs], predicted, list(TYPES))
    macro_f1 = sum(per_type.values()) / len(per_type)
    assert macro_f1 >= 0.8, {k: round(v, 2) for k, v in per_type.items()}


def test_generate_writes_a_training_pool_on_stdout():
    result = subprocess.run([sys.executable, "tests/eval/generate.py", "--train", "5"], cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 5 and all(d["id"].startswith("train-") and d["type"] in TYPES for d in lines)
