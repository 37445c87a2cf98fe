"""Running a search on PostgreSQL, over the table document_search (migration 0008).

Every match costs a row read, and a row whose search vector must be read (ranking, the
positions of a phrase) costs twenty times that. So the search first counts its matches
on a sample, the documents whose id is a multiple of SAMPLE_EVERY (they have partial
indexes of their own), and then takes one of two ways:

- about SEARCH_EXACT_LIMIT matches or fewer (a tenth of that when every candidate's
  vector must be read): one statement reads them all, counts them, their types and
  tags, and picks the page;
- more: the total and the counts are the sample's, scaled up and rounded to two digits
  (`approximate`), and only the page is read: through the index, but among the newest
  documents only, as many as should hold the page (_windowed).

The GIN index holds the vector with every column a filter uses (btree_gin), and
document_search has no other index a filter could use: the planner, which does not see
what reading a vector costs, then never reads one per row to filter.

The statements answer in rows of one shape, (kind, key, n, rank, text, pos): kind 0 is
the total, 1 a count per type, 2 a count per tag, 3 a hit of the page (key: the
document, text: the start of its text, pos: its place).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import text as sql

from dokvault.core import norwegian
from dokvault.services.search.results import HIT_END, HIT_START, Found, SearchHit
from dokvault.services.search.terms import (
    _positive_terms,
    pg_exclusion_tsquery,
    pg_highlight_tsquery,
    pg_loose_tsquery,
    pg_needs_positions,
    pg_positions_tsquery,
    pg_searchable,
    pg_tsquery,
    text_matches,
)
from dokvault.settings import get_settings

# Every match is ranked when there are at most RANK_ALL of them. Beyond that, ts_rank
# (which reads each document's whole vector) would cost more than the rest of the search,
# so it ranks the RANK_POOL newest matches, and the others follow, newest first. A word in
# that many documents says little about which one is meant; the newest are likelier.
RANK_ALL = 500
RANK_POOL = 300
SAMPLE_EVERY = 32  # the partial index of migration 0008 says the same
# Exactly counted up to SEARCH_EXACT_LIMIT matches (a setting), and up to a tenth of that
# when every candidate's vector must be read.
CHECKED_SHARE = 0.1
# A page of a large result is looked for among the newest documents first, this many
# times as many as should hold it, and some more (_windowed).
WINDOW_SLACK = 1.5
WINDOW_MARGIN = 100
# Snippets (snippet_of): up to two fragments of SNIPPET_WORDS words, the first around the
# first hit in the first SNIPPET_TEXT_CHARS of the text. (ts_headline, on long documents,
# cost more than all the rest of a search.)
SNIPPET_WORDS = 24
SNIPPET_CONTEXT = 3  # words before a hit
SNIPPET_GAP = 3000  # how far after the first fragment a second one may start
SNIPPET_TEXT_CHARS = 100_000

_COUNTED = ("SELECT 0 AS kind, NULL::int AS key, count(*) AS n, NULL::float8 AS rank, "
            "NULL::text AS text, 0::bigint AS pos FROM {rows}")
_TYPES = "SELECT 1, document_type_id, count(*), NULL, NULL, 0 FROM {rows} GROUP BY document_type_id"
_TAGS = ("SELECT 2, tag, count(*), NULL, NULL, 0 FROM {rows} CROSS JOIN LATERAL unnest(tag_ids) tag "
         "GROUP BY tag")
_COLUMNS = "d.id, d.document_type_id, d.tag_ids, d.created_at, d.day"
_RANK = "ts_rank(s.search_vector, to_tsquery('simple', :hq))"
_BY_RANK = "tier, rank DESC, created_at DESC, id DESC"
_BY_DAY = "day DESC, created_at DESC, id DESC"
# A document's own date, else its upload day in Oslo (migration 0008's ix_document_day_order).
_DAY = "COALESCE(document_date, (created_at AT TIME ZONE 'Europe/Oslo')::date)"
# How text() finds its parameters (:name, not ::cast): a statement gets only those it uses.
_BIND_NAME = re.compile(r"(?<![:\w\\]):(\w+)(?!:)")


@dataclass
class _Query:
    """A search's WHERE over document_search d, two ways, and what goes with it."""

    matches: str  # through the index: the matches
    loose: str  # the index alone, without reading a vector: a superset (when `checked`)
    checked: bool  # every candidate's vector must be read for the positions of a phrase
    terms: list[str]  # they light up the snippets
    bind: dict
    kept: float = 1.0  # of the index's newest candidates, the share whose positions hold


def run(session, parsed, where, bind, index_scope, by_date, limit, offset, facets) -> Found:
    """The matches of `parsed` within `where` (and `index_scope`, see engine.run_search)."""
    q = _query(parsed, where, {**bind, "limit": limit, "offset": offset}, index_scope)
    # JIT compiling these statements, or starting parallel workers, takes longer than
    # running them; and for words a scan of every row would read every vector, where the
    # index reads none.
    before = _planner(session, jit="off", max_parallel_workers_per_gather="0",
                      enable_seqscan="on" if not parsed.has_text else "off")
    # When positions must be read, the sample counts the index's candidates (which mostly
    # hold the phrase); the share that does is learnt from the newest of them, below.
    sample = _read(session, f"WITH s AS MATERIALIZED (SELECT {_COLUMNS} FROM document_search d "  # noqa: S608
                            f"WHERE {q.loose if q.checked else q.matches} AND d.id % {SAMPLE_EVERY} = 0) "
                            + " UNION ALL ".join(_counts("s", facets)), q.bind)
    estimate = sample.total * SAMPLE_EVERY
    limit = get_settings().search_exact_limit
    if estimate <= (limit * CHECKED_SHARE if q.checked else limit):
        found = _exact(session, parsed, q, by_date, facets)
    else:
        # A date filter gathers the matches in its days, not among the newest documents.
        share = 0.0 if parsed.ranges else estimate / max(_library_size(session), estimate, 1)
        hits = _by_day(session, parsed, q, share) if by_date else _ranked(session, parsed, q, share)
        found = Found(hits, _rounded(estimate * q.kept), _scaled(sample.type_counts, q.kept),
                      _scaled(sample.tag_counts, q.kept), approximate=True)
    _planner(session, **before)
    return found


def _query(parsed, where, bind, index_scope) -> _Query:
    others = [where]
    if index_scope is not None:
        # The same documents `where` allows, in a form the index answers.
        others.append(index_scope[0])
        bind.update(index_scope[1])
    checked = False
    if parsed.has_text:
        checked = pg_needs_positions(parsed)
        bind.update(tq=pg_tsquery(parsed), lq=pg_loose_tsquery(parsed), pq=pg_positions_tsquery(parsed),
                    hq=pg_highlight_tsquery(parsed), chars=SNIPPET_TEXT_CHARS)
        loose = [f"{pg_searchable('d')} @@ to_tsquery('simple', :lq)"]
        # Positions are read from search_vector alone, and only for the index's candidates.
        text = ([*loose, "d.search_vector @@ to_tsquery('simple', :pq)"] if checked
                else [f"{pg_searchable('d')} @@ to_tsquery('simple', :tq)"])
    elif xq := pg_exclusion_tsquery(parsed):
        text = loose = [
            "NOT EXISTS (SELECT 1 FROM document_search x WHERE x.id = d.id "  # noqa: S608
            f"AND {pg_searchable('x')} @@ to_tsquery('simple', :xq))"]
        bind["xq"] = xq
    else:
        text = loose = []
    return _Query(*(" AND ".join(f"({c})" for c in [*part, *others]) for part in (text, loose)),
                  checked, _positive_terms(text_matches(parsed)[0]), bind)


def _exact(session, parsed, q: _Query, by_date: bool, facets: bool) -> Found:
    """One statement: the matches once (MATERIALIZED), then their total, counts and page."""
    ctes = [f"m AS MATERIALIZED (SELECT {_COLUMNS} FROM document_search d WHERE {q.matches})"]  # noqa: S608
    if by_date:
        ctes.append(f"page AS (SELECT id, 0.0::float8 AS rank, day, created_at FROM m ORDER BY {_BY_DAY} "  # noqa: S608
                    "LIMIT :limit OFFSET :offset)")
    else:
        q.bind.update(rank_all=RANK_ALL, pool=RANK_POOL)
        # Ranked first: every match, or for very many the newest; then the rest, newest
        # first. The order is the same for every page: pages neither repeat nor skip one.
        # (The outer LIMIT only tells the planner how small the pool is.)
        ctes += [
            "pool AS MATERIALIZED (SELECT id, created_at FROM ("
            "SELECT id, created_at FROM m WHERE (SELECT count(*) FROM m) <= :rank_all "
            "UNION (SELECT id, created_at FROM m ORDER BY created_at DESC, id DESC LIMIT :pool)"
            ") p LIMIT :rank_all + :pool)",
            f"page AS (SELECT * FROM (SELECT pool.id, 0 AS tier, {_RANK} AS rank, pool.created_at "  # noqa: S608
            "FROM pool JOIN document_search s ON s.id = pool.id "
            "UNION ALL (SELECT id, 1, 0.0, created_at FROM m WHERE :offset + :limit > :pool "
            "AND id NOT IN (SELECT id FROM pool) ORDER BY created_at DESC, id DESC LIMIT :limit + :offset)"
            f") ranked ORDER BY {_BY_RANK} LIMIT :limit OFFSET :offset)",
        ]
    page = _hits(parsed, _BY_DAY if by_date else _BY_RANK)
    return _read(session, f"WITH {', '.join(ctes)} {' UNION ALL '.join([*_counts('m', facets), page])} "
                          "ORDER BY kind, pos", q.bind, q.terms)


def _ranked(session, parsed, q: _Query, share: float) -> list[SearchHit]:
    """A page of a large result: the newest RANK_POOL matches ranked, then the rest."""
    pool = _newest(session, q, RANK_POOL, share)
    q.bind.update(pool_ids=pool, pool=len(pool))
    statement = (
        "WITH pool AS (SELECT unnest(CAST(:pool_ids AS integer[])) AS id), "  # noqa: S608
        f"page AS (SELECT * FROM (SELECT s.id, 0 AS tier, {_RANK} AS rank, s.created_at "
        "FROM pool JOIN document_search s ON s.id = pool.id "
        f"UNION ALL (SELECT d.id, 1, 0.0, d.created_at FROM document_search d WHERE {q.matches} "
        "AND :offset + :limit > :pool AND d.id <> ALL (CAST(:pool_ids AS integer[])) "
        "ORDER BY d.created_at DESC, d.id DESC LIMIT :limit + :offset)"
        f") ranked ORDER BY {_BY_RANK} LIMIT :limit OFFSET :offset) "
        f"{_hits(parsed, _BY_RANK)} ORDER BY pos"
    )
    return _read(session, statement, q.bind, q.terms).hits


def _newest(session, q: _Query, n: int, share: float) -> list[int]:
    """The ids of the newest `n` matches. When positions must be read, the index's newest
    2n candidates first (`loose`), then only their positions."""
    if not q.checked:
        return _windowed(session, q.matches, "added_day", share, n, q.bind)
    candidates = _windowed(session, q.loose, "added_day", share, 2 * n, q.bind)
    q.bind["candidates"] = candidates
    # A subquery per candidate: the planner cannot turn it into reading every match.
    kept = _ids(session, "SELECT c.id FROM unnest(CAST(:candidates AS integer[])) WITH ORDINALITY c(id, pos) "
                         "WHERE (SELECT v.search_vector @@ to_tsquery('simple', :pq) FROM document_search v "
                         "WHERE v.id = c.id) ORDER BY c.pos", q.bind)
    q.kept = len(kept) / len(candidates) if candidates else 1.0
    return kept[:n]


def _by_day(session, parsed, q: _Query, share: float) -> list[SearchHit]:
    """A page of a large result in date order."""
    q.bind["page_ids"] = _windowed(session, q.matches, "day", share, q.bind["limit"], q.bind,
                                   offset=q.bind["offset"])
    statement = ("WITH page AS (SELECT p.id, 0.0::float8 AS rank, p.pos FROM "  # noqa: S608
                 "unnest(CAST(:page_ids AS integer[])) WITH ORDINALITY AS p(id, pos)) "
                 f"{_hits(parsed, 'pos')} ORDER BY pos")
    return _read(session, statement, q.bind, q.terms).hits


# The newest documents' days, down the document table's own indexes.
_NTH_DAY = {
    "added_day": "SELECT (created_at AT TIME ZONE 'Europe/Oslo')::date FROM document "
                 "ORDER BY created_at DESC OFFSET :window LIMIT 1",
    "day": f"SELECT {_DAY} FROM document ORDER BY {_DAY} DESC, created_at DESC, id DESC "  # noqa: S608
           "OFFSET :window LIMIT 1",
}
_ORDER = {"added_day": "d.created_at DESC, d.id DESC", "day": "d.day DESC, d.created_at DESC, d.id DESC"}


def _windowed(session, where: str, column: str, share: float, n: int, bind: dict,
              offset: int = 0) -> list[int]:
    """The first `n` (after `offset`) of `where`, newest first (`column`: added_day for
    the upload order, day for the date order). Sorting every match reads each of them;
    so the index is asked first for those among the newest documents only, as many as
    should hold enough (`share` of the library matches), and only if that falls short,
    for all. (`share` 0: the matches are not spread over time, do not try.)"""
    order = f"ORDER BY {_ORDER[column]} LIMIT :n OFFSET :skip"
    bind = {**bind, "n": n, "skip": offset}
    if share > 0:
        window = max(int((offset + n) / share * WINDOW_SLACK) + WINDOW_MARGIN, offset + n)
        since = session.exec(sql(_NTH_DAY[column]).bindparams(window=window)).one_or_none() \
            if window < _library_size(session) else None
        if since is not None:
            ids = _ids(session, f"SELECT d.id FROM document_search d WHERE {where} "  # noqa: S608
                                f"AND d.{column} >= :since {order}", {**bind, "since": since[0]})
            if len(ids) == n:
                return ids
    return _ids(session, f"SELECT d.id FROM document_search d WHERE {where} {order}", bind)  # noqa: S608


def _ids(session, statement: str, bind: dict) -> list[int]:
    return list(session.exec(sql(statement).bindparams(**_used(statement, bind))).scalars().all())


def _hits(parsed, order: str) -> str:
    """The SELECT of the hits in `page` (id, rank and the columns of `order`), in order, with
    the start of their text for the snippet."""
    text = "left(t.text, :chars)" if parsed.has_text else "''::text"
    join = " JOIN document_text t ON t.document_id = page.id" if parsed.has_text else ""
    return (f"SELECT 3 AS kind, page.id AS key, NULL::bigint AS n, page.rank, {text} AS text, "  # noqa: S608
            f"row_number() OVER (ORDER BY {order}) AS pos FROM page{join}")


def _counts(rows: str, facets: bool) -> list[str]:
    parts = [_COUNTED, _TYPES, _TAGS] if facets else [_COUNTED]
    return [p.format(rows=rows) for p in parts]


def _scaled(sampled: dict[int, int], kept: float) -> dict[int, int]:
    return {key: rounded for key, n in sampled.items() if (rounded := _rounded(n * SAMPLE_EVERY * kept))}


def _rounded(n: float) -> int:
    """An estimate to two significant digits."""
    n = round(n)
    return round(n, -max(len(str(n)) - 2, 0))


def _library_size(session) -> int:
    """About how many documents there are (the highest id: cheap, and near enough)."""
    return int(session.exec(sql("SELECT coalesce(max(id), 0) FROM document_search")).one()[0])


def _planner(session, **values: str) -> dict[str, str]:
    """Planner settings for this transaction's statements that follow (set_config(…, true)
    is SET LOCAL: it ends with the transaction, and an error rolls it back); returns the
    settings before, to put back for whatever the caller still reads in it. One round
    trip."""
    names = list(values)
    columns = ", ".join(f"current_setting(:n{i}), set_config(:n{i}, :v{i}, true)" for i in range(len(names)))
    bind = {**{f"n{i}": n for i, n in enumerate(names)}, **{f"v{i}": values[n] for i, n in enumerate(names)}}
    row = session.exec(sql(f"SELECT {columns}").bindparams(**bind)).one()  # noqa: S608
    return {name: row[2 * i] for i, name in enumerate(names)}


def _used(statement: str, bind: dict) -> dict:
    names = set(_BIND_NAME.findall(statement))
    return {k: v for k, v in bind.items() if k in names}


def _read(session, statement: str, bind: dict, terms: list[str] | None = None) -> Found:
    """The rows of a statement; the text of a hit becomes its snippet for `terms`."""
    found = Found([], 0, {}, {})
    rows = session.exec(sql(statement).bindparams(**_used(statement, bind))).all()
    for kind, key, n, rank, text, _ in rows:
        if kind == 0:
            found.total = int(n)
        elif kind == 1 and key is not None:
            found.type_counts[key] = int(n)
        elif kind == 2:
            found.tag_counts[key] = int(n)
        elif kind == 3:
            found.hits.append(SearchHit(key, float(rank or 0.0), snippet_of(text or "", terms or [])))
    return found


# --- snippets ---------------------------------------------------------------------------


def snippet_of(text: str, terms: list[str]) -> str:
    """Up to two fragments of the text, every word in them that starts with one of
    `terms` (query terms, which are stems) between HIT_START and HIT_END: the first
    fragment from just before the first hit, the second from just before the next hit
    within SNIPPET_GAP after it. Without a hit in the first SNIPPET_TEXT_CHARS: the
    start of the text."""
    text = text[:SNIPPET_TEXT_CHARS]
    if not terms:
        return ""
    terms = sorted(set(terms), key=len, reverse=True)
    fragments: list[str] = []
    hit = _next_hit(text, terms, 0, len(text))
    start = _context_start(text, hit, 0) if hit is not None else 0
    while len(fragments) < 2:
        fragment, end = _fragment(text, start, terms)
        if not fragment:
            break
        fragments.append(fragment)
        hit = _next_hit(text, terms, end, end + SNIPPET_GAP) if hit is not None else None
        if hit is None:
            break
        start = _context_start(text, hit, end)
    return " … ".join(fragments)


def _next_hit(text: str, terms: list[str], start: int, end: int, chunk: int = 4096) -> int | None:
    """Where the first word in text[start:end] that starts with a term begins. The text
    is lowered a chunk at a time: the first hit is mostly near the start."""
    reach = max(map(len, terms))
    for at in range(start, min(end, len(text)), chunk):
        window = text[max(at - 1, 0):min(at + chunk + reach, end)]
        low = window.lower()
        if len(low) != len(window):  # a letter that lowers to two: keep positions in line
            low = "".join(ch.lower()[:1] for ch in window)
        offset = max(at - 1, 0)
        best = None
        for term in terms:
            found = low.find(term, at - offset)
            while found > 0 and low[found - 1].isalnum():  # inside a word, not at its start
                found = low.find(term, found + 1)
            if found >= 0 and found + offset < at + chunk and (best is None or found < best):
                best = found
        if best is not None:
            return best + offset
    return None


def _context_start(text: str, hit: int, floor: int) -> int:
    """Where a fragment for the hit at `hit` begins: a few words before it, not before
    `floor` and never inside a word."""
    low = max(floor, hit - 80)
    words = [w.start() for w in norwegian.WORD.finditer(text, low, hit)]
    if words and words[0] == low and low > floor and norwegian.WORD.match(text, low - 1):
        words = words[1:]  # cut off at `low`
    start = words[-SNIPPET_CONTEXT] if len(words) >= SNIPPET_CONTEXT else (words[0] if words else hit)
    # Back to where its run of non-space begins: "kari@megler.no>", not "no>".
    chunk = start
    while chunk > max(floor, start - 40) and not text[chunk - 1].isspace():
        chunk -= 1
    return chunk if chunk == floor or text[chunk - 1].isspace() else start


def _fragment(text: str, start: int, terms: list[str]) -> tuple[str, int]:
    """SNIPPET_WORDS words from `start` with their hits marked, and where they end."""
    parts, at, count, starts = [], start, 0, tuple(terms)
    for word in norwegian.WORD.finditer(text, start):
        found = word.group()
        parts += [text[at:word.start()], f"{HIT_START}{found}{HIT_END}" if found.lower().startswith(starts)
                  else found]
        at, count = word.end(), count + 1
        if count == SNIPPET_WORDS:
            break
    if text[at:at + 1] in tuple(".,;:!?)»"):
        parts.append(text[at])  # the word's punctuation
        at += 1
    between = "".join(parts[i] if i % 2 else parts[i].replace(HIT_START, "").replace(HIT_END, "")
                      for i in range(len(parts)))  # the text's own marker characters go
    return " ".join(between.split()), at
