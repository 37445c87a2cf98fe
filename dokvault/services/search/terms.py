"""The words of a query and of a document as the indexes hold them: our own normalised
Norwegian terms (core/norwegian.py), pairs of neighbouring terms for phrases, and the
tsquery (PostgreSQL) or FTS5 MATCH expression (SQLite) a query's words, "phrases", OR and
-exclusions become."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from dokvault.core import norwegian
from dokvault.services.search.query import ParsedQuery, Term

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
