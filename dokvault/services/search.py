"""One search service over two back ends: PostgreSQL full-text search
(`norwegian` configuration, GIN index) and SQLite FTS5 on the embedded default.

Both also index our own normalised Norwegian terms (services/norwegian.py), and
query words match those terms by prefix, so inflected forms find each other.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text as sql
from sqlmodel import Session

from dokvault.services import norwegian

HIT_START = "\ue000"
HIT_END = "\ue001"
# Text given to the PostgreSQL stemmer per document (tsvector has a 1 MB limit).
PG_TEXT_CHARS = 400_000
MAX_QUERY_WORDS = 12


@dataclass
class SearchHit:
    document_id: int
    rank: float
    snippet: str  # plain text with HIT_START/HIT_END around matches


def index_document(session: Session, document_id: int, name: str, body: str) -> None:
    terms = norwegian.terms(f"{name}\n{body}")
    if session.get_bind().dialect.name == "postgresql":
        session.exec(
            sql(
                "UPDATE document_text SET search_vector = "
                "setweight(to_tsvector('norwegian', :name), 'A') || "
                "setweight(to_tsvector('norwegian', left(text, :limit)), 'B') || "
                "setweight(to_tsvector('simple', :terms), 'D') "
                "WHERE document_id = :id"
            ).bindparams(name=name, limit=PG_TEXT_CHARS, terms=terms, id=document_id)
        )
    else:
        session.exec(sql("DELETE FROM document_fts WHERE rowid = :id").bindparams(id=document_id))
        session.exec(
            sql(
                "INSERT INTO document_fts(rowid, name, body, terms) "
                "VALUES (:id, :name, :body, :terms)"
            ).bindparams(id=document_id, name=name, body=body, terms=terms)
        )


def remove_from_index(session: Session, document_id: int) -> None:
    if session.get_bind().dialect.name != "postgresql":
        session.exec(sql("DELETE FROM document_fts WHERE rowid = :id").bindparams(id=document_id))


def query_terms(query: str) -> list[str]:
    seen: list[str] = []
    for word in norwegian.words(query)[:MAX_QUERY_WORDS]:
        t = norwegian.term(word)
        if t and t not in seen:
            seen.append(t)
    return seen


def _fts5_quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def search_ids(
    session: Session,
    query: str,
    visible_sql: str,
    params: dict,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[SearchHit], int]:
    """Matching visible documents, best first, with a highlighted snippet each.

    `visible_sql` is a WHERE fragment over the `document` table (alias d) that
    restricts results to what the user may see; its parameters are in `params`.
    """
    terms = query_terms(query)
    if not terms:
        return [], 0
    if session.get_bind().dialect.name == "postgresql":
        return _search_postgres(session, query, terms, visible_sql, params, limit, offset)
    return _search_sqlite(session, query, terms, visible_sql, params, limit, offset)


def _search_postgres(session, query, terms, visible_sql, params, limit, offset):
    prefix_query = " & ".join(f"{t.replace(chr(39), '')}:*" for t in terms)
    match = (
        "(t.search_vector @@ websearch_to_tsquery('norwegian', :q) "
        "OR t.search_vector @@ to_tsquery('simple', :tq))"
    )
    base = f"FROM document d JOIN document_text t ON t.document_id = d.id WHERE {match} AND {visible_sql}"
    bind = {**params, "q": query, "tq": prefix_query}
    total = session.exec(sql(f"SELECT count(*) {base}").bindparams(**bind)).one()[0]  # noqa: S608
    rows = session.exec(
        sql(
            "SELECT id, rank, ts_headline('norwegian', left(body, 100000), "  # noqa: S608
            "websearch_to_tsquery('norwegian', :q) || to_tsquery('simple', :tq), "
            f"'StartSel={HIT_START}, StopSel={HIT_END}, MaxWords=30, MinWords=12, "
            "MaxFragments=2, FragmentDelimiter=\" … \"') "
            "FROM (SELECT d.id AS id, t.text AS body, ts_rank(t.search_vector, "
            "websearch_to_tsquery('norwegian', :q) || to_tsquery('simple', :tq)) AS rank "
            f"{base} ORDER BY rank DESC, d.created_at DESC LIMIT :limit OFFSET :offset) s "
            "ORDER BY rank DESC"
        ).bindparams(**bind, limit=limit, offset=offset)
    ).all()
    return [SearchHit(r[0], float(r[1]), r[2] or "") for r in rows], int(total)


def _search_sqlite(session, query, terms, visible_sql, params, limit, offset):
    term_part = " AND ".join(f"{_fts5_quote(t)}*" for t in terms)
    raw_words = [w.lower() for w in norwegian.words(query)[:MAX_QUERY_WORDS]]
    raw_part = " AND ".join(f"{_fts5_quote(w)}*" for w in raw_words)
    # Normalised terms decide the match; the raw words light up the snippet.
    fts_query = f"{{terms}} : ({term_part}) OR {{name body}} : ({raw_part})"
    base = (
        "FROM document_fts f JOIN document d ON d.id = f.rowid "
        f"WHERE document_fts MATCH :q AND {visible_sql}"
    )
    bind = {**params, "q": fts_query}
    total = session.exec(sql(f"SELECT count(*) {base}").bindparams(**bind)).one()[0]  # noqa: S608
    rows = session.exec(
        sql(
            f"SELECT d.id, bm25(document_fts, 10.0, 1.0, 1.0), "
            f"snippet(document_fts, 1, '{HIT_START}', '{HIT_END}', ' … ', 24) "
            f"{base} ORDER BY bm25(document_fts, 10.0, 1.0, 1.0), d.created_at DESC "
            "LIMIT :limit OFFSET :offset"
        ).bindparams(**bind, limit=limit, offset=offset)  # noqa: S608
    ).all()
    return [SearchHit(r[0], -float(r[1]), r[2] or "") for r in rows], int(total)


def snippet_parts(snippet: str) -> list[dict[str, str | bool]]:
    """Split a snippet into plain parts and hits, for safe rendering without HTML."""
    parts: list[dict[str, str | bool]] = []
    rest = snippet
    while rest:
        start = rest.find(HIT_START)
        if start < 0:
            parts.append({"text": rest, "hit": False})
            break
        if start:
            parts.append({"text": rest[:start], "hit": False})
        end = rest.find(HIT_END, start)
        end = len(rest) if end < 0 else end
        parts.append({"text": rest[start + 1 : end], "hit": True})
        rest = rest[end + 1 :]
    return parts
