"""One search service over two back ends: PostgreSQL full-text search (a GIN index over
the table document_search, see migration 0008) and SQLite FTS5 on the embedded default.

Both index our own normalised Norwegian terms (services/norwegian.py), and query words
match those terms by prefix, so inflected forms find each other. Queries are parsed by
services/query.py; the words, "phrases", OR and -exclusions become a tsquery
(pg_tsquery) or an FTS5 MATCH expression (fts5_match) over those terms, and the filters
become SQL in services/search_filters.py (compile_filters). run_search puts them
together with the rights scoping, the order and the counts per type and tag.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise

from sqlalchemy import text as sql
from sqlmodel import Session, col, select

from dokvault.core import norwegian
from dokvault.models import DocumentType, Tag
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
# Words looked for per query (all terms together); later ones are left out.
MAX_QUERY_WORDS = 16
# A longer query word is cut to this and matched as the start of a word.
MAX_TERM_CHARS = 100

# PostgreSQL's search vector: weight A, the terms of the name (a hit there ranks first);
# weight D, the terms of name and text with their positions. Beside it, search_pairs
# holds, without positions, a "pair" lexeme for every two terms that follow each other.
# A phrase of two words is then one lexeme for the index, and a longer one is checked by
# positions only in documents that have all its pairs (what Elasticsearch's
# index_phrases does with shingles). The index and every match use both (pg_searchable);
# ranking reads only the vector, less than half of the two.
# Vectors of an older SEARCH_FORMAT are indexed again in the background
# (documents.reindex_stale; migration 0008 has a partial index for them).
SEARCH_FORMAT = 2
PAIR = "ǂ"  # a letter no Norwegian text uses: no word's prefix reaches the pairs
# In a vector that lacks some of its pairs (more than MAX_PAIRS, or an older format):
# phrases are checked there by positions.
PAIRS_INCOMPLETE = PAIR * 2
MAX_PAIRS = 20_000  # distinct pairs per document: the vector stays well within 1 MB


@dataclass
class SearchHit:
    document_id: int
    rank: float
    snippet: str  # plain text with HIT_START/HIT_END around matches


def pair_lexeme(first: str, second: str) -> str:
    return f"{PAIR}{first}{PAIR}{second}"


def pair_lexemes(terms: list[str]) -> tuple[list[str], bool]:
    """The distinct pairs of neighbouring terms (of terms a query can name whole), and
    whether all of them are there (at most MAX_PAIRS)."""
    pairs: dict[str, None] = {}
    for first, second in pairwise(terms):
        if len(first) <= MAX_TERM_CHARS and len(second) <= MAX_TERM_CHARS:
            pairs[pair_lexeme(first, second)] = None
            if len(pairs) > MAX_PAIRS:
                return list(pairs)[:MAX_PAIRS], False
    return list(pairs), True


def pg_vector_parts(name: str, body: str) -> dict[str, str]:
    """What PG_VECTOR and PG_PAIRS are made of, for a document: its name's terms, all
    its terms, and its pairs (with PAIRS_INCOMPLETE when some are left out)."""
    terms = norwegian.term_list(f"{name}\n{body}")
    pairs, complete = pair_lexemes(terms)
    return {"name": norwegian.terms(name), "terms": " ".join(terms),
            "pairs": " ".join(pairs if complete else [*pairs, PAIRS_INCOMPLETE])}


# The two columns as SQL over the parts (parameters, or columns in bench/search.py).
PG_VECTOR = "setweight(to_tsvector('simple', {name}), 'A') || setweight(to_tsvector('simple', {terms}), 'D')"
PG_PAIRS = "strip(to_tsvector('simple', {pairs}))"


def pg_searchable(alias: str) -> str:
    """What a tsquery of this module matches, in document_search `alias`: the expression
    migration 0008's GIN indexes are built on."""
    return f"({alias}.search_vector || {alias}.search_pairs)"


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
    whole: tuple[bool, ...] = ()  # per term: not cut to MAX_TERM_CHARS (it may be in a pair)


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
    terms, prefix, whole = [], [], []
    for i, word in enumerate(words):
        t = norwegian.term(word)
        whole.append(len(t) <= MAX_TERM_CHARS)
        # A word matches as a prefix (typing "Strand" finds "Strandkaien"); in a phrase
        # only an overlong word does, cut to a length any index accepts.
        prefix.append((not term.phrase and i == len(words) - 1) or not whole[-1])
        terms.append(t[:MAX_TERM_CHARS])
    return TextMatch(tuple(terms), tuple(prefix), tuple(words), tuple(whole))


def _positive_words(groups: list[list[TextMatch]]) -> list[str]:
    return list(dict.fromkeys(w[:MAX_TERM_CHARS] for group in groups for m in group for w in m.words))


def _positive_terms(groups: list[list[TextMatch]]) -> list[str]:
    return list(dict.fromkeys(t for group in groups for m in group for t in m.terms))


def ts_lexeme(token: str, prefix: bool = False) -> str:
    quoted = "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"
    return quoted + ":*" if prefix else quoted


def _pairs(m: TextMatch) -> list[str]:
    return [ts_lexeme(pair_lexeme(first, second), m.prefix[i + 1])
            for i, (first, second) in enumerate(pairwise(m.terms)) if m.whole[i] and m.whole[i + 1]]


def _needs_positions(m: TextMatch) -> bool:
    """Whether every document with its words needs its positions read (a vector read)."""
    return len(m.terms) > 2 or (len(m.terms) == 2 and not _pairs(m))


def _ts_match(m: TextMatch, form: str = "exact") -> str:
    """One term, or terms in order: by their pair lexemes where the vector has them all,
    by positions where it does not (see SEARCH_FORMAT). The `loose` form leaves positions
    out (what the index answers without reading a vector, a superset of the matches);
    the `positions` form uses only positions (true of search_vector alone)."""
    lexemes = [ts_lexeme(t, p) for t, p in zip(m.terms, m.prefix, strict=True)]
    if len(lexemes) == 1:
        return lexemes[0]
    in_order = "(" + (" & " if form == "loose" else " <-> ").join(lexemes) + ")"
    pairs = _pairs(m)
    if form == "positions" or not pairs:
        return in_order
    incomplete = ts_lexeme(PAIRS_INCOMPLETE)
    if len(lexemes) == 2 or form == "loose":
        # The pairs alone decide, so the index answers without reading a vector.
        return f"({' & '.join(pairs)} | ({incomplete} & {in_order}))"
    return f"({in_order} & ({' & '.join(pairs)} | {incomplete}))"


def _tsquery(parsed: ParsedQuery, form: str) -> str:
    groups, excluded = text_matches(parsed)
    if not groups:
        return ""
    query = " & ".join("(" + " | ".join(_ts_match(m, form) for m in group) + ")" for group in groups)
    if form == "loose":
        # A superset: leave out only what surely matches an exclusion, and never loosened.
        excluded, form = [m for m in excluded if not _needs_positions(m)], "exact"
    if excluded:
        query += " & !(" + " | ".join(_ts_match(m, form) for m in excluded) + ")"
    return query


def pg_tsquery(parsed: ParsedQuery) -> str:
    """The text part as input for PostgreSQL's `to_tsquery('simple', …)` over
    pg_searchable: groups ANDed, OR inside a group, phrases by pairs and `<->`,
    exclusions as `& !(…)`. Every lexeme is quoted. "" when there are no words."""
    return _tsquery(parsed, "exact")


def pg_loose_tsquery(parsed: ParsedQuery) -> str:
    """pg_tsquery without positions, and without exclusions that need them: what the GIN
    index answers alone, a superset of the matches. "" when the query has no words."""
    return _tsquery(parsed, "loose")


def pg_positions_tsquery(parsed: ParsedQuery) -> str:
    """pg_tsquery with phrases by positions only, for search_vector alone (without the
    pairs, less than half to read): the same matches, but where the vector lost
    positions (past word 16 383, or a word's 256th time)."""
    return _tsquery(parsed, "positions")


def pg_needs_positions(parsed: ParsedQuery) -> bool:
    """Whether pg_tsquery reads the vector of every document with the words of a phrase
    (a phrase of three or more words, or of words too long for pairs)."""
    groups, excluded = text_matches(parsed)
    return any(_needs_positions(m) for m in [*excluded, *(m for group in groups for m in group)])


def pg_exclusion_tsquery(parsed: ParsedQuery) -> str:
    """Any excluded term, for `to_tsquery('simple', …)`; "" when nothing is excluded."""
    return " | ".join(_ts_match(m) for m in text_matches(parsed)[1])


def pg_highlight_tsquery(parsed: ParsedQuery) -> str:
    """Any positive term as a prefix, for `to_tsquery('simple', …)` in ts_headline and
    ts_rank: our terms are prefixes of the words they come from, so each form lights up."""
    return " | ".join(ts_lexeme(t, True) for t in _positive_terms(text_matches(parsed)[0]))


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


@dataclass
class FacetCount:
    """How many of the results have this type or tag."""

    id: int
    name: str
    count: int


@dataclass
class SearchOutcome:
    """One page of hits and what the UI says about the whole result: its size, its
    counts per type and tag (estimates when `approximate`), and what of the query was
    not used."""

    hits: list[SearchHit]
    total: int
    type_counts: list[FacetCount] = field(default_factory=list)
    tag_counts: list[FacetCount] = field(default_factory=list)
    errors: list[QueryError] = field(default_factory=list)
    unapplied: list[str] = field(default_factory=list)
    approximate: bool = False


@dataclass
class Found:
    """What a back end found: a page of hits, the total and the counts by id."""

    hits: list[SearchHit]
    total: int
    type_counts: dict[int, int]
    tag_counts: dict[int, int]
    approximate: bool = False


def parse_for_search(session: Session, query: str) -> ParsedQuery:
    """A query as typed, parsed with the custom field keys of this database."""
    return parse(query, field_keys(session))


def run_search(
    session: Session,
    query: str | ParsedQuery,
    visible_sql: str,
    params: dict,
    *,
    readers: list[int] | None = None,
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

    `visible_sql` is a WHERE fragment over the documents (alias d: `document` on SQLite,
    `document_search` on PostgreSQL, which has the same columns for it) that restricts
    results to what the user may see; its parameters are in `params`. It is ANDed to
    everything, so nothing in a query can widen it. `readers` (documents.reader_keys)
    says the same for PostgreSQL's index: None for someone who may see everything.
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
    if dialect == "postgresql":
        from dokvault.services import search_pg  # it builds on this module

        found = search_pg.run(session, parsed, where, bind, readers, by_date, limit, max(offset, 0), facets)
    else:
        found = _run_sqlite(session, parsed, where, bind, by_date, limit, max(offset, 0), facets)
    outcome.hits, outcome.total, outcome.approximate = found.hits, found.total, found.approximate
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


def _run_sqlite(session, parsed, where, bind, by_date, limit, offset, facets) -> Found:
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
