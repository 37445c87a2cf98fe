"""Running a search on PostgreSQL, over the table document_search (migration 0008).

Every match costs a row read, and a row whose search vector must be read (ranking, the
positions of a phrase) costs twenty times that. So the search first counts its matches
on a sample, the documents whose id is a multiple of SAMPLE_EVERY (they have partial
indexes of their own), and then takes one of two ways:

- about EXACT_LIMIT matches or fewer (CHECKED_EXACT_LIMIT when every candidate's vector
  must be read): one statement reads them all, counts them, their types and tags, and
  picks the page;
- more: the total and the counts are the sample's, scaled up and rounded to two digits
  (`approximate`), and only the page is read. When most documents match, by walking
  the newest documents until there are enough; otherwise through the index, newest
  first.

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

from dokvault.services import norwegian
from dokvault.services.search import (
    HIT_END,
    HIT_START,
    Found,
    SearchHit,
    _positive_terms,
    pg_exclusion_tsquery,
    pg_highlight_tsquery,
    pg_loose_tsquery,
    pg_needs_positions,
    pg_searchable,
    pg_tsquery,
    text_matches,
)

# Every match is ranked when there are at most RANK_ALL of them. Beyond that, ts_rank
# (which reads each document's whole vector) would cost more than the rest of the search,
# so it ranks the RANK_POOL newest matches, and the others follow, newest first. A word in
# that many documents says little about which one is meant; the newest are likelier.
RANK_ALL = 1000
RANK_POOL = 500
SAMPLE_EVERY = 32  # the partial indexes of migration 0008 say the same
EXACT_LIMIT = 10_000
CHECKED_EXACT_LIMIT = 1000
# Share of the library that matches above which walking the newest documents finds the
# page sooner than the index (each step reads a vector; the index reads every match).
WALK_SHARE = 0.4
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
# The document table's own order (its indexes): the walks go down these.
_NEWEST = "doc.created_at DESC, doc.id DESC"
_NEWEST_DAY = ("COALESCE(doc.document_date, (doc.created_at AT TIME ZONE 'Europe/Oslo')::date) DESC, "
               "doc.created_at DESC, doc.id DESC")
# How text() finds its parameters (:name, not ::cast): a statement gets only those it uses.
_BIND_NAME = re.compile(r"(?<![:\w\\]):(\w+)(?!:)")


@dataclass
class _Query:
    matches: str  # WHERE over document_search d
    loose: str  # the same without positions: what the index answers alone
    checked: bool  # every candidate's vector must be read
    terms: list[str]  # they light up the snippets
    bind: dict


def run(session, parsed, where, bind, readers, by_date, limit, offset, facets) -> Found:
    """The matches of `parsed` within `where` (and `readers`, see search.run_search)."""
    q = _query(parsed, where, {**bind, "limit": limit, "offset": offset}, readers)
    # JIT compiling these statements, or starting parallel workers, takes longer than
    # running them; and for words a scan of every row would read every vector, where the
    # index reads none.
    _settings(session, jit="off", max_parallel_workers_per_gather="0",
              enable_seqscan="on" if not parsed.has_text else "off")
    sample = _read(session, f"WITH s AS MATERIALIZED (SELECT {_COLUMNS} FROM document_search d "  # noqa: S608
                            f"WHERE {q.matches} AND d.id % {SAMPLE_EVERY} = 0) "
                            + " UNION ALL ".join(_counts("s", facets)), q.bind)
    estimate = sample.total * SAMPLE_EVERY
    if estimate <= (CHECKED_EXACT_LIMIT if q.checked else EXACT_LIMIT):
        found = _exact(session, parsed, q, by_date, facets)
    else:
        found = Found([], _rounded(estimate), _scaled(sample.type_counts), _scaled(sample.tag_counts),
                      approximate=True)
        walk = estimate >= WALK_SHARE * _library_size(session)
        found.hits = (_by_day(session, parsed, q, walk) if by_date else _ranked(session, parsed, q, walk))
    _settings(session, jit=None, max_parallel_workers_per_gather=None, enable_seqscan=None)
    return found


def _query(parsed, where, bind, readers) -> _Query:
    conditions, loose = [where], [where]
    if readers is not None:
        # The same documents `where` allows, in a form the index answers.
        conditions.append("d.readers && CAST(:readers AS integer[])")
        loose.append(conditions[-1])
        bind["readers"] = list(readers)
    if parsed.has_text:
        conditions.insert(0, f"{pg_searchable('d')} @@ to_tsquery('simple', :tq)")
        loose.insert(0, f"{pg_searchable('d')} @@ to_tsquery('simple', :lq)")
        bind.update(tq=pg_tsquery(parsed), lq=pg_loose_tsquery(parsed), hq=pg_highlight_tsquery(parsed),
                    chars=SNIPPET_TEXT_CHARS)
    elif xq := pg_exclusion_tsquery(parsed):
        conditions.append("NOT EXISTS (SELECT 1 FROM document_search x WHERE x.id = d.id "  # noqa: S608
                          f"AND {pg_searchable('x')} @@ to_tsquery('simple', :xq))")
        bind["xq"] = xq
    return _Query(" AND ".join(f"({c})" for c in conditions), " AND ".join(f"({c})" for c in loose),
                  pg_needs_positions(parsed), _positive_terms(text_matches(parsed)[0]), bind)


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


def _ranked(session, parsed, q: _Query, walk: bool) -> list[SearchHit]:
    """A page of a large result: the newest RANK_POOL matches ranked, then the rest."""
    pool = _newest(session, q, RANK_POOL, walk)
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


def _newest(session, q: _Query, n: int, walk: bool) -> list[int]:
    """The ids of the newest `n` matches."""
    q.bind.update(n=n, candidates=2 * n)
    if walk:
        return _ids(session, _walk(q, _NEWEST, "LIMIT :n"), q.bind, walk=True)
    # Through the index without reading vectors (`loose`); when positions must be read,
    # only those of the newest candidates.
    newest = (f"SELECT d.id, d.created_at FROM document_search d WHERE {q.loose} "  # noqa: S608
              f"ORDER BY d.created_at DESC, d.id DESC LIMIT {':candidates' if q.checked else ':n'}")
    if q.checked:
        # A subquery per candidate: the planner cannot turn it into reading all matches.
        newest = (f"WITH c AS MATERIALIZED ({newest}) SELECT c.id FROM c "  # noqa: S608
                  f"WHERE (SELECT {pg_searchable('v')} @@ to_tsquery('simple', :tq) FROM document_search v "
                  "WHERE v.id = c.id) ORDER BY c.created_at DESC, c.id DESC LIMIT :n")
    return _ids(session, newest, q.bind)


def _by_day(session, parsed, q: _Query, walk: bool) -> list[SearchHit]:
    """A page of a large result in date order."""
    if walk:
        ids = _ids(session, _walk(q, _NEWEST_DAY, "LIMIT :limit OFFSET :offset"), q.bind, walk=True)
    else:
        ids = _ids(session, f"SELECT d.id FROM document_search d WHERE {q.matches} "  # noqa: S608
                            "ORDER BY d.day DESC, d.created_at DESC, d.id DESC LIMIT :limit OFFSET :offset",
                   q.bind)
    q.bind["page_ids"] = ids
    statement = ("WITH page AS (SELECT p.id, 0.0::float8 AS rank, p.pos FROM "  # noqa: S608
                 "unnest(CAST(:page_ids AS integer[])) WITH ORDINALITY AS p(id, pos)) "
                 f"{_hits(parsed, 'pos')} ORDER BY pos")
    return _read(session, statement, q.bind, q.terms).hits


def _walk(q: _Query, order: str, limit: str) -> str:
    """Down the document table's index in `order`, the matches among them: for a result
    that is most of the library, the first few are found after reading a few more."""
    return (f"SELECT doc.id FROM document doc JOIN document_search d ON d.id = doc.id "  # noqa: S608
            f"WHERE {q.matches} ORDER BY {order} {limit}")


def _ids(session, statement: str, bind: dict, walk: bool = False) -> list[int]:
    if walk:  # a nested loop down the index, never a scan of all matches first
        _settings(session, enable_bitmapscan="off", enable_hashjoin="off", enable_mergejoin="off")
    ids = list(session.exec(sql(statement).bindparams(**_used(statement, bind))).scalars().all())
    if walk:
        _settings(session, enable_bitmapscan=None, enable_hashjoin=None, enable_mergejoin=None)
    return ids


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


def _scaled(sampled: dict[int, int]) -> dict[int, int]:
    return {key: _rounded(n * SAMPLE_EVERY) for key, n in sampled.items()}


def _rounded(n: int) -> int:
    """An estimate to two significant digits."""
    return round(n, -max(len(str(n)) - 2, 0))


def _library_size(session) -> int:
    """About how many documents there are (the highest id: cheap, and near enough)."""
    return int(session.exec(sql("SELECT coalesce(max(id), 0) FROM document_search")).one()[0])


def _settings(session, **values: str | None) -> None:
    """SET LOCAL planner settings for the statements that follow (None: RESET). SET LOCAL
    ends with the transaction, and an error rolls it back; the RESETs are for whatever
    the caller still reads in this one."""
    for name, value in values.items():
        session.exec(sql(f"RESET {name}" if value is None else f"SET LOCAL {name} = {value}"))


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
    return words[-SNIPPET_CONTEXT] if len(words) >= SNIPPET_CONTEXT else (words[0] if words else hit)


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
