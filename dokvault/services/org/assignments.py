"""Assignments (oppdrag) and the documents linked to them.

A document is linked to one assignment: found in its text when it is read (the assignment
number, else the property address of an assignment of the document's office), or chosen
by a person who may change the document. A link made by hand is never replaced by the
automatic one. An assignment's page lists its documents, as far as the reader may see
them (services/access.py).

Who sees assignments: an admin all; others those of their own office.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from sqlalchemy import delete
from sqlmodel import col, func, or_, select

from dokvault import db
from dokvault.core import audit, clock
from dokvault.core.audit import Client
from dokvault.models import (
    Assignment,
    Document,
    DocumentAssignment,
    DocumentText,
    Employee,
    Office,
    Role,
    User,
)
from dokvault.models.base import utcnow
from dokvault.services.access import Forbidden, changeable_by, visible_to

log = logging.getLogger(__name__)
PAGE = 50
# Tokens of a text that may be an assignment number: letters, digits and - / . with a digit.
NUMBER_TOKEN = re.compile(r"(?<![\w-])[A-Za-z0-9][A-Za-z0-9./-]{3,40}(?![\w-])")
MAX_TOKENS = 5000
ADDRESS_TEXT_CHARS = 100_000  # the address is looked for in the start of the text
MIN_ADDRESS = 6
MAX_ADDRESS_CANDIDATES = 5000


def _seen_office(user: User) -> int | None:
    """None: every office (an admin); else the user's office (-1 for none: nothing)."""
    if user.role == Role.ADMIN:
        return None
    return user.office_id if user.office_id is not None else -1


@dataclass
class AssignmentRow:
    id: int
    number: str
    address: str
    city: str
    office: str
    status: str
    active: bool
    documents: int


def list_assignments(user: User, *, office_id: int | None = None, query: str = "",
                     include_inactive: bool = False, page: int = 1) -> tuple[list[AssignmentRow], int]:
    seen = _seen_office(user)
    conditions = []
    if seen is not None:
        conditions.append(Assignment.office_id == seen)
    elif office_id is not None:
        conditions.append(Assignment.office_id == office_id)
    if not include_inactive:
        conditions.append(col(Assignment.is_active).is_(True))
    if query.strip():
        needle = f"%{query.strip().lower()[:100]}%"
        conditions.append(or_(func.lower(Assignment.assignment_number).like(needle),
                              func.lower(Assignment.address).like(needle),
                              func.lower(Assignment.city).like(needle)))
    with db.session() as s:
        total = s.exec(select(func.count()).select_from(Assignment).where(*conditions)).one()
        rows = s.exec(select(Assignment, Office.name)
                      .join(Office, col(Office.id) == col(Assignment.office_id), isouter=True)
                      .where(*conditions)
                      .order_by(col(Assignment.is_active).desc(), col(Assignment.assignment_number).desc())
                      .offset(max(page - 1, 0) * PAGE).limit(PAGE)).all()
        ids = [a.id for a, _ in rows]
        counts = dict(s.exec(select(DocumentAssignment.assignment_id, func.count())
                             .join(Document, col(Document.id) == col(DocumentAssignment.document_id))
                             .where(col(DocumentAssignment.assignment_id).in_(ids), visible_to(user),
                                    col(Document.deleted_at).is_(None))
                             .group_by(DocumentAssignment.assignment_id)).all()) if ids else {}
    return [AssignmentRow(a.id, a.assignment_number, a.address, a.city, office or "", a.status,
                          a.is_active, counts.get(a.id, 0)) for a, office in rows], total


@dataclass
class AssignmentDetail:
    id: int
    number: str
    address: str
    postal_code: str
    city: str
    office: str
    status: str
    active: bool
    changed: str
    brokers: list[dict] = field(default_factory=list)  # {"name", "email", "title"}
    documents: list[dict] = field(default_factory=list)  # {"uid", "name", "how", "status"}


def get_assignment(user: User, assignment_id: int) -> AssignmentDetail | None:
    """The assignment, if the user may see it, with its brokers and the documents linked to
    it that the user may see."""
    seen = _seen_office(user)
    with db.session() as s:
        assignment = s.get(Assignment, assignment_id)
        if assignment is None or (seen is not None and assignment.office_id != seen):
            return None
        office = s.get(Office, assignment.office_id) if assignment.office_id else None
        broker_ids = [b.get("employee") for b in assignment.brokers or [] if b.get("employee")]
        people = {e.vitec_id: e for e in s.exec(select(Employee).where(
            col(Employee.vitec_id).in_(broker_ids))).all()} if broker_ids else {}
        documents = s.exec(select(Document, DocumentAssignment.how)
                           .join(DocumentAssignment, col(DocumentAssignment.document_id) == col(Document.id))
                           .where(DocumentAssignment.assignment_id == assignment_id, visible_to(user),
                                  col(Document.deleted_at).is_(None))
                           .order_by(col(Document.created_at).desc())).all()
    return AssignmentDetail(
        assignment.id, assignment.assignment_number, assignment.address, assignment.postal_code,
        assignment.city, office.name if office else "", assignment.status, assignment.is_active,
        clock.shown(assignment.changed_at),
        brokers=[{"name": people[b].name if b in people else b,
                  "email": people[b].email if b in people else "",
                  "title": people[b].title if b in people else ""} for b in broker_ids],
        documents=[{"uid": str(d.uid), "name": d.name, "how": how, "status": d.status,
                    "added": clock.shown(d.created_at)} for d, how in documents],
    )


def find(user: User, query: str, limit: int = 10) -> list[dict]:
    """Active assignments whose number or address holds `query`, for the document page's
    picker (within what the user sees)."""
    rows, _ = list_assignments(user, query=query)
    return [{"id": r.id, "label": f"{r.number} · {r.address}, {r.city}".strip(" ,·")}
            for r in rows[:limit]]


def link_of(document_id: int) -> dict | None:
    """The assignment a document is linked to: {"id", "label", "how"}, or None."""
    with db.session() as s:
        row = s.exec(select(Assignment, DocumentAssignment.how)
                     .join(DocumentAssignment, col(DocumentAssignment.assignment_id) == col(Assignment.id))
                     .where(DocumentAssignment.document_id == document_id)).first()
    if row is None:
        return None
    assignment, how = row
    return {"id": assignment.id, "how": how,
            "label": f"{assignment.assignment_number} · {assignment.address}".strip(" ·")}


def link_document(user: User, document: Document, assignment_id: int | None,
                  client: Client = Client()) -> bool:
    """Link a document to an assignment by hand (None: unlink), if the user may change the
    document. False when nothing changed."""
    with db.session() as s:
        row = s.exec(select(Document).where(Document.id == document.id, changeable_by(user))).first()
        if row is None:
            raise Forbidden()
        current = s.get(DocumentAssignment, row.id)
        if assignment_id is not None and s.get(Assignment, assignment_id) is None:
            raise Forbidden("error.unknown_assignment")
        if (current.assignment_id if current else None) == assignment_id and \
                (current is None or current.how == "manual"):
            return False
        if current is not None:
            s.delete(current)
            s.flush()
        if assignment_id is not None:
            s.add(DocumentAssignment(document_id=row.id, assignment_id=assignment_id, how="manual",
                                     linked_by_id=user.id, linked_at=utcnow()))
        s.commit()
        audit.record("document.assignment_linked" if assignment_id else "document.assignment_unlinked",
                     actor_id=user.id, target_user_id=row.owner_id, client=client, session=s,
                     document_id=row.id, assignment_id=assignment_id)
    return True


def _normalised(text: str) -> str:
    return " ".join(text.lower().split())


def match_text(text: str, office_id: int | None) -> tuple[int, str] | None:
    """(assignment id, how) that a document's text names: its number (unambiguously), else
    the address of one of its office's active assignments (the longest that occurs)."""
    tokens = list(dict.fromkeys(t.strip("./") for t in NUMBER_TOKEN.findall(text)
                                if any(c.isdigit() for c in t)))[:MAX_TOKENS]
    with db.session() as s:
        found: set[int] = set()
        for start in range(0, len(tokens), 500):
            found.update(s.exec(select(Assignment.id).where(
                col(Assignment.assignment_number).in_(tokens[start:start + 500]),
                Assignment.assignment_number != "")).all())
        if len(found) == 1:
            return found.pop(), "number"
        if found:  # several numbers: the text is about more than one, link none
            return None
        query = select(Assignment.id, Assignment.address).where(col(Assignment.is_active).is_(True),
                                                                Assignment.address != "")
        if office_id is not None:
            query = query.where(Assignment.office_id == office_id)
        candidates = s.exec(query.limit(MAX_ADDRESS_CANDIDATES + 1)).all()
    if office_id is None and len(candidates) > MAX_ADDRESS_CANDIDATES:
        return None  # no office to narrow by, and too many to guess among
    haystack = _normalised(text[:ADDRESS_TEXT_CHARS])
    hits = sorted(((len(a), i) for i, a in candidates
                   if len(a) >= MIN_ADDRESS and re.search(r"(?<!\w)" + re.escape(_normalised(a)) + r"(?!\w)",
                                                         haystack)), reverse=True)
    if not hits or (len(hits) > 1 and hits[0][0] == hits[1][0]):
        return None
    return hits[0][1], "address"


def link_by_text(document_id: int) -> bool:
    """After a document is read: link it to the assignment its text names, unless it is
    linked already. Returns whether a link was made."""
    with db.session() as s:
        if s.get(DocumentAssignment, document_id) is not None:
            return False
        document = s.get(Document, document_id)
        text_row = s.get(DocumentText, document_id)
        if document is None or text_row is None or not text_row.text:
            return False
        text, office_id = text_row.text, document.office_id
    match = match_text(text, office_id)
    if match is None:
        return False
    with db.session() as s:
        if s.get(DocumentAssignment, document_id) is not None:
            return False
        s.add(DocumentAssignment(document_id=document_id, assignment_id=match[0], how=match[1]))
        s.commit()
    log.info("document %s linked to assignment %s by %s", document_id, match[0], match[1])
    return True


def unlink_all(assignment_id: int) -> int:
    with db.session() as s:
        gone = s.exec(delete(DocumentAssignment).where(
            col(DocumentAssignment.assignment_id) == assignment_id)).rowcount
        s.commit()
    return gone
