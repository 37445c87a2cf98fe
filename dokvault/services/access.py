"""Who may see and do what, in one place: the visibility of documents (as a SQL
expression, as a raw WHERE fragment and as the search table's reader keys, which a test
keeps in agreement) and the check at the top of every admin action. Every domain package
builds on it; it builds on none of them."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, or_, true
from sqlmodel import col

from dokvault.core import audit
from dokvault.models import Document, Role, User


class Forbidden(PermissionError):
    """The actor may not do this; `code` is an i18n key."""

    def __init__(self, code: str = "error.forbidden"):
        super().__init__(code)
        self.code = code


def require_admin(actor: User | None) -> User:
    if actor is None or not actor.is_active or actor.role != Role.ADMIN:
        audit.record("admin.refused", actor_id=actor.id if actor else None)
        raise Forbidden()
    return actor


def visible_to(user: User) -> ColumnElement[bool]:
    """Admins see everything; others their own documents and those shared with their
    office, as long as they are not in the trash (trash is the owner's own)."""
    if user.role == Role.ADMIN:
        return true()
    mine = col(Document.owner_id) == user.id
    if user.office_id is None:
        return mine
    shared = and_(col(Document.shared_office_id) == user.office_id,
                  col(Document.deleted_at).is_(None))
    return or_(mine, shared)


def changeable_by(user: User) -> ColumnElement[bool]:
    """Trash, restore, delete and share: the owner and admins only, never the office."""
    return true() if user.role == Role.ADMIN else col(Document.owner_id) == user.id


def visible_sql(user: User) -> tuple[str, dict]:
    """visible_to as a WHERE fragment over `document d` (or PostgreSQL's `document_search
    d`, which has these columns too) and its parameters, for the raw SQL of search and
    suggestions; trashed documents are left out too."""
    if user.role == Role.ADMIN:
        return "d.deleted_at IS NULL", {}
    if user.office_id is None:
        return "d.deleted_at IS NULL AND d.owner_id = :viewer", {"viewer": user.id}
    return ("d.deleted_at IS NULL AND (d.owner_id = :viewer OR d.shared_office_id = :office)",
            {"viewer": user.id, "office": user.office_id})


def reader_keys(user: User) -> list[int] | None:
    """visible_to as the `readers` keys of PostgreSQL's search table (migration 0008): the
    user's id, and minus their office's id. None for admins, who may read everything."""
    if user.role == Role.ADMIN:
        return None
    return [user.id] if user.office_id is None else [user.id, -user.office_id]


def people_visible_sql(user: User, column: str) -> tuple[str, dict]:
    """Whose account events (sign-ins and their failures, in the analytics) a user may
    see, as a WHERE fragment on the user id `column`: admins everyone's (also failures
    for unknown addresses), office managers those of their office's people, others their
    own."""
    if user.role == Role.ADMIN:
        return "1 = 1", {}
    if user.role == Role.OFFICE_MANAGER and user.office_id is not None:
        return (f'{column} IN (SELECT u.id FROM "user" u WHERE u.office_id = :people_office)',  # noqa: S608
                {"people_office": user.office_id})
    return f"{column} = :people_viewer", {"people_viewer": user.id}
