"""The honest evaluation set (tests/eval/honest.py): its size and spread, labels that the
text states, and folds that never share a writer between training and test."""

from __future__ import annotations

import collections
import re

import pytest

from dokvault.ai.taxonomy_seed import seed_taxonomy
from tests.eval.honest import HONEST_PATH, grouped_folds, honest_set, load_honest


@pytest.fixture(scope="module")
def docs() -> list[dict]:
    return load_honest()


def test_the_committed_file_is_what_the_generator_makes(docs):
    assert honest_set() == docs, f"{HONEST_PATH} is stale: run python tests/eval/honest.py"


def test_every_type_has_several_writers_in_both_written_standards(docs):
    taxonomy = seed_taxonomy()
    assert len(docs) >= 300 and len({d["id"] for d in docs}) == len(docs) == len({d["text"] for d in docs})
    writers = collections.defaultdict(set)
    for d in docs:
        writers[d["type"]].add(d["writer"])
        assert set(d["tags"]) <= set(taxonomy.tag_names())
        assert set(d["fields"]) <= {f.key for f in taxonomy.fields}
    assert set(writers) == set(taxonomy.type_names())
    assert min(len(w) for w in writers.values()) >= 3
    assert {d["lang"] for d in docs} == {"nb", "nn"} and any(d["scanned"] for d in docs)


def _plain(text: str) -> str:
    return re.sub(r"[\s.]", "", text)


def test_every_label_is_stated_in_the_text(docs):
    for d in (d for d in docs if not d["scanned"]):
        f, text = d["fields"], d["text"]
        for key in ("seller", "buyer"):
            for name in f.get(key, "").split(" og ") if key in f else ():
                assert name in text, (d["id"], key, name)
        if "address" in f:
            street, place = f["address"].rsplit(", ", 1)
            assert street in text and place.split()[-1] in text, (d["id"], f["address"])
        for key in ("price", "amount"):
            if key in f:
                assert f[key] in _plain(text), (d["id"], key, f[key])
        if "gnr_bnr" in f:
            assert all(n in text for n in f["gnr_bnr"].split("/") if n != "0"), (d["id"], f["gnr_bnr"])


def test_grouped_folds_keep_a_writer_out_of_its_training_part(docs):
    folds = list(grouped_folds(docs))
    assert len(folds) == 3
    for train, test in folds:
        assert not {d["writer"] for d in train} & {d["writer"] for d in test}
        assert {d["type"] for d in test} == {d["type"] for d in train} == set(seed_taxonomy().type_names())
    assert sorted(d["id"] for _, test in folds for d in test) == sorted(d["id"] for d in docs)
