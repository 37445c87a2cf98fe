"""Who may run a page's event handler, checked on the server at every event: the one home
of the checks every handler used to repeat. A guarded handler takes the person as its
keyword `user`; the browser never sees that parameter (it is not part of the event).

    @rx.event
    @signed_in
    def restore(self, uid: str, *, user: User): ...

Background handlers check for themselves, inside `async with self`.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

import reflex as rx

from dokvault.core import audit
from dokvault.models import Role, User
from dokvault.state.base import AppState


def _guarded(handler: Callable, check: Callable[[AppState, str], tuple[User | None, Any]]):
    signature = inspect.signature(handler)
    if "user" not in signature.parameters:
        raise TypeError(f"{handler.__qualname__} must take the checked person as `user`")
    action = handler.__qualname__

    @functools.wraps(handler)
    def run(self: AppState, *args, **kwargs):
        user, refusal = check(self, action)
        if user is None:
            return refusal
        return handler(self, *args, user=user, **kwargs)

    # What Reflex reads to build the event (its arguments and their types): without `user`.
    run.__signature__ = signature.replace(
        parameters=[p for name, p in signature.parameters.items() if name != "user"])
    run.__annotations__ = {k: v for k, v in handler.__annotations__.items() if k != "user"}
    return run


def _signed_in(state: AppState, _action: str) -> tuple[User | None, Any]:
    user = state._current_user()
    return (user, None) if user is not None else (None, state._signed_out())


def _admin(state: AppState, action: str) -> tuple[User | None, Any]:
    """A signed-out tab goes through sign-in (its token may only have expired); anyone else
    signed in is refused, sent home, and the attempt is audited: a hand-made event gets
    nothing."""
    user = state._current_user()
    if user is None:
        return None, state._signed_out()
    if user.role != Role.ADMIN or not user.is_active:
        audit.record("admin.refused", actor_id=user.id, client=state._client(), action=action[:64])
        return None, rx.redirect("/", replace=True)
    return user, None


def signed_in(handler: Callable) -> Callable:
    """The handler runs for a signed-in user only; anyone else is sent through sign-in."""
    return _guarded(handler, _signed_in)


def admin_only(handler: Callable) -> Callable:
    """The handler runs for an active admin only; others are refused and audited."""
    return _guarded(handler, _admin)


def admin_or_refuse(state: AppState, action: str) -> tuple[User | None, Any]:
    """(the signed-in admin, None), or (None, what to answer the browser): for the rare
    handler that needs the check inside (a background task)."""
    return _admin(state, action)
