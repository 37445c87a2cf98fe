"""Reading documents for a person: list, detail, relations, text, search, trash.
Every function takes the `User` and scopes the query to what that user may see
(services/access.py)."""

from __future__ import annotations

import contextlib
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from sqlalchemy import ColumnElement, exists, or_
from sqlalchemy import delete as sql_delete
from sqlmodel import Session, col, func, select

from dokvault import db
from dokvault.core import audit, clock
from dokvault.core.audit import Client
from dokvault.models import Document, DocumentShare, DocumentText, DocumentType, User
from dokvault.models.base import utcnow
from dokvault.models.documents import PENDING_STATUSES
from dokvault.services import search
from dokvault.services.access import (
    changeable_by,
    search_index_sql,
    shared_directly,
    visible_sql,
    visible_to,
)
from dokvault.services.documents.list_filters import ListFilter
from dokvault.services.search.query import QueryError
from dokvault.storage.objects import get_object_store

log = logging.getLogger(__name__)
SortKey = Literal["created_at", "name", "size", "status"]

# --- reading, scoped to the user -------------------------------------------------------------


@dataclass
class DocumentRow:
    uid: str
    name: str
    ext: str
    size: int
    status: str
    error: str
    created_at: str
    page_count: int
    has_thumbnail: bool
    duplicate: bool
    owner_id: int
    shared: bool = False  # with its owner's office (the switch on its page)
    # How the list marks it: "office" (its owner's office only), "others" (a person or another
    # office besides), for its owner; "you" for someone it was shared with; "" otherwise.
    sharing: str = ""
    doc_type: str = ""
    snippet: list[dict] | None = None

    @classmethod
    def of(cls, d: Document, type_names: dict[int, str] | None = None, sharing: str = "") -> DocumentRow:
        return cls(
            uid=str(d.uid),
            name=d.name,
            ext=d.ext.lstrip(".").upper(),
            size=d.size,
            status=d.status,
            error=d.error or "",
            created_at=clock.shown(d.created_at),
            page_count=d.page_count or 0,
            has_thumbnail=bool(d.thumbnail_key),
            duplicate=d.duplicate_of_id is not None,
            owner_id=d.owner_id,
            shared=d.shared_office_id is not None,
            sharing=sharing,
            doc_type=(type_names or {}).get(d.document_type_id or 0, ""),
        )


def sharing_columns(user: User) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    """Two columns for a document query, so a list knows how its rows are shared in the same
    query: whether the document has share rows (a person, an office), and whether it reaches
    `user` through a share (theirs, their office's, or the office switch)."""
    has_rows = exists().where(col(DocumentShare.document_id) == col(Document.id))
    with_me = shared_directly(user)
    if user.office_id is not None:
        with_me = or_(with_me, col(Document.shared_office_id) == user.office_id)
    return has_rows.label("has_shares"), with_me.label("shared_with_me")


def sharing_of(user: User, d: Document, has_shares: bool, shared_with_me: bool) -> str:
    """DocumentRow.sharing for this viewer (see there)."""
    if d.owner_id == user.id:
        return "others" if has_shares else "office" if d.shared_office_id is not None else ""
    return "you" if shared_with_me else ""


def type_names(session: Session, documents: Sequence[Document]) -> dict[int, str]:
    """Names of the types of these documents, in one query."""
    ids = {d.document_type_id for d in documents if d.document_type_id}
    if not ids:
        return {}
    return dict(session.exec(select(DocumentType.id, DocumentType.name)
                             .where(col(DocumentType.id).in_(ids))).all())


def list_documents(
    user: User,
    *,
    trashed: bool = False,
    sort: SortKey = "created_at",
    descending: bool = True,
    page: int = 1,
    page_size: int = 25,
    filters: ListFilter | None = None,
) -> tuple[list[DocumentRow], int]:
    """A page of the documents this user may see (or their trash), narrowed by `filters`
    (list_filters.py: what a dashboard widget links to), and how many there are."""
    column = getattr(Document, sort if sort in SortKey.__args__ else "created_at")
    trash_filter = (
        col(Document.deleted_at).is_not(None) if trashed else col(Document.deleted_at).is_(None)
    )
    rights = changeable_by(user) if trashed else visible_to(user)  # a trash is one's own
    narrow = filters.conditions(user) if filters is not None else []
    with db.session() as s:
        total = s.exec(
            select(func.count()).select_from(Document).where(rights, trash_filter, *narrow)
        ).one()
        order = col(column).desc() if descending else col(column).asc()
        rows = s.exec(
            select(Document, *sharing_columns(user))
            .where(rights, trash_filter, *narrow)
            .order_by(order, col(Document.id).desc())
            .offset(max(page - 1, 0) * page_size)
            .limit(page_size)
        ).all()
        types = type_names(s, [d for d, _, _ in rows])
    return [DocumentRow.of(d, types, sharing_of(user, d, bool(has), bool(mine)))
            for d, has, mine in rows], total


def parse_uid(uid: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(uid))
    except ValueError:
        return None


def get_document(user: User, uid: str, session: Session | None = None, *,
                 to_change: bool = False) -> Document | None:
    """The document if this user may see it (or change it, with `to_change`), else None:
    unknown and forbidden look the same."""
    parsed = parse_uid(uid)
    if parsed is None:
        return None
    rights = changeable_by(user) if to_change else visible_to(user)
    with contextlib.ExitStack() as stack:
        s = session or stack.enter_context(db.session())
        return s.exec(select(Document).where(Document.uid == parsed, rights)).first()


@dataclass
class Related:
    """The e-mail a document came attached to, and the attachments of an e-mail, as far as
    this user may see them."""

    parent: dict[str, str] | None
    attachments: list[dict[str, str]]


def searchable_name(document: Document) -> str:
    """"Skannet kontrakt.png" -> "Skannet kontrakt (OCR).pdf"."""
    return f"{Path(document.name).stem} (OCR).pdf"


def related(user: User, document: Document) -> Related:
    with db.session() as s:
        parent = s.exec(select(Document).where(Document.id == document.parent_id,
                                               visible_to(user))).first() \
            if document.parent_id else None
        children = s.exec(select(Document)
                          .where(Document.parent_id == document.id, visible_to(user),
                                 col(Document.deleted_at).is_(None))
                          .order_by(col(Document.name))).all()
    return Related(
        parent={"uid": str(parent.uid), "name": parent.name} if parent else None,
        attachments=[{"uid": str(c.uid), "name": c.name} for c in children],
    )


def note_refused(user: User, uid: str, client: Client = Client()) -> None:
    """Audit a request for a document that exists but is not this user's to see (a probe
    for an unknown id is not worth an entry); the answer stays the same "not found"."""
    parsed = parse_uid(uid)
    if parsed is None:
        return
    with db.session() as s:
        hidden = s.exec(select(Document.id).where(Document.uid == parsed)).first()
    if hidden is not None:
        log.warning("document access refused id=%s user=%s", hidden, user.id)
        audit.record("document.access_refused", actor_id=user.id, client=client,
                     document_id=hidden)


def document_text(document: Document) -> str:
    with db.session() as s:
        row = s.get(DocumentText, document.id)
        return row.text if row else ""


def _pending(user: User):
    return select(func.count()).select_from(Document).where(
        visible_to(user), col(Document.status).in_([str(p) for p in PENDING_STATUSES]))


def pending_count(user: User) -> int:
    with db.session() as s:
        return s.exec(_pending(user)).one()


def fingerprint(user: User) -> str:
    """Changes whenever the document list would: how many of the user's documents are
    still being read, and the latest change among those they see (an upload, a status,
    a trash or a restore all stamp `updated_at`). One query on the status and updated_at
    indexes: a page polls it and reloads the list only when it differs."""
    latest = select(func.max(Document.updated_at)).where(visible_to(user))
    with db.session() as s:
        pending, changed = s.exec(select(_pending(user).scalar_subquery(),
                                         latest.scalar_subquery())).one()
    return f"{pending}:{changed or '-'}"


def _set_trashed(user: User, uid: str, trashed: bool, client: Client) -> Document | None:
    with db.session() as s:
        document = get_document(user, uid, s, to_change=True)
        if document is None:
            return None
        if (document.deleted_at is not None) == trashed:
            return document  # already so (a double click): no change, no new stamp
        document.deleted_at = utcnow() if trashed else None
        document.updated_at = utcnow()
        s.add(document)
        s.commit()
        log.info("document %s id=%s by user=%s", "trashed" if trashed else "restored",
                 document.id, user.id)
        audit.record("document.trashed" if trashed else "document.restored", actor_id=user.id,
                     target_user_id=document.owner_id, client=client, session=s,
                     document_id=document.id)
        return document


def trash_document(user: User, uid: str, client: Client = Client()) -> Document | None:
    return _set_trashed(user, uid, True, client)


def restore_document(user: User, uid: str, client: Client = Client()) -> Document | None:
    return _set_trashed(user, uid, False, client)


def note_download(user: User, document: Document, client: Client = Client(),
                  what: str = "original") -> None:
    """Audit a download the user was given (`what`: "original" or "searchable")."""
    audit.record("document.downloaded", actor_id=user.id, target_user_id=document.owner_id,
                 client=client, document_id=document.id, what=what)


def delete_forever(user: User, uid: str, client: Client = Client()) -> bool:
    """Remove a trashed document, its objects and its index entry. Once: a second call (a
    double click, a second tab) finds it gone and returns False, deleting nothing."""
    store = get_object_store()
    with db.session() as s:
        document = get_document(user, uid, s, to_change=True)
        if document is None or document.deleted_at is None:
            return False
        # The row locked (PostgreSQL): a concurrent delete waits here, then finds it gone.
        if s.exec(select(Document.id).where(Document.id == document.id,
                                            col(Document.deleted_at).is_not(None))
                  .with_for_update()).first() is None:
            return False
        keys = [k for k in (document.object_key, document.thumbnail_key,
                            document.searchable_key) if k]
        for dup in s.exec(select(Document).where(Document.duplicate_of_id == document.id)).all():
            dup.duplicate_of_id = None
            s.add(dup)
        search.remove_from_index(s, document.id)
        text_row = s.get(DocumentText, document.id)
        if text_row:
            s.delete(text_row)
            s.flush()  # the text row first: no ORM relationship orders these deletes
        gone = s.exec(sql_delete(Document).where(Document.id == document.id,
                                                 col(Document.deleted_at).is_not(None)))
        if gone.rowcount != 1:  # deleted by someone else meanwhile (SQLite takes no row lock)
            s.rollback()
            return False
        s.commit()
    for key in keys:
        store.delete(key)
    log.info("document deleted id=%s by user=%s", document.id, user.id)
    audit.record("document.deleted", actor_id=user.id, target_user_id=document.owner_id,
                 client=client, document_id=document.id, size=document.size)
    return True


@dataclass
class SearchResult:
    """A page of search results and what is known about all of them."""

    rows: list[DocumentRow]
    total: int
    type_counts: list[search.FacetCount] = field(default_factory=list)
    tag_counts: list[search.FacetCount] = field(default_factory=list)
    errors: list[QueryError] = field(default_factory=list)  # parts of the query left out
    unapplied: list[str] = field(default_factory=list)  # filter keys that could not be used
    approximate: bool = False  # total and counts are estimates (a very large result)


def find_documents(user: User, query: str, page: int = 1, page_size: int = 25,
                   sort: str = "relevance") -> SearchResult:
    """Search what this user may see: words, phrases, OR, exclusions and filters
    (services/query.py), with counts per type and tag over the whole result. `sort` is
    "relevance" or "date" (newest first)."""
    where, params = visible_sql(user)
    with db.session() as s:
        outcome = search.run_search(
            s, query, where, params, index_scope=search_index_sql(user), viewer_id=user.id,
            limit=page_size, offset=max(page - 1, 0) * page_size, sort=sort,
        )
        documents = {}
        if outcome.hits:
            wanted = [h.document_id for h in outcome.hits]
            documents = {d.id: d for d in s.exec(select(Document).where(col(Document.id).in_(wanted))).all()}
    rows = []
    for hit in outcome.hits:
        if hit.document_id in documents:
            row = DocumentRow.of(documents[hit.document_id])
            row.snippet = search.snippet_parts(hit.snippet)
            rows.append(row)
    return SearchResult(rows, outcome.total, outcome.type_counts, outcome.tag_counts,
                        outcome.errors, outcome.unapplied, outcome.approximate)


def search_documents(user: User, query: str, page: int = 1, page_size: int = 25,
                     sort: str = "relevance") -> tuple[list[DocumentRow], int]:
    """find_documents for callers that want only the rows and the total."""
    result = find_documents(user, query, page, page_size, sort)
    return result.rows, result.total
