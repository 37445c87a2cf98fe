"""What the drive pages share below their states: the watch that refreshes a page while its
work runs, a drive entry kept server-side between events, and a transfer as its card shows it."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from dokvault.core import clock
from dokvault.drives.types import Entry
from dokvault.models import User
from dokvault.services.drives import TransferView
from dokvault.settings import get_settings
from dokvault.state.base import AppState
from dokvault.state.format import human_size

WATCH_MINUTES = 30
IDENTITY_EVERY_S = 10


async def follow(state: AppState, route: str | Callable[[Any], bool], busy: Callable[[User], bool],
                 reload: Callable[[Any, User], None]) -> None:
    """A page's background watch: `reload(state, user)` each second while `busy(user)` and the
    tab is still on `route` (or, a callable, while `route(state)` says it is still wanted: a
    dialog still open), at most WATCH_MINUTES; the person is checked again every
    IDENTITY_EVERY_S. One watch per tab (the state's `_watching`)."""
    async with state:
        if state._watching:
            return
        state._watching = True
    try:
        deadline = time.monotonic() + WATCH_MINUTES * 60
        user, checked = None, 0.0
        while time.monotonic() < deadline:
            async with state:
                if not (route(state) if callable(route)
                        else state.router.url.path.rstrip("/") == route):
                    break
                if user is None or time.monotonic() - checked > IDENTITY_EVERY_S:
                    user, checked = state._current_user(), time.monotonic()
                if user is None:
                    break
            moving = await asyncio.to_thread(busy, user)
            async with state:
                reload(state, user)
            if not moving:
                break
            await asyncio.sleep(1)
    finally:
        async with state:
            state._watching = False


def entry_dict(entry: Entry) -> dict:
    return {
        "id": entry.id,
        "name": entry.name,
        "is_folder": entry.is_folder,
        "size": entry.size,
        "version": entry.version,
    }


def entry_of(data: dict) -> Entry:
    return Entry(
        id=data["id"],
        name=data["name"],
        is_folder=data["is_folder"],
        size=data["size"],
        version=data["version"],
    )


def transfer_view(t_: Callable[..., str], t: TransferView) -> dict[str, Any]:
    """A transfer as its card shows it (`t_` translates)."""
    total = sum(t.counts.values())
    done, failed = t.counts.get("done", 0), t.counts.get("failed", 0)
    skipped = t.counts.get("skipped", 0)
    mb = get_settings().max_upload_mb
    return {
        "uid": t.uid,
        "title": t_(f"drives.transfer.{t.direction}", label=t.connection_label),
        "folder": t.folder_name,
        "status": t.status,
        "status_label": t_(f"drives.transfer_status.{t.status}"),
        "error": t_(t.error_code, mb=mb) if t.error_code else "",
        "when": clock.shown(t.created_at),
        "failed": failed,
        "active": t.status in ("queued", "running"),
        "progress": int(100 * (done + failed + skipped) / total) if total else 0,
        "summary": t_("drives.counts", done=done, failed=failed, skipped=skipped, total=total),
        "items": [
            {
                "name": i.name,
                "status": i.status,
                "status_label": t_(f"drives.item_status.{i.status}"),
                "error": t_(i.error_code, mb=mb) if i.error_code else "",
                "size": human_size(i.size) if i.size else "",
                "progress": int(100 * i.bytes_done / i.size) if i.size and i.status == "running" else 0,
                "target": i.target_name,
                "document": i.document_uid if t.direction == "import" else "",
            }
            for i in t.items
        ],
    }
