"""Storage quotas per user and per office, in bytes and in documents: set by admins,
checked by the intake before a file is stored - whatever brought it (the browser, an
import, a mail's attachments, a drive, the web) - and shown on the users page and the
dashboard (`usage_of_user`, `usage_of_office`). No quota row: unlimited (the default).

What counts is what the store holds: every document a user owns (the trash included, until
it is emptied), and every document of an office (`Document.office_id`). The check runs
twice: before an object is stored (`check`, cheap, so a file over quota is never sent to
the store) and inside the transaction that inserts the row (`held`), where concurrent
uploads of one user wait for each other (PostgreSQL: the quota rows locked FOR UPDATE;
the embedded default: one lock in its one process), so together they cannot pass a limit.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from sqlalchemy import false, or_
from sqlmodel import Session, col, func, select

from dokvault import db
from dokvault.core import audit
from dokvault.core.audit import Client
from dokvault.core.filenames import UploadRefused
from dokvault.core.sizes import human_size, parse_size
from dokvault.core.validation import Checks, Invalid
from dokvault.models import Document, Office, Quota, User
from dokvault.models.base import utcnow
from dokvault.services.access import Forbidden, require_admin
from dokvault.settings import get_settings

log = logging.getLogger(__name__)
USER, OFFICE = "user", "office"
SCOPES = (USER, OFFICE)
MAX_BYTES = 1024 ** 5  # 1 PB: a limit above it is a typing error
MAX_DOCUMENTS = 1_000_000_000
_embedded_lock = threading.Lock()


@dataclass
class Usage:
    """What a user or an office stores, against its quota (None: no limit)."""

    scope: str
    subject_id: int
    name: str
    bytes_used: int = 0
    documents_used: int = 0
    max_bytes: int | None = None
    max_documents: int | None = None

    @property
    def unlimited(self) -> bool:
        return self.max_bytes is None and self.max_documents is None

    def refusal(self, add_bytes: int, add_documents: int = 1) -> str | None:
        """"bytes" or "documents" when adding this would pass a limit, else None."""
        if self.max_bytes is not None and self.bytes_used + add_bytes > self.max_bytes:
            return "bytes"
        if self.max_documents is not None and \
                self.documents_used + add_documents > self.max_documents:
            return "documents"
        return None

    @property
    def bytes_percent(self) -> int:
        return _percent(self.bytes_used, self.max_bytes)

    @property
    def documents_percent(self) -> int:
        return _percent(self.documents_used, self.max_documents)


def _percent(used: int, limit: int | None) -> int:
    if not limit:
        return 0
    return min(100, int(used * 100 / limit))


class QuotaExceeded(UploadRefused):
    """A file that would pass a quota: `error.quota_<scope>_<limit>` with the figures."""

    def __init__(self, usage: Usage, limit: str, name: str = "", size: int = 0):
        used = usage.bytes_used if limit == "bytes" else usage.documents_used
        most = usage.max_bytes if limit == "bytes" else usage.max_documents
        shown = human_size if limit == "bytes" else str
        super().__init__(f"error.quota_{usage.scope}_{limit}", name, used=shown(used),
                         limit=shown(most or 0), size=human_size(size), office=usage.name)
        self.usage, self.limit, self.size = usage, limit, size


# --- usage -----------------------------------------------------------------------------------


def _stored(s: Session, column, ids: list[int] | None = None) -> dict[int, tuple[int, int]]:
    """{id: (documents, bytes)} per owner or office, in one grouped query."""
    query = select(column, func.count(), func.coalesce(func.sum(Document.size), 0)) \
        .where(col(column).is_not(None)).group_by(column)
    if ids is not None:
        query = query.where(col(column).in_(ids))
    return {key: (int(n), int(size)) for key, n, size in s.exec(query).all()}


def _limits(s: Session, scope: str, ids: list[int] | None = None) -> dict[int, Quota]:
    column = Quota.user_id if scope == USER else Quota.office_id
    query = select(Quota).where(col(column).is_not(None))
    if ids is not None:
        query = query.where(col(column).in_(ids))
    return {getattr(q, f"{scope}_id"): q for q in s.exec(query).all()}


def _usage(scope: str, subject_id: int, name: str, stored: tuple[int, int],
           quota: Quota | None) -> Usage:
    return Usage(scope, subject_id, name, bytes_used=stored[1], documents_used=stored[0],
                 max_bytes=quota.max_bytes if quota else None,
                 max_documents=quota.max_documents if quota else None)


def usage_of_user(user_id: int, session: Session | None = None) -> Usage:
    """The user's stored documents and bytes against their quota (for the dashboard)."""
    with contextlib.nullcontext(session) if session is not None else db.session() as s:
        user = s.get(User, user_id)
        stored = _stored(s, Document.owner_id, [user_id]).get(user_id, (0, 0))
        return _usage(USER, user_id, user.name or user.email if user else "", stored,
                      _limits(s, USER, [user_id]).get(user_id))


def usage_of_office(office_id: int, session: Session | None = None) -> Usage:
    """The office's stored documents and bytes against its quota (for the dashboard)."""
    with contextlib.nullcontext(session) if session is not None else db.session() as s:
        office = s.get(Office, office_id)
        stored = _stored(s, Document.office_id, [office_id]).get(office_id, (0, 0))
        return _usage(OFFICE, office_id, office.name if office else "", stored,
                      _limits(s, OFFICE, [office_id]).get(office_id))


def usages(actor: User | None) -> tuple[list[Usage], list[Usage]]:
    """Every user's and every office's usage and quota, in a few queries (admins only)."""
    require_admin(actor)
    with db.session() as s:
        users = s.exec(select(User).order_by(col(User.email))).all()
        offices = s.exec(select(Office).order_by(col(Office.name))).all()
        by_owner, by_office = _stored(s, Document.owner_id), _stored(s, Document.office_id)
        user_limits, office_limits = _limits(s, USER), _limits(s, OFFICE)
    return ([_usage(USER, u.id, u.name or u.email, by_owner.get(u.id, (0, 0)),
                    user_limits.get(u.id)) for u in users],
            [_usage(OFFICE, o.id, o.name, by_office.get(o.id, (0, 0)), office_limits.get(o.id))
             for o in offices])


# --- checks ----------------------------------------------------------------------------------


def _applying(s: Session, owner_id: int, office_id: int | None, *, lock: bool = False,
              ) -> list[Usage]:
    """The usages whose quotas apply to a new document of this owner (none: unlimited)."""
    query = select(Quota).where(or_(col(Quota.user_id) == owner_id,
                                    col(Quota.office_id) == office_id if office_id else false()))
    if lock:
        query = query.with_for_update()
    return _usages(s, owner_id, s.exec(query).all())


def _applying_to_owner(s: Session, owner_id: int) -> list[Usage]:
    """`_applying` for the owner's office as the database has it: one query (the office read
    in it) where no quota is set, the common case."""
    office = select(User.office_id).where(col(User.id) == owner_id).scalar_subquery()
    return _usages(s, owner_id, s.exec(select(Quota).where(
        or_(col(Quota.user_id) == owner_id, col(Quota.office_id) == office))).all())


def _usages(s: Session, owner_id: int, quotas: Iterable[Quota]) -> list[Usage]:
    found = []
    for quota in quotas:
        if quota.max_bytes is None and quota.max_documents is None:
            continue
        if quota.user_id is not None:
            found.append(usage_of_user(owner_id, s))
        else:
            found.append(usage_of_office(quota.office_id, s))
    return found


def _refuse(usage: Usage, limit: str, owner_id: int, name: str, size: int, files: int = 1,
            ) -> QuotaExceeded:
    log.info("upload refused: %s quota (%s) of %s %s", usage.scope, limit, usage.scope,
             usage.subject_id)
    audit.record("quota.exceeded", target_user_id=owner_id, scope=usage.scope, limit=limit,
                 office_id=usage.subject_id if usage.scope == OFFICE else None,
                 used_bytes=usage.bytes_used, max_bytes=usage.max_bytes,
                 used_documents=usage.documents_used, max_documents=usage.max_documents,
                 size=size, files=files)
    return QuotaExceeded(usage, limit, name, size)


def check(owner_id: int, size: int, *, name: str = "") -> None:
    """Raise QuotaExceeded (audited) when storing a file of `size` bytes for this owner
    would pass their quota or their office's."""
    if _none_set():
        return
    with db.session() as s:
        usages_ = _applying_to_owner(s, owner_id)
    for usage in usages_:
        if limit := usage.refusal(size):
            raise _refuse(usage, limit, owner_id, name, size)


_NONE_SET_FOR = 5.0  # seconds "no quota is set anywhere" is believed by `check`
_none_set_until = 0.0


def _none_set() -> bool:
    """No quota is set anywhere (the common case), as read at most _NONE_SET_FOR ago: an
    import of many small files then skips a query per file before storing each. `held`
    looks every time, in the row's transaction, so a quota set meanwhile still holds."""
    global _none_set_until
    now = time.monotonic()
    if now < _none_set_until:
        return True
    with db.session() as s:
        if s.exec(select(Quota.id).where(or_(col(Quota.max_bytes).is_not(None),
                                             col(Quota.max_documents).is_not(None))).limit(1)).first():
            return False
    _none_set_until = now + _NONE_SET_FOR
    return True


def plan(owner_id: int, sizes: list[int]) -> list[QuotaExceeded | None]:
    """For the files of one upload, in order: None for each that fits with those before
    it, else why not. One audit entry for the files refused."""
    with db.session() as s:
        usages_ = _applying_to_owner(s, owner_id)
    if not usages_:
        return [None] * len(sizes)
    verdicts: list[QuotaExceeded | None] = []
    refused: tuple[Usage, str, int] | None = None
    for size in sizes:
        over = next(((u, limit) for u in usages_ if (limit := u.refusal(size))), None)
        if over is None:
            for usage in usages_:
                usage.bytes_used += size
                usage.documents_used += 1
            verdicts.append(None)
        else:
            verdicts.append(QuotaExceeded(over[0], over[1], "", size))
            refused = (over[0], over[1], (refused[2] if refused else 0) + 1)
    if refused is not None:
        usage, limit, files = refused
        _refuse(usage, limit, owner_id, "", sum(sizes), files)
    return verdicts


@contextlib.contextmanager
def held(s: Session, owner_id: int, office_id: int | None, size: int, name: str = "",
         ) -> Iterator[None]:
    """Around inserting a document's row in `s` (committed inside): the quotas checked
    again where no concurrent upload of the same user or office can pass between the check
    and the commit. Raises QuotaExceeded (audited after the rollback)."""
    with holding(s, owner_id, office_id, size) as over:
        if over is not None:
            s.rollback()
            raise _refuse(over[0], over[1], owner_id, name, size)
        yield


@contextlib.contextmanager
def holding(s: Session, owner_id: int, office_id: int | None, size: int, documents: int = 1,
            ) -> Iterator[tuple[Usage, str] | None]:
    """`held` for `documents` new rows of `size` bytes in all, saying rather than raising:
    the usage and limit they would pass, or None when they fit (then insert and commit
    inside). Nothing is audited: a caller told "no" tries the files one by one."""
    embedded = get_settings().embedded_database
    with _embedded_lock if embedded else contextlib.nullcontext():
        yield next(((u, limit) for u in _applying(s, owner_id, office_id, lock=True)
                    if (limit := u.refusal(size, documents))), None)


# --- admins set them -------------------------------------------------------------------------


def _limit_bytes(text: str) -> int | None:
    text = str(text or "").strip()
    if not text:
        return None
    try:
        value = parse_size(text)
    except ValueError:
        raise Invalid("error.quota_bytes_invalid", "max_bytes") from None
    if not 0 < value <= MAX_BYTES:
        raise Invalid("error.quota_bytes_range", "max_bytes")
    return value


def _limit_documents(text: str) -> int | None:
    text = str(text or "").strip().replace(" ", "").replace("\u00a0", "")
    if not text:
        return None
    if not text.isdigit():
        raise Invalid("error.quota_documents_invalid", "max_documents")
    value = int(text)
    if not 0 < value <= MAX_DOCUMENTS:
        raise Invalid("error.quota_documents_range", "max_documents")
    return value


def set_quota(actor: User | None, scope: str, subject_id: int, max_bytes: str,
              max_documents: str, client: Client = Client()) -> Usage:
    """Set (empty: remove) the limits of a user or an office, as typed ("10 GB", "5000").
    A limit below what is stored already is allowed: nothing more can be added until the
    usage falls under it. Audited with the values before and after."""
    actor = require_admin(actor)
    if scope not in SCOPES:
        raise Forbidden()
    checks = Checks()
    new_bytes = checks.run("max_bytes", _limit_bytes, max_bytes)
    new_documents = checks.run("max_documents", _limit_documents, max_documents)
    checks.raise_if_any()
    column = Quota.user_id if scope == USER else Quota.office_id
    with db.session() as s:
        subject = s.get(User if scope == USER else Office, subject_id)
        if subject is None:
            raise Forbidden("error.unknown_user" if scope == USER else "error.unknown_office")
        row = s.exec(select(Quota).where(column == subject_id)).first()
        before = {"max_bytes": row.max_bytes if row else None,
                  "max_documents": row.max_documents if row else None}
        if new_bytes is None and new_documents is None:
            if row is not None:
                s.delete(row)
        else:
            row = row or Quota(**{f"{scope}_id": subject_id})
            row.max_bytes, row.max_documents, row.updated_at = new_bytes, new_documents, utcnow()
            s.add(row)
        s.commit()
    global _none_set_until
    _none_set_until = 0.0  # this process knows at once; others within _NONE_SET_FOR
    audit.record_change(
        "admin.quota_changed", before, {"max_bytes": new_bytes, "max_documents": new_documents},
        actor_id=actor.id, target_user_id=subject_id if scope == USER else None, client=client,
        scope=scope, office_id=subject_id if scope == OFFICE else None)
    return usage_of_user(subject_id) if scope == USER else usage_of_office(subject_id)
