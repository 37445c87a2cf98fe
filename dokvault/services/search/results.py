"""What a search answers: hits with snippets (HIT_START/HIT_END around the matches),
the total, the counts per type and tag, and what of the query was not used."""

from __future__ import annotations

from dataclasses import dataclass, field

from dokvault.services.search.query import QueryError

HIT_START = "\ue000"
HIT_END = "\ue001"
SORTS = ("relevance", "date")


@dataclass
class SearchHit:
    document_id: int
    rank: float
    snippet: str  # plain text with HIT_START/HIT_END around matches



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
