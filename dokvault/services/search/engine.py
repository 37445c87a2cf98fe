"""One search over two back ends: run_search puts a parsed query's text part, its
filters (filters.py), the rights scoping, the order and the counts per type and tag
together, and hands them to PostgreSQL (postgres.py) or SQLite (sqlite.py)."""

from __future__ import annotations

from sqlmodel import Session, col, select

from dokvault.models import DocumentType, Tag
from dokvault.services.search import postgres, sqlite
from dokvault.services.search.filters import compile_filters, field_keys, load_vocabulary
from dokvault.services.search.query import ParsedQuery, parse
from dokvault.services.search.results import FacetCount, SearchHit, SearchOutcome
from dokvault.services.search.terms import fts5_match, pg_tsquery


def parse_for_search(session: Session, query: str) -> ParsedQuery:
    """A query as typed, parsed with the custom field keys of this database."""
    return parse(query, field_keys(session))


def run_search(
    session: Session,
    query: str | ParsedQuery,
    visible_sql: str,
    params: dict,
    *,
    index_scope: tuple[str, dict] | None = None,
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
    everything, so nothing in a query can widen it. `index_scope` (access.search_index_sql)
    says the same in the form PostgreSQL's index answers: None for someone who may see
    everything.
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
        found = postgres.run(session, parsed, where, bind, index_scope, by_date, limit, max(offset, 0),
                             facets)
    else:
        found = sqlite.run(session, parsed, where, bind, by_date, limit, max(offset, 0), facets)
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


def _facets(session, model, counts: dict[int, int]) -> list[FacetCount]:
    if not counts:
        return []
    names = dict(session.exec(select(model.id, model.name).where(col(model.id).in_(list(counts)))).all())
    facets = [FacetCount(i, names[i], n) for i, n in counts.items() if i in names]
    return sorted(facets, key=lambda f: (-f.count, f.name.casefold()))
