"""The pipeline classifies every document (the `local` provider on the embedded default),
applies the suggestion unconfirmed, and the review loop confirms or corrects it: records
per field, accuracy figures, retraining from what people confirmed, and rights."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from dokvault import db
from dokvault.models import AppSetting, Classification, ReviewRecord
from dokvault.services import documents
from dokvault.services.intelligence import classification, local_model, review
from dokvault.services.intelligence.review import Decision
from tests.samples import ENERGIATTEST, KJOPEKONTRAKT, TAKST, make_text
from tests.unit.helpers import wait_final, wait_until


def ingest(owner, tmp_path, name: str, text: str):
    return wait_final(documents.ingest_path(owner.id, make_text(tmp_path / name, text)).id)


def wait_classified(document_id: int, timeout: float = 20.0) -> Classification:
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with db.session() as s:
            row = s.exec(select(Classification)
                         .where(Classification.document_id == document_id)).first()
        if row is not None:
            return row
        time.sleep(0.05)
    raise AssertionError(f"document {document_id} was not classified")


def test_a_new_document_is_classified_and_waits_for_review(admin, tmp_path):
    doc = ingest(admin, tmp_path, "kontrakt.txt", KJOPEKONTRAKT)
    row = wait_classified(doc.id)
    assert row.provider == "local" and row.reviewed_at is None
    [(item)], waiting = review.pending(admin)
    assert waiting == 1 and item.uid == str(doc.uid) and item.suggested_type == "Kjøpekontrakt"
    current = review.current_values(documents.get_document(admin, str(doc.uid)))
    assert current.document_type == "Kjøpekontrakt"  # applied at once, unconfirmed
    assert current.fields.get("gnr_bnr", "").startswith("57/311")


def test_accept_all_records_every_field_as_kept(admin, tmp_path):
    doc = ingest(admin, tmp_path, "energi.txt", ENERGIATTEST)
    wait_classified(doc.id)
    assert review.accept_all(admin, str(doc.uid))
    assert review.pending(admin) == ([], 0)
    with db.session() as s:
        records = s.exec(select(ReviewRecord).where(ReviewRecord.document_id == doc.id)).all()
    assert records and all(r.accepted for r in records)
    assert {(a.field, a.share) for a in review.accuracy() if a.field == "type"} == {("type", 1.0)}


def test_a_correction_is_applied_and_counts_against_the_suggestion(admin, tmp_path):
    doc = ingest(admin, tmp_path, "takst.txt", TAKST)
    wait_classified(doc.id)
    suggested = review.suggestion_of(admin, str(doc.uid))[1]
    assert suggested.document_type != "Tilstandsrapport"
    decision = Decision("Tilstandsrapport", ["Bolig"], {"address": "Strandkaien 12, Stavanger"},
                        "Tilstand Strandkaien 12")
    assert review.decide(admin, str(doc.uid), decision)
    current = review.current_values(documents.get_document(admin, str(doc.uid)))
    assert (current.document_type, current.tags, current.title) == \
        ("Tilstandsrapport", ["Bolig"], "Tilstand Strandkaien 12")
    assert current.fields["address"] == "Strandkaien 12, Stavanger"
    by_field = {a.field: a for a in review.accuracy()}
    assert by_field["type"].accepted == 0 and by_field["type"].reviewed == 1
    # A reviewed document keeps what the person chose, even if it is processed again.
    classification.classify_document(doc.id)
    assert review.current_values(documents.get_document(admin, str(doc.uid))).document_type == \
        "Tilstandsrapport"


def test_a_suggestion_job_sent_twice_asks_the_provider_once(admin, tmp_path, monkeypatch):
    """The sweep re-sends a job whose message may have been lost; if it was not, the second
    one must not call (and pay) the provider again."""
    doc = ingest(admin, tmp_path, "takst.txt", TAKST)
    first = wait_classified(doc.id)
    asked = []
    monkeypatch.setattr(classification, "configured_provider",
                        lambda: asked.append(1) or _broken_provider())
    assert classification.classify_document(doc.id) is None
    assert asked == []
    with db.session() as s:
        rows = s.exec(select(Classification).where(Classification.document_id == doc.id)).all()
    assert [(r.id, r.suggestion) for r in rows] == [(first.id, first.suggestion)]

def test_only_the_owner_or_an_admin_reviews(admin, broker_user, tmp_path):
    doc = ingest(admin, tmp_path, "kontrakt.txt", KJOPEKONTRAKT)
    wait_classified(doc.id)
    assert review.pending(broker_user) == ([], 0)
    assert review.accept_all(broker_user, str(doc.uid)) is False
    assert review.decide(broker_user, str(doc.uid), Decision("Faktura")) is False
    assert review.pending(admin)[1] == 1


def test_the_local_model_retrains_only_when_confirmed_data_changed(admin, tmp_path):
    texts = [(f"kontrakt{i}.txt", KJOPEKONTRAKT + f" Sak {i}.") for i in range(6)] + \
            [(f"takst{i}.txt", TAKST + f" Sak {i}.") for i in range(6)]
    for name, text in texts:
        doc = ingest(admin, tmp_path, name, text)
        wait_classified(doc.id)
        review.accept_all(admin, str(doc.uid))
    # The reviews queued trainings of their own: one may be under way (ours then skips), so
    # wait until a model of all twelve is stored, by us or by the actor.
    wait_until(lambda: local_model.retrain_if_changed() or _trained_on(12), timeout=60,
               what="a model of the twelve reviewed documents")
    assert local_model.retrain_if_changed() is False  # nothing changed since (or under way)
    with db.session() as s:
        fingerprint = s.get(AppSetting, local_model.MODEL_VERSION).value
    provider = local_model.local_provider()
    assert provider.bundle is not None and provider.bundle.fingerprint == fingerprint
    assert provider.bundle.n_samples == 12


def test_renaming_a_type_tag_or_field_carries_over_to_waiting_suggestions(admin, tmp_path):
    from dokvault.services.intelligence import taxonomy_admin

    waiting = ingest(admin, tmp_path, "kontrakt.txt", KJOPEKONTRAKT + " Signert med BankID.")
    wait_classified(waiting.id)
    done = ingest(admin, tmp_path, "kontrakt2.txt", KJOPEKONTRAKT + " Sak 2.")
    wait_classified(done.id)
    review.accept_all(admin, str(done.uid))
    before = review.suggestion_of(admin, str(waiting.uid))[1]
    assert before.document_type == "Kjøpekontrakt" and "gnr_bnr" in before.fields
    assert "Signert" in before.tags
    with db.session() as s:
        from dokvault.models import CustomField, DocumentType, Tag

        tag_row = s.exec(select(Tag).where(Tag.name == "Signert")).one()
        type_row = s.exec(select(DocumentType).where(DocumentType.name == "Kjøpekontrakt")).one()
        field_row = s.exec(select(CustomField).where(CustomField.key == "gnr_bnr")).one()
    taxonomy_admin.update_type(admin, type_row.id, "Kjøpsavtale", type_row.description,
                               type_row.algorithm, type_row.match, type_row.case_sensitive)
    taxonomy_admin.update_tag(admin, tag_row.id, "Underskrevet", tag_row.color, tag_row.description,
                              tag_row.algorithm, tag_row.match, tag_row.case_sensitive)
    taxonomy_admin.update_field(admin, field_row.id, "matrikkel", field_row.label, field_row.kind,
                                field_row.description)
    after = review.suggestion_of(admin, str(waiting.uid))[1]
    assert after.document_type == "Kjøpsavtale" and after.fields["matrikkel"] == before.fields["gnr_bnr"]
    assert "gnr_bnr" not in after.fields
    assert "Underskrevet" in after.tags and "Signert" not in after.tags
    from dokvault.core import audit

    (renamed,), _ = audit.search_events(kind="admin.type_updated")
    assert json.loads(renamed.detail)["suggestions_renamed"] == 1  # the reviewed one stays
    # Accepting it now keeps the type and the field; the reviewed one's record is history.
    assert review.accept_all(admin, str(waiting.uid))
    current = review.current_values(documents.get_document(admin, str(waiting.uid)))
    assert current.document_type == "Kjøpsavtale" and current.fields["matrikkel"] == before.fields["gnr_bnr"]
    assert "Underskrevet" in current.tags
    with db.session() as s:
        kept = s.exec(select(ReviewRecord.suggested).where(ReviewRecord.document_id == done.id,
                                                           ReviewRecord.field == "type")).one()
    assert kept == "Kjøpekontrakt"


def _trained_on(n: int) -> bool:
    bundle = local_model.local_provider().bundle
    return bundle is not None and bundle.n_samples == n


@pytest.mark.parametrize("failing", ["provider", "model file"])
def test_a_failing_classifier_leaves_the_document_ready(admin, tmp_path, monkeypatch, failing):
    from dokvault.storage.objects import get_object_store

    if failing == "provider":
        monkeypatch.setattr(classification, "configured_provider", _broken_provider)
    else:  # a tampered model file: refused, the rules answer
        with db.session() as s:
            s.add(AppSetting(key=local_model.MODEL_VERSION, value="tampered"))
            s.commit()
        get_object_store().put_bytes(local_model.MODEL_KEY, b"DOKVAULT-LOCAL-MODEL\nxx",
                                     "application/octet-stream")
    doc = ingest(admin, tmp_path, "kontrakt.txt", KJOPEKONTRAKT)
    assert doc.status == "ready"
    row = wait_classified(doc.id)
    assert row.provider == "local"
    if failing == "provider":
        assert row.fallback_from == "broken"


def _broken_provider():
    from dokvault.ai.types import Health, ProviderError

    class Broken:
        name, model = "broken", "x"

        async def classify(self, text, taxonomy):
            raise ProviderError("broken", "unreachable")

        async def suggest_topics(self, text, taxonomy):
            raise ProviderError("broken", "unreachable")

        async def health_check(self):
            return Health(False, "broken", "x")

    return Broken()
