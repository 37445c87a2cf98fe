"""Suggestions while a query is typed: the last word of the query completed.

    ty               -> type:                   (filter and custom field keys)
    type:ta          -> type:Takst/Verdivurdering, tag:sig -> tag:Signert, office:, owner:me
    address:strand   -> address:"Strandkaien 12, 4005 Stavanger"   (values of documents one may see)
    eiendomm         -> eiendommen, eiendommene  (words of documents one may see)

Each suggestion is the whole query with its last word completed, ready to put in the
search field. Words come from a few matching documents the user may see (found through
the search index, prefix-matched in Python), so nobody learns a word from a document
they cannot open, and the cost does not grow with the library.
"""

from __future__ import annotations

import re
from collections import Counter

from sqlalchemy import text as sql
from sqlmodel import Session, col, select

from dokvault import db
from dokvault.core import norwegian
from dokvault.models import CustomField, DocumentType, Office, Tag, User
from dokvault.services.access import search_index_sql, visible_sql
from dokvault.services.search.filters import ME, SQLITE_LOWER
from dokvault.services.search.query import FILTER_KEYS, MAX_QUERY_CHARS, RANGE_KEYS
from dokvault.services.search.sqlite import register_sqlite_functions
from dokvault.services.search.terms import fts5_quote, pg_searchable, ts_lexeme

# Words are completed from this many matching documents, read this far into their text.
SAMPLE_DOCUMENTS = 30
SAMPLE_CHARS = 20_000
MIN_WORD_PREFIX = 2
MAX_PREFIX = 100


def suggest(user: User, text: str, limit: int = 8) -> list[str]:
    """Up to `limit` completions of the query `text` (its last word), best first."""
    text = text[:MAX_QUERY_CHARS] if isinstance(text, str) else ""
    if not text or text[-1].isspace() or limit <= 0:
        return []
    head, token = _split_last(text)
    if token.startswith("-") or len(token) > MAX_PREFIX:
        return []  # nothing to complete in an exclusion or a pasted blob
    with db.session() as s:
        if s.get_bind().dialect.name == "postgresql":
            s.exec(sql("SET LOCAL jit = off"))  # compiling costs more than these small queries
        keys = list(s.exec(select(CustomField.key, CustomField.id, CustomField.kind)).all())
        name, colon, value = token.partition(":")
        if colon:
            completions = _values(s, user, name.casefold(), value.lstrip('"'), keys, limit)
            completions = [f"{name}:{_quoted(v)}" for v in completions]
        else:
            completions = _keys(token, [k for k, _, _ in keys])
            if len(completions) < limit:
                completions += _words(s, user, token, limit - len(completions))
    return [head + c for c in completions if c.casefold() != token.casefold()][:limit]


def _split_last(text: str) -> tuple[str, str]:
    """The query before its last word, and that word (a quoted value counts as one)."""
    match = re.search(r'(\S+:"[^"]*|\S+)$', text)
    return text[: match.start()], match.group()


def _quoted(value: str) -> str:
    return value if value and not re.search(r'[\s"\)\]\},;]', value) else f'"{value}"'


def _keys(token: str, field_keys: list[str]) -> list[str]:
    folded = token.casefold()
    keys = [*FILTER_KEYS, *RANGE_KEYS, *field_keys]
    return [f"{k}:" for k in keys if k.casefold().startswith(folded)]


def _values(s: Session, user: User, key: str, prefix: str, fields, limit: int) -> list[str]:
    folded = prefix.casefold()
    if key in ("type", "tag", "office"):
        model = {"type": DocumentType, "tag": Tag, "office": Office}[key]
        names = s.exec(select(model.name).order_by(col(model.name))).all()
        starts = [n for n in names if n.casefold().startswith(folded)]
        # "verdi" finds Takst/Verdivurdering: a later word of the name may begin it too.
        inside = [n for n in names if n not in starts
                  and any(w.startswith(folded) for w in re.split(r"[\W_]+", n.casefold()))]
        return (starts + inside)[:limit]
    if key == "owner":  # who owns what is not for a search box to list
        return [me for me in ME if me.startswith(folded)][:1]
    field = next(((i, kind) for k, i, kind in fields if k.casefold() == key), None)
    if field is None or field[1] != "text":
        return []
    return _field_values(s, user, field[0], prefix, limit)


def _field_values(s: Session, user: User, field_id: int, prefix: str, limit: int) -> list[str]:
    """Values of a text field that start with `prefix` (any case), on documents the user
    may see. The ranges let the (field_id, value) index find the usual spellings (as typed,
    lower, Capitalised, UPPER) without reading every value; the LIKE decides."""
    where, params = visible_sql(user)
    postgres = s.get_bind().dialect.name == "postgresql"
    if not postgres:
        register_sqlite_functions(s)
    lower = "lower" if postgres else SQLITE_LOWER
    pattern = prefix.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    spellings = list(dict.fromkeys((prefix, prefix.lower(), prefix.capitalize(), prefix.upper())))
    ranges = " OR ".join(f"(df.value >= :from{i} AND df.value < :to{i})" for i in range(len(spellings)))
    bounds = {}
    for i, spelling in enumerate(spellings):
        bounds[f"from{i}"] = spelling
        bounds[f"to{i}"] = spelling[:-1] + chr(ord(spelling[-1]) + 1) if spelling else "\uffff"
    rows = s.exec(
        sql(
            "SELECT df.value, count(*) AS n FROM document_field df "  # noqa: S608
            "JOIN document d ON d.id = df.document_id "
            f"WHERE df.field_id = :field AND ({ranges}) AND {lower}(df.value) LIKE :pattern ESCAPE '\\' "
            f"AND {where} GROUP BY df.value ORDER BY n DESC, df.value LIMIT :limit"
        ).bindparams(**params, **bounds, field=field_id, pattern=pattern, limit=limit)
    ).all()
    return [value for value, _ in rows]


def _words(s: Session, user: User, prefix: str, limit: int) -> list[str]:
    """Words starting with `prefix` in documents the user may see, the most common first."""
    words = norwegian.words(prefix)
    if len(words) != 1 or words[0] != prefix or len(prefix) < MIN_WORD_PREFIX:
        return []  # only a plain word is completed
    where, params = visible_sql(user)
    lowered = prefix.lower()
    if s.get_bind().dialect.name == "postgresql":
        # Our terms are the stems of the words; the typed prefix or its stem begins them.
        term = norwegian.term(lowered)
        tq = " | ".join(dict.fromkeys(ts_lexeme(t, True) for t in (lowered, term)))
        # As in search: through the GIN index, never by reading every tsvector; `readers`
        # lets the index itself pass over what the user may not see.
        s.exec(sql("SET LOCAL enable_seqscan = off"))
        if (scope := search_index_sql(user)) is not None:
            where += f" AND {scope[0]}"
            params = {**params, **scope[1]}
        rows = s.exec(
            sql(
                "WITH hits AS MATERIALIZED (SELECT d.id FROM document_search d "  # noqa: S608
                f"WHERE {pg_searchable('d')} @@ to_tsquery('simple', :tq) AND {where} LIMIT :n) "
                "SELECT dd.name, left(t.text, :chars) FROM hits JOIN document dd ON dd.id = hits.id "
                "JOIN document_text t ON t.document_id = hits.id"
            ).bindparams(**params, tq=tq, chars=SAMPLE_CHARS, n=SAMPLE_DOCUMENTS)
        ).all()
    else:
        rows = s.exec(
            sql(
                "SELECT d.name, substr(t.text, 1, :chars) FROM document_fts f "  # noqa: S608
                "JOIN document d ON d.id = f.rowid JOIN document_text t ON t.document_id = d.id "
                f"WHERE document_fts MATCH :q AND {where} LIMIT :n"
            ).bindparams(**params, q="{name body} : " + fts5_quote(lowered) + "*",
                         chars=SAMPLE_CHARS, n=SAMPLE_DOCUMENTS)
        ).all()
    pattern = re.compile(r"(?<![^\W_])" + re.escape(prefix) + r"[^\W_]*", re.IGNORECASE)
    documents: Counter[str] = Counter()  # in how many documents, by the word casefolded
    forms: Counter[str] = Counter()  # how each form is written
    for name, body in rows:
        found = pattern.findall(f"{name}\n{body or ''}")
        forms.update(found)
        documents.update({w.casefold() for w in found})
    best_form: dict[str, str] = {}
    for form, _ in forms.most_common():
        best_form.setdefault(form.casefold(), form)
    ranked = sorted(documents, key=lambda w: (-documents[w], len(w), w))
    typed = prefix.casefold()
    return [best_form[w] for w in ranked if w != typed][:limit]

