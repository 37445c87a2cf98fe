"""A person's notifications: the list and its unread count, marking them read, their
settings (which kinds also come by mail, and the mails' language), and the mail of one
entry (the `email` worker sends it)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import update
from sqlmodel import col, func, select

from dokvault import db
from dokvault.core import clock
from dokvault.i18n import LANGUAGES, translate
from dokvault.integrations import mail
from dokvault.integrations.mail import MailMessage
from dokvault.models import Notification, NotificationSettings, User
from dokvault.models.base import utcnow
from dokvault.services.notify import events, rendering
from dokvault.settings import get_settings

log = logging.getLogger(__name__)
PAGE = 50


def text_keys(kind: str, values: dict) -> tuple[str, str]:
    """The catalogue keys of an entry's title and body."""
    variant = f"{kind}_office" if kind == events.DOCUMENT_SHARED and values.get("office") else kind
    return f"notify.{variant}.title", f"notify.{variant}.body"


def words(lang: str, kind: str, values: dict) -> tuple[str, str]:
    """(title, body) of an entry in `lang`."""
    shown = dict(values)
    if "system" in shown:
        shown["system"] = translate(lang, f"notify.system.{shown['system']}")
    title, body = text_keys(kind, shown)
    try:
        return translate(lang, title, **shown), translate(lang, body, **shown)
    except (KeyError, IndexError, ValueError):  # an entry written before its text changed
        return translate(lang, title), ""


@dataclass
class Entry:
    id: int
    kind: str
    titles: dict[str, str]  # by language, so switching language needs no reload
    link: str
    when: str
    unread: bool


def unread_count(user_id: int) -> int:
    with db.session() as s:
        return int(s.exec(select(func.count()).select_from(Notification).where(
            Notification.user_id == user_id, col(Notification.read_at).is_(None))).one())


def recent(user_id: int, limit: int = PAGE, unread_only: bool = False) -> list[Entry]:
    query = select(Notification).where(Notification.user_id == user_id)
    if unread_only:
        query = query.where(col(Notification.read_at).is_(None))
    with db.session() as s:
        rows = s.exec(query.order_by(col(Notification.id).desc()).limit(limit)).all()
    return [Entry(n.id, n.kind, {lang: words(lang, n.kind, n.values)[0] for lang in LANGUAGES},
                  n.link, clock.shown(n.created_at), n.read_at is None) for n in rows]


def mark_read(user_id: int, notification_ids: list[int]) -> int:
    """Mark one's own entries read (others' are left alone); returns how many changed."""
    if not notification_ids:
        return 0
    with db.session() as s:
        changed = s.exec(update(Notification).where(
            col(Notification.id).in_(notification_ids), Notification.user_id == user_id,
            col(Notification.read_at).is_(None)).values(read_at=utcnow())).rowcount
        s.commit()
    return changed


def mark_all_read(user_id: int) -> int:
    with db.session() as s:
        changed = s.exec(update(Notification).where(
            Notification.user_id == user_id, col(Notification.read_at).is_(None))
            .values(read_at=utcnow())).rowcount
        s.commit()
    return changed


# --- settings ----------------------------------------------------------------------------


@dataclass
class Choices:
    language: str
    mailed: set[str]


def choices(user_id: int) -> Choices:
    with db.session() as s:
        row = s.get(NotificationSettings, user_id)
    return Choices(row.language if row else "nb", events.mailed_kinds(row))


def _save(user_id: int, **changes) -> None:
    with db.session() as s:
        row = s.get(NotificationSettings, user_id) or NotificationSettings(user_id=user_id)
        for key, value in changes.items():
            setattr(row, key, value)
        row.updated_at = utcnow()
        s.add(row)
        s.commit()


def set_mailed(user_id: int, kind: str, by_mail: bool) -> bool:
    """Choose whether `kind` also comes by mail; False for a kind that is always mailed."""
    if kind not in events.KINDS or kind in events.ALWAYS_MAILED:
        return False
    mailed = choices(user_id).mailed
    mailed = (mailed | {kind}) if by_mail else (mailed - {kind})
    _save(user_id, mailed=sorted(mailed - events.ALWAYS_MAILED))
    return True


def set_language(user_id: int, lang: str) -> None:
    if lang in LANGUAGES and choices(user_id).language != lang:
        _save(user_id, language=lang)


# --- the mail of an entry ----------------------------------------------------------------


def render_mail(notification: Notification, user: User, lang: str) -> MailMessage:
    base = get_settings().frontend_url.rstrip("/")
    title, body = words(lang, notification.kind, notification.values)
    paragraphs = [translate(lang, "notify.mail.greeting", name=user.name or user.email), body,
                  translate(lang, "notify.mail.signature")]
    button = rendering.Button(translate(lang, "notify.open"), base + notification.link) \
        if notification.link else None
    footer = translate(lang, "notify.mail.footer", url=f"{base}/account/notifications")
    text, html = rendering.render(lang, paragraphs, button, footer)
    return MailMessage(to=user.email, subject=title, text=text, html=html)


def mail_notification(notification_id: int) -> bool:
    """Send an entry's mail, once (the `email` actor's work; MailError is retried)."""
    with db.session() as s:
        notification = s.get(Notification, notification_id)
        user = s.get(User, notification.user_id) if notification else None
    if notification is None or user is None or not user.is_active or notification.mailed_at:
        return False
    message = render_mail(notification, user, choices(user.id).language)
    transport = mail.get_transport()
    transport.send(message)
    with db.session() as s:
        s.exec(update(Notification).where(col(Notification.id) == notification_id)
               .values(mailed_at=utcnow()))
        s.commit()
    log.info("notification %s (%s) to user=%s handed to %s", notification_id, notification.kind,
             user.id, transport.name)
    return True
