"""The review loop: documents whose suggestions nobody confirmed yet, least sure first;
accept them all or correct a field; every decision is recorded, trains the `local` model
and gives the accuracy figures (share of suggestions kept unchanged)."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, Select, case, update
from sqlalchemy.sql.elements import True_
from sqlmodel import col, func, select

from dokvault import db
from dokvault.ai.types import Suggestion
from dokvault.core import audit
from dokvault.core.audit import Client
from dokvault.models import (
    Classification,
    CustomField,
    Document,
    DocumentFieldValue,
    DocumentTag,
    DocumentType,
    ReviewRecord,
    Tag,
    User,
)
from dokvault.models.base import utcnow
from dokvault.services.access import changeable_by
from dokvault.services.documents import get_document
from dokvault.services.intelligence import classification, local_model

log = logging.getLogger(__name__)
LOW_CONFIDENCE = 0.6  # below this a suggestion is flagged on the page
# The provider of a suggestion a person made themselves (a document corrected on its page
# before any classifier suggested anything): recorded, learnt from, not counted as accuracy.
MANUAL = "manual"


@dataclass
class QueueItem:
    uid: str
    name: str
    suggested_type: str
    confidence: float
    provider: str


def _unconfirmed(user: User, narrow: Sequence[ColumnElement[bool]]) -> tuple:
    return (col(Classification.reviewed_at).is_(None), col(Document.deleted_at).is_(None),
            changeable_by(user), *narrow)


def waiting_count(user: User, narrow: Sequence[ColumnElement[bool]] = ()) -> Select:
    """How many unconfirmed suggestions wait for this user, as a query (the dashboard puts
    it in its one fingerprint query). Someone who may change every document, unnarrowed,
    counts every suggestion but those of trashed documents: a look at the few in the
    trash, not a join with every document (at 100k documents 2 ms instead of 50)."""
    if isinstance(changeable_by(user), True_) and not narrow:
        trashed = select(Document.id).where(col(Document.deleted_at).is_not(None))
        return select(func.count()).select_from(Classification).where(
            col(Classification.reviewed_at).is_(None), col(Classification.document_id).not_in(trashed))
    return (select(func.count()).select_from(Classification)
            .join(Document, col(Document.id) == Classification.document_id)
            .where(*_unconfirmed(user, narrow)))


def pending(user: User, limit: int = 50, narrow: Sequence[ColumnElement[bool]] = (),
            ) -> tuple[list[QueueItem], int]:
    """Unconfirmed suggestions on documents this user may change, least confident first,
    and how many there are; `narrow`: conditions on Document besides (a dashboard scope:
    the user's own, an office)."""
    with db.session() as s:
        total = s.exec(waiting_count(user, narrow)).one()
    return least_certain(user, limit, narrow), total


def least_certain(user: User, limit: int, narrow: Sequence[ColumnElement[bool]] = (),
                  ) -> list[QueueItem]:
    where = _unconfirmed(user, narrow)
    with db.session() as s:
        rows = s.exec(
            select(Document, Classification)
            .join(Classification, col(Classification.document_id) == Document.id)
            .where(*where)
            .order_by(col(Classification.confidence), col(Document.created_at).desc())
            .limit(limit)
        ).all()
    return [QueueItem(str(d.uid), d.name, json.loads(c.suggestion).get("document_type") or "",
                      round(c.confidence, 2), c.provider) for d, c in rows]


@dataclass
class Decision:
    """What a person settles on for one document."""

    document_type: str | None
    tags: list[str] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)
    title: str | None = None


def suggestion_of(user: User, uid: str) -> tuple[Document, Suggestion] | None:
    document = get_document(user, uid, to_change=True)
    if document is None:
        return None
    with db.session() as s:
        row = s.exec(select(Classification)
                     .where(Classification.document_id == document.id)).first()
    if row is None:
        return None
    return document, Suggestion.model_validate_json(row.suggestion)


def is_unconfirmed(document_id: int) -> bool:
    with db.session() as s:
        return s.exec(select(Classification.id).where(
            Classification.document_id == document_id,
            col(Classification.reviewed_at).is_(None))).first() is not None


def current_values(document: Document) -> Decision:
    """The document's type, tags, fields and title as they stand."""
    with db.session() as s:
        type_row = s.get(DocumentType, document.document_type_id) if document.document_type_id \
            else None
        tags = s.exec(select(Tag.name).join(DocumentTag, col(DocumentTag.tag_id) == Tag.id)
                      .where(DocumentTag.document_id == document.id)).all()
        fields = s.exec(select(CustomField.key, DocumentFieldValue.value)
                        .join(DocumentFieldValue, col(DocumentFieldValue.field_id) == CustomField.id)
                        .where(DocumentFieldValue.document_id == document.id)).all()
    return Decision(type_row.name if type_row else None, sorted(tags), dict(fields), document.title)


def accept_all(user: User, uid: str, client: Client = Client()) -> bool:
    """Take the suggestion as it is. Once: accepting a document already reviewed (a double
    click, a second tab) changes nothing and records nothing."""
    found = suggestion_of(user, uid)
    if found is None:
        return False
    _, suggestion = found
    return decide(user, uid, Decision(suggestion.document_type, list(suggestion.tags),
                                      dict(suggestion.fields), suggestion.title), client,
                  once=True)


def decide(user: User, uid: str, decision: Decision, client: Client = Client(), *,
           once: bool = False) -> bool:
    """Apply what the person chose, record per field whether the suggestion was kept, mark
    the document reviewed, and let the `local` model learn from it. With `once`, only a
    document not yet reviewed is changed (claimed by one conditional UPDATE, so two events
    at the same moment still make one decision)."""
    return record_decision(user, uid, decision, client, once=once) is not None


def record_decision(user: User, uid: str, decision: Decision, client: Client = Client(), *,
                    once: bool = False, audit_kind: str = "document.reviewed") -> list[str] | None:
    """`decide`, answering what the person changed from the suggestion ("type", "tags",
    "title", "field:<key>"); None when the document is not theirs to change or has no
    suggestion."""
    found = suggestion_of(user, uid)
    if found is None:
        return None
    document, suggestion = found
    tags = sorted({t for t in decision.tags if t})
    fields = {k: " ".join(str(v).split()) for k, v in decision.fields.items() if str(v).strip()}
    compared = [("type", suggestion.document_type or "", decision.document_type or ""),
                ("tags", ", ".join(sorted(suggestion.tags)), ", ".join(tags)),
                ("title", suggestion.title or "", decision.title or "")]
    keys = set(suggestion.fields) | set(fields)
    compared += [(f"field:{k}", suggestion.fields.get(k, ""), fields.get(k, "")) for k in sorted(keys)]
    now = utcnow()
    before = current_values(document)
    with db.session() as s:
        if once:
            claimed = s.exec(update(Classification)
                             .where(col(Classification.document_id) == document.id,
                                    col(Classification.reviewed_at).is_(None))
                             .values(reviewed_at=now, reviewed_by_id=user.id))
            if claimed.rowcount == 0:
                return []  # already decided: nothing more to do
        row = s.get(Document, document.id)
        type_before = row.document_type_id
        classification.set_values(s, row, decision.document_type, tags, fields)
        row.title = (decision.title or "")[:300] or None
        type_after = row.document_type_id
        s.add(row)
        record = s.exec(select(Classification)
                        .where(Classification.document_id == document.id)).one()
        record.reviewed_at, record.reviewed_by_id = now, user.id
        s.add(record)
        for name, suggested, final in compared:
            s.add(ReviewRecord(document_id=document.id, user_id=user.id,
                               provider=suggestion.provider, field=name,
                               suggested=suggested[:1000], final=final[:1000],
                               accepted=suggested.strip() == final.strip()))
        s.commit()
    changed = [name for name, suggested, final in compared if suggested.strip() != final.strip()]
    audit.record(audit_kind, actor_id=user.id, client=client, document_id=document.id,
                 corrected=",".join(changed)[:500])
    with db.session() as s:
        after = current_values(s.get(Document, document.id))
    altered = metadata_changes(before, after)
    if altered and audit_kind != "document.metadata_changed":  # names and ids, never values
        audit.record("document.metadata_changed", actor_id=user.id,
                     target_user_id=document.owner_id, client=client, document_id=document.id,
                     changed=altered, type_id_before=type_before, type_id_after=type_after)
    local_model.retrain_soon()
    return changed


def metadata_changes(before: Decision, after: Decision) -> list[str]:
    """The names of what differs ("type", "tags", "title", "field:<key>")."""
    changed = [name for name, old, new in (("type", before.document_type, after.document_type),
                                           ("tags", before.tags, after.tags),
                                           ("title", before.title, after.title)) if old != new]
    keys = sorted(set(before.fields) | set(after.fields))
    return changed + [f"field:{k}" for k in keys if before.fields.get(k) != after.fields.get(k)]


@dataclass
class Accuracy:
    provider: str
    field: str
    reviewed: int
    accepted: int

    @property
    def share(self) -> float:
        return self.accepted / self.reviewed if self.reviewed else 0.0


def accuracy() -> list[Accuracy]:
    """Share of suggestions kept unchanged, per provider and per field (all custom fields
    together as "fields")."""
    field_group = case((col(ReviewRecord.field).startswith("field:"), "fields"),
                       else_=col(ReviewRecord.field))
    with db.session() as s:
        rows = s.exec(
            select(ReviewRecord.provider, field_group, func.count(),
                   func.sum(case((col(ReviewRecord.accepted), 1), else_=0)))
            .where(col(ReviewRecord.provider) != MANUAL)
            .group_by(ReviewRecord.provider, field_group)
            .order_by(ReviewRecord.provider, field_group)
        ).all()
    return [Accuracy(provider, name, int(n), int(ok or 0)) for provider, name, n, ok in rows]
