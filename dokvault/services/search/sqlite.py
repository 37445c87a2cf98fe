"""Running a search on the embedded default: SQLite FTS5 over document_fts."""

from __future__ import annotations

from sqlalchemy import text as sql
from sqlmodel import Session

from dokvault.services.search.filters import SQLITE_LOWER
from dokvault.services.search.results import HIT_END, HIT_START, Found, SearchHit
from dokvault.services.search.terms import fts5_exclusion, fts5_match


def run(session, parsed, where, bind, by_date, limit, offset, facets) -> Found:
    """The embedded default: counts and page as separate statements over FTS5."""
    register_sqlite_functions(session)
    bind = dict(bind)
    if parsed.has_text:
        bind["q"] = fts5_match(parsed)
        source = ("FROM document_fts f JOIN document d ON d.id = f.rowid "
                  f"WHERE document_fts MATCH :q AND {where}")
    else:
        source = f"FROM document d WHERE {where}"
        if xq := fts5_exclusion(parsed):
            source += " AND d.id NOT IN (SELECT rowid FROM document_fts WHERE document_fts MATCH :xq)"
            bind["xq"] = xq
    found = Found([], 0, {}, {})
    if facets:
        rows = session.exec(sql(f"SELECT d.document_type_id, count(*) {source} "  # noqa: S608
                                "GROUP BY d.document_type_id").bindparams(**bind)).all()
        found.total = sum(int(n) for _, n in rows)
        found.type_counts = {k: int(n) for k, n in rows if k is not None}
        rows = session.exec(sql("SELECT dt.tag_id, count(*) FROM document_tag dt "  # noqa: S608
                                f"WHERE dt.document_id IN (SELECT d.id {source}) GROUP BY dt.tag_id"
                                ).bindparams(**bind)).all()
        found.tag_counts = {k: int(n) for k, n in rows}
    else:
        found.total = int(session.exec(sql(f"SELECT count(*) {source}").bindparams(**bind)).one()[0])  # noqa: S608
    if not found.total or offset >= found.total:
        return found
    bind.update(limit=limit, offset=offset)
    # The document's own date, else the day it was uploaded.
    day_order = "COALESCE(d.document_date, date(d.created_at)) DESC, d.created_at DESC, d.id DESC"
    if not parsed.has_text:
        rows = session.exec(sql(f"SELECT d.id, 0.0, '' {source} ORDER BY {day_order} "  # noqa: S608
                                "LIMIT :limit OFFSET :offset").bindparams(**bind)).all()
    else:
        bm25 = "bm25(document_fts, 10.0, 1.0, 1.0)"
        order = day_order if by_date else f"{bm25}, d.created_at DESC, d.id DESC"
        rows = session.exec(sql(
            f"SELECT d.id, -{bm25}, "  # noqa: S608
            f"snippet(document_fts, 1, '{HIT_START}', '{HIT_END}', ' … ', 24) "
            f"{source} ORDER BY {order} LIMIT :limit OFFSET :offset").bindparams(**bind)).all()
    found.hits = [SearchHit(r[0], float(r[1]), r[2] or "") for r in rows]
    return found


def _sqlite_lower(value):
    return value.lower() if isinstance(value, str) else value


def register_sqlite_functions(session: Session) -> None:
    """Unicode lower() for the filters (SQLite's own folds only A-Z), on this connection."""
    raw = session.connection().connection.driver_connection
    raw.create_function(SQLITE_LOWER, 1, _sqlite_lower, deterministic=True)
