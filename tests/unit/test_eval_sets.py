"""The honest (tests/eval/honest.py) and the blind held-out (tests/eval/heldout.py) evaluation
sets: each file is what its generator makes, their size and spread, labels the text states,
folds that never share a writer between training and test, and no writer or text shared
between the two sets."""

from __future__ import annotations

import collections
import re
from datetime import date

import pytest

from dokvault.ai.taxonomy_seed import seed_taxonomy
from tests.eval.heldout import HELDOUT
from tests.eval.heldout_writers.base import dato
from tests.eval.honest import HONEST

# (set, at least this many documents, writers per type, folds)
SETS = {"honest": (HONEST, 300, 3, 3), "heldout": (HELDOUT, 150, 2, 2)}


@pytest.fixture(scope="module", params=sorted(SETS))
def evalset(request):
    spec = SETS[request.param]
    return (*spec, spec[0].load())


def test_the_committed_file_is_what_the_generator_makes(evalset):
    made, *_, docs = evalset
    assert made.generate() == docs, f"{made.path} is stale: run python tests/eval/{made.path.stem}.py"


def test_every_type_has_several_writers(evalset):
    made, least, per_type, _, docs = evalset
    taxonomy = seed_taxonomy()
    assert len(docs) >= least and len({d["id"] for d in docs}) == len(docs) == len({d["text"] for d in docs})
    writers = collections.defaultdict(set)
    for d in docs:
        writers[d["type"]].add(d["writer"])
        assert set(d["tags"]) <= set(taxonomy.tag_names())
        assert set(d["fields"]) <= {f.key for f in taxonomy.fields}
    assert set(writers) == set(taxonomy.type_names())
    assert min(len(w) for w in writers.values()) >= per_type
    assert {d["lang"] for d in docs} == {"nb", "nn"} and any(d["scanned"] for d in docs)


def _plain(text: str) -> str:
    return re.sub(r"[\s.]", "", text)


def test_every_label_is_stated_in_the_text(evalset):
    *_, docs = evalset
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


def test_grouped_folds_keep_a_writer_out_of_its_training_part(evalset):
    made, _, _, k, docs = evalset
    folds = list(made.grouped_folds(docs))
    assert len(folds) == k
    for train, test in folds:
        assert not {d["writer"] for d in train} & {d["writer"] for d in test}
        assert {d["type"] for d in test} == {d["type"] for d in train} == set(seed_taxonomy().type_names())
    assert sorted(d["id"] for _, test in folds for d in test) == sorted(d["id"] for d in docs)


def test_the_held_out_set_shares_no_writer_or_text_with_the_honest_one_and_a_third_writes_nynorsk():
    heldout, honest = HELDOUT.load(), HONEST.load()
    assert not {d["writer"] for d in heldout} & {d["writer"] for d in honest}
    assert not {d["text"] for d in heldout} & {d["text"] for d in honest}
    langs = collections.Counter(lang for ws in HELDOUT.writers.values() for _, lang, _ in ws)
    assert sum(langs.values()) >= 24 and langs["nn"] * 3 >= sum(langs.values())


def test_held_out_municipalities_and_dates_are_stated_as_written():
    for d in (d for d in HELDOUT.load() if not d["scanned"]):
        f, text = d["fields"], d["text"]
        if "municipality" in f:
            assert f["municipality"] in text, (d["id"], f["municipality"])
        for key in ("document_date", "contract_date", "takeover_date"):
            if key in f:
                written = {dato(date.fromisoformat(f[key]), style) for style in range(5)}
                assert any(w in text for w in written), (d["id"], key, f[key])
