"""The home dashboard: for one person, or for an office (office managers theirs, admins
any) or the whole firm (admins): recent documents, what waits for review, uploads being
read, failed documents, storage used (against the person's or the office's quota) and this
week's documents by type.

Each widget counts with a documents.ListFilter, and links to the list with that same
filter in its URL: the figure and the list behind it agree. Everything is scoped with
access.py's rule first. A handful of small indexed queries (recent, counts by status,
the sum of sizes); `fingerprint` is the one query a page polls to know when to load again.
"""

from __future__ import annotations

import copy
import threading
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal
from urllib.parse import urlencode

from cachetools import TTLCache
from sqlmodel import col, func, select

from dokvault import db
from dokvault.core import clock
from dokvault.models import Document, DocumentType, Office, Role, User
from dokvault.models.base import utcnow
from dokvault.services.access import changeable_by, visible_to
from dokvault.services.documents import DocumentRow, ListFilter, quotas
from dokvault.services.documents.library import type_names
from dokvault.services.documents.list_filters import STATUSES
from dokvault.services.intelligence import review

ScopeKind = Literal["me", "office", "all"]
RECENT = 6
LISTED = 5  # rows shown in a widget; its figure counts them all
RETRY_AT_MOST = 500  # failed documents one click sends again
CACHE_SECONDS = 30  # a dashboard unchanged in its fingerprint is shown again for this long


@dataclass(frozen=True)
class Scope:
    kind: ScopeKind = "me"
    office_id: int | None = None

    def list_filter(self, **more) -> ListFilter:
        """The document list's filter for this scope, with `more` (status, type, since)."""
        if self.kind == "me":
            return ListFilter(mine=True, **more)
        if self.kind == "office":
            return ListFilter(office_id=self.office_id, **more)
        return ListFilter(**more)

    def params(self) -> dict[str, str]:
        """The scope in the dashboard's URL."""
        if self.kind == "office":
            return {"scope": "office", "office": str(self.office_id)}
        return {"scope": self.kind}

    def review_url(self) -> str:
        narrowed = self.list_filter().params()
        return f"/review?{urlencode(narrowed)}" if narrowed else "/review"


@dataclass
class ScopeChoice:
    scope: Scope
    label: str  # an office's name, or an i18n key for "me" and "all"
    translate: bool


def choices(user: User) -> list[ScopeChoice]:
    """The scopes this person may look at: their own always; their office for office
    managers; every office and the whole firm for admins."""
    out = [ScopeChoice(Scope("me"), "dashboard.scope.me", True)]
    if user.role == Role.ADMIN:
        with db.session() as s:
            offices = s.exec(select(Office.id, Office.name).order_by(col(Office.name))).all()
        out.append(ScopeChoice(Scope("all"), "dashboard.scope.all", True))
        out += [ScopeChoice(Scope("office", i), name, False) for i, name in offices]
    elif user.role == Role.OFFICE_MANAGER and user.office_id is not None:
        with db.session() as s:
            office = s.get(Office, user.office_id)
        if office is not None:
            out.append(ScopeChoice(Scope("office", office.id), office.name, False))
    return out


def parse_scope(user: User, params: dict) -> Scope:
    """The scope the URL asks for, if this person may have it; else their own."""
    kind = params.get("scope")
    try:
        office_id = int(str(params.get("office", "")))
    except ValueError:
        office_id = None
    wanted = Scope("office", office_id) if kind == "office" else Scope("all") if kind == "all" else Scope()
    return wanted if any(c.scope == wanted for c in choices(user)) else Scope()


@dataclass
class TypeCount:
    name: str  # an i18n key when the type is missing
    count: int
    url: str
    translate: bool = False


@dataclass
class Dashboard:
    scope: Scope
    recent: list[DocumentRow] = field(default_factory=list)
    review_total: int = 0
    review: list[review.QueueItem] = field(default_factory=list)
    in_progress_total: int = 0
    in_progress: list[DocumentRow] = field(default_factory=list)
    failed_total: int = 0
    failed: list[DocumentRow] = field(default_factory=list)
    retryable: int = 0  # of the failed, those this person may send again
    stored_bytes: int = 0
    stored_count: int = 0
    # The quota this scope is held to (a person's own, an office's; the whole firm has none)
    # and what counts against it - the trash too, until it is emptied. None: no such quota.
    quota: quotas.Usage | None = None
    week_start: date | None = None
    week_total: int = 0
    week: list[TypeCount] = field(default_factory=list)
    links: dict[str, str] = field(default_factory=dict)


def week_start(now=None) -> date:
    """Monday of this week, in the firm's time zone."""
    today = clock.local(now or utcnow()).date()
    return today - timedelta(days=today.weekday())


def _where(user: User, scope: Scope, **more):
    """Rights, not in the trash, and the scope's filter with `more`."""
    return (visible_to(user), col(Document.deleted_at).is_(None),
            *scope.list_filter(**more).conditions(user))


def _rows(s, where, limit: int) -> list[DocumentRow]:
    documents = s.exec(select(Document).where(*where)
                       .order_by(col(Document.created_at).desc(), col(Document.id).desc())
                       .limit(limit)).all()
    types = type_names(s, documents)
    return [DocumentRow.of(d, types) for d in documents]


def load(user: User, scope: Scope, waiting: int | None = None) -> Dashboard:
    """The widgets; `waiting`: the review count when the caller has it (the fingerprint)."""
    board = Dashboard(scope=scope, week_start=week_start())
    monday = board.week_start
    with db.session() as s:
        board.recent = _rows(s, _where(user, scope), RECENT)
        counts = dict(s.exec(
            select(Document.status, func.count()).where(*_where(user, scope))
            .where(col(Document.status).in_([*STATUSES["pending"], *STATUSES["failed"]]))
            .group_by(Document.status)).all())
        board.in_progress_total = sum(counts.get(k, 0) for k in STATUSES["pending"])
        board.failed_total = sum(counts.get(k, 0) for k in STATUSES["failed"])
        if board.in_progress_total:
            board.in_progress = _rows(s, _where(user, scope, status="pending"), LISTED)
        if board.failed_total:
            board.failed = _rows(s, _where(user, scope, status="failed"), LISTED)
            board.retryable = min(RETRY_AT_MOST, s.exec(
                select(func.count()).select_from(Document)
                .where(*_where(user, scope, status="failed"), changeable_by(user))).one())
        stored = s.exec(select(func.coalesce(func.sum(Document.size), 0), func.count())
                        .where(*_where(user, scope))).one()
        board.stored_bytes, board.stored_count = int(stored[0] or 0), int(stored[1] or 0)
        week = s.exec(select(Document.document_type_id, func.count())
                      .where(*_where(user, scope, since=monday))
                      .group_by(Document.document_type_id)).all()
        names = dict(s.exec(select(DocumentType.id, DocumentType.name).where(
            col(DocumentType.id).in_([t for t, _ in week if t is not None]))).all())
    board.quota = quota_of(user, scope)
    narrow = scope.list_filter().conditions(user)
    board.review_total = waiting if waiting is not None else \
        _one(review.waiting_count(user, narrow))
    board.review = review.least_certain(user, LISTED, narrow) if board.review_total else []
    board.week = sorted(
        (TypeCount(names.get(t, "dashboard.no_type") if t else "dashboard.no_type", n,
                   scope.list_filter(since=monday, **({"type_id": t} if t else {"untyped": True})).url(),
                   translate=t is None or t not in names)
         for t, n in week), key=lambda c: (-c.count, c.name))
    board.week_total = sum(c.count for c in board.week)
    board.links = {
        "recent": scope.list_filter().url(),
        "review": scope.review_url(),
        "in_progress": scope.list_filter(status="pending").url(),
        "failed": scope.list_filter(status="failed").url(),
        "storage": scope.list_filter().url(sort="size"),
        "week": scope.list_filter(since=monday).url(),
    }
    return board


def quota_of(user: User, scope: Scope) -> quotas.Usage | None:
    """The quota the scope is held to and its usage: the person's own, or the office's
    (limits None: unlimited); None for the whole firm, which has no quota."""
    if scope.kind == "me":
        return quotas.usage_of_user(user.id)
    if scope.kind == "office" and scope.office_id is not None:
        return quotas.usage_of_office(scope.office_id)
    return None


def failed_to_retry(user: User, scope: Scope) -> list[str]:
    """The failed documents of the scope this person may send again (at most
    RETRY_AT_MOST), for documents.retry_documents, which checks each again."""
    with db.session() as s:
        return [str(u) for u in s.exec(
            select(Document.uid).where(*_where(user, scope, status="failed"), changeable_by(user))
            .order_by(col(Document.id)).limit(RETRY_AT_MOST)).all()]


_boards: TTLCache = TTLCache(maxsize=512, ttl=CACHE_SECONDS)
_lock = threading.Lock()


def snapshot(user: User, scope: Scope) -> tuple[str, Dashboard]:
    """The scope's fingerprint and its dashboard: loaded again only when the fingerprint
    changed (something in the scope did) or after CACHE_SECONDS, so a reload, a second tab
    or a colleague looking at the same office costs one small query."""
    parts = _fingerprint(user, scope)
    seen = ":".join(str(p) for p in parts)
    key = (user.id, user.role, user.office_id, scope, seen)
    with _lock:
        board = _boards.get(key)
    if board is None:
        board = load(user, scope, waiting=parts[2])
        with _lock:
            _boards[key] = board
        return seen, copy.deepcopy(board)
    board = copy.deepcopy(board)
    board.quota = quota_of(user, scope)  # a limit an admin just set shows at once
    return seen, board


def forget() -> None:
    with _lock:
        _boards.clear()


def fingerprint(user: User, scope: Scope) -> str:
    """Changes whenever a widget would: the latest change among the scope's documents
    (an upload, a status, a trash all stamp `updated_at`), how many are being read, and
    how many suggestions wait for review. One query."""
    return ":".join(str(p) for p in _fingerprint(user, scope))


def _fingerprint(user: User, scope: Scope) -> tuple:
    narrow = scope.list_filter().conditions(user)
    where = (visible_to(user), *narrow)
    latest = select(func.max(Document.updated_at)).where(*where)
    reading = select(func.count()).select_from(Document).where(
        *where, col(Document.status).in_(STATUSES["pending"]))
    waiting = review.waiting_count(user, narrow)
    with db.session() as s:
        changed, pending, unreviewed = s.exec(select(
            latest.scalar_subquery(), reading.scalar_subquery(), waiting.scalar_subquery())).one()
    return changed or "-", pending, unreviewed


def _one(query) -> int:
    with db.session() as s:
        return int(s.exec(query).one())
