"""Keeping the search index in step with a document's name and text: PostgreSQL's
search vector and pairs in document_search, SQLite's FTS5 table on the embedded default."""

from __future__ import annotations

from sqlalchemy import text as sql
from sqlmodel import Session

from dokvault.core import norwegian
from dokvault.services.search.terms import PG_PAIRS, PG_VECTOR, SEARCH_FORMAT, pg_vector_parts


def index_document(session: Session, document_id: int, name: str, body: str) -> None:
    if session.get_bind().dialect.name == "postgresql":
        vector = PG_VECTOR.format(name=":name", terms=":terms")
        session.exec(
            sql(f"UPDATE document_search SET search_vector = {vector}, "  # noqa: S608
                f"search_pairs = {PG_PAIRS.format(pairs=':pairs')}, search_format = :format "
                "WHERE id = :id").bindparams(**pg_vector_parts(name, body), format=SEARCH_FORMAT,
                                             id=document_id)
        )
    else:
        terms = norwegian.terms(f"{name}\n{body}")
        session.exec(sql("DELETE FROM document_fts WHERE rowid = :id").bindparams(id=document_id))
        session.exec(
            sql(
                "INSERT INTO document_fts(rowid, name, body, terms) "
                "VALUES (:id, :name, :body, :terms)"
            ).bindparams(id=document_id, name=name, body=body, terms=terms)
        )


def stale_documents(session: Session, limit: int) -> list[int]:
    """PostgreSQL: documents whose vector is of an older SEARCH_FORMAT, up to `limit`."""
    if session.get_bind().dialect.name != "postgresql":
        return []
    return list(session.exec(sql(
        "SELECT id FROM document_search "  # noqa: S608  (our constant; the partial index's predicate)
        f"WHERE search_format < {int(SEARCH_FORMAT)} AND search_vector IS NOT NULL "
        "ORDER BY id LIMIT :limit").bindparams(limit=limit)).scalars().all())


def remove_from_index(session: Session, document_id: int) -> None:
    if session.get_bind().dialect.name != "postgresql":
        session.exec(sql("DELETE FROM document_fts WHERE rowid = :id").bindparams(id=document_id))
