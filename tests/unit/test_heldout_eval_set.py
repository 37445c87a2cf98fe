"""The blind held-out evaluation set (tests/eval/heldout.py): its size and spread, labels that
the text states, and folds that never share a writer between training and test."""

from __future__ import annotations

import collections
import re
from datetime import date

import pytest

from dokvault.ai.taxonomy_seed import seed_taxonomy
from tests.eval.heldout import HELDOUT_PATH, WRITERS, grouped_folds, heldout_set, load_heldout
from tests.eval.heldout_writers.base import dato
from tests.eval.honest import load_honest


@pytest.fixture(scope="module")
def docs() -> list[dict]:
    return load_heldout()


def test_the_committed_file_is_what_the_generator_makes(docs):
    assert heldout_set() == docs, f"{HELDOUT_PATH} is stale: run python tests/eval/heldout.py"


def test_every_type_has_two_writers_and_a_third_of_writers_write_nynorsk(docs):
    taxonomy = seed_taxonomy()
    assert len(docs) >= 150 and len({d["id"] for d in docs}) == len(docs) == len({d["text"] for d in docs})
    writers = collections.defaultdict(set)
    for d in docs:
        writers[d["type"]].add(d["writer"])
        assert set(d["tags"]) <= set(taxonomy.tag_names())
        assert set(d["fields"]) <= {f.key for f in taxonomy.fields}
    assert set(writers) == set(taxonomy.type_names())
    assert min(len(w) for w in writers.values()) >= 2
    langs = collections.Counter(lang for ws in WRITERS.values() for _, lang, _ in ws)
    assert sum(langs.values()) >= 24 and langs["nn"] * 3 >= sum(langs.values())
    assert any(d["scanned"] for d in docs)


def test_no_writer_or_text_is_shared_with_the_honest_set(docs):
    honest = load_honest()
    assert not {d["writer"] for d in docs} & {d["writer"] for d in honest}
    assert not {d["text"] for d in docs} & {d["text"] for d in honest}


def _plain(text: str) -> str:
    return re.sub(r"[\s.]", "", text)


def test_every_label_is_stated_in_the_text(docs):
    for d in (d for d in docs if not d["scanned"]):
        f, text = d["fields"], d["text"]
        for key in ("seller", "buyer"):
            for name in f[key].split(" og ") if key in f else ():
                assert name in text, (d["id"], key, name)
        if "address" in f:
            street, place = f["address"].rsplit(", ", 1)
            assert street in text and place.split()[-1] in text, (d["id"], f["address"])
        for key in ("price", "amount"):
            if key in f:
                assert f[key].isdigit() and f[key] in _plain(text), (d["id"], key, f[key])
        if "gnr_bnr" in f:
            assert all(n in text for n in f["gnr_bnr"].split("/") if n != "0"), (d["id"], f["gnr_bnr"])
        if "municipality" in f:
            assert f["municipality"] in text, (d["id"], f["municipality"])
        for key in ("document_date", "contract_date", "takeover_date"):
            if key in f:
                written = {dato(date.fromisoformat(f[key]), style) for style in range(5)}
                assert any(w in text for w in written), (d["id"], key, f[key])


def test_grouped_folds_keep_a_writer_out_of_its_training_part(docs):
    folds = list(grouped_folds(docs))
    assert len(folds) == 2
    for train, test in folds:
        assert not {d["writer"] for d in train} & {d["writer"] for d in test}
        assert {d["type"] for d in test} == {d["type"] for d in train} == set(seed_taxonomy().type_names())
    assert sorted(d["id"] for _, test in folds for d in test) == sorted(d["id"] for d in docs)
