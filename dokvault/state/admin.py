"""The check at the top of every admin page's event handler, made on the server."""

from __future__ import annotations

from typing import Any

import reflex as rx

from dokvault.core import audit
from dokvault.models import Role, User
from dokvault.state.base import AppState


def admin_or_refuse(state: AppState, action: str) -> tuple[User | None, Any]:
    """(the signed-in admin, None), or (None, what to answer the browser). A signed-out tab
    goes through sign-in (its token may only have expired); anyone else signed in is
    refused, sent home, and the attempt is audited, so a hand-made event gets nothing."""
    user = state._current_user()
    if user is None:
        return None, state._signed_out()
    if user.role != Role.ADMIN or not user.is_active:
        audit.record("admin.refused", actor_id=user.id, client=state._client(), action=action[:64])
        return None, rx.redirect("/", replace=True)
    return user, None
