"""Which rows an aggregate may count: the viewer's documents by access.py's rule (its SQL
form over `document d`), narrowed by the filters; and the key a cached answer is kept
under, so that two viewers share one only when they may see the same."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Row

from dokvault import db
from dokvault.db import comparable
from dokvault.models import Role, User
from dokvault.services.access import people_visible_sql, visible_sql
from dokvault.services.analytics.filters import Filters
from dokvault.services.analytics.timebuckets import bucket_sql


def dialect() -> str:
    return db.get_engine().dialect.name


def viewer_key(user: User) -> tuple:
    """What decides what `user` may see here: the rule's own SQL and parameters (whatever
    access.py says), and whose sign-ins."""
    where, params = visible_sql(user)
    people, people_params = people_visible_sql(user, "x")
    return (where, tuple(sorted(params.items())), people, tuple(sorted(people_params.items())))


def documents_where(user: User, filters: Filters, *, dated: str | None = "d.created_at",
                    ) -> tuple[list[str], dict]:
    """WHERE parts (ANDed) over `document d`: what the viewer may see (never the trash),
    the office and type filters, and the date range on `dated` (None: no range)."""
    where, params = visible_sql(user)
    parts = [f"({where})"]
    if filters.office_id:
        parts.append("d.office_id = :f_office")
        params["f_office"] = filters.office_id
    if filters.type_id:
        parts.append("d.document_type_id = :f_type")
        params["f_type"] = filters.type_id
    if dated:
        parts.append(range_sql(dated, filters, params))
    return parts, params


def of_documents(user: User, filters: Filters, column: str, params: dict) -> tuple[str, list[str]]:
    """A JOIN to `document d` on `column` (a measurement's or a review's document id) and
    the WHERE parts of documents_where (parameters into `params`); for an admin without
    an office or type filter neither: admins see everything, a document trashed since
    included, and the join would cost a scan of every document."""
    if is_admin(user) and not filters.office_id and not filters.type_id:
        return "", []
    parts, more = documents_where(user, filters, dated=None)
    params |= more
    return f"JOIN document d ON d.id = {column} ", parts


def range_sql(column: str, filters: Filters, params: dict) -> str:
    """`column` within the filters' days (adds :f_start and :f_end to `params`)."""
    start, end = filters.window()
    params["f_start"], params["f_end"] = comparable(start, dialect()), comparable(end, dialect())
    return f"{column} >= :f_start AND {column} < :f_end"


def bucket(column: str, filters: Filters, params: dict) -> str:
    """The SQL naming `column`'s time bucket (its parameters added to `params`)."""
    start, end = filters.window()
    sql, extra = bucket_sql(column, filters.bucket, dialect(), start, end)
    params.update(extra)
    return sql


# An aggregate over a hundred thousand rows sorts and hashes in memory, not on disk
# (PostgreSQL's default is 4 MB); for this transaction only.
WORK_MEM = "SET LOCAL work_mem = '32MB'"


def rows(sql: str, params: dict) -> list[Row]:
    with db.session() as s:
        if dialect() == "postgresql":
            s.execute(text(WORK_MEM))
        return list(s.execute(text(sql), params).all())


def is_admin(user: User) -> bool:
    return user.role == Role.ADMIN
