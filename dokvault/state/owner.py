"""A tab's state belongs to the session that filled it.

Reflex keeps a tab's state on the server under the tab's client token, which lives as
long as the browser tab. When another session speaks through that tab (sign-out and
sign-in in one tab, a shared computer, a second user in the same browser), every page's
state is reset before the event runs: nothing one user saw reaches another's browser.
"""

from __future__ import annotations

import logging

from reflex.middleware import Middleware
from reflex.state import BaseState

from dokvault.services.auth import tokens
from dokvault.state.base import AppState

log = logging.getLogger(__name__)


async def _load_tree(root: BaseState, cls: type[BaseState]) -> None:
    """Every page state under `cls` in memory (a Redis-backed tree loads them lazily)."""
    for sub in cls.get_substates():
        await root.get_state(sub)
        await _load_tree(root, sub)


async def reset_tab(root: BaseState, tab: AppState) -> None:
    """Every page's vars to their defaults; the UI language (the browser's cookie) stays."""
    await _load_tree(root, AppState)
    lang = tab.lang
    tab.reset()
    tab.lang = lang


class TabOwnerGuard(Middleware):
    """First middleware of the app: runs before every event, the hydration included."""

    async def preprocess(self, app, state: BaseState, event):
        tab = await state.get_state(AppState)
        session = tokens.session_of(*tab._credentials())
        owner = "" if session is None else str(session)
        if tab._owner != owner:
            if tab._owner is not None:  # a new tab has nothing to forget
                log.info("tab changed hands: its state was reset")
                await reset_tab(state, tab)
            tab._owner = owner
        return None
