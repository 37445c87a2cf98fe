"""Every notification goes through here: `notify(...)` writes the in-app entry of each
recipient and, where that person chose so (security alerts: always), queues its mail.
The events have their own small functions, so their callers say what happened, not how
it is told. Nothing here calls a service above it: documents, admin and org call in.

Kinds (each person chooses per kind: in the app only, or by mail too):
    processing_failed   a document one uploaded could not be read
    document_shared     a document shared with one, or with one's office
    review_waiting      suggestions waiting for review for more than a day (daily digest)
    sync_failed         a sync (Vitec, Teams) finished with errors (to admins)
    security_alert      something unusual with one's account (always mailed)
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import timedelta

from sqlmodel import col, func, select

from dokvault import db
from dokvault.core import jobs
from dokvault.models import (
    Classification,
    Document,
    Notification,
    NotificationSettings,
    Office,
    Role,
    SyncRun,
    User,
)
from dokvault.models.base import utcnow
from dokvault.services.access import changeable_by

log = logging.getLogger(__name__)

PROCESSING_FAILED = "processing_failed"
DOCUMENT_SHARED = "document_shared"
REVIEW_WAITING = "review_waiting"
SYNC_FAILED = "sync_failed"
SECURITY_ALERT = "security_alert"
KINDS = (PROCESSING_FAILED, DOCUMENT_SHARED, REVIEW_WAITING, SYNC_FAILED, SECURITY_ALERT)
ALWAYS_MAILED = frozenset({SECURITY_ALERT})
MAILED_BY_DEFAULT = frozenset({DOCUMENT_SHARED, REVIEW_WAITING, SYNC_FAILED, SECURITY_ALERT})
REVIEW_AFTER = timedelta(days=1)
MAX_VALUE = 200


def mailed_kinds(settings: NotificationSettings | None) -> set[str]:
    chosen = MAILED_BY_DEFAULT if settings is None or settings.mailed is None else set(settings.mailed)
    return {k for k in KINDS if k in chosen} | ALWAYS_MAILED


def notify(user_ids: Iterable[int], kind: str, values: dict | None = None, link: str = "",
           *, mail_job: bool = True) -> list[int]:
    """One in-app entry per (active, distinct) recipient; a mail for those who want one.
    Returns the entries' ids. `mail_job=False`: the caller sends its own mail (security
    alerts keep theirs, rendered with the reset advice)."""
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    values = {k: (str(v)[:MAX_VALUE] if not isinstance(v, int) else v) for k, v in (values or {}).items()}
    wanted = list(dict.fromkeys(int(u) for u in user_ids))
    if not wanted:
        return []
    with db.session() as s:
        active = set(s.exec(select(User.id).where(col(User.id).in_(wanted),
                                                  col(User.is_active).is_(True))).all())
        settings = {n.user_id: n for n in s.exec(select(NotificationSettings).where(
            col(NotificationSettings.user_id).in_(wanted))).all()}
        rows = [Notification(user_id=u, kind=kind, values=values, link=link[:300])
                for u in wanted if u in active]
        s.add_all(rows)
        s.commit()
        made = [(r.id, r.user_id) for r in rows]
    mailed = [nid for nid, uid in made if kind in mailed_kinds(settings.get(uid))]
    if mail_job:
        for notification_id in mailed:
            jobs.send("mail_notification", notification_id)
    log.info("notify %s to %s users (%s by mail)", kind, len(made), len(mailed) if mail_job else 0)
    return [nid for nid, _ in made]


def _name(user: User | None) -> str:
    return (user.name or user.email) if user else ""


def processing_failed(document: Document) -> list[int]:
    """To the uploader: their document could not be read."""
    return notify([document.owner_id], PROCESSING_FAILED, {"document": document.name},
                  f"/documents/{document.uid}")


def share_received(document: Document, by: User, *, user_id: int | None = None,
                   office_id: int | None = None) -> list[int]:
    """A document was shared by `by`: with one person (`user_id`) or with everyone of an
    office (`office_id`: a share row, or the owner's office switch). Every share in DokVault
    is announced here, and only here. Told: the new readers, never the one who shared it
    nor the document's owner, and not who has this document's share unread already (a
    person shared with and their office at once hear of it once). A share link is no
    notification: whoever has the link is nobody DokVault knows."""
    people = office_members(office_id) if office_id is not None else [user_id] if user_id else []
    link = f"/documents/{document.uid}"
    with db.session() as s:
        office = s.get(Office, office_id) if office_id is not None else None
        office_name = office.name if office is not None else ""
        told = set(s.exec(select(Notification.user_id).where(
            Notification.kind == DOCUMENT_SHARED, Notification.link == link,
            col(Notification.read_at).is_(None), col(Notification.user_id).in_(people))).all())
    recipients = [p for p in people if p not in (by.id, document.owner_id) and p not in told]
    return notify(recipients, DOCUMENT_SHARED,
                  {"document": document.name, "by": _name(by), "office": office_name}, link)


def office_members(office_id: int) -> list[int]:
    with db.session() as s:
        return list(s.exec(select(User.id).where(User.office_id == office_id,
                                                 col(User.is_active).is_(True))).all())


def admins() -> list[int]:
    with db.session() as s:
        return list(s.exec(select(User.id).where(User.role == Role.ADMIN,
                                                 col(User.is_active).is_(True))).all())


def sync_failed(run: SyncRun) -> list[int]:
    """To the admins, when a sync finished with errors (or failed)."""
    if not run.errors and run.status != "failed":
        return []
    return notify(admins(), SYNC_FAILED, {"system": run.kind, "errors": max(len(run.errors or []), 1),
                                          "run": run.id}, "/admin/integrations")


def security_alert(user_id: int, reason: str, ip: str = "", lang: str = "nb") -> list[int]:
    """Always mailed (the mail with its advice goes by the `email` queue), and in the app."""
    made = notify([user_id], SECURITY_ALERT, {"reason": reason}, "/account/sessions", mail_job=False)
    jobs.send("send_notification", "security_alert", user_id, lang, reason, ip)
    return made


def review_digest() -> int:
    """Once a day: to each person with suggestions they may confirm that have waited for
    more than a day, one entry saying how many. Not twice within a day."""
    now = utcnow()
    sent = 0
    with db.session() as s:
        people = s.exec(select(User).where(col(User.is_active).is_(True))).all()
        told = set(s.exec(select(Notification.user_id).where(
            Notification.kind == REVIEW_WAITING,
            col(Notification.created_at) > now - timedelta(hours=20))).all())
        for person in people:
            if person.id in told:
                continue
            waiting = s.exec(select(func.count()).select_from(Classification)
                             .join(Document, col(Document.id) == col(Classification.document_id))
                             .where(col(Classification.reviewed_at).is_(None),
                                    col(Classification.created_at) < now - REVIEW_AFTER,
                                    col(Document.deleted_at).is_(None),
                                    changeable_by(person))).one()
            if waiting:
                notify([person.id], REVIEW_WAITING, {"count": int(waiting)}, "/review")
                sent += 1
    return sent
