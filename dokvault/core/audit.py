"""The audit log: every auth event, quota violation and admin action. Never a secret,
never document content: callers pass kinds, ids and short non-sensitive details."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, func, select

from dokvault import db
from dokvault.models import AuditEvent

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Client:
    """Where a request came from, as the audit log records it."""

    ip: str = ""
    user_agent: str = ""


def record(
    kind: str,
    *,
    actor_id: int | None = None,
    target_user_id: int | None = None,
    client: Client = Client(),
    session: Session | None = None,
    **detail: str | int | bool | None,
) -> None:
    event = AuditEvent(
        kind=kind[:64],
        actor_id=actor_id,
        target_user_id=target_user_id,
        ip=client.ip[:64],
        user_agent=client.user_agent[:400],
        detail=json.dumps(detail, ensure_ascii=False, default=str)[:2000] if detail else "",
    )
    if session is not None:
        session.add(event)
        session.commit()
    else:
        with db.session() as s:
            s.add(event)
            s.commit()
    log.info("audit %s actor=%s target=%s", kind, actor_id, target_user_id)


def search_events(
    *,
    user_id: int | None = None,
    kind: str = "",
    since: datetime | None = None,
    until: datetime | None = None,
    page: int = 1,
    page_size: int = 50,
) -> tuple[list[AuditEvent], int]:
    """Events newest first; `user_id` matches the actor or the target, `kind` a prefix."""
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


def kinds() -> list[str]:
    with db.session() as s:
        return list(s.exec(select(AuditEvent.kind).distinct().order_by(AuditEvent.kind)).all())
