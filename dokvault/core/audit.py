"""The audit log: every auth event, quota violation, admin action and document event.
Never a secret, never document content: callers pass kinds, ids and short non-sensitive
details. An admin form records what it changed with `record_change`: the values before
and after, of the fields that changed only, with secrets masked.

Entries are never changed or deleted by the app (the database refuses it, migration
0016); the retention job removes them once exported (services/ops/audit_export.py)."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, func, select

from dokvault import db
from dokvault.models import AuditEvent

log = logging.getLogger(__name__)
MAX_VALUE = 500  # characters of one detail value (the JSON stays whole)
MAX_ITEMS = 50  # entries of one list or mapping in a detail
MASK = "••••"  # a secret's value in a recorded change


@dataclass(frozen=True)
class Client:
    """Where a request came from, as the audit log records it."""

    ip: str = ""
    user_agent: str = ""


def bounded(value: Any) -> Any:
    """A detail value cut to size, item by item: JSON types only."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, Mapping):
        return {str(k)[:64]: bounded(v) for k, v in list(value.items())[:MAX_ITEMS]}
    if isinstance(value, list | tuple | set | frozenset):
        return [bounded(v) for v in list(value)[:MAX_ITEMS]]
    return str(value)[:MAX_VALUE]


def record(
    kind: str,
    /,
    *,
    actor_id: int | None = None,
    target_user_id: int | None = None,
    client: Client = Client(),
    session: Session | None = None,
    commit: bool = True,
    **detail: Any,
) -> None:
    """One event; in `session` when given (committed with it unless `commit` is False: the
    event then belongs to the caller's transaction, and is written with it or not at all)."""
    document_id = detail.get("document_id")
    event = AuditEvent(
        kind=kind[:64],
        actor_id=actor_id,
        target_user_id=target_user_id,
        document_id=document_id if isinstance(document_id, int) and not isinstance(
            document_id, bool) else None,
        ip=client.ip[:64],
        user_agent=client.user_agent[:400],
        detail=json.dumps(bounded(detail), ensure_ascii=False, default=str) if detail else "",
    )
    if session is not None:
        session.add(event)
        if commit:
            session.commit()
    else:
        with db.session() as s:
            s.add(event)
            s.commit()
    log.info("audit %s actor=%s target=%s", kind, actor_id, target_user_id)


def changes(before: Mapping[str, Any], after: Mapping[str, Any],
            secret: Iterable[str] = ()) -> dict[str, dict[str, Any]]:
    """{"before": {...}, "after": {...}} of the fields whose values differ; a secret field
    shows MASK when it has a value and "" when not, so the entry says it changed and never
    what it is."""
    hidden = set(secret)
    names = [k for k in dict.fromkeys([*before, *after]) if before.get(k) != after.get(k)]

    def shown(name: str, value: Any) -> Any:
        if name in hidden:
            return MASK if value else ""
        return value

    return {"before": {k: shown(k, before.get(k)) for k in names},
            "after": {k: shown(k, after.get(k)) for k in names}}


def record_change(kind: str, before: Mapping[str, Any], after: Mapping[str, Any], /, *,
                  secret: Iterable[str] = (), **record_args: Any) -> bool:
    """Record what an admin form changed (see `changes`) with `record`'s arguments; nothing
    when nothing changed (False)."""
    diff = changes(before, after, secret)
    if not diff["before"] and not diff["after"]:
        return False
    record(kind, **record_args, **diff)
    return True


def search_events(
    *,
    user_id: int | None = None,
    kind: str = "",
    since: datetime | None = None,
    until: datetime | None = None,
    page: int = 1,
    page_size: int = 50,
) -> tuple[list[AuditEvent], int]:
    """Events newest first, counted: a plain search for scripts and tests (`user_id`
    matches the actor or the target, `kind` a prefix). The admin page pages by keyset
    instead (services/admin/audit_log.py)."""
    query = select(AuditEvent)
    if user_id is not None:
        query = query.where(
            (col(AuditEvent.actor_id) == user_id) | (col(AuditEvent.target_user_id) == user_id)
        )
    if kind:
        query = query.where(col(AuditEvent.kind).startswith(kind))
    if since is not None:
        query = query.where(col(AuditEvent.created_at) >= since)
    if until is not None:
        query = query.where(col(AuditEvent.created_at) < until)
    with db.session() as s:
        total = s.exec(select(func.count()).select_from(query.subquery())).one()
        rows = s.exec(
            query.order_by(col(AuditEvent.created_at).desc(), col(AuditEvent.id).desc())
            .offset(max(page - 1, 0) * page_size)
            .limit(page_size)
        ).all()
    return list(rows), total
