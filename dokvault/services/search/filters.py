"""The filters of a search query as SQL: type:, tag:, office:, owner:, added:, created: and
custom fields (`address:"Strandkaien 1"`).

Names are resolved in Python against the taxonomy (a few dozen rows), case-insensitively:
an exact name, else the one name that starts with the value. A value that names nothing,
or several things, matches no document and says why in `FilterSQL.errors` — a filter left
out would widen the results. Every value reaches SQL as a bound parameter named
`filter_<n>`; the SQL text holds only our own fragments.

Within a key, values in one group are ORed and groups are ANDed (`tag:a OR tag:b tag:c`
is (a or b) and c), as services/query.py parses them. The result is ANDed to the rights
scoping by the caller, so a filter can only ever narrow what a user sees.

The SQL is over `document d` on SQLite and over `document_search d` on PostgreSQL (the
search's table, migration 0008: the same columns, and `tag_ids` and `day` besides).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from dokvault.models import CustomField, DocumentType, Office, Tag, User
from dokvault.services.search.date_ranges import DateRange, parse_date_range
from dokvault.services.search.query import ParsedQuery, QueryError

# Day boundaries of `added:` are the organisation's days, not UTC's.
LOCAL_ZONE = ZoneInfo("Europe/Oslo")
# SQLite has no Unicode lower(); search registers this function on its connection.
SQLITE_LOWER = "dv_lower"
_SQLITE_TIMESTAMP = "%Y-%m-%d %H:%M:%S.%f"  # how SQLAlchemy stores a DateTime in SQLite
ME = ("me", "meg")  # owner:me, owner:meg
ESCAPE = "\\"  # for LIKE patterns: a value's own % and _ are characters
_NUMBER_NOISE = re.compile(r"(?i)\bkr\.?|\bnok\b|[\s\u00a0]|,-+$")


@dataclass(frozen=True)
class Named:
    """Something a filter value can name: a type, tag, office or user."""

    id: int
    name: str  # as shown
    labels: tuple[str, ...]  # what it answers to, casefolded (a user: e-mail and name)


@dataclass(frozen=True)
class FieldInfo:
    id: int
    key: str
    kind: str  # dokvault.ai.types.FieldKind: text, date, money, integer


@dataclass
class Vocabulary:
    """What the names in a query's filters refer to, read from the database."""

    types: list[Named] = field(default_factory=list)
    tags: list[Named] = field(default_factory=list)
    offices: list[Named] = field(default_factory=list)
    users: list[Named] = field(default_factory=list)
    fields: dict[str, FieldInfo] = field(default_factory=dict)  # by key, casefolded
    viewer_id: int | None = None  # who `owner:me` (or `owner:meg`) is


def field_keys(session: Session) -> list[str]:
    """The custom field keys, for parse(): `key:value` is a field filter only for these."""
    return list(session.exec(select(CustomField.key).order_by(col(CustomField.id))).all())


def load_vocabulary(session: Session, parsed: ParsedQuery, viewer_id: int | None = None) -> Vocabulary:
    """The rows the query's filters need, and nothing more."""
    vocabulary = Vocabulary(viewer_id=viewer_id)
    wanted = parsed.filters
    if "type" in wanted:
        vocabulary.types = [_named(r.id, r.name) for r in session.exec(select(DocumentType)).all()]
    if "tag" in wanted:
        vocabulary.tags = [_named(r.id, r.name) for r in session.exec(select(Tag)).all()]
    if "office" in wanted:
        vocabulary.offices = [_named(r.id, r.name) for r in session.exec(select(Office)).all()]
    if "owner" in wanted:
        rows = session.exec(select(User.id, User.email, User.name)).all()
        vocabulary.users = [_named(i, email, email, name) for i, email, name in rows]
    if parsed.fields:
        for f in session.exec(select(CustomField)).all():
            vocabulary.fields[f.key.casefold()] = FieldInfo(f.id, f.key, f.kind)
    return vocabulary


def _named(id_: int, name: str, *labels: str) -> Named:
    return Named(id_, name, tuple(label.casefold() for label in (labels or (name,)) if label))


@dataclass
class FilterSQL:
    """The filters of a query as SQL over `document d`. `where` is ANDed to the rest
    ("" = no condition); its bind parameters go in `params`, named `filter_…` so they
    cannot clash with the search's own. `errors` says which values named nothing (they
    match no document); `unapplied` lists the keys of the query that were left out
    (without a vocabulary, those that need one)."""

    where: str = ""
    params: dict = field(default_factory=dict)
    unapplied: list[str] = field(default_factory=list)
    errors: list[QueryError] = field(default_factory=list)


class _Compiler:
    def __init__(self, dialect: str, vocabulary: Vocabulary | None):
        self.dialect = dialect
        self.vocabulary = vocabulary
        self.out = FilterSQL()
        self.conditions: list[str] = []

    def bind(self, value) -> str:
        name = f"filter_{len(self.out.params)}"
        self.out.params[name] = value
        return f":{name}"

    def binds(self, values: Iterable) -> str:
        return ", ".join(self.bind(v) for v in values)

    def error(self, code: str, fragment: str) -> None:
        if QueryError(code, fragment) not in self.out.errors:
            self.out.errors.append(QueryError(code, fragment))

    def lower(self, expression: str) -> str:
        return f"lower({expression})" if self.dialect == "postgresql" else f"{SQLITE_LOWER}({expression})"

    # --- type:, tag:, office:, owner: ---

    def resolve(self, key: str, value: str, candidates: list[Named], quiet: bool = False) -> list[int]:
        """Ids the value names: exact labels first, else the single label it begins.
        `quiet` reports nothing (whether a person exists is not the searcher's business)."""
        folded = value.casefold()
        exact = [c.id for c in candidates if folded in c.labels]
        if exact:
            return exact
        prefixed = [c for c in candidates if any(label.startswith(folded) for label in c.labels)]
        if len(prefixed) == 1:
            return [prefixed[0].id]
        if not quiet:
            if prefixed:
                names = ", ".join(sorted(c.name for c in prefixed)[:5])
                self.error("ambiguous_value", f"{key}:{value} ({names})")
            else:
                self.error("unknown_value", f"{key}:{value}")
        return []

    def named_filter(self, key: str, groups: list[list[str]]) -> None:
        v = self.vocabulary
        for group in groups:
            ids: list[int] = []
            for value in group:
                if key == "owner" and value.casefold() in ME:
                    found = [v.viewer_id] if v.viewer_id is not None else []
                else:
                    candidates = {"type": v.types, "tag": v.tags, "office": v.offices, "owner": v.users}
                    found = self.resolve(key, value, candidates[key], quiet=key == "owner")
                ids += [i for i in found if i not in ids]
            if not ids:
                self.conditions.append("1 = 0")
            elif key == "type":
                self.conditions.append(f"d.document_type_id IN ({self.binds(ids)})")
            elif key == "tag" and self.dialect == "postgresql":  # in the search table's index
                self.conditions.append(f"d.tag_ids && ARRAY[{self.binds(ids)}]::integer[]")
            elif key == "tag":
                self.conditions.append(
                    "EXISTS (SELECT 1 FROM document_tag dt WHERE dt.document_id = d.id "  # noqa: S608
                    f"AND dt.tag_id IN ({self.binds(ids)}))"
                )
            elif key == "office":  # the documents that belong to it (their office_id)
                self.conditions.append(f"d.office_id IN ({self.binds(ids)})")
            else:
                self.conditions.append(f"d.owner_id IN ({self.binds(ids)})")

    # --- added:, created: ---

    def timestamp(self, day: date):
        """Midnight in Oslo of `day`, as the database compares `created_at`."""
        moment = datetime.combine(day, time(), LOCAL_ZONE).astimezone(UTC)
        return moment if self.dialect == "postgresql" else moment.strftime(_SQLITE_TIMESTAMP)

    def day(self, day: date):
        return day if self.dialect == "postgresql" else day.isoformat()

    def day_range(self, column: str, span: DateRange) -> str:
        bounds = []
        if span.start is not None:
            bounds.append(f"{column} >= {self.bind(span.start)}")
        if span.end is not None:
            bounds.append(f"{column} < {self.bind(span.end)}")
        return " AND ".join(bounds)

    def date_range(self, key: str, span: DateRange) -> None:
        if span.is_empty:
            self.conditions.append("1 = 0")  # the parser has said so already
            return
        if span.start is None and span.end is None:
            return
        if self.dialect == "postgresql":
            # The search table's days in Oslo: the upload day, and its own date else that.
            self.conditions.append(self.day_range("d.added_day" if key == "added" else "d.day", span))
            return
        upload = []
        if span.start is not None:
            upload.append(f"d.created_at >= {self.bind(self.timestamp(span.start))}")
        if span.end is not None:
            upload.append(f"d.created_at < {self.bind(self.timestamp(span.end))}")
        if key == "added":
            self.conditions.append(" AND ".join(upload))
            return
        # created: the document's own date, or the day it came when it has none.
        own = []
        if span.start is not None:
            own.append(f"d.document_date >= {self.bind(self.day(span.start))}")
        if span.end is not None:
            own.append(f"d.document_date < {self.bind(self.day(span.end))}")
        self.conditions.append(
            f"(({' AND '.join(own)}) OR (d.document_date IS NULL AND {' AND '.join(upload)}))"
        )

    # --- custom fields ---

    def custom_field(self, key: str, groups: list[list[str]]) -> None:
        info = self.vocabulary.fields.get(key.casefold())
        if info is None:  # declared to parse() but gone from the table
            self.out.unapplied.append(key)
            return
        for group in groups:
            matches = [m for value in group if (m := self.field_match(info, key, value))]
            if not matches:
                self.conditions.append("1 = 0")
                continue
            self.conditions.append(
                "EXISTS (SELECT 1 FROM document_field df WHERE df.document_id = d.id "  # noqa: S608
                f"AND df.field_id = {self.bind(info.id)} AND ({' OR '.join(matches)}))"
            )

    def field_match(self, info: FieldInfo, key: str, value: str) -> str | None:
        """SQL for one value of a field over `df.value`, or None if it cannot match."""
        if info.kind == "date":  # stored as yyyy-mm-dd: a day, month, year or range
            try:
                span = parse_date_range(value)
            except ValueError:
                self.error("bad_date", f"{key}:{value}")
                return None
            parts = []
            if span.start is not None:
                parts.append(f"df.value >= {self.bind(span.start.isoformat())}")
            if span.end is not None:
                parts.append(f"df.value < {self.bind(span.end.isoformat())}")
            return "(" + " AND ".join(parts) + ")" if not span.is_empty else None
        if info.kind in ("money", "integer"):  # stored as a plain number
            number = normalise_number(value, cents=info.kind == "money")
            if number is None:
                self.error("bad_number", f"{key}:{value}")
                return None
            return f"df.value = {self.bind(number)}"
        # Text: the value anywhere in it, any case. PostgreSQL: LIKE, which its trigram
        # index answers (migration 0008); SQLite: instr, with no wildcards to escape.
        if self.dialect == "postgresql":
            escaped = value.lower().replace(ESCAPE, ESCAPE * 2)
            escaped = escaped.replace("%", ESCAPE + "%").replace("_", ESCAPE + "_")
            return f"lower(df.value) LIKE {self.bind('%' + escaped + '%')} ESCAPE {self.bind(ESCAPE)}"
        needle = self.bind(value.lower())
        return f"instr({SQLITE_LOWER}(df.value), {needle}) > 0"


def normalise_number(value: str, cents: bool = True) -> str | None:
    """An amount as the fields store it (dokvault.ai.fields): "4 500 000 kr" -> "4500000",
    "1.234,50" -> "1234.50". None when it is not a number."""
    text = _NUMBER_NOISE.sub("", value)
    whole, sep, fraction = text.rpartition(",") if "," in text else (text, "", "")
    if not sep and re.fullmatch(r"\d+\.\d{1,2}", text):  # 1234.5: a decimal point
        whole, sep, fraction = text.partition(".")
    whole = whole.replace(".", "")
    if not whole.isdigit() or not whole.isascii() or len(whole) > 15:
        return None
    if sep and not (cents and fraction.isdigit() and fraction.isascii() and len(fraction) <= 2):
        return None
    number = str(int(whole))
    fraction = fraction.ljust(2, "0") if sep else ""
    return f"{number}.{fraction}" if fraction and fraction != "00" else number


def compile_filters(parsed: ParsedQuery, dialect: str, vocabulary: Vocabulary | None = None) -> FilterSQL:
    """type:, tag:, office:, owner:, added:, created: and custom fields, as SQL over
    `document d` for `dialect` ("postgresql" or "sqlite").

    The date ranges need nothing else; the other filters need the `vocabulary`
    (load_vocabulary) and without it are left out and listed in `unapplied`."""
    compiler = _Compiler(dialect, vocabulary)
    for key, groups in parsed.filters.items():
        if vocabulary is None:
            compiler.out.unapplied.append(key)
        else:
            compiler.named_filter(key, groups)
    for key, span in parsed.ranges.items():
        compiler.date_range(key, span)
    for key, groups in parsed.fields.items():
        if vocabulary is None:
            compiler.out.unapplied.append(key)
        else:
            compiler.custom_field(key, groups)
    compiler.out.where = " AND ".join(f"({c})" for c in compiler.conditions)
    return compiler.out
