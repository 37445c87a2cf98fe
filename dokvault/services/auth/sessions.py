"""A user's signed-in browsers: list them, sign any of them out."""

from __future__ import annotations

import re
from contextlib import nullcontext
from dataclasses import dataclass

from sqlalchemy import update
from sqlmodel import Session, col, select

from dokvault import db
from dokvault.core import audit, clock
from dokvault.core.audit import Client
from dokvault.models import User, UserSession
from dokvault.models.base import utcnow
from dokvault.services.auth import policy

BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"),
            ("Chrome/", "Chrome"), ("Chromium/", "Chromium"), ("Safari/", "Safari"))
SYSTEMS = (("Windows", "Windows"), ("iPhone", "iPhone"), ("iPad", "iPad"),
           ("Android", "Android"), ("Mac OS X", "macOS"), ("CrOS", "ChromeOS"),
           ("Linux", "Linux"))


def describe_device(user_agent: str) -> str:
    """'Firefox on Windows' from a User-Agent header (enough to recognise one's devices)."""
    browser = next((name for marker, name in BROWSERS if marker in user_agent), "")
    system = next((name for marker, name in SYSTEMS if marker in user_agent), "")
    if re.search(r"HeadlessChrome", user_agent):
        browser = "Headless Chrome"
    return " · ".join(p for p in (browser, system) if p) or "?"


@dataclass
class SessionView:
    id: int
    device: str
    ip: str
    created_at: str
    last_seen_at: str
    current: bool


def active_sessions(user: User, current_session_id: int | None) -> list[SessionView]:
    lifetime = policy.current().session_lifetime  # a shortened policy ends older ones
    with db.session() as s:
        rows = s.exec(
            select(UserSession)
            .where(UserSession.user_id == user.id, col(UserSession.revoked_at).is_(None),
                   col(UserSession.expires_at) > utcnow(),
                   col(UserSession.created_at) > utcnow() - lifetime)
            .order_by(col(UserSession.last_seen_at).desc())
        ).all()
    return [
        SessionView(
            id=row.id,
            device=describe_device(row.user_agent),
            ip=row.ip or "?",
            created_at=clock.shown(row.created_at),
            last_seen_at=clock.shown(row.last_seen_at),
            current=row.id == current_session_id,
        )
        for row in rows
    ]


def revoke(user: User, session_id: int, client: Client = Client()) -> bool:
    """Sign out one of the user's own sessions."""
    with db.session() as s:
        row = s.get(UserSession, session_id)
        if row is None or row.user_id != user.id or row.revoked_at is not None:
            return False
        row.revoked_at = utcnow()
        s.add(row)
        s.commit()
    audit.record("auth.session.revoked", actor_id=user.id, target_user_id=user.id,
                 client=client, session_id=session_id)
    return True


def revoke_all(user_id: int, *, except_session_id: int | None = None,
               session: Session | None = None) -> int:
    """Sign out every session of a user but `except_session_id`; inside the caller's
    transaction when `session` is given (committed by the caller)."""
    with nullcontext(session) if session is not None else db.session() as s:
        # One conditional UPDATE: of two calls at once, each session is signed out once.
        count = s.exec(update(UserSession)
                       .where(col(UserSession.user_id) == user_id,
                              col(UserSession.revoked_at).is_(None),
                              col(UserSession.id) != (except_session_id or 0))
                       .values(revoked_at=utcnow())).rowcount
        if session is None:
            s.commit()
    return count


def revoke_others(user: User, current_session_id: int | None, client: Client = Client()) -> int:
    """Sign out every other session; 0 when there was none left (a double click's second):
    then nothing is recorded."""
    count = revoke_all(user.id, except_session_id=current_session_id)
    if count:
        audit.record("auth.session.revoked_others", actor_id=user.id, target_user_id=user.id,
                     client=client, count=count)
    return count
