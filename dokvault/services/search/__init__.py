"""One search service over two back ends: PostgreSQL full-text search (a GIN index over
the table document_search, see migration 0008) and SQLite FTS5 on the embedded default.

Both index our own normalised Norwegian terms (core/norwegian.py), and query words
match those terms by prefix, so inflected forms find each other. Queries are parsed by
query.py; the words, "phrases", OR and -exclusions become a tsquery
(pg_tsquery) or an FTS5 MATCH expression (fts5_match) over those terms, and the filters
become SQL in filters.py (compile_filters). run_search puts them
together with the rights scoping, the order and the counts per type and tag.
"""

from dokvault.services.search.engine import parse_for_search, run_search, search_ids
from dokvault.services.search.index import index_document, remove_from_index, stale_documents
from dokvault.services.search.query import (
    FILTER_KEYS,
    MAX_QUERY_CHARS,
    RANGE_KEYS,
    ParsedQuery,
    QueryError,
    parse,
)
from dokvault.services.search.results import (
    HIT_END,
    HIT_START,
    SORTS,
    FacetCount,
    SearchHit,
    SearchOutcome,
    snippet_parts,
)
from dokvault.services.search.suggestions import suggest
from dokvault.services.search.terms import PG_PAIRS, PG_VECTOR, SEARCH_FORMAT, query_terms

__all__ = [
    "FILTER_KEYS", "HIT_END", "HIT_START", "MAX_QUERY_CHARS", "PG_PAIRS", "PG_VECTOR", "RANGE_KEYS",
    "SEARCH_FORMAT", "SORTS", "FacetCount", "ParsedQuery", "QueryError", "SearchHit",
    "SearchOutcome", "index_document", "parse", "parse_for_search", "query_terms",
    "remove_from_index", "run_search", "search_ids", "snippet_parts", "stale_documents", "suggest",
]
