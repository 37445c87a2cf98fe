"""The dashboard's state: the scope from the URL (`/?scope=office&office=2`), the widgets,
retrying the failed documents, and a watch that loads the widgets again when something in
the scope changes (services/analytics/dashboard.py's fingerprint, a small query a second or
two), so the page updates without a reload."""

from __future__ import annotations

import asyncio
import time
from typing import Any
from urllib.parse import urlencode

import reflex as rx

from dokvault.core import clock
from dokvault.models import User
from dokvault.services import documents, notify
from dokvault.services.analytics import Scope, dashboard
from dokvault.services.documents import quotas
from dokvault.state import busy
from dokvault.state.base import AppState
from dokvault.state.format import grouped, human_size, row_view
from dokvault.state.guards import signed_in

WATCH_EVERY_S = 2.0
WATCH_FOR_S = 30 * 60  # then a reload starts it again
IDENTITY_EVERY_S = 10  # the session is checked this often while watching, and before each load
UNREAD_SHOWN = 4  # the latest unread notifications the widget lists


def _scope_value(scope: Scope) -> str:
    return f"office:{scope.office_id}" if scope.kind == "office" else scope.kind


def _quota_view(usage: quotas.Usage | None) -> dict[str, Any]:
    """The storage widget's quota line: what counts against the quota (the trash too) and
    its limits; `kind` "" when the scope has no quota (the whole firm)."""
    if usage is None:
        return {"kind": "", "unlimited": True}
    return {
        "kind": usage.scope, "unlimited": usage.unlimited,
        "bytes_used": human_size(usage.bytes_used),
        "bytes_limit": human_size(usage.max_bytes) if usage.max_bytes is not None else "",
        "bytes_percent": usage.bytes_percent,
        "documents_used": grouped(usage.documents_used),
        "documents_limit": grouped(usage.max_documents) if usage.max_documents is not None else "",
        "documents_percent": usage.documents_percent,
    }


class HomeState(AppState):
    scope: str = "me"
    choices: list[dict[str, str]] = []
    board: dict[str, Any] = {}
    week: list[dict[str, Any]] = []
    unread: int = 0  # the person's unread notifications, and the latest of them
    unread_latest: list[dict[str, Any]] = []
    retrying: bool = False
    loaded: bool = False
    _scope: dict[str, str] = {}
    _fingerprint: str = ""
    _watching: bool = False

    def _current_scope(self, user: User) -> Scope:
        return dashboard.parse_scope(user, self._scope)

    def _load(self, user: User) -> None:
        scope = self._current_scope(user)
        self._fingerprint, board = dashboard.snapshot(user, scope)
        self.scope = _scope_value(scope)
        self.choices = [{"value": _scope_value(c.scope),
                         "label": self._t(c.label) if c.translate else c.label}
                        for c in dashboard.choices(user)]
        top = max((c.count for c in board.week), default=0)
        self.week = [{"name": self._t(c.name) if c.translate else c.name, "count": c.count,
                      "url": c.url, "share": round(100 * c.count / top) if top else 0}
                     for c in board.week]
        self.board = {
            "recent": [row_view(r) for r in board.recent],
            "review": [{"uid": i.uid, "name": i.name, "type": i.suggested_type,
                        "confidence": round(i.confidence * 100)} for i in board.review],
            "review_total": grouped(board.review_total),
            "in_progress": [row_view(r) for r in board.in_progress],
            "in_progress_total": grouped(board.in_progress_total),
            "failed": [row_view(r) for r in board.failed],
            "failed_total": grouped(board.failed_total),
            "retryable": board.retryable,
            "stored": human_size(board.stored_bytes),
            "stored_count": grouped(board.stored_count),
            "quota": _quota_view(board.quota),
            "week_total": grouped(board.week_total),
            "week_since": clock.shown(clock.midnight(board.week_start), "%d.%m.") if board.week_start else "",
            "links": board.links,
        }
        self._load_unread(user)
        self.loaded = True

    def _load_unread(self, user: User) -> None:
        self.unread = notify.unread_count(user.id)
        self.unread_latest = [{"id": e.id, "titles": e.titles, "when": e.when}
                              for e in notify.recent(user.id, UNREAD_SHOWN, unread_only=True)]

    @rx.event
    @signed_in
    def load(self, *, user: User):
        self._scope = {k: str(v) for k, v in self.router.url.query_parameters.items()
                       if k in ("scope", "office")}
        self._load(user)
        return HomeState.watch

    @rx.event
    def set_scope(self, value: str):
        kind, _, office = str(value).partition(":")
        wanted = Scope("office", int(office)) if kind == "office" and office.isdigit() else \
            Scope("all") if kind == "all" else Scope()
        return rx.redirect("/?" + urlencode(wanted.params()), replace=True)

    @rx.event
    @signed_in
    @busy.while_busy("retrying")
    def retry_failed(self, *, user: User):
        """Send the scope's failed documents to be read again: those this person may change
        (documents.retry_documents checks each again); a second click finds none failed."""
        uids = dashboard.failed_to_retry(user, self._current_scope(user))
        result = documents.retry_documents(user, uids, self._client())
        self._load(user)
        return [rx.toast.success(self._t("docs.retried", n=result.sent)), HomeState.watch]

    @rx.event(background=True)
    async def watch(self):
        """Load the widgets again when the scope's fingerprint changes; while this page is
        open, for half an hour."""
        async with self:
            if self._watching:
                return
            self._watching = True
        try:
            deadline = time.monotonic() + WATCH_FOR_S
            user, checked = None, 0.0
            while time.monotonic() < deadline:
                await asyncio.sleep(WATCH_EVERY_S)
                async with self:
                    if self.router.url.path.rstrip("/") != "":
                        break
                    if user is None or time.monotonic() - checked > IDENTITY_EVERY_S:
                        user, checked = self._current_user(), time.monotonic()
                    if user is None:
                        break
                    known, scope = self._fingerprint, self._current_scope(user)
                    known_unread = self.unread
                seen = await asyncio.to_thread(dashboard.fingerprint, user, scope)
                unread = await asyncio.to_thread(notify.unread_count, user.id)
                if seen == known:
                    if unread != known_unread:
                        async with self:
                            await asyncio.to_thread(self._load_unread, user)
                    continue
                async with self:
                    user = self._current_user()
                    if user is None:
                        break
                    await asyncio.to_thread(self._load, user)
        finally:
            async with self:
                self._watching = False
