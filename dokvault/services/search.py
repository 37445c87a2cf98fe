"""One search service over two back ends: PostgreSQL full-text search
(`norwegian` configuration, GIN index) and SQLite FTS5 on the embedded default.

Both also index our own normalised Norwegian terms (services/norwegian.py), and
query words match those terms by prefix, so inflected forms find each other. Queries
are parsed by services/query.py; the words, "phrases", OR and -exclusions become a
tsquery (pg_tsquery) or an FTS5 MATCH expression (fts5_match) over those terms, and
the filters become SQL in services/search_filters.py (compile_filters). run_search
puts them together with the rights scoping, the order and the counts per type and tag.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import text as sql
from sqlmodel import Session, col, select

from dokvault.models import DocumentType, Tag
from dokvault.services import norwegian
from dokvault.services.query import ParsedQuery, QueryError, Term, parse
from dokvault.services.search_filters import (
    SQLITE_LOWER,
    FilterSQL,  # noqa: F401  (re-exported: the filters' boundary)
    compile_filters,
    field_keys,
    load_vocabulary,
)

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


def ts_lexeme(token: str, prefix: bool = False) -> str:
    quoted = "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"
    return quoted + ":*" if prefix else quoted


def _ts_match(m: TextMatch, joiner: str = " <-> ") -> str:
    parts = [ts_lexeme(t, p) for t, p in zip(m.terms, m.prefix, strict=True)]
    return parts[0] if len(parts) == 1 else "(" + joiner.join(parts) + ")"


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


def pg_candidate_tsquery(parsed: ParsedQuery) -> str:
    """pg_tsquery with each phrase loosened to its words in any order and no exclusions:
    what the GIN index answers without reading a tsvector (positions need the tsvector).
    Every match of pg_tsquery matches this too. "" when the query has no words."""
    groups, _ = text_matches(parsed)
    loose = [[TextMatch(m.terms, m.prefix, m.words) for m in group] for group in groups]
    return " & ".join(
        "(" + " | ".join(_ts_match(m, " & ") for m in group) + ")" for group in loose
    )


def pg_exclusion_tsquery(parsed: ParsedQuery) -> str:
    """Any excluded term, for `to_tsquery('simple', …)`; "" when nothing is excluded."""
    return " | ".join(_ts_match(m) for m in text_matches(parsed)[1])


def pg_highlight_tsquery(parsed: ParsedQuery) -> str:
    """Any positive term as a prefix, for `to_tsquery('simple', …)` in ts_headline and
    ts_rank: our terms are prefixes of the words they come from, so each form lights up."""
    return " | ".join(ts_lexeme(t, True) for t in _positive_terms(text_matches(parsed)[0]))


def pg_stem_tsquery(parsed: ParsedQuery) -> str:
    """Any positive word, for `to_tsquery('norwegian', …)`: ranks hits in the name (weight A)
    above hits in the text; it does not decide what matches."""
    return " | ".join(ts_lexeme(w) for w in _positive_words(text_matches(parsed)[0]))


def fts5_quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def _fts5_match(m: TextMatch) -> str:
    return " + ".join(fts5_quote(t) + ("*" if p else "") for t, p in zip(m.terms, m.prefix, strict=True))


def fts5_match(parsed: ParsedQuery) -> str:
    """The text part as an SQLite FTS5 MATCH expression over `document_fts`. Every token
    is a quoted string, so no input is read as FTS5 syntax. "" when there are no words.

    The normalised `terms` column decides the match; the words as typed, ORed against
    `name` and `body`, only add phrase instances so that snippet() marks them."""
    groups, excluded = text_matches(parsed)
    if not groups:
        return ""
    positive = " AND ".join("(" + " OR ".join(_fts5_match(m) for m in group) + ")" for group in groups)
    highlight = " OR ".join(f"{fts5_quote(w)}*" for w in _positive_words(groups))
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


# --- running a query: filters, rights, order, facets ----------------------------------

SORTS = ("relevance", "date")
# PostgreSQL ranks every match when there are at most RANK_ALL of them. Beyond that, ts_rank
# (which reads each document's whole tsvector) would cost more than the rest of the search,
# so it ranks the RANK_POOL newest matches, and the others follow, newest first. A word in
# that many documents says little about which one is meant; the newest are likelier.
RANK_ALL = 1000
RANK_POOL = 500
# Snippets come from this much text around the first hit (looked for in the first
# SNIPPET_TEXT_CHARS): ts_headline reads all it is given, and long documents made it slow.
SNIPPET_WINDOW = 3000
SNIPPET_TEXT_CHARS = 100_000


@dataclass
class FacetCount:
    """How many of the results have this type or tag."""

    id: int
    name: str
    count: int


@dataclass
class SearchOutcome:
    """One page of hits and what the UI says about the whole result: its size, its
    counts per type and tag, and what of the query was not used."""

    hits: list[SearchHit]
    total: int
    type_counts: list[FacetCount] = field(default_factory=list)
    tag_counts: list[FacetCount] = field(default_factory=list)
    errors: list[QueryError] = field(default_factory=list)
    unapplied: list[str] = field(default_factory=list)


@dataclass
class _Found:
    hits: list[SearchHit]
    total: int
    type_counts: dict[int, int]
    tag_counts: dict[int, int]


def parse_for_search(session: Session, query: str) -> ParsedQuery:
    """A query as typed, parsed with the custom field keys of this database."""
    return parse(query, field_keys(session))


def run_search(
    session: Session,
    query: str | ParsedQuery,
    visible_sql: str,
    params: dict,
    *,
    viewer_id: int | None = None,
    limit: int = 50,
    offset: int = 0,
    sort: str = "relevance",
    facets: bool = True,
) -> SearchOutcome:
    """Matching visible documents, a page of them with a highlighted snippet each, the
    total and (with `facets`) the counts per type and tag over all of them.

    `query` is the text a user typed (parsed with this database's custom field keys) or a
    ParsedQuery. Words, phrases, OR and exclusions are searched; filters narrow through
    compile_filters. A query with nothing to look for finds nothing. `sort` is
    "relevance" (best first; newest first without words) or "date" (the document's own
    date, else the upload day, newest first).

    `visible_sql` is a WHERE fragment over the `document` table (alias d) that restricts
    results to what the user may see; its parameters are in `params`. It is ANDed to
    everything, so nothing in a query can widen it.
    """
    parsed = query if isinstance(query, ParsedQuery) else parse_for_search(session, query)
    dialect = session.get_bind().dialect.name
    vocabulary = load_vocabulary(session, parsed, viewer_id)
    filters = compile_filters(parsed, dialect, vocabulary)
    outcome = SearchOutcome([], 0, errors=[*parsed.errors, *filters.errors],
                            unapplied=list(filters.unapplied))
    if parsed.has_text and not (pg_tsquery(parsed) if dialect == "postgresql" else fts5_match(parsed)):
        return outcome  # the words were only punctuation
    if not parsed.has_text and not (parsed.filters or parsed.ranges or parsed.fields):
        return outcome  # only exclusions, or nothing at all
    where = f"({visible_sql})" + (f" AND ({filters.where})" if filters.where else "")
    bind = {**params, **filters.params}
    by_date = sort == "date" or not parsed.has_text
    run = _run_postgres if dialect == "postgresql" else _run_sqlite
    found = run(session, parsed, where, bind, by_date, limit, max(offset, 0), facets)
    outcome.hits, outcome.total = found.hits, found.total
    if facets:
        outcome.type_counts = _facets(session, DocumentType, found.type_counts)
        outcome.tag_counts = _facets(session, Tag, found.tag_counts)
    return outcome


def search_ids(
    session: Session,
    query: str | ParsedQuery,
    visible_sql: str,
    params: dict,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[SearchHit], int]:
    """run_search without facets: the hits of a page and the total."""
    outcome = run_search(session, query, visible_sql, params, limit=limit, offset=offset, facets=False)
    return outcome.hits, outcome.total


def _day(dialect: str) -> str:
    """The document's own date, else the day it was uploaded (sort by date)."""
    if dialect == "postgresql":
        return "COALESCE(d.document_date, (d.created_at AT TIME ZONE 'Europe/Oslo')::date)"
    return "COALESCE(d.document_date, date(d.created_at))"


def _headline_options() -> str:
    return (f"'StartSel={HIT_START}, StopSel={HIT_END}, MaxWords=30, MinWords=12, "
            "MaxFragments=2, FragmentDelimiter=\" … \"'")


def _run_postgres(session, parsed, where, bind, by_date, limit, offset, facets) -> _Found:
    """One statement: the matches once (MATERIALIZED), then their total, counts and page."""
    bind = {**bind, "limit": limit, "offset": offset}
    day = f", {_day('postgresql')} AS day" if by_date else ""
    ctes = []
    if parsed.has_text:
        bind["tq"] = pg_tsquery(parsed)
        source = ("FROM document d JOIN document_text t ON t.document_id = d.id "
                  f"WHERE t.search_vector @@ to_tsquery('simple', :tq) AND {where}")
        if "<->" in bind["tq"]:
            # A phrase is checked by reading each candidate's tsvector for the positions.
            # Check only the candidates this user may see that have all the words (which
            # the index alone finds), not every document with them.
            bind["aq"] = pg_candidate_tsquery(parsed)
            ctes.append(
                f"c AS MATERIALIZED (SELECT d.id, d.document_type_id, d.created_at{day} "  # noqa: S608
                "FROM document d JOIN document_text t ON t.document_id = d.id "
                f"WHERE t.search_vector @@ to_tsquery('simple', :aq) AND {where})"
            )
            # A subquery per candidate: the planner cannot turn it into reading them all.
            source = ("FROM c d WHERE (SELECT t.search_vector @@ to_tsquery('simple', :tq) "
                      "FROM document_text t WHERE t.document_id = d.id)")
            day = ", d.day" if by_date else ""
    else:
        source = f"FROM document d WHERE {where}"
        if xq := pg_exclusion_tsquery(parsed):
            source += (" AND NOT EXISTS (SELECT 1 FROM document_text t WHERE t.document_id = d.id "
                       "AND t.search_vector @@ to_tsquery('simple', :xq))")
            bind["xq"] = xq
    ctes.append(f"m AS MATERIALIZED (SELECT d.id, d.document_type_id, d.created_at{day} {source})")
    parts = ["SELECT 0 AS kind, NULL::int AS key, count(*) AS n, NULL::float8 AS rank, "
             "NULL::text AS snippet, 0::bigint AS pos FROM m"]
    if facets:
        parts += ["SELECT 1, document_type_id, count(*), NULL, NULL, 0 FROM m GROUP BY document_type_id",
                  "SELECT 2, dt.tag_id, count(*), NULL, NULL, 0 FROM m "
                  "JOIN document_tag dt ON dt.document_id = m.id GROUP BY dt.tag_id"]
    if by_date:
        order = "day DESC, created_at DESC, id DESC"
        ctes.append(f"page AS (SELECT id, 0.0::float8 AS rank, day, created_at FROM m ORDER BY {order} "  # noqa: S608
                    "LIMIT :limit OFFSET :offset)")
    else:
        order = "tier, rank DESC, created_at DESC, id DESC"
        bind.update(rank_all=RANK_ALL, pool=RANK_POOL, hq=pg_highlight_tsquery(parsed),
                    nq=pg_stem_tsquery(parsed))
        # Ranked first: every match, or for very many the newest; then the rest, newest
        # first. The order is the same for every page: pages neither repeat nor skip one.
        # (The outer LIMIT only tells the planner how small the pool is.)
        ctes.append(
            "pool AS MATERIALIZED (SELECT id, created_at FROM ("
            "SELECT id, created_at FROM m WHERE (SELECT count(*) FROM m) <= :rank_all "
            "UNION (SELECT id, created_at FROM m ORDER BY created_at DESC, id DESC LIMIT :pool)"
            ") p LIMIT :rank_all + :pool)"
        )
        ctes.append(
            "page AS (SELECT * FROM ("  # noqa: S608
            "SELECT pool.id, 0 AS tier, ts_rank(t.search_vector, to_tsquery('simple', :hq) || "
            "to_tsquery('norwegian', :nq)) AS rank, pool.created_at FROM pool "
            "JOIN document_text t ON t.document_id = pool.id "
            "UNION ALL (SELECT id, 1, 0.0, created_at FROM m WHERE :offset + :limit > :pool "
            "AND id NOT IN (SELECT id FROM pool) ORDER BY created_at DESC, id DESC LIMIT :limit + :offset)"
            f") ranked ORDER BY {order} LIMIT :limit OFFSET :offset)"
        )
    if parsed.has_text:
        # The snippet from a window of the text that starts just before the first hit.
        terms = _positive_terms(text_matches(parsed)[0])[:4]
        bind.update({f"w{i}": term for i, term in enumerate(terms)}, hq=pg_highlight_tsquery(parsed),
                    window=SNIPPET_WINDOW)
        first = ", ".join(f"NULLIF(strpos(l.low, :w{i}), 0)" for i in range(len(terms))) or "NULL"
        parts.append(
            "SELECT 3, page.id, NULL, page.rank, ts_headline('simple', "  # noqa: S608
            f"substr(t.text, greatest(1, coalesce(least({first}), 1) - 200), :window), "
            f"to_tsquery('simple', :hq), {_headline_options()}), row_number() OVER (ORDER BY {order}) "
            "FROM page JOIN document_text t ON t.document_id = page.id "
            "CROSS JOIN LATERAL (SELECT lower(left(t.text, :chars)) AS low) l"
        )
        bind["chars"] = SNIPPET_TEXT_CHARS
    else:
        parts.append(f"SELECT 3, page.id, NULL, page.rank, '', row_number() OVER (ORDER BY {order}) "  # noqa: S608
                     "FROM page")
    statement = "WITH " + ", ".join(ctes) + " " + " UNION ALL ".join(parts) + " ORDER BY kind, pos"
    # JIT compiling this statement takes longer than running it. And the planner does not
    # see what @@ costs on each row (the whole tsvector is read): for a common word it would
    # scan every row, where the GIN index finds the matches without reading one.
    # (SET LOCAL ends with the transaction; an error rolls it back, the RESETs are for
    # whatever the caller still reads in this one.)
    session.exec(sql("SET LOCAL jit = off"))
    if parsed.has_text:
        session.exec(sql("SET LOCAL enable_seqscan = off"))
    rows = session.exec(sql(statement).bindparams(**bind)).all()
    session.exec(sql("RESET jit"))
    session.exec(sql("RESET enable_seqscan"))
    found = _Found([], 0, {}, {})
    for kind, key, n, rank, snippet, _ in rows:
        if kind == 0:
            found.total = int(n)
        elif kind == 1 and key is not None:
            found.type_counts[key] = int(n)
        elif kind == 2:
            found.tag_counts[key] = int(n)
        elif kind == 3:
            found.hits.append(SearchHit(key, float(rank or 0.0), snippet or ""))
    return found


def _run_sqlite(session, parsed, where, bind, by_date, limit, offset, facets) -> _Found:
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
    found = _Found([], 0, {}, {})
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
    day_order = f"{_day('sqlite')} DESC, d.created_at DESC, d.id DESC"
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


def _facets(session, model, counts: dict[int, int]) -> list[FacetCount]:
    if not counts:
        return []
    names = dict(session.exec(select(model.id, model.name).where(col(model.id).in_(list(counts)))).all())
    facets = [FacetCount(i, names[i], n) for i, n in counts.items() if i in names]
    return sorted(facets, key=lambda f: (-f.count, f.name.casefold()))


def _sqlite_lower(value):
    return value.lower() if isinstance(value, str) else value


def register_sqlite_functions(session: Session) -> None:
    """Unicode lower() for the filters (SQLite's own folds only A-Z), on this connection."""
    raw = session.connection().connection.driver_connection
    raw.create_function(SQLITE_LOWER, 1, _sqlite_lower, deterministic=True)


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
