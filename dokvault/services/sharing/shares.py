"""Sharing a document with a person or another office. The owner (or an admin) decides;
the readers may read, never change. The rule of who reads what is services/access.py; this
module only writes the share rows it reads (and PostgreSQL's search table follows them by
trigger, migration 0017); the new readers are told by services/notify (share_received, the
one place every share is announced, the owner's office switch included)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from dokvault import db
from dokvault.core import audit, clock
from dokvault.core.audit import Client
from dokvault.models import Document, DocumentShare, Office, User
from dokvault.models.base import utcnow
from dokvault.services import documents, notify
from dokvault.services.access import Forbidden

log = logging.getLogger(__name__)


@dataclass
class ShareRow:
    id: int
    kind: str  # "user" or "office"
    label: str  # the person's name and e-mail, or the office's name
    created_at: str


@dataclass
class Recipient:
    id: int
    label: str


def owned_document(actor: User, uid: str, session: Session | None = None) -> Document:
    """The document if this actor may share it (its owner, or an admin); else Forbidden."""
    document = documents.get_document(actor, uid, session, to_change=True)
    if document is None:
        raise Forbidden()
    return document


def _label(user: User) -> str:
    return f"{user.name} ({user.email})" if user.name else user.email


def list_shares(actor: User, uid: str) -> list[ShareRow]:
    """Who this document is shared with, for its owner's sharing panel."""
    with db.session() as s:
        document = owned_document(actor, uid, s)
        rows = s.exec(select(DocumentShare, User, Office)
                      .where(DocumentShare.document_id == document.id)
                      .outerjoin(User, col(User.id) == DocumentShare.user_id)
                      .outerjoin(Office, col(Office.id) == DocumentShare.office_id)
                      .order_by(col(DocumentShare.created_at), col(DocumentShare.id))).all()
    return [ShareRow(share.id, "user" if user else "office",
                     _label(user) if user else office.name if office else "",
                     clock.shown(share.created_at))
            for share, user, office in rows]


def recipients(actor: User) -> list[Recipient]:
    """The active people a document can be shared with (everyone but the actor); names and
    addresses are not secret inside the organisation."""
    with db.session() as s:
        users = s.exec(select(User).where(col(User.is_active).is_(True), User.id != actor.id)
                       .order_by(col(User.name), col(User.email))).all()
    return [Recipient(u.id, _label(u)) for u in users]


def share_with_user(actor: User, uid: str, user_id: int, client: Client = Client()) -> bool:
    """Let one person read the document. False when it was shared with them already (a
    double click): nothing changes, nothing is sent twice."""
    with db.session() as s:
        document = owned_document(actor, uid, s)
        target = s.get(User, user_id)
        if target is None or not target.is_active:
            raise Forbidden("error.unknown_user")
        if target.id == document.owner_id:
            raise Forbidden("error.share_with_owner")
        if not _add(s, DocumentShare(document_id=document.id, user_id=target.id,
                                     created_by_id=actor.id), document):
            return False
        audit.record("document.shared_user", actor_id=actor.id, target_user_id=target.id,
                     client=client, session=s, document_id=document.id)
    notify.share_received(document, actor, user_id=target.id)
    return True


def share_with_office(actor: User, uid: str, office_id: int, client: Client = Client()) -> bool:
    """Let everyone in an office read the document (any office; the owner's own has the
    switch, Document.shared_office_id). False when shared with it already."""
    with db.session() as s:
        document = owned_document(actor, uid, s)
        office = s.get(Office, office_id)
        if office is None:
            raise Forbidden("error.unknown_office")
        if not _add(s, DocumentShare(document_id=document.id, office_id=office.id,
                                     created_by_id=actor.id), document):
            return False
        audit.record("document.shared_office", actor_id=actor.id, client=client, session=s,
                     document_id=document.id, office_id=office.id, name=office.name)
    notify.share_received(document, actor, office_id=office.id)
    return True


def _add(s: Session, share: DocumentShare, document: Document) -> bool:
    s.add(share)
    _stamp(s, document)
    try:
        s.commit()
    except IntegrityError:  # the same share already there
        s.rollback()
        return False
    return True


def _stamp(s: Session, document: Document) -> None:
    """Lists that show the document (the reader's too) notice the change and reload."""
    row = s.get(Document, document.id)
    row.updated_at = utcnow()
    s.add(row)


def remove_share(actor: User, uid: str, share_id: int, client: Client = Client()) -> bool:
    """Stop sharing with one person or office. False when it was gone already."""
    with db.session() as s:
        document = owned_document(actor, uid, s)
        share = s.get(DocumentShare, share_id)
        if share is None or share.document_id != document.id:
            return False
        s.delete(share)
        _stamp(s, document)
        s.commit()
        audit.record("document.share_revoked", actor_id=actor.id, target_user_id=share.user_id,
                     client=client, session=s, document_id=document.id,
                     share="user" if share.user_id else "office", office_id=share.office_id)
    return True


def shared_by(user: User, document: Document) -> str:
    """Who shared this document with this user directly (their name or e-mail), or ""."""
    to = col(DocumentShare.user_id) == user.id
    if user.office_id is not None:
        to = to | (col(DocumentShare.office_id) == user.office_id)
    with db.session() as s:
        share = s.exec(select(DocumentShare).where(DocumentShare.document_id == document.id, to)
                       .order_by(col(DocumentShare.id))).first()
        sharer = s.get(User, share.created_by_id or document.owner_id) if share else None
    return (sharer.name or sharer.email) if sharer else ""

