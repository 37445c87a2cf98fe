"""The search query language, parsed into a small syntax tree. Pure: no database.

    eiendom kjøper                  both words (AND is implicit)
    "tre soverom"                   the words in this order (a phrase)
    takst OR verdivurdering         either word; OR binds tighter than the implicit AND,
                                    so `a b OR c` means a AND (b OR c), as in Google
    -kjøper  -"tre soverom"         leave out documents with the word or phrase
    type:Faktura  tag:haster        filters; values may be quoted: type:"Takst/Verdivurdering"
    office:Stavanger  owner:kari@example.no
    tag:a OR tag:b                  any of the values; tag:a tag:b means both
    added:2026-01..2026-03          date ranges on `added` (upload) and `created`
    created:2026-02  created:2026   a whole month, a whole year, or a day (2026-02-14, 14.02.2026)
    created:2026-01-15..  added:..2026-03-31    open on one side
    address:"Strandkaien 1"         a custom field, for keys the caller declares as fields

Parentheses do not group: they are ignored like other punctuation around a word.
Keys are case-insensitive. A `key:` that is neither a filter nor a declared field is
plain text (`kl:14` searches the words "kl" and "14"). Bad input never raises: an
unbalanced quote makes the rest of the query a phrase, a lone `-` or `OR` is ignored,
and what cannot be used (a bad date, an empty filter) is left out and reported in
`ParsedQuery.errors`.

Date ranges are half-open: `DateRange.start` is the first day included, `DateRange.end`
the first day no longer included. Users write the end inclusively, so
`2026-01..2026-03` is start 2026-01-01, end 2026-04-01: all of January to March.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from dokvault.services.search.date_ranges import DateRange, parse_date_range

FILTER_KEYS = ("type", "tag", "office", "owner")
RANGE_KEYS = ("added", "created")
# Longer queries are cut here: nobody types more, and parsing stays cheap.
MAX_QUERY_CHARS = 2000

_WORD_CHAR = re.compile(r"[^\W_]")
_EDGE_PUNCTUATION = re.compile(r"^[\W_]+|[\W_]+$")
_LEADING_PUNCTUATION = re.compile(r"^[\W_]+")
_CLOSING = ")]},;"
_OPERATORS = ("OR", "AND")  # AND is the default; written out, it is simply skipped


@dataclass(frozen=True)
class Term:
    """A word (matches its inflected forms, and as the start of a longer word) or a
    phrase (its words in this order). A bare token such as `e-post` or `57/311` holds
    several words: they must follow each other too."""

    text: str
    phrase: bool = False

    @property
    def key(self) -> tuple[str, bool]:
        return self.text.casefold(), self.phrase

    def to_text(self) -> str:
        return f'"{self.text}"' if self.phrase else self.text


@dataclass(frozen=True)
class QueryError:
    """Something in the query that was left out. `code` names the problem (for
    translation); `fragment` is the part of the query it concerns."""

    code: str
    fragment: str

    MESSAGES = {  # a class constant, not a field: it has no annotation
        "empty_value": "{fragment} needs a value",
        "bad_date": "{fragment} is not a date, month or year (2026-02-14, 2026-02, 2026)",
        "empty_range": "{fragment} matches no day",
        "negated_filter": "{fragment}: filters cannot be excluded with -",
        "or_between_kinds": "OR can only join words or the same filter: {fragment}",
        "or_between_ranges": "date ranges cannot be joined with OR; both apply: {fragment}",
        "too_long": "the query was cut after {fragment} characters",
        # From the filters (services/search_filters.py): such a value matches nothing.
        "unknown_value": "{fragment}: nothing has this name",
        "ambiguous_value": "{fragment}: the name fits several; write more of it",
        "bad_number": "{fragment} is not a number",
    }

    def __str__(self) -> str:
        return self.MESSAGES.get(self.code, "{fragment}").format(fragment=self.fragment)


@dataclass
class ParsedQuery:
    """A query as data. Text: every group must match, a group matches if any of its
    terms does, and no excluded term may match. Filters and fields map a key to groups
    of values the same way (`tag:a OR tag:b tag:c` is {"tag": [["a", "b"], ["c"]]})."""

    groups: list[list[Term]] = field(default_factory=list)
    excluded: list[Term] = field(default_factory=list)
    filters: dict[str, list[list[str]]] = field(default_factory=dict)
    ranges: dict[str, DateRange] = field(default_factory=dict)
    fields: dict[str, list[list[str]]] = field(default_factory=dict)
    errors: list[QueryError] = field(default_factory=list, compare=False)

    @property
    def has_text(self) -> bool:
        return bool(self.groups)

    def is_empty(self) -> bool:
        return not (self.groups or self.excluded or self.filters or self.ranges or self.fields)

    def to_text(self) -> str:
        """The query written out the normalised way; parsing it again (with the same
        field keys) gives an equal ParsedQuery."""
        parts = [" OR ".join(term.to_text() for term in group) for group in self.groups]
        parts += [f"-{term.to_text()}" for term in self.excluded]
        for values_by_key in (self.filters, self.fields):
            for key, groups in values_by_key.items():
                parts += [" OR ".join(f"{key}:{_value_text(v)}" for v in group) for group in groups]
        parts += [f"{key}:{span.to_text()}" for key, span in self.ranges.items()]
        return " ".join(parts)


def parse(query: str, field_keys: Iterable[str] = ()) -> ParsedQuery:
    """Parse a query typed by a user. Never raises; see the module docstring."""
    text = _clean(query if isinstance(query, str) else "")
    builder = _Builder()
    if len(text) > MAX_QUERY_CHARS:
        builder.error("too_long", str(MAX_QUERY_CHARS))
        text = text[:MAX_QUERY_CHARS]
    fields = {k.casefold(): k for k in field_keys if k and k.casefold() not in (*FILTER_KEYS, *RANGE_KEYS)}
    pos, n = 0, len(text)
    while pos < n:
        if text[pos].isspace():
            pos += 1
            continue
        negate = False
        if text[pos] == "-":
            while pos < n and text[pos] == "-":
                pos += 1
            if pos == n or text[pos].isspace():
                continue  # a lone "-"
            negate = True
        if text[pos] == '"':
            phrase, pos = _read_quoted(text, pos)
            builder.term(Term(phrase, phrase=True), negate)
            continue
        start = pos
        while pos < n and not text[pos].isspace() and text[pos] != '"':
            pos += 1
        token = _LEADING_PUNCTUATION.sub("", text[start:pos])  # "(type:x" is a filter too
        name, colon, value = token.partition(":")
        key = name.casefold()
        if colon and (key in FILTER_KEYS or key in RANGE_KEYS or key in fields):
            if not value and pos < n and text[pos] == '"':
                value, pos = _read_quoted(text, pos)
            else:
                value = value.rstrip(_CLOSING)  # (tag:a OR tag:b)
            builder.key_value(fields.get(key, key), " ".join(value.split()), negate)
            continue
        word = _EDGE_PUNCTUATION.sub("", token)
        if word in _OPERATORS and not negate:
            builder.operator(word)
        else:
            builder.term(Term(word), negate)
    return builder.finish()


# --- inside the parser ---------------------------------------------------------------


class _Builder:
    """Collects items in order and attaches each OR to its neighbours."""

    def __init__(self) -> None:
        self.query = ParsedQuery()
        self.previous: tuple[str, str] | None = None  # ("text", "") or ("filter"|"field"|"range", key)
        self.pending_or = False

    def error(self, code: str, fragment: str) -> None:
        if QueryError(code, fragment) not in self.query.errors:
            self.query.errors.append(QueryError(code, fragment))

    def operator(self, word: str) -> None:
        if word == "OR" and self.previous is not None:
            self.pending_or = True  # an OR with nothing before it is ignored

    def term(self, term: Term, negate: bool) -> None:
        text = " ".join(term.text.split())
        if not _WORD_CHAR.search(text):
            return  # "*", "()", an empty phrase: nothing to search for
        term = Term(text, term.phrase)
        if negate:
            self._interrupt()
            self.query.excluded.append(term)
            return
        if self._joins(("text", "")):
            self.query.groups[-1].append(term)
        else:
            self.query.groups.append([term])

    def key_value(self, key: str, value: str, negate: bool) -> None:
        fragment = f"{key}:{value}" if value else f"{key}:"
        if negate:
            self._interrupt()
            self.error("negated_filter", f"-{fragment}")
            return
        if not value:
            self._interrupt()
            self.error("empty_value", fragment)
            return
        if key in RANGE_KEYS:
            self._range(key, value, fragment)
            return
        kind = "filter" if key in FILTER_KEYS else "field"
        target = self.query.filters if kind == "filter" else self.query.fields
        if self._joins((kind, key)):
            target[key][-1].append(value)
        else:
            target.setdefault(key, []).append([value])

    def _range(self, key: str, value: str, fragment: str) -> None:
        if self.pending_or:
            self.error("or_between_ranges", fragment)
        self._interrupt()
        try:
            span = parse_date_range(value)
        except ValueError:
            self.error("bad_date", fragment)
            return
        if key in self.query.ranges:
            span = self.query.ranges[key].intersect(span)
        if span.is_empty:
            self.error("empty_range", f"{key}:{span.to_text()}")
        self.query.ranges[key] = span
        self.previous = ("range", key)

    def _joins(self, item: tuple[str, str]) -> bool:
        """Whether this item is the right side of an OR; it becomes the previous item."""
        joins = self.pending_or and self.previous == item
        if self.pending_or and not joins:
            self.error("or_between_kinds", f"{self.previous[1] or 'text'} OR {item[1] or 'text'}")
        self.pending_or = False
        self.previous = item
        return joins

    def _interrupt(self) -> None:
        """An exclusion or a rejected item: an OR before it has no right side."""
        self.pending_or = False
        self.previous = None

    def finish(self) -> ParsedQuery:
        q = self.query
        q.groups = _unique([_unique(group, lambda t: t.key) for group in q.groups], _term_set)
        q.excluded = _unique(q.excluded, lambda t: t.key)
        for values_by_key in (q.filters, q.fields):
            for key, groups in values_by_key.items():
                values_by_key[key] = _unique([_unique(g, str.casefold) for g in groups], _value_set)
        return q


def _term_set(group: list[Term]) -> frozenset:
    return frozenset(t.key for t in group)


def _value_set(group: list[str]) -> frozenset:
    return frozenset(v.casefold() for v in group)


def _unique(items: list, key) -> list:
    seen, out = set(), []
    for item in items:
        if key(item) not in seen:
            seen.add(key(item))
            out.append(item)
    return out


def _clean(text: str) -> str:
    """No control, format or private-use characters (a NUL would be refused by
    PostgreSQL; U+E000/1 mark hits), no lone surrogate (it cannot be encoded), then NFC."""
    text = text.encode("utf-8", "replace").decode("utf-8")  # a lone surrogate becomes "?"
    if not text.isprintable():
        out = []
        for ch in text:
            category = unicodedata.category(ch)
            if category == "Cf":
                continue  # soft hyphen, zero-width space: part of the word around them
            out.append(" " if category in ("Cc", "Co", "Zl", "Zp") else ch)
        text = "".join(out)
    return unicodedata.normalize("NFC", text)


def _read_quoted(text: str, pos: int) -> tuple[str, int]:
    """The text after the quote at `pos` up to the closing quote, or to the end."""
    end = text.find('"', pos + 1)
    if end < 0:
        return text[pos + 1 :], len(text)
    return text[pos + 1 : end], end + 1


def _value_text(value: str) -> str:
    bare = value and not value.endswith(tuple(_CLOSING)) and not any(ch.isspace() for ch in value)
    return value if bare else f'"{value}"'


__all__ = [
    "FILTER_KEYS",
    "RANGE_KEYS",
    "ParsedQuery",
    "QueryError",
    "Term",
    "parse",
]
