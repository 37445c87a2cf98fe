"""The organisation's taxonomy as the classifiers see it, read from the database (seeded
with a Norwegian brokerage's types, tags and fields on first start)."""

from __future__ import annotations

import logging
from contextlib import nullcontext

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from dokvault import db
from dokvault.ai.taxonomy_seed import seed_taxonomy
from dokvault.ai.types import FieldKind, FieldSpec, Label, MatchAlgorithm, Taxonomy
from dokvault.models import AppSetting, CustomField, DocumentType, Tag

log = logging.getLogger(__name__)


SEEDED = "taxonomy.seeded"


def seed_once(session: Session) -> bool:
    """Write the seed taxonomy the first time; admins edit it from there (even down to
    nothing: it is never written again)."""
    if session.get(AppSetting, SEEDED) is not None:
        return False
    session.add(AppSetting(key=SEEDED, value="1"))
    try:  # the key is the lock: of two workers seeding at once, one wins
        session.flush()
    except IntegrityError:
        session.rollback()
        return False
    if session.exec(select(func.count()).select_from(DocumentType)).one():
        session.commit()
        return False
    seed = seed_taxonomy()
    for label in seed.types:
        session.add(DocumentType(name=label.name, description=label.description,
                                 match=label.match, algorithm=label.algorithm,
                                 case_sensitive=label.case_sensitive))
    for label in seed.tags:
        session.add(Tag(name=label.name, description=label.description, match=label.match,
                        algorithm=label.algorithm, case_sensitive=label.case_sensitive))
    if not session.exec(select(func.count()).select_from(CustomField)).one():
        for spec in seed.fields:
            session.add(CustomField(key=spec.key, label=spec.label, kind=spec.kind,
                                    description=spec.description))
    session.commit()
    log.info("seeded the taxonomy: %s types, %s tags, %s fields", len(seed.types),
             len(seed.tags), len(seed.fields))
    return True


def label_of(row: DocumentType | Tag) -> Label:
    try:
        algorithm = MatchAlgorithm(row.algorithm)
    except ValueError:
        algorithm = MatchAlgorithm.NONE
    return Label(row.name, row.description, row.match, algorithm, row.case_sensitive)


def load(session: Session | None = None) -> Taxonomy:
    """The taxonomy as plain data (seeded first if this database never had one)."""
    with db.session() if session is None else nullcontext(session) as s:
        seed_once(s)
        types = s.exec(select(DocumentType).order_by(col(DocumentType.name))).all()
        tags = s.exec(select(Tag).order_by(col(Tag.name))).all()
        fields = s.exec(select(CustomField).order_by(col(CustomField.id))).all()
    return Taxonomy(
        types=tuple(label_of(t) for t in types),
        tags=tuple(label_of(t) for t in tags),
        fields=tuple(FieldSpec(f.key, f.label, _kind(f.kind), f.description) for f in fields),
    )


def _kind(value: str) -> FieldKind:
    try:
        return FieldKind(value)
    except ValueError:
        return FieldKind.TEXT
