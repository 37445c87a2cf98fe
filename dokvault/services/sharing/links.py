"""Share links: a secret URL anyone who has it may open without signing in, showing one
document (its name, its thumbnail, a download) and nothing else. Each link has an expiry,
an optional password (Argon2id, like every password here), an optional download limit,
and can be revoked. Every use is recorded for the owner (ShareAccess) and audited; refused
uses (a wrong password, an unknown, expired, revoked or used-up link) are rate-limited."""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, col, select

from dokvault import db
from dokvault.core import audit, clock, crypto, ratelimit
from dokvault.core.audit import Client
from dokvault.models import Document, ShareAccess, ShareLink, User
from dokvault.models.base import utcnow
from dokvault.services.access import Forbidden
from dokvault.services.auth import accounts
from dokvault.services.documents import library
from dokvault.services.sharing.shares import owned_document
from dokvault.settings import get_settings

log = logging.getLogger(__name__)

# Refused uses of links from one address: unknown, expired, revoked or used-up links.
REFUSED = ratelimit.Policy("share_link_refused", ip="30/15 minutes")
# Password guesses: per link (whoever guesses) and per address.
PASSWORD = ratelimit.Policy("share_link_password", link="10/15 minutes", ip="30/15 minutes")

SEAL = "share-link"  # core.crypto purpose of the sealed secret
GRANT_SECONDS = 3600  # a right password opens the document for this long (in that tab)
MIN_PASSWORD = 8
MAX_PASSWORD = 200
MAX_DOWNLOADS = 10_000
ACCESS_SHOWN = 100

OK = "ok"
NEEDS_PASSWORD = "password"  # noqa: S105  (a status, not a secret)
# What a link can be instead of usable; each has a page of its own (i18n "share.status_*").
EXPIRED, REVOKED, EXHAUSTED, UNAVAILABLE, UNKNOWN, LIMITED = (
    "expired", "revoked", "exhausted", "unavailable", "unknown", "limited")
SUCCEEDED = ("viewed", "unlocked", "downloaded")


@dataclass
class LinkView:
    """What the public page may show: the status, and for a usable link the document's
    name, size and whether it has a thumbnail; `grant` proves a right password."""

    status: str
    name: str = ""
    size: int = 0
    has_thumbnail: bool = False
    grant: str = ""
    error: str = ""  # an i18n key (a wrong password)
    retry_minutes: int = 0


@dataclass
class LinkRow:
    """A link as its owner sees it on the document page."""

    uid: str
    url: str
    created_at: str
    expires_at: str
    has_password: bool
    downloads: int
    max_downloads: int  # 0: no limit
    status: str
    created_by: str


@dataclass
class AccessRow:
    at: str
    who: str  # the signed-in person, or "" for someone who was not signed in
    ip: str
    outcome: str
    succeeded: bool
    link: str  # the first characters of the link's uid, to tell links apart


@dataclass
class NewLink:
    uid: str
    url: str


def _url(token: str) -> str:
    return f"{get_settings().frontend_url.rstrip('/')}/s/{token}"


def status_of(link: ShareLink, document: Document | None, now: datetime | None = None) -> str:
    now = now or utcnow()
    if link.revoked_at is not None:
        return REVOKED
    if document is None or document.deleted_at is not None:
        return UNAVAILABLE
    if clock.utc(link.expires_at) <= now:
        return EXPIRED
    if link.max_downloads is not None and link.downloads >= link.max_downloads:
        return EXHAUSTED
    return OK


# --- the owner ---------------------------------------------------------------------------


def create_link(actor: User, uid: str, *, days: int, password: str = "",
                max_downloads: int | None = None, client: Client = Client()) -> NewLink:
    """A new link to the document; its URL is in the answer (and can be copied again from
    the document page). Forbidden with an i18n code for a bad expiry, password or limit."""
    limit = get_settings().share_link_max_days
    if not 1 <= days <= limit:
        raise Forbidden("error.share_days")
    if password and not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise Forbidden("error.share_password_length")
    if max_downloads is not None and not 1 <= max_downloads <= MAX_DOWNLOADS:
        raise Forbidden("error.share_max_downloads")
    token = secrets.token_urlsafe(32)
    with db.session() as s:
        document = owned_document(actor, uid, s)
        if document.deleted_at is not None:
            raise Forbidden("error.share_trashed")
        link = ShareLink(document_id=document.id, created_by_id=actor.id,
                         token_hash=accounts.token_hash(token),
                         token_sealed=crypto.encrypt(token, SEAL),
                         password_hash=accounts.password_hash.hash(password) if password else None,
                         expires_at=utcnow() + timedelta(days=days), max_downloads=max_downloads)
        s.add(link)
        s.commit()
        audit.record("document.shared_link", actor_id=actor.id, client=client, session=s,
                     document_id=document.id, link=str(link.uid), days=days,
                     password=bool(password), max_downloads=max_downloads)
    log.info("share link %s made for document %s by user=%s", link.id, document.id, actor.id)
    return NewLink(str(link.uid), _url(token))


def list_links(actor: User, uid: str) -> list[LinkRow]:
    with db.session() as s:
        document = owned_document(actor, uid, s)
        rows = s.exec(select(ShareLink, User).where(ShareLink.document_id == document.id)
                      .outerjoin(User, col(User.id) == ShareLink.created_by_id)
                      .order_by(col(ShareLink.created_at).desc(), col(ShareLink.id).desc())).all()
    now = utcnow()
    return [LinkRow(str(link.uid), _url(crypto.decrypt(link.token_sealed, SEAL) or ""),
                    clock.shown(link.created_at), clock.shown(link.expires_at),
                    link.password_hash is not None, link.downloads, link.max_downloads or 0,
                    status_of(link, document, now), (maker.name or maker.email) if maker else "")
            for link, maker in rows]


def revoke_link(actor: User, uid: str, link_uid: str, client: Client = Client()) -> bool:
    """The link stops working at once. False when it was revoked already (a double click)."""
    parsed = library.parse_uid(link_uid)
    with db.session() as s:
        document = owned_document(actor, uid, s)
        link = s.exec(select(ShareLink).where(ShareLink.uid == parsed,
                                              ShareLink.document_id == document.id)).first() \
            if parsed else None
        if link is None or link.revoked_at is not None:
            return False
        link.revoked_at = utcnow()
        s.add(link)
        s.commit()
        audit.record("document.share_revoked", actor_id=actor.id, client=client, session=s,
                     document_id=document.id, share="link", link=str(link.uid))
    return True


def list_accesses(actor: User, uid: str, limit: int = ACCESS_SHOWN) -> list[AccessRow]:
    """The latest uses of the document's links, newest first, for its owner."""
    with db.session() as s:
        document = owned_document(actor, uid, s)
        rows = s.exec(select(ShareAccess, ShareLink.uid, User)
                      .join(ShareLink, col(ShareLink.id) == ShareAccess.link_id)
                      .outerjoin(User, col(User.id) == ShareAccess.user_id)
                      .where(ShareLink.document_id == document.id)
                      .order_by(col(ShareAccess.at).desc(), col(ShareAccess.id).desc())
                      .limit(limit)).all()
    return [AccessRow(clock.shown(a.at, "%Y-%m-%d %H:%M:%S"), who.email if who else "", a.ip,
                      a.outcome, a.succeeded, str(link_uid)[:8])
            for a, link_uid, who in rows]


# --- whoever has the link ----------------------------------------------------------------


def _find(s: Session, token: str) -> tuple[ShareLink | None, Document | None]:
    if not token or len(token) > 100:
        return None, None
    link = s.exec(select(ShareLink).where(ShareLink.token_hash == accounts.token_hash(token))).first()
    return (link, s.get(Document, link.document_id)) if link else (None, None)


def _record(s: Session, link: ShareLink, document: Document | None, outcome: str,
            client: Client, viewer_id: int | None) -> None:
    """One use, for the owner's list and the audit log."""
    succeeded = outcome in SUCCEEDED
    s.add(ShareAccess(link_id=link.id, user_id=viewer_id, ip=client.ip[:64],
                      user_agent=client.user_agent[:400], outcome=outcome, succeeded=succeeded))
    s.commit()
    audit.record("share_link.accessed", actor_id=viewer_id,
                 target_user_id=document.owner_id if document else None, client=client,
                 session=s, link=str(link.uid), document_id=link.document_id, outcome=outcome,
                 succeeded=succeeded)


def _refused(s: Session, link: ShareLink | None, document: Document | None, status: str,
             client: Client, viewer_id: int | None) -> LinkView:
    limited = ratelimit.hit(REFUSED, ip=client.ip)
    if link is None:
        audit.record("share_link.refused", actor_id=viewer_id, client=client, session=s,
                     reason=UNKNOWN)
    else:
        _record(s, link, document, LIMITED if limited else status, client, viewer_id)
    if limited:
        return LinkView(LIMITED, retry_minutes=max(1, round(limited.retry_after / 60)))
    return LinkView(status)


def _shown(document: Document, grant: str = "") -> LinkView:
    return LinkView(OK, name=document.name, size=document.size,
                    has_thumbnail=bool(document.thumbnail_key), grant=grant)


def open_link(token: str, client: Client = Client(), viewer_id: int | None = None) -> LinkView:
    """The public page opens: what it may show (and the view recorded)."""
    with db.session() as s:
        link, document = _find(s, token)
        status = UNKNOWN if link is None else status_of(link, document)
        if status != OK:
            return _refused(s, link, document, status, client, viewer_id)
        if link.password_hash:
            return LinkView(NEEDS_PASSWORD)
        _record(s, link, document, "viewed", client, viewer_id)
        return _shown(document)


def unlock(token: str, password: str, client: Client = Client(),
           viewer_id: int | None = None) -> LinkView:
    """A password typed on the public page: the document when it is right."""
    with db.session() as s:
        link, document = _find(s, token)
        status = UNKNOWN if link is None else status_of(link, document)
        if status != OK:
            return _refused(s, link, document, status, client, viewer_id)
        if not link.password_hash:
            return _shown(document)
        limited = ratelimit.hit(PASSWORD, link=str(link.id), ip=client.ip)
        if limited:
            _record(s, link, document, LIMITED, client, viewer_id)
            return LinkView(LIMITED, retry_minutes=max(1, round(limited.retry_after / 60)))
        if not accounts.password_hash.verify(password[:MAX_PASSWORD], link.password_hash):
            _record(s, link, document, "wrong_password", client, viewer_id)
            return LinkView(NEEDS_PASSWORD, error="share.wrong_password")
        _record(s, link, document, "unlocked", client, viewer_id)
        return _shown(document, grant(link))


def grant(link: ShareLink, now: float | None = None) -> str:
    """Proof that this tab gave the link's right password, good for GRANT_SECONDS."""
    until = int((now or time.time()) + GRANT_SECONDS)
    return f"{until}.{_grant_mac(link, until)}"


def _grant_mac(link: ShareLink, until: int) -> str:
    key = hmac.new(get_settings().signing_key(), b"dokvault:share-grant", hashlib.sha256).digest()
    message = f"{link.id}:{link.password_hash}:{until}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def _granted(link: ShareLink, given: str) -> bool:
    if not link.password_hash:
        return True
    until, _, mac = (given or "").partition(".")
    if not until.isdigit() or int(until) < time.time():
        return False
    return hmac.compare_digest(mac, _grant_mac(link, int(until)))


def claim_download(token: str, given_grant: str, client: Client = Client(),
                   viewer_id: int | None = None) -> Document | str:
    """The document to send, its download counted; or why not (a status)."""
    with db.session() as s:
        link, document = _find(s, token)
        status = UNKNOWN if link is None else status_of(link, document)
        if status == OK and not _granted(link, given_grant):
            return NEEDS_PASSWORD
        if status == OK:
            # Counted in the database, so two downloads at once cannot pass a limit of one.
            counted = s.exec(update(ShareLink).where(
                col(ShareLink.id) == link.id, col(ShareLink.revoked_at).is_(None),
                col(ShareLink.expires_at) > utcnow(),
                (col(ShareLink.max_downloads).is_(None))
                | (col(ShareLink.downloads) < col(ShareLink.max_downloads)),
            ).values(downloads=col(ShareLink.downloads) + 1))
            s.commit()
            if counted.rowcount != 1:
                s.refresh(link)
                status = status_of(link, document)
                status = EXHAUSTED if status == OK else status
        if status != OK:
            return _refused(s, link, document, status, client, viewer_id).status
        _record(s, link, document, "downloaded", client, viewer_id)
        return document


def thumbnail(token: str, given_grant: str) -> Document | None:
    """The document whose thumbnail the public page shows, while the link is usable."""
    with db.session() as s:
        link, document = _find(s, token)
        if link is None or status_of(link, document) != OK or not _granted(link, given_grant):
            return None
        return document
