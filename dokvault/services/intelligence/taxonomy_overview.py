"""What the taxonomy admin page shows: every type, tag and field with how many documents
use it, and what deleting one would take away."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, col, func, select

from dokvault import db
from dokvault.models import CustomField, Document, DocumentFieldValue, DocumentTag, DocumentType, Tag, User
from dokvault.services.access import require_admin
from dokvault.services.intelligence import taxonomy
from dokvault.services.intelligence.taxonomy_rules import TaxonomyError


@dataclass
class TypeView:
    id: int
    name: str
    description: str
    algorithm: str
    match: str
    case_sensitive: bool
    documents: int


@dataclass
class TagView(TypeView):
    color: str = "gray"


@dataclass
class FieldView:
    id: int
    key: str
    label: str
    kind: str
    description: str
    documents: int


@dataclass
class Overview:
    types: list[TypeView] = field(default_factory=list)
    tags: list[TagView] = field(default_factory=list)
    fields: list[FieldView] = field(default_factory=list)


def _type_counts(s: Session) -> dict[int, int]:
    return dict(s.exec(select(Document.document_type_id, func.count())
                       .where(col(Document.document_type_id).is_not(None))
                       .group_by(Document.document_type_id)).all())


def _tag_counts(s: Session) -> dict[int, int]:
    return dict(s.exec(select(DocumentTag.tag_id, func.count()).group_by(DocumentTag.tag_id)).all())


def _field_counts(s: Session) -> dict[int, int]:
    return dict(s.exec(select(DocumentFieldValue.field_id, func.count())
                       .group_by(DocumentFieldValue.field_id)).all())


def overview(actor: User | None) -> Overview:
    """Every type, tag and field with the number of documents using it (seeded first, so an
    admin's first look shows the brokerage taxonomy)."""
    require_admin(actor)
    with db.session() as s:
        taxonomy.seed_once(s)
        types, tags, fields = _type_counts(s), _tag_counts(s), _field_counts(s)
        return Overview(
            types=[TypeView(t.id, t.name, t.description, t.algorithm, t.match, t.case_sensitive,
                            types.get(t.id, 0))
                   for t in s.exec(select(DocumentType).order_by(col(DocumentType.name))).all()],
            tags=[TagView(t.id, t.name, t.description, t.algorithm, t.match, t.case_sensitive,
                          tags.get(t.id, 0), t.color)
                  for t in s.exec(select(Tag).order_by(col(Tag.name))).all()],
            fields=[FieldView(f.id, f.key, f.label, f.kind, f.description, fields.get(f.id, 0))
                    for f in s.exec(select(CustomField).order_by(col(CustomField.id))).all()],
        )


def usage(actor: User | None, kind: str, item_id: int) -> int:
    """How many documents lose something if this type/tag/field is deleted."""
    require_admin(actor)
    with db.session() as s:
        return usage_in(s, kind, item_id)


def usage_in(s: Session, kind: str, item_id: int) -> int:
    if kind == "type":
        query = select(func.count()).select_from(Document).where(col(Document.document_type_id) == item_id)
    elif kind == "tag":
        query = select(func.count()).select_from(DocumentTag).where(col(DocumentTag.tag_id) == item_id)
    elif kind == "field":
        query = (select(func.count()).select_from(DocumentFieldValue)
                 .where(col(DocumentFieldValue.field_id) == item_id))
    else:
        raise TaxonomyError("error.taxonomy_unknown_kind")
    return s.exec(query).one()


