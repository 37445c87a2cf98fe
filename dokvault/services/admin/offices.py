"""Offices: admins create them and place users in them (until Vitec Megler fills them in);
an owner shares a document with their office, so colleagues there can read it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, func, select

from dokvault import db
from dokvault.core import audit
from dokvault.core.audit import Client
from dokvault.models import Document, Office, User
from dokvault.services.access import Forbidden, require_admin

MAX_NAME = 200


@dataclass
class OfficeView:
    id: int
    name: str
    members: int


def list_offices() -> list[OfficeView]:
    """Every office with its number of users (names are not secret inside the organisation)."""
    with db.session() as s:
        counts = dict(s.exec(select(User.office_id, func.count()).group_by(User.office_id)).all())
        offices = s.exec(select(Office).order_by(col(Office.name))).all()
    return [OfficeView(o.id, o.name, counts.get(o.id, 0)) for o in offices]


def office_name(office_id: int | None) -> str:
    if office_id is None:
        return ""
    with db.session() as s:
        office = s.get(Office, office_id)
        return office.name if office else ""


def owner_office_id(document: Document) -> int | None:
    """The office a share of this document reaches: the one it is shared with, else its
    owner's."""
    if document.shared_office_id is not None:
        return document.shared_office_id
    with db.session() as s:
        owner = s.get(User, document.owner_id)
        return owner.office_id if owner else None


def create_office(actor: User | None, name: str, client: Client = Client()) -> Office:
    actor = require_admin(actor)
    name = " ".join(name.split())[:MAX_NAME]
    if not name:
        raise Forbidden("error.office_name_missing")
    with db.session() as s:
        office = Office(name=name)
        s.add(office)
        try:
            s.commit()
        except IntegrityError as exc:
            raise Forbidden("error.office_exists") from exc
        audit.record("admin.office_created", actor_id=actor.id, client=client, session=s,
                     office_id=office.id, name=name)
        return office


def assign_user(actor: User | None, user_id: int, office_id: int | None,
                client: Client = Client()) -> None:
    """Place a user in an office (None: in none). Documents they shared before stay with
    the office they were shared with."""
    actor = require_admin(actor)
    with db.session() as s:
        user = s.get(User, user_id)
        if user is None:
            raise Forbidden("error.unknown_user")
        if office_id is not None and s.get(Office, office_id) is None:
            raise Forbidden("error.unknown_office")
        before = user.office_id
        user.office_id = office_id
        s.add(user)
        s.commit()
        audit.record("admin.office_assigned", actor_id=actor.id, target_user_id=user_id,
                     client=client, session=s, office_id=office_id, previous_office_id=before)


def set_shared(user: User, document: Document, shared: bool, client: Client = Client()) -> bool:
    """Share a document with its owner's office, or stop sharing it. Only the owner (or an
    admin, on the owner's behalf) may; the caller has checked the document is visible."""
    with db.session() as s:
        row = s.get(Document, document.id)
        owner = s.get(User, row.owner_id) if row else None
        if row is None or owner is None or (user.id != owner.id and user.role != "admin"):
            raise Forbidden()
        if shared and owner.office_id is None:
            raise Forbidden("error.no_office")
        row.shared_office_id = owner.office_id if shared else None
        s.add(row)
        s.commit()
        audit.record("document.shared" if shared else "document.unshared", actor_id=user.id,
                     target_user_id=owner.id, client=client, session=s, document_id=row.id,
                     office_id=owner.office_id)
    return True
