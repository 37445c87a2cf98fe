"""A type's or tag's matching rule applied to the documents already stored: a preview of
how many change, then the change as a job; documents confirmed in review are left alone."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from dokvault import db
from dokvault.core import audit
from dokvault.models import Classification, Document, DocumentTag
from dokvault.models.base import utcnow
from dokvault.services import documents
from dokvault.services.access import Forbidden
from dokvault.services.intelligence import taxonomy_admin, taxonomy_apply
from dokvault.services.intelligence.taxonomy_rules import TaxonomyError
from tests.samples import make_text
from tests.unit.helpers import wait_final, wait_until


def stored(admin, tmp_path, name: str, text: str) -> Document:
    return wait_final(documents.ingest_path(admin.id, make_text(tmp_path / name, text)).id)


def confirm(document: Document) -> None:
    with db.session() as s:
        row = s.exec(select(Classification).where(Classification.document_id == document.id)).first()
        row = row or Classification(document_id=document.id, provider="local")
        row.reviewed_at = utcnow()
        s.add(row)
        s.commit()


def type_of(document: Document) -> int | None:
    with db.session() as s:
        return s.get(Document, document.id).document_type_id


def test_a_type_rule_is_previewed_then_applied_by_a_job(admin, tmp_path):
    hits = [stored(admin, tmp_path, f"{i}.txt", f"Leieavtale for hytta nummer {i}") for i in range(3)]
    stored(admin, tmp_path, "annen.txt", "Kjøpekontrakt for leiligheten")
    confirm(hits[2])
    rule = taxonomy_admin.create_type(admin, "Leieavtale", algorithm="any", match="leieavtale")
    preview = taxonomy_apply.preview(admin, "type", rule.id)
    assert (preview.matching, preview.changing, preview.confirmed) == (3, 2, 1)
    sent = taxonomy_apply.request(admin, "type", rule.id)
    assert sent.changing == 2
    wait_until(lambda: type_of(hits[1]) == rule.id, what="the job to apply the rule")
    assert type_of(hits[0]) == rule.id and type_of(hits[2]) != rule.id  # confirmed: kept
    wait_until(lambda: audit.search_events(kind="admin.rule_applied")[1] == 1, what="its audit")
    (applied,) = [json.loads(e.detail) for e in audit.search_events(kind="admin.rule_applied")[0]]
    assert applied["changed"] == 2 and sorted(applied["document_ids"]) == sorted(
        d.id for d in hits[:2])
    again = taxonomy_apply.preview(admin, "type", rule.id)
    assert (again.matching, again.changing) == (3, 0)  # applying it again changes nothing
    assert taxonomy_apply.apply_rule("type", rule.id) == 0


def test_a_tag_rule_adds_the_tag(admin, tmp_path):
    doc = stored(admin, tmp_path, "a.txt", "Hytte ved sjøen med naust")
    tag = taxonomy_admin.create_tag(admin, "Naust", algorithm="exact", match="naust")
    assert taxonomy_apply.preview(admin, "tag", tag.id).changing == 1
    assert taxonomy_apply.apply_rule("tag", tag.id, admin.id) == 1
    with db.session() as s:
        assert s.exec(select(DocumentTag).where(DocumentTag.document_id == doc.id,
                                                DocumentTag.tag_id == tag.id)).first()


def test_a_type_without_a_rule_and_a_broker_are_refused(admin, broker_user):
    plain = taxonomy_admin.create_type(admin, "Uten regel")
    with pytest.raises(TaxonomyError) as refused:
        taxonomy_apply.preview(admin, "type", plain.id)
    assert refused.value.code == "error.rule_missing"
    with pytest.raises(Forbidden):
        taxonomy_apply.preview(broker_user, "type", plain.id)
