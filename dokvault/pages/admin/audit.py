"""/admin/audit: the audit log in words, newest first, filtered by person, event, document
and date and paged by keyset (services/admin/audit_log.py), with each entry's raw record on
demand; and the daily exports in the object store, to download. Nothing here changes or
deletes an entry. The page itself is audit_page.py."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from typing import Any

import reflex as rx

from dokvault.core import clock
from dokvault.core.sizes import human_size
from dokvault.models import User
from dokvault.services.admin import audit_log
from dokvault.services.ops import audit_export
from dokvault.settings import get_settings
from dokvault.state.base import AppState
from dokvault.state.guards import admin_only

ALL_KINDS = "*"  # the event filter's "every kind"
GROUP = "group:"  # an option naming a group of kinds ("group:document.")


def _parse_day(value: str) -> datetime | None:
    try:
        # A day as the reader means it: midnight in TIME_ZONE.
        return datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=clock.zone())
    except ValueError:
        return None


def export_view(row) -> dict[str, Any]:
    return {"day": row.day.isoformat(), "rows": row.rows,
            "size": human_size(row.jsonl_bytes + row.csv_bytes),
            "exported_at": clock.shown(row.exported_at), "sha256": row.jsonl_sha256[:16]}


class AuditState(AppState):
    events: list[dict[str, Any]] = []
    kinds: list[dict[str, str]] = []  # the event filter's options: {"value", "label"}
    user_filter: str = ""
    kind_filter: str = ALL_KINDS
    document_filter: int = 0  # 0: every document
    document_name: str = ""
    since: str = ""
    until: str = ""
    # Keyset paging: the cursors of the pages before this one ("" = the newest page),
    # and the cursor of the next (older) page ("" = this is the last).
    cursors: list[str] = []
    next_cursor: str = ""
    raw_open: bool = False
    raw_text: str = ""
    exports: list[dict[str, Any]] = []
    retention_days: int = 0

    @rx.var
    def page_number(self) -> int:
        return len(self.cursors) + 1

    def _filter(self, user: User) -> audit_log.AuditFilter:
        until = _parse_day(self.until)
        since = _parse_day(self.since)
        if self.kind_filter.startswith(GROUP):
            kinds = audit_log.kinds_of(self.kind_filter[len(GROUP):], audit_log.kinds(user))
        else:
            kinds = audit_log.kinds_of("" if self.kind_filter == ALL_KINDS else self.kind_filter, [])
        return audit_log.AuditFilter(
            user_ids=audit_log.user_ids_matching(user, self.user_filter),
            kinds=kinds,
            document_id=self.document_filter or None,
            since=since.astimezone(UTC) if since else None,
            until=(until + timedelta(days=1)).astimezone(UTC) if until else None,
        )

    def _reload(self, user: User) -> None:
        result = audit_log.page(user, self._filter(user), self.cursors[-1] if self.cursors else "",
                                self.lang)
        self.events = [asdict(e) for e in result.events]
        self.next_cursor = result.next_cursor

    def _options(self, user: User) -> None:
        groups = [{"value": f"{GROUP}{g}", "label": self._t(f"audit.group.{g.rstrip('.')}")}
                  for g in audit_log.GROUPS]
        self.kinds = [{"value": ALL_KINDS, "label": self._t("audit.all_kinds")}, *groups,
                      *({"value": k, "label": k} for k in audit_log.kinds(user))]

    @rx.event
    @admin_only
    def load(self, *, user: User):
        self.cursors, self.raw_open, self.raw_text = [], False, ""
        self._options(user)
        self._reload(user)
        self.exports = [export_view(e) for e in audit_export.list_exports(user)]
        self.retention_days = get_settings().audit_retention_days
        return None

    @rx.event
    @admin_only
    def apply(self, form: dict, *, user: User):
        self.user_filter = str(form.get("user", ""))[:320]
        self.since = str(form.get("since", ""))[:10]
        self.until = str(form.get("until", ""))[:10]
        self.cursors = []
        self._reload(user)
        return None

    @rx.event
    @admin_only
    def set_kind(self, kind: str, *, user: User):
        self.kind_filter, self.cursors = str(kind)[:80], []
        self._reload(user)
        return None

    @rx.event
    @admin_only
    def only_document(self, document_id: int, name: str, *, user: User):
        self.document_filter, self.document_name = int(document_id), str(name)[:300]
        self.cursors = []
        self._reload(user)
        return None

    @rx.event
    @admin_only
    def clear_document(self, *, user: User):
        self.document_filter, self.document_name, self.cursors = 0, "", []
        self._reload(user)
        return None

    @rx.event
    @admin_only
    def older(self, *, user: User):
        if self.next_cursor:
            self.cursors = [*self.cursors, self.next_cursor]
            self._reload(user)
        return None

    @rx.event
    @admin_only
    def newer(self, *, user: User):
        self.cursors = self.cursors[:-1]
        self._reload(user)
        return None

    @rx.event
    @admin_only
    def newest(self, *, user: User):
        self.cursors = []
        self._reload(user)
        return None

    @rx.event
    @admin_only
    def show_raw(self, event_id: int, *, user: User):
        record = audit_log.raw(user, int(event_id))
        if record is None:
            return rx.toast.error(self._t("audit.raw_missing"))
        self.raw_text = json.dumps(record, ensure_ascii=False, indent=2)
        self.raw_open = True
        return None

    @rx.event
    def raw_changed(self, is_open: bool):
        self.raw_open = bool(is_open) and self.raw_open
        if not self.raw_open:
            self.raw_text = ""
