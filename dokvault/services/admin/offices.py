"""Offices: admins create them and place users in them (Vitec Megler fills them in too,
services/org); manual ones are renamed, merged and deactivated here, each with an audit
entry of the values before and after (the admin form pattern: a name or target to correct
is an Invalid beside its field). A document belongs to an office (its owner's at upload,
changeable by whoever may change the document); an owner shares a document with their
office, so colleagues there can read it, and they are told (services/notify)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, func, select

from dokvault import db
from dokvault.core import audit
from dokvault.core.audit import Client
from dokvault.core.validation import Invalid
from dokvault.models import Assignment, Document, Employee, Office, OfficeSource, Team, User
from dokvault.models.base import utcnow
from dokvault.services import notify
from dokvault.services.access import Forbidden, changeable_by, managed_office, require_admin

MAX_NAME = 200


@dataclass
class OfficeView:
    id: int
    name: str
    members: int
    source: str = OfficeSource.MANUAL
    active: bool = True
    city: str = ""
    documents: int = 0
    staff: int = 0
    assignments: int = 0


def _counts(s, column) -> dict[int, int]:
    return dict(s.exec(select(column, func.count()).where(column.is_not(None)).group_by(column)).all())


def list_offices(active_only: bool = False, counted: bool = False) -> list[OfficeView]:
    """Every office with its number of users (names are not secret inside the organisation);
    `counted`: with its documents, staff and assignments too (the admin page)."""
    with db.session() as s:
        members = _counts(s, col(User.office_id))
        query = select(Office).order_by(col(Office.is_active).desc(), col(Office.name))
        if active_only:
            query = query.where(col(Office.is_active).is_(True))
        offices = s.exec(query).all()
        extra = (_counts(s, col(Document.office_id)), _counts(s, col(Employee.office_id)),
                 _counts(s, col(Assignment.office_id))) if counted else ({}, {}, {})
    return [OfficeView(o.id, o.name, members.get(o.id, 0), o.source, o.is_active, o.city,
                       extra[0].get(o.id, 0), extra[1].get(o.id, 0), extra[2].get(o.id, 0))
            for o in offices]


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


def _clean_name(name: str) -> str:
    name = " ".join(str(name).split())[:MAX_NAME]
    if not name:
        raise Invalid("error.office_name_missing", "name")
    return name


def create_office(actor: User | None, name: str, client: Client = Client()) -> Office:
    actor = require_admin(actor)
    name = _clean_name(name)
    with db.session() as s:
        office = Office(name=name)
        s.add(office)
        try:
            s.commit()
        except IntegrityError as exc:
            raise Invalid("error.office_exists", "name") from exc
        audit.record_change("admin.office_created", {}, {"name": name, "active": True},
                            actor_id=actor.id, client=client, session=s, office_id=office.id,
                            name=name)
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


def _manual(s, actor: User, office_id: int) -> Office:
    office = s.get(Office, office_id)
    if office is None:
        raise Forbidden("error.unknown_office")
    if office.source != OfficeSource.MANUAL:
        raise Forbidden("error.office_not_manual")
    return office


def rename_office(actor: User | None, office_id: int, name: str, client: Client = Client()) -> bool:
    """Rename a manual office (Vitec's are named in Vitec). False when the name is the same."""
    actor = require_admin(actor)
    name = _clean_name(name)
    with db.session() as s:
        office = _manual(s, actor, office_id)
        if office.name == name:
            return False
        before, office.name, office.updated_at = office.name, name, utcnow()
        s.add(office)
        try:
            s.commit()
        except IntegrityError as exc:
            raise Invalid("error.office_exists", "name") from exc
        audit.record_change("admin.office_renamed", {"name": before}, {"name": name},
                            actor_id=actor.id, client=client, session=s, office_id=office_id)
    return True


def set_office_active(actor: User | None, office_id: int, active: bool,
                      client: Client = Client()) -> bool:
    """Deactivate (or activate again) a manual office: it leaves the choices of new
    documents and people; what belongs to it stays. False when it already was so."""
    actor = require_admin(actor)
    with db.session() as s:
        office = _manual(s, actor, office_id)
        if office.is_active == active:
            return False
        office.is_active, office.updated_at = active, utcnow()
        s.add(office)
        s.commit()
        audit.record_change("admin.office_activated" if active else "admin.office_deactivated",
                            {"active": not active}, {"active": active}, actor_id=actor.id,
                            client=client, session=s, office_id=office_id, name=office.name)
    return True


def merge_offices(actor: User | None, source_id: int, target_id: int, client: Client = Client()) -> dict:
    """Merge a manual office into another (a typed "Bergen" into Vitec's "Proaktiv Bergen"):
    its people, documents, shares, staff, assignments and teams move to the target, and
    the source is removed. Returns how many of each moved."""
    actor = require_admin(actor)
    if source_id == target_id:
        raise Invalid("error.office_merge_self", "target")
    moved: dict[str, int] = {}
    with db.session() as s:
        source = _manual(s, actor, source_id)
        target = s.get(Office, target_id) if target_id else None
        if target is None:
            raise Invalid("error.office_merge_target", "target")
        for name, column in (("users", User.office_id), ("documents", Document.office_id),
                             ("shares", Document.shared_office_id), ("staff", Employee.office_id),
                             ("assignments", Assignment.office_id), ("teams", Team.office_id)):
            table = column.class_
            moved[name] = s.exec(update(table).where(col(column) == source_id)
                                 .values({column.key: target_id})).rowcount
        source_name = source.name
        s.delete(source)
        s.commit()
        audit.record_change("admin.office_merged", {"office": source_name}, {"office": target.name},
                            actor_id=actor.id, client=client, session=s, office_id=source_id,
                            name=source_name, into_office_id=target_id, into=target.name, **moved)
    return moved


def set_document_office(user: User, document: Document, office_id: int | None,
                        client: Client = Client()) -> bool:
    """Move a document to another office (None: to none). Whoever may change the document
    may (its owner, an admin, the manager of its office); the target must be active.
    False when it already belongs there."""
    with db.session() as s:
        row = s.exec(select(Document).where(Document.id == document.id, changeable_by(user))).first()
        if row is None:
            raise Forbidden()
        if office_id is not None:
            office = s.get(Office, office_id)
            if office is None:
                raise Forbidden("error.unknown_office")
            if not office.is_active:
                raise Forbidden("error.office_inactive")
        if row.office_id == office_id:
            return False
        before, row.office_id, row.updated_at = row.office_id, office_id, utcnow()
        s.add(row)
        s.commit()
        audit.record("document.office_changed", actor_id=user.id, target_user_id=row.owner_id,
                     client=client, session=s, document_id=row.id, office_id=office_id,
                     previous_office_id=before)
    return True


def set_shared(user: User, document: Document, shared: bool, client: Client = Client()) -> bool:
    """Share a document with its owner's office, or stop sharing it. Only the owner (or an
    admin, on the owner's behalf) may; the caller has checked the document is visible.
    The office's people are told when it becomes shared (not again if it already was)."""
    with db.session() as s:
        row = s.get(Document, document.id)
        owner = s.get(User, row.owner_id) if row else None
        may = owner is not None and (user.id == owner.id or user.role == "admin"
                                     or (row.office_id is not None and managed_office(user) == row.office_id))
        if row is None or not may:  # the owner, an admin, or the manager of its office
            raise Forbidden()
        if shared and owner.office_id is None:
            raise Forbidden("error.no_office")
        was = row.shared_office_id
        row.shared_office_id = owner.office_id if shared else None
        s.add(row)
        s.commit()
        s.refresh(row)
        audit.record("document.shared" if shared else "document.unshared", actor_id=user.id,
                     target_user_id=owner.id, client=client, session=s, document_id=row.id,
                     office_id=owner.office_id)
        office = s.get(Office, owner.office_id) if owner.office_id else None
    if shared and was != row.shared_office_id and office is not None:
        notify.share_received(row, user, office_id=office.id)
    return True
