"""Filters of the document list, carried in its URL (`/documents?status=failed&owner=me`),
so that every dashboard widget links to exactly the list behind its figure: the widget
counts with the same conditions the list then shows.

    status=pending|failed|ready   owner=me   office=<id>   type=<id>|none
    from=YYYY-MM-DD   to=YYYY-MM-DD   (days of the firm's time zone, both included)

A value that makes no sense is left out (never an error); the rights (access.py) are the
list's own and come on top, so a filter can only narrow what a person sees."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlencode

from sqlalchemy import ColumnElement
from sqlmodel import col

from dokvault import db
from dokvault.core import clock
from dokvault.models import Document, DocumentStatus, DocumentType, Office, User
from dokvault.models.documents import PENDING_STATUSES

STATUSES = {
    "pending": [str(s) for s in PENDING_STATUSES],
    "failed": [str(DocumentStatus.FAILED)],
    "ready": [str(DocumentStatus.READY)],
}
LIST_PATH = "/documents"


def _positive(value) -> int | None:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def _day(value) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


@dataclass(frozen=True)
class ListFilter:
    status: str = ""  # "", or a key of STATUSES
    mine: bool = False  # the viewer's own documents only
    office_id: int | None = None  # the documents of this office (Document.office_id)
    type_id: int | None = None
    untyped: bool = False  # documents without a type
    since: date | None = None
    until: date | None = None

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> ListFilter:
        kind = str(params.get("type", ""))
        since, until = _day(params.get("from")), _day(params.get("to"))
        if since and until and since > until:
            since, until = until, since
        return cls(
            status=params.get("status", "") if params.get("status") in STATUSES else "",
            mine=params.get("owner") in ("me", "meg"),
            office_id=_positive(params.get("office")),
            type_id=None if kind == "none" else _positive(kind),
            untyped=kind == "none",
            since=since,
            until=until,
        )

    def params(self) -> dict[str, str]:
        out: dict[str, str] = {}
        if self.status:
            out["status"] = self.status
        if self.mine:
            out["owner"] = "me"
        if self.office_id:
            out["office"] = str(self.office_id)
        if self.untyped:
            out["type"] = "none"
        elif self.type_id:
            out["type"] = str(self.type_id)
        if self.since:
            out["from"] = self.since.isoformat()
        if self.until:
            out["to"] = self.until.isoformat()
        return out

    def url(self, **extra: str) -> str:
        """The list's address showing what this filter selects."""
        query = urlencode({**self.params(), **extra})
        return f"{LIST_PATH}?{query}" if query else LIST_PATH

    @property
    def active(self) -> bool:
        return bool(self.params())

    def conditions(self, user: User) -> list[ColumnElement[bool]]:
        """The filter as SQL conditions over Document (ANDed to the rights by the caller)."""
        out: list[ColumnElement[bool]] = []
        if self.status:
            out.append(col(Document.status).in_(STATUSES[self.status]))
        if self.mine:
            out.append(col(Document.owner_id) == user.id)
        if self.office_id:
            out.append(col(Document.office_id) == self.office_id)
        if self.untyped:
            out.append(col(Document.document_type_id).is_(None))
        elif self.type_id:
            out.append(col(Document.document_type_id) == self.type_id)
        if self.since:
            out.append(col(Document.created_at) >= clock.midnight(self.since))
        if self.until:
            out.append(col(Document.created_at) < clock.midnight(self.until + timedelta(days=1)))
        return out


def described(filters: ListFilter) -> list[tuple[str, dict[str, str]]]:
    """The filter in words, for the list's chips: (i18n key, values) per condition."""
    out: list[tuple[str, dict[str, str]]] = []
    if filters.status:
        out.append((f"docs.filter.status.{filters.status}", {}))
    if filters.mine:
        out.append(("docs.filter.owner", {}))
    with db.session() as s:
        if filters.office_id:
            office = s.get(Office, filters.office_id)
            out.append(("docs.filter.office", {"name": office.name if office else "?"}))
        if filters.type_id:
            kind = s.get(DocumentType, filters.type_id)
            out.append(("docs.filter.type", {"name": kind.name if kind else "?"}))
    if filters.untyped:
        out.append(("docs.filter.untyped", {}))
    if filters.since:
        out.append(("docs.filter.since", {"day": filters.since.strftime("%d.%m.%Y")}))
    if filters.until:
        out.append(("docs.filter.until", {"day": filters.until.strftime("%d.%m.%Y")}))
    return out
