"""Fields that learn from corrections: a field a person corrects in review trains the field
model (in the background, with the type model), and the next document of that layout is
read right; where the model is unsure the rules' value stands; the model lives in the
signed model file."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from dokvault import db
from dokvault.ai import field_model, local, local_file
from dokvault.ai.fields import extract_fields, prepare, rule_fields
from dokvault.ai.local import ModelRefused
from dokvault.ai.taxonomy_seed import FIELDS
from dokvault.ai.types import TrainingSample
from dokvault.models import AppSetting, Classification
from dokvault.services import documents
from dokvault.services.intelligence import local_model, review
from dokvault.services.intelligence.review import Decision
from tests.samples import make_docx
from tests.unit.helpers import wait_final, wait_until

# A firm's own form the rules do not know: "Avhender" for the seller, "Overdragelsesbeløp"
# for the price, with other names and amounts around them.
PEOPLE = [("Kari Nordmann", "Ola Dunk", "3 450 000", "85 000"),
          ("Sofie Berg", "Jonas Lie", "5 120 000", "112 500"),
          ("Ahmed Khan", "Line Moe", "2 980 000", "74 000")]


def form(tmp_path, n: int):
    seller, buyer, price, costs = PEOPLE[n]
    return make_docx(tmp_path / f"overdragelse{n}.docx", ["Overdragelse – Fjordhus Eiendom AS"], [
        ["Saksbehandler", "Per Hansen"],
        ["Avhender", seller],
        ["Mottaker", buyer],
        ["Overdragelsesbeløp", price],
        ["Omkostninger", costs],
        ["Utarbeidet", "12.03.2026"],
    ])


def suggested_fields(document_id: int) -> dict[str, str]:
    def done():
        with db.session() as s:
            return s.exec(select(Classification).where(Classification.document_id == document_id)).first()
    return json.loads(wait_until(done, timeout=20, what="suggestions").suggestion)["fields"]


def test_a_correction_in_review_makes_the_next_document_of_that_layout_right(admin, tmp_path):
    first = wait_final(documents.ingest_path(admin.id, form(tmp_path, 0)).id)
    before = suggested_fields(first.id)
    assert before.get("seller") != "Kari Nordmann" and before.get("price") != "3450000"

    corrected = {**before, "seller": "Kari Nordmann", "buyer": "Ola Dunk", "price": "3450000"}
    assert review.decide(admin, str(first.uid), Decision("Kjøpekontrakt", [], corrected))

    # The review queued a training on the `ai` queue; wait for the model it stores.
    def trained():
        with db.session() as s:
            setting = s.get(AppSetting, local_model.MODEL_VERSION)
        bundle = local_model.local_provider().bundle
        return setting is not None and bundle is not None and bundle.fingerprint == setting.value \
            and bundle.fields is not None and bundle
    bundle = wait_until(trained, timeout=60, what="a model trained on the correction")
    assert {"seller", "buyer", "price"} <= set(bundle.fields.keys)

    for n in (1, 2):
        seller, buyer, price, _ = PEOPLE[n]
        doc = wait_final(documents.ingest_path(admin.id, form(tmp_path, n)).id)
        fields = suggested_fields(doc.id)
        assert (fields.get("seller"), fields.get("buyer"), fields.get("price")) == \
            (seller, buyer, price.replace(" ", ""))
        assert fields.get("document_date") == before.get("document_date")  # what it had, it keeps


def _sample(text: str, fields: dict[str, str], corrected=(), n: int = 0) -> TrainingSample:
    return TrainingSample(text, "Kjøpekontrakt", (), f"doc-{n}", fields=fields, corrected=tuple(corrected))


LETTER = ("Fjordhus Eiendom AS\nStrandgata 3, 5013 Bergen\n\nOverdragelse\nAvhender: {seller}\n"
          "Mottaker: {buyer}\nOverdragelsesbeløp: {price}\nOmkostninger: kr 85 000\nDato: 12.03.2026\n")


def _letter(seller: str, buyer: str, price: str) -> str:
    return LETTER.format(seller=seller, buyer=buyer, price=price)


def test_one_corrected_document_teaches_the_layout_and_others_keep_the_rules():
    text = _letter("Kari Nordmann", "Ola Dunk", "3 450 000")
    assert "price" not in extract_fields(text, FIELDS)
    bundle = local.train([_sample(text, {"seller": "Kari Nordmann", "price": "3450000",
                                         "document_date": "2026-03-12"}, corrected=("seller", "price"))])
    assert bundle.fields is not None and not bundle.type_ready  # one document: no type model yet
    nxt = _letter("Sofie Berg", "Jonas Lie", "5 120 000")
    got = extract_fields(nxt, FIELDS, model=bundle.fields)
    assert (got["seller"], got["price"], got["document_date"]) == ("Sofie Berg", "5120000", "2026-03-12")
    # A document of another layout: the model is unsure there, so the rules answer as before.
    other = "KJØPEKONTRAKT\nSelger: Nina Aas\nKjøper: Tor Eng\nKjøpesum: kr 2 000 000\nDato: 01.02.2026\n"
    assert extract_fields(other, FIELDS, model=bundle.fields) == extract_fields(other, FIELDS)


def test_a_value_that_is_no_candidate_teaches_nothing():
    text = _letter("Kari Nordmann", "Ola Dunk", "3 450 000")
    doc = prepare(text)
    example = field_model.Example(doc, {"seller": "Somebody Else"}, frozenset({"seller"}),
                                  rule_fields(doc.text, {"seller"}))
    assert field_model.train([example]) is None


def test_the_field_model_is_kept_in_the_signed_file_and_checked_there(tmp_path):
    text = _letter("Kari Nordmann", "Ola Dunk", "3 450 000")
    bundle = local.train([_sample(text, {"seller": "Kari Nordmann", "price": "3450000"},
                                  corrected=("price",))])
    key = b"k" * 32
    loaded = local_file.loads(local_file.dumps(bundle, key), key)
    assert loaded.fields is not None and loaded.fields.keys == bundle.fields.keys
    nxt = _letter("Sofie Berg", "Jonas Lie", "5 120 000")
    assert extract_fields(nxt, FIELDS, model=loaded.fields) == \
        extract_fields(nxt, FIELDS, model=bundle.fields)
    bundle.fields.intercept.append(0.0)  # arrays that do not fit the keys: refused, even when signed
    with pytest.raises(ModelRefused):
        local_file.loads(local_file.dumps(bundle, key), key)


def test_a_field_correction_changes_the_fingerprint():
    text = _letter("Kari Nordmann", "Ola Dunk", "3 450 000")
    plain = local.training_fingerprint([_sample(text, {"price": "3450000"})])
    assert plain != local.training_fingerprint([_sample(text, {"price": "3450001"})])
    assert plain != local.training_fingerprint([_sample(text, {"price": "3450000"}, corrected=("price",))])


def test_field_training_is_bounded_to_the_newest_documents_and_the_corrected_ones(monkeypatch):
    monkeypatch.setattr(field_model, "MAX_DOCS", 3)
    read = []
    learner = field_model.Learner(lambda s: read.append(s.id) or local.field_example(s))
    for n in range(6):
        learner.add(_sample(_letter("Kari Nordmann", "Ola Dunk", "3 450 000"), {"price": "3450000"},
                            corrected=("price",) if n == 0 else (), n=n))
    learner.fit()
    assert read == ["doc-0", "doc-4", "doc-5"]
