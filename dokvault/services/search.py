"""One search service over two back ends: PostgreSQL full-text search
(`norwegian` configuration, GIN index) and SQLite FTS5 on the embedded default.

Both also index our own normalised Norwegian terms (services/norwegian.py), and
query words match those terms by prefix, so inflected forms find each other. Queries
are parsed by services/query.py; the words, "phrases", OR and -exclusions become a
tsquery (pg_tsquery) or an FTS5 MATCH expression (fts5_match) over those terms, and
the filters go through compile_filters, which does not apply any of them yet.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import text as sql
from sqlmodel import Session

from dokvault.services import norwegian
from dokvault.services.query import ParsedQuery, Term, parse

HIT_START = "\ue000"
HIT_END = "\ue001"
# Text given to the PostgreSQL stemmer per document (tsvector has a 1 MB limit).
PG_TEXT_CHARS = 400_000
# Words looked for per query (all terms together); later ones are left out.
MAX_QUERY_WORDS = 16
# A longer query word is cut to this and matched as the start of a word.
MAX_TERM_CHARS = 100


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


# --- the text part of a query: words, "phrases", OR, -exclusions ---------------------


@dataclass(frozen=True)
class TextMatch:
    """One query term over the normalised terms: a single term, or several that must
    follow each other (a phrase, or a bare token such as `e-post`)."""

    terms: tuple[str, ...]
    prefix: tuple[bool, ...]  # per term: may it be the start of a longer word?
    words: tuple[str, ...]  # the words as typed, lowercased: they light up the snippet


def text_matches(parsed: ParsedQuery) -> tuple[list[list[TextMatch]], list[TextMatch]]:
    """The groups and exclusions of a query over normalised terms, within MAX_QUERY_WORDS
    (the first words count; later terms are left out)."""
    budget = [MAX_QUERY_WORDS]
    groups = [[m for t in group if (m := _text_match(t, budget))] for group in parsed.groups]
    excluded = [m for t in parsed.excluded if (m := _text_match(t, budget))]
    return [g for g in groups if g], excluded


def _text_match(term: Term, budget: list[int]) -> TextMatch | None:
    words = [w.lower() for w in norwegian.words(term.text)][: budget[0]]
    if not words:
        return None
    budget[0] -= len(words)
    terms, prefix = [], []
    for i, word in enumerate(words):
        t = norwegian.term(word)
        # A word matches as a prefix (typing "Strand" finds "Strandkaien"); in a phrase
        # only an overlong word does, cut to a length any index accepts.
        prefix.append((not term.phrase and i == len(words) - 1) or len(t) > MAX_TERM_CHARS)
        terms.append(t[:MAX_TERM_CHARS])
    return TextMatch(tuple(terms), tuple(prefix), tuple(words))


def _positive_words(groups: list[list[TextMatch]]) -> list[str]:
    return list(dict.fromkeys(w[:MAX_TERM_CHARS] for group in groups for m in group for w in m.words))


def _positive_terms(groups: list[list[TextMatch]]) -> list[str]:
    return list(dict.fromkeys(t for group in groups for m in group for t in m.terms))


def _ts_lexeme(token: str, prefix: bool = False) -> str:
    quoted = "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"
    return quoted + ":*" if prefix else quoted


def _ts_match(m: TextMatch) -> str:
    parts = [_ts_lexeme(t, p) for t, p in zip(m.terms, m.prefix, strict=True)]
    return parts[0] if len(parts) == 1 else "(" + " <-> ".join(parts) + ")"


def pg_tsquery(parsed: ParsedQuery) -> str:
    """The text part as input for PostgreSQL's `to_tsquery('simple', …)` over the indexed
    normalised terms: groups ANDed, OR inside a group, phrases with `<->`, exclusions
    as `& !(…)`. Every lexeme is quoted. "" when the query has no words to look for."""
    groups, excluded = text_matches(parsed)
    if not groups:
        return ""
    query = " & ".join("(" + " | ".join(_ts_match(m) for m in group) + ")" for group in groups)
    if excluded:
        query += f" & !({pg_exclusion_tsquery(parsed)})"
    return query


def pg_exclusion_tsquery(parsed: ParsedQuery) -> str:
    """Any excluded term, for `to_tsquery('simple', …)`; "" when nothing is excluded."""
    return " | ".join(_ts_match(m) for m in text_matches(parsed)[1])


def pg_highlight_tsquery(parsed: ParsedQuery) -> str:
    """Any positive term as a prefix, for `to_tsquery('simple', …)` in ts_headline and
    ts_rank: our terms are prefixes of the words they come from, so each form lights up."""
    return " | ".join(_ts_lexeme(t, True) for t in _positive_terms(text_matches(parsed)[0]))


def pg_stem_tsquery(parsed: ParsedQuery) -> str:
    """Any positive word, for `to_tsquery('norwegian', …)`: ranks hits in the name (weight A)
    above hits in the text; it does not decide what matches."""
    return " | ".join(_ts_lexeme(w) for w in _positive_words(text_matches(parsed)[0]))


def _fts5_quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def _fts5_match(m: TextMatch) -> str:
    return " + ".join(_fts5_quote(t) + ("*" if p else "") for t, p in zip(m.terms, m.prefix, strict=True))


def fts5_match(parsed: ParsedQuery) -> str:
    """The text part as an SQLite FTS5 MATCH expression over `document_fts`. Every token
    is a quoted string, so no input is read as FTS5 syntax. "" when there are no words.

    The normalised `terms` column decides the match; the words as typed, ORed against
    `name` and `body`, only add phrase instances so that snippet() marks them."""
    groups, excluded = text_matches(parsed)
    if not groups:
        return ""
    positive = " AND ".join("(" + " OR ".join(_fts5_match(m) for m in group) + ")" for group in groups)
    highlight = " OR ".join(f"{_fts5_quote(w)}*" for w in _positive_words(groups))
    query = f"({{terms}} : ({positive})) AND ({{terms}} : ({positive}) OR {{name body}} : ({highlight}))"
    if excluded:
        query = f"({query}) NOT ({fts5_exclusion(parsed)})"
    return query


def fts5_exclusion(parsed: ParsedQuery) -> str:
    """Any excluded term as an FTS5 MATCH expression; "" when nothing is excluded."""
    excluded = text_matches(parsed)[1]
    if not excluded:
        return ""
    return "{terms} : (" + " OR ".join(_fts5_match(m) for m in excluded) + ")"


# --- filters: the boundary for type:, tag:, office:, owner:, dates and custom fields ---


@dataclass
class FilterSQL:
    """The filters of a query as SQL over `document d`. `where` is ANDed to the rest
    ("" = no condition); its bind parameters go in `params`, named `filter_…` so they
    cannot clash with the search's own. `unapplied` lists the keys of the query that
    were not applied, for the UI to say so."""

    where: str = ""
    params: dict = field(default_factory=dict)
    unapplied: list[str] = field(default_factory=list)


def compile_filters(parsed: ParsedQuery, dialect: str) -> FilterSQL:
    """type:, tag:, office:, owner:, added:, created: and custom fields, as SQL.

    NOT APPLIED YET: the taxonomy tables (document types, tags, offices, custom field
    values) do not exist, so nothing here narrows the results; every filter, range and
    field of the query comes back in `unapplied`. search_ids already ANDs `where` in, and
    lists the filtered documents newest first when the query has filters but no words.
    """
    return FilterSQL(unapplied=[*parsed.filters, *parsed.ranges, *parsed.fields])


def search_ids(
    session: Session,
    query: str | ParsedQuery,
    visible_sql: str,
    params: dict,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[SearchHit], int]:
    """Matching visible documents, best first, with a highlighted snippet each.

    `query` is the text a user typed (parsed without custom field keys, so `key:value`
    of a custom field is searched as words) or a ParsedQuery. The words, phrases, OR and
    exclusions are applied; filters only as far as compile_filters can (not yet at all).
    A query with nothing to look for finds nothing.

    `visible_sql` is a WHERE fragment over the `document` table (alias d) that
    restricts results to what the user may see; its parameters are in `params`.
    """
    parsed = query if isinstance(query, ParsedQuery) else parse(query)
    dialect = session.get_bind().dialect.name
    filters = compile_filters(parsed, dialect)
    where = f"({visible_sql})" + (f" AND ({filters.where})" if filters.where else "")
    bind = {**params, **filters.params}
    if not parsed.has_text:
        if not filters.where:
            return [], 0
        return _filtered_without_text(session, dialect, parsed, where, bind, limit, offset)
    if dialect == "postgresql":
        return _search_postgres(session, parsed, where, bind, limit, offset)
    return _search_sqlite(session, parsed, where, bind, limit, offset)


def _search_postgres(session, parsed, where, params, limit, offset):
    tq = pg_tsquery(parsed)
    if not tq:
        return [], 0
    base = (
        "FROM document d JOIN document_text t ON t.document_id = d.id "
        f"WHERE t.search_vector @@ to_tsquery('simple', :tq) AND {where}"
    )
    bind = {**params, "tq": tq}
    total = session.exec(sql(f"SELECT count(*) {base}").bindparams(**bind)).one()[0]  # noqa: S608
    bind.update(hq=pg_highlight_tsquery(parsed), nq=pg_stem_tsquery(parsed))
    rows = session.exec(
        sql(
            "SELECT id, rank, ts_headline('simple', left(body, 100000), "  # noqa: S608
            "to_tsquery('simple', :hq), "
            f"'StartSel={HIT_START}, StopSel={HIT_END}, MaxWords=30, MinWords=12, "
            "MaxFragments=2, FragmentDelimiter=\" … \"') "
            "FROM (SELECT d.id AS id, t.text AS body, ts_rank(t.search_vector, "
            "to_tsquery('simple', :hq) || to_tsquery('norwegian', :nq)) AS rank "
            f"{base} ORDER BY rank DESC, d.created_at DESC LIMIT :limit OFFSET :offset) s "
            "ORDER BY rank DESC"
        ).bindparams(**bind, limit=limit, offset=offset)
    ).all()
    return [SearchHit(r[0], float(r[1]), r[2] or "") for r in rows], int(total)


def _search_sqlite(session, parsed, where, params, limit, offset):
    match = fts5_match(parsed)
    if not match:
        return [], 0
    base = (
        "FROM document_fts f JOIN document d ON d.id = f.rowid "
        f"WHERE document_fts MATCH :q AND {where}"
    )
    bind = {**params, "q": match}
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


def _filtered_without_text(session, dialect, parsed, where, params, limit, offset):
    """Filters alone (e.g. `type:Faktura -kjøper`): the filtered documents, newest first."""
    bind = dict(params)
    if dialect == "postgresql" and (xq := pg_exclusion_tsquery(parsed)):
        where += (
            " AND NOT EXISTS (SELECT 1 FROM document_text t WHERE t.document_id = d.id "
            "AND t.search_vector @@ to_tsquery('simple', :xq))"
        )
        bind["xq"] = xq
    elif dialect != "postgresql" and (xq := fts5_exclusion(parsed)):
        where += " AND d.id NOT IN (SELECT rowid FROM document_fts WHERE document_fts MATCH :xq)"
        bind["xq"] = xq
    base = f"FROM document d WHERE {where}"
    total = session.exec(sql(f"SELECT count(*) {base}").bindparams(**bind)).one()[0]  # noqa: S608
    rows = session.exec(
        sql(
            f"SELECT d.id {base} ORDER BY d.created_at DESC, d.id DESC "  # noqa: S608
            "LIMIT :limit OFFSET :offset"
        ).bindparams(**bind, limit=limit, offset=offset)
    ).all()
    return [SearchHit(r[0], 0.0, "") for r in rows], int(total)


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
