"""The templates hub: the firm's HTML letters, checklists and standard texts, stored
sanitised (sanitize.py), grouped by category and office, searchable, with every save kept
as a version that can be viewed and brought back.

Everyone signed in reads every template. Admins edit all of them; an office manager edits
their own office's (not the organisation-wide ones, nor another office's)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import delete
from sqlmodel import Session, col, select

from dokvault import db
from dokvault.core import audit, clock, ratelimit
from dokvault.core.audit import Client
from dokvault.models import Office, Role, Template, TemplateVersion, User
from dokvault.models.base import utcnow
from dokvault.services.access import Forbidden
from dokvault.services.documents import library
from dokvault.services.templates.sanitize import TooLarge, plain_text, sanitize

log = logging.getLogger(__name__)

MAX_TITLE = 200
MAX_CATEGORY = 100
MAX_LISTED = 500
# POST /api/sanitize is open to anyone (as in Dokumenthub): a sanitiser is cheap, but not free.
PUBLIC_SANITIZE = ratelimit.Policy("sanitize", ip="60/minute")


@dataclass
class TemplateRow:
    uid: str
    title: str
    category: str
    office: str  # "" for the whole organisation's
    version: int
    updated_at: str
    can_edit: bool


@dataclass
class VersionRow:
    version: int
    saved_at: str
    saved_by: str
    restored_from: int  # 0: an edit, not a restore
    title: str


@dataclass
class TemplateDetail:
    uid: str
    title: str
    category: str
    office_id: int | None
    office: str
    html: str
    version: int
    updated_at: str
    can_edit: bool
    versions: list[VersionRow]


@dataclass
class TemplateSource:
    """What an import keeps of a template it saves again."""

    uid: str
    title: str
    category: str
    office_id: int | None


@dataclass
class Saved:
    uid: str
    version: int
    changed: bool  # False: the same as the current version (a double click), nothing saved
    cleaned: bool  # True: the sanitiser took something out of what was sent


def may_edit(user: User, office_id: int | None) -> bool:
    """Admins edit every template; an office manager their office's."""
    if not user.is_active:
        return False
    if user.role == Role.ADMIN:
        return True
    return (user.role == Role.OFFICE_MANAGER and office_id is not None
            and office_id == user.office_id)


def may_create(user: User) -> bool:
    return user.role == Role.ADMIN or (user.role == Role.OFFICE_MANAGER
                                       and user.office_id is not None)


def _office_names(s: Session) -> dict[int, str]:
    return dict(s.exec(select(Office.id, Office.name)).all())


def list_templates(user: User, query: str = "", category: str = "",
                   office: str = "") -> list[TemplateRow]:
    """Templates matching the words of `query` (title, category, text), of one category,
    of one office (its id, or "org" for the organisation-wide ones); by category and title."""
    statement = select(Template)
    for word in query.casefold().split()[:10]:
        statement = statement.where(col(Template.text).contains(word, autoescape=True))
    if category:
        statement = statement.where(Template.category == category)
    if office == "org":
        statement = statement.where(col(Template.office_id).is_(None))
    elif office.isdigit():
        statement = statement.where(Template.office_id == int(office))
    with db.session() as s:
        rows = s.exec(statement.order_by(col(Template.category), col(Template.title))
                      .limit(MAX_LISTED)).all()
        names = _office_names(s)
    return [TemplateRow(str(t.uid), t.title, t.category, names.get(t.office_id or 0, ""),
                        t.version, clock.shown(t.updated_at), may_edit(user, t.office_id))
            for t in rows]


def categories() -> list[str]:
    with db.session() as s:
        return [c for c in s.exec(select(Template.category).distinct()
                                  .order_by(col(Template.category))).all() if c]


def _find(s: Session, uid: str) -> Template | None:
    parsed = library.parse_uid(uid)
    return s.exec(select(Template).where(Template.uid == parsed)).first() if parsed else None


def get_template(user: User, uid: str) -> TemplateDetail | None:
    with db.session() as s:
        template = _find(s, uid)
        if template is None:
            return None
        names = _office_names(s)
        versions = s.exec(select(TemplateVersion, User)
                          .outerjoin(User, col(User.id) == TemplateVersion.saved_by_id)
                          .where(TemplateVersion.template_id == template.id)
                          .order_by(col(TemplateVersion.version).desc())).all()
    return TemplateDetail(
        str(template.uid), template.title, template.category, template.office_id,
        names.get(template.office_id or 0, ""), template.html, template.version,
        clock.shown(template.updated_at), may_edit(user, template.office_id),
        [VersionRow(v.version, clock.shown(v.saved_at), (who.name or who.email) if who else "",
                    v.restored_from or 0, v.title) for v, who in versions])


def imported_from(source: str, office_id: int | None) -> TemplateSource | None:
    """The template imported from the share's file `source` into this office (None: the
    organisation's), if there is one."""
    office = col(Template.office_id).is_(None) if office_id is None else Template.office_id == office_id
    with db.session() as s:
        template = s.exec(select(Template).where(Template.source == source, office)
                          .order_by(col(Template.id))).first()
    if template is None:
        return None
    return TemplateSource(str(template.uid), template.title, template.category, template.office_id)


def version_html(uid: str, version: int | None = None) -> str | None:
    """The sanitised HTML of a template (its current version, or `version`), for the preview."""
    with db.session() as s:
        template = _find(s, uid)
        if template is None:
            return None
        if version is None or version == template.version:
            return template.html
        row = s.exec(select(TemplateVersion).where(TemplateVersion.template_id == template.id,
                                                   TemplateVersion.version == version)).first()
        return row.html if row else None


def _checked(title: str, category: str, html: str) -> tuple[str, str, str]:
    title = " ".join(title.split())[:MAX_TITLE]
    category = " ".join(category.split())[:MAX_CATEGORY]
    if not title:
        raise Forbidden("error.template_title_missing")
    try:
        clean = sanitize(html)
    except TooLarge as exc:
        raise Forbidden("error.template_too_large") from exc
    return title, category, clean


def save_template(actor: User, uid: str | None, *, title: str, category: str,
                  office_id: int | None, html: str, client: Client = Client(),
                  source: str | None = None) -> Saved:
    """Create a template (uid None) or save a new version of one. The HTML is sanitised
    first; a save that changes nothing keeps the current version. `source`: the network
    share's file a new template is imported from (imports.py)."""
    title, category, clean = _checked(title, category, html)
    cleaned = clean != html
    if not may_edit(actor, office_id) or (uid is None and not may_create(actor)):
        audit.record("template.refused", actor_id=actor.id, client=client, office_id=office_id)
        raise Forbidden()
    with db.session() as s:
        if office_id is not None and s.get(Office, office_id) is None:
            raise Forbidden("error.unknown_office")
        template = _find(s, uid) if uid else None
        if uid and template is None:
            raise Forbidden("error.template_not_found")
        if template is not None and not may_edit(actor, template.office_id):
            audit.record("template.refused", actor_id=actor.id, client=client,
                         template=str(template.uid))
            raise Forbidden()
        if template is not None and (template.title, template.category, template.office_id,
                                     template.html) == (title, category, office_id, clean):
            return Saved(str(template.uid), template.version, False, cleaned)
        template = _write(s, actor, template, title, category, office_id, clean, source=source)
        audit.record("template.saved" if template.version > 1 else "template.created",
                     actor_id=actor.id, client=client, session=s, template=str(template.uid),
                     version=template.version, title=title, sanitised=cleaned,
                     **({"source": source[:300]} if source else {}))
    if cleaned:
        log.info("template %s version %s: the sanitiser removed unsafe HTML", template.id,
                 template.version)
    return Saved(str(template.uid), template.version, True, cleaned)


def _write(s: Session, actor: User, template: Template | None, title: str, category: str,
           office_id: int | None, clean: str, restored_from: int | None = None,
           source: str | None = None) -> Template:
    now = utcnow()
    if template is None:
        template = Template(title=title, created_by_id=actor.id, version=0, created_at=now,
                            source=source)
    template.version += 1
    template.title, template.category, template.office_id = title, category, office_id
    template.html, template.text = clean, " ".join([title, category, plain_text(clean)]).casefold()
    template.updated_by_id, template.updated_at = actor.id, now
    s.add(template)
    s.flush()
    s.add(TemplateVersion(template_id=template.id, version=template.version, title=title,
                          category=category, office_id=office_id, html=clean,
                          saved_by_id=actor.id, saved_at=now, restored_from=restored_from))
    s.commit()
    return template


def restore_version(actor: User, uid: str, version: int, client: Client = Client()) -> Saved:
    """Bring an older version back as a new version (the history keeps everything)."""
    with db.session() as s:
        template = _find(s, uid)
        if template is None:
            raise Forbidden("error.template_not_found")
        old = s.exec(select(TemplateVersion).where(TemplateVersion.template_id == template.id,
                                                   TemplateVersion.version == version)).first()
        if old is None:
            raise Forbidden("error.template_version_missing")
        if not may_edit(actor, template.office_id) or not may_edit(actor, old.office_id):
            audit.record("template.refused", actor_id=actor.id, client=client,
                         template=str(template.uid))
            raise Forbidden()
        if (template.title, template.category, template.office_id, template.html) == \
                (old.title, old.category, old.office_id, old.html):
            return Saved(str(template.uid), template.version, False, False)  # already so
        template = _write(s, actor, template, old.title, old.category, old.office_id,
                          sanitize(old.html), restored_from=version)
        audit.record("template.restored", actor_id=actor.id, client=client, session=s,
                     template=str(template.uid), version=template.version, restored_from=version)
    return Saved(str(template.uid), template.version, True, False)


def delete_template(actor: User, uid: str, client: Client = Client()) -> bool:
    """Remove a template and its versions. False when it was gone already."""
    with db.session() as s:
        template = _find(s, uid)
        if template is None:
            return False
        if not may_edit(actor, template.office_id):
            audit.record("template.refused", actor_id=actor.id, client=client,
                         template=str(template.uid))
            raise Forbidden()
        s.exec(delete(TemplateVersion).where(col(TemplateVersion.template_id) == template.id))
        s.exec(delete(Template).where(col(Template.id) == template.id))
        s.commit()
        audit.record("template.deleted", actor_id=actor.id, client=client, session=s,
                     template=uid, title=template.title)
    return True


def sanitize_public(html: str, ip: str) -> str | ratelimit.Limited:
    """POST /api/sanitize: the HTML as the hub would store it. Raises TooLarge."""
    limited = ratelimit.hit(PUBLIC_SANITIZE, ip=ip or "unknown")
    if limited:
        return limited
    return sanitize(html)
