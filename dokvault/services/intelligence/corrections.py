"""Corrections made on a document's own page: its type, tags and custom fields changed by a
person who may change it (services/access.py `changeable_by`), each field checked against
its kind (dates, amounts, gnr/bnr) before anything is saved.

A correction is recorded exactly as a review decision is: on a document whose suggestion
nobody confirmed yet it *is* that review (services/intelligence/review.py `record_decision`,
one `ReviewRecord` per type, tags, title and field); on one reviewed before, the records of
what changed now say the new final value (or are added); a document that never had a
suggestion gets a `manual` one holding its values as they stood. Either way the document
counts as confirmed, the changed fields as corrected, the `local` model retrains in the
background (its field model learns where the corrected values stand), and the change is
audited as `document.metadata_changed` (names of what changed, never the values).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from sqlmodel import col, select

from dokvault import db
from dokvault.ai.types import FieldSpec, Suggestion
from dokvault.ai.validate import typed_value
from dokvault.core import audit
from dokvault.core.audit import Client
from dokvault.models import Classification, Document, ReviewRecord, User
from dokvault.models.base import utcnow
from dokvault.services.documents import get_document
from dokvault.services.intelligence import classification, local_model, review
from dokvault.services.intelligence import taxonomy as taxonomy_service
from dokvault.services.intelligence.review import MANUAL, Decision

log = logging.getLogger(__name__)
AUDIT_KIND = "document.metadata_changed"
TYPE_ERROR = "field_error.type"


@dataclass
class Correction:
    """What a person set on the page: the type (None for none), the tags and every field as
    typed (an empty value clears the field)."""

    document_type: str | None
    tags: list[str] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)


@dataclass
class Outcome:
    saved: bool = False
    forbidden: bool = False
    changed: list[str] = field(default_factory=list)  # "type", "tags", "field:<key>"
    errors: dict[str, str] = field(default_factory=dict)  # field key (or "type") -> i18n key


def check_fields(typed: dict[str, str], specs: dict[str, FieldSpec]) -> tuple[dict[str, str], dict[str, str]]:
    """The typed values in their fields' forms, and an error key per value that does not fit."""
    values, errors = {}, {}
    for key, raw in typed.items():
        spec = specs.get(key)
        if spec is None:
            continue  # a field an admin removed while the page was open: nothing to keep
        value, error = typed_value(spec, raw)
        if error:
            errors[key] = error
        elif value:
            values[key] = value
    return values, errors


def correct(user: User, uid: str, correction: Correction, client: Client = Client()) -> Outcome:
    """Save what a person set on the document's page (see the module docstring). Nothing is
    saved while a value does not fit its field; the same correction sent twice (a double
    click) changes and records nothing the second time."""
    document = get_document(user, uid, to_change=True)
    if document is None:
        return Outcome(forbidden=True)
    known = taxonomy_service.load()
    values, errors = check_fields(correction.fields, {f.key: f for f in known.fields})
    if correction.document_type and correction.document_type not in known.type_names():
        errors["type"] = TYPE_ERROR
    if errors:
        log.info("correction refused: document=%s fields that do not fit: %s", document.id,
                 ",".join(sorted(errors)))
        return Outcome(errors=errors)
    current = review.current_values(document)
    decision = Decision(correction.document_type or None,
                        sorted(set(correction.tags) & set(known.tag_names())), values, current.title)
    with db.session() as s:
        row = s.exec(select(Classification).where(Classification.document_id == document.id)).first()
    if row is None:
        _manual_suggestion(document, current)
    if row is None or row.reviewed_at is None:
        changed = review.record_decision(user, uid, decision, client, once=True, audit_kind=AUDIT_KIND)
        return Outcome(saved=changed is not None, forbidden=changed is None, changed=changed or [])
    return Outcome(saved=True, changed=_amend(user, document, current, decision, client))


def _manual_suggestion(document: Document, current: Decision) -> None:
    """A suggestion of the values as they stand, for a document no classifier suggested
    anything for (it failed to read, or predates the classifier): the correction is then
    its review. Created once (the row is unique per document)."""
    suggestion = Suggestion(document_type=current.document_type, tags=list(current.tags),
                            fields=dict(current.fields), title=current.title, provider=MANUAL,
                            type_confidence=1.0 if current.document_type else 0.0)
    with db.session() as s:
        if s.exec(select(Classification.id).where(Classification.document_id == document.id)).first():
            return
        s.add(Classification(document_id=document.id, provider=MANUAL, model="",
                             suggestion=suggestion.model_dump_json(), confidence=1.0))
        s.commit()


def _compared(before: Decision, after: Decision) -> list[tuple[str, str, str]]:
    """(name, before, after) of each thing that differs."""
    pairs = [("type", before.document_type or "", after.document_type or ""),
             ("tags", ", ".join(sorted(before.tags)), ", ".join(sorted(after.tags)))]
    pairs += [(f"field:{k}", before.fields.get(k, ""), after.fields.get(k, ""))
              for k in sorted(set(before.fields) | set(after.fields))]
    return [(name, a, b) for name, a, b in pairs if a.strip() != b.strip()]


def _amend(user: User, document: Document, current: Decision, decision: Decision,
           client: Client) -> list[str]:
    """A document reviewed before, changed again: the values set, each changed thing's
    review record brought up to date (suggested stays the classifier's, final is the new
    value), the document confirmed by this person now."""
    changes = _compared(current, decision)
    if not changes:
        return []
    now = utcnow()
    with db.session() as s:
        row = s.get(Document, document.id)
        classification.set_values(s, row, decision.document_type, decision.tags, decision.fields)
        s.add(row)
        record = s.exec(select(Classification).where(Classification.document_id == document.id)).one()
        record.reviewed_at, record.reviewed_by_id = now, user.id
        s.add(record)
        suggestion = Suggestion.model_validate_json(record.suggestion)
        for name, _, final in changes:
            kept = s.exec(select(ReviewRecord)
                          .where(ReviewRecord.document_id == document.id, ReviewRecord.field == name)
                          .order_by(col(ReviewRecord.id).desc())).first()
            kept = kept or ReviewRecord(document_id=document.id, provider=record.provider, field=name,
                                        suggested=_suggested(suggestion, name)[:1000])
            kept.user_id, kept.final, kept.created_at = user.id, final[:1000], now
            kept.accepted = kept.suggested.strip() == kept.final.strip()
            s.add(kept)
        s.commit()
    names = [name for name, _, _ in changes]
    audit.record(AUDIT_KIND, actor_id=user.id, client=client, document_id=document.id,
                 corrected=",".join(names)[:500])
    local_model.retrain_soon()
    return names


def _suggested(suggestion: Suggestion, name: str) -> str:
    if name == "type":
        return suggestion.document_type or ""
    if name == "tags":
        return ", ".join(sorted(suggestion.tags))
    return suggestion.fields.get(name.removeprefix("field:"), "")
