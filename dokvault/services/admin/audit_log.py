"""The audit log as admins read it: pages of entries newest first, filtered by person,
event, document and date, fast at millions of rows; each entry told in words with the
names of the people, documents and offices it concerns, and the raw record on demand.

Paging is by keyset, never by offset: a page is the entries before a cursor (the last
entry's time and id), so the thousandth page costs what the first does. Every filter has
an index ending in (created_at, id) (models/audit.py); a filter with alternatives (a
person as actor or as target, a group of event kinds) is a UNION of one ordered, limited
index scan per alternative, merged and cut to the page. Names are looked up in bulk: one
query per table for the whole page.
"""

from __future__ import annotations

import itertools
import json
import string
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, or_, text, tuple_, union
from sqlmodel import col, select

from dokvault import db
from dokvault.core import clock
from dokvault.core.caches import before_reset
from dokvault.i18n import translate
from dokvault.models import AuditEvent, Document, Office, User
from dokvault.services.access import require_admin

PAGE_SIZE = 50
GROUPS = ("auth.", "admin.", "document.", "quota.", "audit.")  # event kinds by their prefix
KINDS_CACHE_SECONDS = 60.0
_FORMATTER = string.Formatter()
_kinds_cache: tuple[float, list[str]] | None = None


@dataclass(frozen=True)
class AuditFilter:
    user_ids: tuple[int, ...] = ()  # as actor or as target ((-1,): a person who matched none)
    kinds: tuple[str, ...] = ()  # exact kinds (a group is spelt out, see `kinds_of`)
    document_id: int | None = None
    since: datetime | None = None  # from (inclusive)
    until: datetime | None = None  # to (exclusive)


@dataclass
class EventView:
    """One entry as the page shows it."""

    id: int
    time: str
    kind: str
    # The sentence, in pieces: {"text": …, "em": bool} (a document's name is emphasised).
    parts: list[dict[str, Any]]
    changes: list[dict[str, str]] = field(default_factory=list)  # {"field", "before", "after"}
    detail: str = ""  # the other details, "key: value" apart
    ip: str = ""
    document_uid: str = ""  # a document that still exists: a link to it
    document_id: int = 0  # the document it concerns (0: none), for the document filter
    document_name: str = ""


@dataclass
class AuditPage:
    events: list[EventView]
    next_cursor: str = ""  # "" on the last page


# --- cursors ---------------------------------------------------------------------------------


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def encode_cursor(event: AuditEvent) -> str:
    return f"{_utc(event.created_at).isoformat()}|{event.id}"


def decode_cursor(cursor: str) -> tuple[datetime, int] | None:
    stamp, _, ident = str(cursor or "").partition("|")
    try:
        return datetime.fromisoformat(stamp), int(ident)
    except ValueError:
        return None


# --- the query -------------------------------------------------------------------------------


def _branches(filt: AuditFilter, cursor: tuple[datetime, int] | None, limit: int):
    """One ordered, limited select of (id, created_at) per alternative of the filter."""
    base = []
    if filt.since is not None:
        base.append(col(AuditEvent.created_at) >= filt.since)
    if filt.until is not None:
        base.append(col(AuditEvent.created_at) < filt.until)
    if cursor is not None:
        base.append(tuple_(col(AuditEvent.created_at), col(AuditEvent.id)) < tuple_(*cursor))
    if filt.document_id is not None:
        base.append(col(AuditEvent.document_id) == filt.document_id)
    people = [cond for u in filt.user_ids for cond in (col(AuditEvent.actor_id) == u,
                                                      col(AuditEvent.target_user_id) == u)]
    kinds = [col(AuditEvent.kind) == k for k in filt.kinds]
    for person, kind in itertools.product(people or [None], kinds or [None]):
        where = [*base, *(c for c in (person, kind) if c is not None)]
        yield (select(AuditEvent.id, AuditEvent.created_at).where(*where)
               .order_by(col(AuditEvent.created_at).desc(), col(AuditEvent.id).desc())
               .limit(limit))


def page_query(filt: AuditFilter, cursor: tuple[datetime, int] | None, limit: int):
    """The ids (and times) of one page: a single index scan, or a UNION of them."""
    branches = list(_branches(filt, cursor, limit))
    if len(branches) == 1:
        return branches[0]
    merged = union(*[select(sub.c.id, sub.c.created_at)
                     for sub in (b.subquery() for b in branches)]).subquery()
    return (select(merged.c.id, merged.c.created_at)
            .order_by(merged.c.created_at.desc(), merged.c.id.desc()).limit(limit))


def page(actor: User | None, filt: AuditFilter, cursor: str = "", lang: str = "nb",
         size: int = PAGE_SIZE) -> AuditPage:
    """A page of entries newest first (admins only), before `cursor` when given."""
    require_admin(actor)
    with db.session() as s:
        found = s.exec(page_query(filt, decode_cursor(cursor), size + 1)).all()
        ids = [row[0] for row in found[:size]]
        rows = {e.id: e for e in s.exec(select(AuditEvent)
                                        .where(col(AuditEvent.id).in_(ids))).all()} if ids else {}
        events = [rows[i] for i in ids if i in rows]
        names = _names(s, events)
    views = [describe(e, names, lang) for e in events]
    more = len(found) > size and events
    return AuditPage(views, encode_cursor(events[-1]) if more else "")


def raw(actor: User | None, event_id: int) -> dict[str, Any] | None:
    """Every column of one entry, the detail parsed (admins only)."""
    require_admin(actor)
    with db.session() as s:
        event = s.get(AuditEvent, event_id)
    return as_record(event) if event is not None else None


def as_record(event: AuditEvent) -> dict[str, Any]:
    """An entry as exports and the raw view carry it: times in UTC (ISO 8601)."""
    return {
        "id": event.id,
        "created_at": _utc(event.created_at).isoformat().replace("+00:00", "Z"),
        "kind": event.kind,
        "actor_id": event.actor_id,
        "target_user_id": event.target_user_id,
        "document_id": event.document_id,
        "ip": event.ip,
        "user_agent": event.user_agent,
        "detail": _detail(event),
    }


def kinds(actor: User | None) -> list[str]:
    """Every kind the log holds, by a loose index scan (one index probe per kind, not a
    scan of the log), cached a minute."""
    global _kinds_cache
    require_admin(actor)
    if _kinds_cache is not None and time.monotonic() - _kinds_cache[0] < KINDS_CACHE_SECONDS:
        return _kinds_cache[1]
    walk = text(
        "WITH RECURSIVE k(kind) AS ("
        " SELECT MIN(kind) FROM audit_event"
        " UNION ALL"
        " SELECT (SELECT MIN(e.kind) FROM audit_event e WHERE e.kind > k.kind) FROM k"
        " WHERE k.kind IS NOT NULL)"
        " SELECT kind FROM k WHERE kind IS NOT NULL")
    with db.session() as s:
        found = [row[0] for row in s.exec(walk).all()]
    _kinds_cache = (time.monotonic(), found)
    return found


@before_reset
def forget_kinds() -> None:
    global _kinds_cache
    _kinds_cache = None


def kinds_of(choice: str, known: list[str]) -> tuple[str, ...]:
    """A kind chosen in the filter: one kind, or a group ("document.") spelt out."""
    if choice in GROUPS:
        return tuple(k for k in known if k.startswith(choice)) or ("\x00none",)
    return (choice,) if choice else ()


def user_ids_matching(actor: User | None, wanted: str) -> tuple[int, ...]:
    """The people a filter names by e-mail or name (case and spacing ignored, whole words of
    the name in order); (-1,) when it names none, so the page is empty rather than full."""
    require_admin(actor)
    text_ = " ".join(str(wanted or "").split()).lower()
    if not text_:
        return ()
    with db.session() as s:
        found = s.exec(select(User.id).where(or_(
            func.lower(User.email) == text_, func.lower(User.name) == text_,
            func.lower(User.name).like(f"%{text_.replace('%', '').replace('_', '')}%")))).all()
    return tuple(found) or (-1,)


# --- in words --------------------------------------------------------------------------------


@dataclass
class Names:
    users: dict[int, str]
    documents: dict[int, tuple[str, str]]  # id -> (name, uid)
    offices: dict[int, str]


def _detail(event: AuditEvent) -> dict[str, Any]:
    try:
        parsed = json.loads(event.detail) if event.detail else {}
    except ValueError:
        return {"raw": event.detail}
    return parsed if isinstance(parsed, dict) else {"value": parsed}


def _ids(values: list[Any]) -> set[int]:
    return {v for v in values if isinstance(v, int) and not isinstance(v, bool)}


def _names(s, events: list[AuditEvent]) -> Names:
    users, documents, offices = set(), set(), set()
    for event in events:
        detail = _detail(event)
        users |= _ids([event.actor_id, event.target_user_id])
        documents |= _ids([event.document_id, detail.get("document_id"), detail.get("parent_id")])
        offices |= _ids([detail.get("office_id"), detail.get("previous_office_id"),
                         *(detail.get(side, {}).get("office_id") for side in ("before", "after")
                           if isinstance(detail.get(side), dict))])
    return Names(
        users={i: name or email for i, name, email in s.exec(
            select(User.id, User.name, User.email).where(col(User.id).in_(users))).all()}
        if users else {},
        documents={i: (name, str(uid)) for i, name, uid in s.exec(
            select(Document.id, Document.name, Document.uid)
            .where(col(Document.id).in_(documents))).all()} if documents else {},
        offices=dict(s.exec(select(Office.id, Office.name).where(col(Office.id).in_(offices)))
                     .all()) if offices else {},
    )


def _user(names: Names, user_id: int | None, lang: str, absent: str) -> str:
    if user_id is None:
        return translate(lang, absent)
    return names.users.get(user_id) or translate(lang, "audit.gone_user", id=user_id)


def _parts(template: str, values: dict[str, str]) -> list[dict[str, Any]] | None:
    """The template's text in pieces, its placeholders filled; None when one is unknown."""
    parts = []
    try:
        for literal, name, _spec, _conv in _FORMATTER.parse(template):
            if literal:
                parts.append({"text": literal, "em": False})
            if name is not None:
                if name not in values:
                    return None
                parts.append({"text": str(values[name]), "em": name == "document"})
    except ValueError:
        return None
    return parts


def describe(event: AuditEvent, names: Names, lang: str = "nb") -> EventView:
    """The entry in words; a kind without a sentence (one added later, by another part of
    DokVault) still reads sensibly: who, what kind, which document or person."""
    detail = _detail(event)
    document_id = event.document_id if event.document_id is not None else detail.get("document_id")
    document = names.documents.get(document_id) if isinstance(document_id, int) else None
    values: dict[str, str] = {k: str(v) for k, v in detail.items()
                              if isinstance(v, str | int | float | bool) and v is not None}
    values.update(
        actor=_user(names, event.actor_id, lang, "audit.nobody"),
        target=_user(names, event.target_user_id, lang, "audit.unknown_user"),
        kind=event.kind,
    )
    if isinstance(document_id, int):
        values["document"] = document[0] if document else translate(lang, "audit.gone_document",
                                                                     id=document_id)
    office_id = detail.get("office_id")
    if isinstance(office_id, int):
        values["office"] = names.offices.get(office_id) or f"#{office_id}"
    elif "office_id" in detail:
        values["office"] = translate(lang, "audit.no_office")
    parts = None
    for key in ([f"audit.event.{event.kind}.{detail['scope']}"] if "scope" in detail else []) \
            + [f"audit.event.{event.kind}"]:
        sentence = translate(lang, key)
        if sentence != key:
            parts = _parts(sentence, values)
            break
    if parts is None:
        fallback = "audit.event.unknown" + ("_document" if "document" in values else
                                            "_target" if event.target_user_id else "")
        parts = _parts(translate(lang, fallback), values) or [{"text": event.kind, "em": False}]
    return EventView(
        id=event.id, time=clock.shown(event.created_at, "%Y-%m-%d %H:%M:%S"), kind=event.kind,
        parts=parts, changes=_changes(detail, names, lang), detail=_rest(detail, names, lang),
        ip=event.ip,
        document_uid=document[1] if document else "",
        document_id=document_id if isinstance(document_id, int) else 0,
        document_name=values.get("document", ""))


def _shown_value(name: str, value: Any, names: Names, lang: str) -> str:
    if value is None or value == "":
        return "–"
    if name == "office_id" and isinstance(value, int):
        return names.offices.get(value) or f"#{value}"
    if name == "role":
        return translate(lang, f"role.{value}")
    if isinstance(value, bool):
        return translate(lang, "audit.yes" if value else "audit.no")
    return str(value)


def _changes(detail: dict[str, Any], names: Names, lang: str) -> list[dict[str, str]]:
    before, after = detail.get("before"), detail.get("after")
    if not isinstance(before, dict) or not isinstance(after, dict):
        return []
    return [{"field": _field_label(k, lang),
             "before": _shown_value(k, before.get(k), names, lang),
             "after": _shown_value(k, after.get(k), names, lang)}
            for k in dict.fromkeys([*before, *after])]


def _field_label(name: str, lang: str) -> str:
    key = f"audit.field.{name}"
    label = translate(lang, key)
    return name if label == key else label


HIDDEN = frozenset({"before", "after", "document_id"})


def _rest(detail: dict[str, Any], names: Names, lang: str) -> str:
    """The details the sentence does not tell, "key: value" apart (names for ids)."""
    return ", ".join(f"{_field_label(k, lang)}: {_shown_value(k, v, names, lang)}"
                     for k, v in detail.items()
                     if k not in HIDDEN and v is not None and v != "" and v != [] and v != {})
