"""Applying a type's or a tag's matching rule to the documents already stored: a preview
of how many would change, then the change itself as a job on the `ai` queue (reading every
text takes a while at a hundred thousand documents).

A document changes when its text matches the rule and it does not have the type (or tag)
yet. Documents a person confirmed in review keep what they were given: they are counted
apart and left alone. Only documents that are ready and not in the trash are looked at.
The job is idempotent (a document given the type already is not changed again) and
audited once, with how many documents changed.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass

from sqlmodel import Session, col, select

from dokvault import db
from dokvault.ai import matching
from dokvault.ai.types import MatchAlgorithm
from dokvault.core import audit, jobs
from dokvault.core.audit import Client
from dokvault.models import Classification, Document, DocumentTag, DocumentText, DocumentType, Tag, User
from dokvault.models.base import utcnow
from dokvault.models.documents import DocumentStatus
from dokvault.services.access import require_admin
from dokvault.services.intelligence import taxonomy
from dokvault.services.intelligence.taxonomy_rules import TaxonomyError

log = logging.getLogger(__name__)
KINDS = ("type", "tag")
BATCH = 200
AUDITED_IDS = 50  # document ids named in the audit entry (the count is complete)


@dataclass
class ApplyPreview:
    kind: str
    item_id: int
    name: str
    matching: int = 0  # documents whose text matches the rule
    changing: int = 0  # of those, the ones that would change
    confirmed: int = 0  # of those, confirmed in review: left alone


def _item(s: Session, kind: str, item_id: int) -> DocumentType | Tag:
    if kind not in KINDS:
        raise TaxonomyError("error.forbidden")
    row = s.get(DocumentType if kind == "type" else Tag, int(item_id))
    if row is None:
        raise TaxonomyError(f"error.unknown_{kind}")
    if row.algorithm == MatchAlgorithm.NONE or not row.match.strip():
        raise TaxonomyError("error.rule_missing")
    return row


def _candidates(s: Session, kind: str, item: DocumentType | Tag,
                ) -> Iterator[tuple[int, bool, bool]]:
    """(document id, has it already, confirmed in review) of each document the rule matches."""
    label = taxonomy.label_of(item)
    tagged = set(s.exec(select(DocumentTag.document_id).where(DocumentTag.tag_id == item.id)).all()) \
        if kind == "tag" else set()
    confirmed = set(s.exec(select(Classification.document_id)
                           .where(col(Classification.reviewed_at).is_not(None))).all())
    query = (select(Document.id, Document.document_type_id, DocumentText.text)
             .join(DocumentText, col(DocumentText.document_id) == Document.id)
             .where(col(Document.deleted_at).is_(None), Document.status == DocumentStatus.READY)
             .order_by(col(Document.id)))
    for document_id, type_id, text in s.exec(query.execution_options(yield_per=BATCH)):
        if text and matching.matches(label, text):
            has = document_id in tagged if kind == "tag" else type_id == item.id
            yield document_id, has, document_id in confirmed


def preview(actor: User | None, kind: str, item_id: int) -> ApplyPreview:
    """How many stored documents the rule matches, and how many of them would change."""
    require_admin(actor)
    with db.session() as s:
        item = _item(s, kind, item_id)
        result = ApplyPreview(kind, item.id, item.name)
        for _document_id, has, confirmed in _candidates(s, kind, item):
            result.matching += 1
            if confirmed and not has:
                result.confirmed += 1
            elif not has:
                result.changing += 1
    return result


def request(actor: User | None, kind: str, item_id: int, client: Client = Client(),
            ) -> ApplyPreview:
    """Send the job that applies the rule; what the preview says now is returned."""
    actor = require_admin(actor)
    result = preview(actor, kind, item_id)
    audit.record("admin.rule_apply_requested", actor_id=actor.id, client=client, kind=kind,
                 item_id=result.item_id, name=result.name, changing=result.changing)
    jobs.send("apply_taxonomy_rule", kind, result.item_id, actor.id)
    return result


def apply_rule(kind: str, item_id: int, actor_id: int | None = None) -> int:
    """The job: give the type (or tag) to every matching, unconfirmed document that lacks
    it. Returns how many changed; a rule removed meanwhile changes nothing."""
    with db.session() as s:
        try:
            item = _item(s, kind, item_id)
        except TaxonomyError as exc:
            log.info("rule of %s %s not applied: %s", kind, item_id, exc.code)
            return 0
        wanted = [d for d, has, confirmed in _candidates(s, kind, item) if not has and not confirmed]
        now = utcnow()
        for start in range(0, len(wanted), BATCH):
            ids = wanted[start:start + BATCH]
            for document in s.exec(select(Document).where(col(Document.id).in_(ids))).all():
                if kind == "type":
                    document.document_type_id = item.id
                else:
                    s.add(DocumentTag(document_id=document.id, tag_id=item.id))
                document.updated_at = now
                s.add(document)
            s.commit()
        name = item.name
    log.info("rule of %s %s applied to %s documents", kind, item_id, len(wanted))
    audit.record("admin.rule_applied", actor_id=actor_id, kind=kind, item_id=item_id, name=name,
                 changed=len(wanted), document_ids=wanted[:AUDITED_IDS])
    return len(wanted)
