"""The bell in every signed-in page's frame: the unread count, kept fresh without a reload
(a cheap count every few seconds while the tab is open), and the latest entries."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import reflex as rx

from dokvault.services import notify
from dokvault.state.base import AppState

POLL_SECONDS = 4
WATCH_HOURS = 12  # a tab left open longer gets its count again at its next page
SHOWN = 8


class BellState(AppState):
    unread: int = 0
    latest: list[dict[str, Any]] = []
    _watching: bool = False

    def _refresh(self, user_id: int) -> None:
        self.unread = notify.unread_count(user_id)
        self.latest = [{"id": e.id, "titles": e.titles, "link": e.link, "when": e.when,
                        "unread": e.unread} for e in notify.recent(user_id, SHOWN)]

    @rx.event(background=True)
    async def watch(self):
        async with self:
            if self._watching:
                return
            self._watching = True
            user = self._current_user()
            if user is not None:
                self._refresh(user.id)
        try:
            deadline = time.monotonic() + WATCH_HOURS * 3600
            checked = time.monotonic()
            while user is not None and time.monotonic() < deadline:
                await asyncio.sleep(POLL_SECONDS)
                count = await asyncio.to_thread(notify.unread_count, user.id)
                async with self:
                    if time.monotonic() - checked > 60:  # still signed in, still this person
                        checked, current = time.monotonic(), self._current_user()
                        if current is None or current.id != user.id:
                            self.unread, self.latest = 0, []
                            return
                    if count != self.unread:
                        self._refresh(user.id)
        finally:
            async with self:
                self._watching = False

    @rx.event
    def open_entry(self, entry_id: int, link: str):
        """Follow an entry's link; it is read then."""
        user = self._current_user()
        if user is None:
            return self._signed_out()
        notify.mark_read(user.id, [int(entry_id)])
        self._refresh(user.id)
        return rx.redirect(link if link.startswith("/") else "/notifications")

    @rx.event
    def mark_all_read(self):
        user = self._current_user()
        if user is None:
            return self._signed_out()
        notify.mark_all_read(user.id)
        self._refresh(user.id)
        return None
