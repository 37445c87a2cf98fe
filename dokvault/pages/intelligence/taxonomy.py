"""/admin/taxonomy: admins edit document types, tags and custom fields, and try a matching
rule on a sample text. Every handler checks admin rights on the server first."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import reflex as rx

from dokvault.models import User
from dokvault.services.access import Forbidden
from dokvault.services.intelligence import taxonomy_admin, taxonomy_overview, taxonomy_rules
from dokvault.services.intelligence.taxonomy_rules import TaxonomyError
from dokvault.state.base import AppState
from dokvault.state.busy import while_busy
from dokvault.state.guards import admin_only

KINDS = ("type", "tag", "field")
EMPTY = {
    "type": {"name": "", "description": "", "algorithm": "none", "match": "", "case_sensitive": False},
    "tag": {"name": "", "description": "", "algorithm": "none", "match": "", "case_sensitive": False,
            "color": "gray"},
    "field": {"key": "", "label": "", "kind": "text", "description": ""},
}


def _checked(value: Any) -> bool:
    """A checkbox in form data: "on" (native), True (a ref), absent when unticked."""
    return value is True or str(value).lower() in ("on", "true", "1")


class TaxonomyAdminState(AppState):
    types: list[dict[str, Any]] = []
    tags: list[dict[str, Any]] = []
    fields: list[dict[str, Any]] = []
    # The add/edit dialog: which kind, which row (0 = a new one), its values when opened.
    dialog_open: bool = False
    edit_kind: str = "type"
    edit_id: int = 0
    edit: dict[str, Any] = {}
    form_error: str = ""
    saving: bool = False  # a save or a delete is running: its button takes no more clicks
    # The delete confirmation, with how many documents lose the type/tag/field.
    delete_open: bool = False
    delete_kind: str = ""
    delete_id: int = 0
    delete_name: str = ""
    delete_count: int = 0
    # The rule tester's last answer.
    test_done: bool = False
    test_matched: bool = False
    test_reason: str = ""
    test_snippet: str = ""
    test_types: list[str] = []
    test_tags: list[str] = []
    test_error: str = ""

    def _reload(self, actor) -> None:
        view = taxonomy_overview.overview(actor)
        self.types = [asdict(t) for t in view.types]
        self.tags = [asdict(t) for t in view.tags]
        self.fields = [asdict(f) for f in view.fields]

    def _error_text(self, exc: Exception) -> str:
        if isinstance(exc, TaxonomyError):
            return self._t(exc.code, **exc.values)
        return self._t(getattr(exc, "code", "error.forbidden"))

    def _row(self, kind: str, item_id: int) -> dict[str, Any] | None:
        rows = {"type": self.types, "tag": self.tags, "field": self.fields}.get(kind, [])
        return next((r for r in rows if r["id"] == item_id), None)

    @rx.event
    @admin_only
    def load(self, *, user: User):
        if self._current_user() is None:
            return None  # require_user, before this, sends the browser to sign in
        self._reload(user)
        return None

    @rx.event
    @admin_only
    def open_new(self, kind: str, *, user: User):
        if kind not in KINDS:
            return None
        self.edit_kind, self.edit_id, self.edit = kind, 0, dict(EMPTY[kind])
        self.form_error, self.dialog_open = "", True
        return None

    @rx.event
    @admin_only
    def open_edit(self, kind: str, item_id: int, *, user: User):
        self._reload(user)  # edit what is stored now, not what the page showed
        row = self._row(kind, int(item_id))
        if row is None:
            return rx.toast.error(self._t(f"error.unknown_{kind}" if kind in KINDS else "error.forbidden"))
        self.edit_kind, self.edit_id, self.edit = kind, row["id"], dict(row)
        self.form_error, self.dialog_open = "", True
        return None

    @rx.event
    @admin_only
    def dialog_changed(self, is_open: bool, *, user: User):
        self.dialog_open = bool(is_open) and self.dialog_open  # it only ever closes from here
        return None

    @rx.event
    @admin_only
    @while_busy("saving")
    def save(self, form: dict, *, user: User):
        if not self.dialog_open:
            return None  # the first click saved and closed the dialog: this is its second
        kind, item_id = self.edit_kind, self.edit_id
        text = {k: str(form.get(k, "")) for k in ("name", "description", "algorithm", "match", "color",
                                                  "key", "label", "kind")}
        case_sensitive = _checked(form.get("case_sensitive"))
        client = self._client()
        try:
            if kind == "type":
                args = (text["name"], text["description"], text["algorithm"] or "none", text["match"],
                        case_sensitive)
                if item_id:
                    taxonomy_admin.update_type(user, item_id, *args, client=client)
                else:
                    taxonomy_admin.create_type(user, *args, client=client)
            elif kind == "tag":
                args = (text["name"], text["color"] or "gray", text["description"],
                        text["algorithm"] or "none", text["match"], case_sensitive)
                if item_id:
                    taxonomy_admin.update_tag(user, item_id, *args, client=client)
                else:
                    taxonomy_admin.create_tag(user, *args, client=client)
            elif kind == "field":
                args = (text["key"], text["label"], text["kind"] or "text", text["description"])
                if item_id:
                    taxonomy_admin.update_field(user, item_id, *args, client=client)
                else:
                    taxonomy_admin.create_field(user, *args, client=client)
            else:
                return None
        except (TaxonomyError, Forbidden) as exc:
            self.form_error = self._error_text(exc)
            return None
        self.form_error, self.dialog_open = "", False
        self._reload(user)
        return rx.toast.success(self._t("taxonomy.saved"))

    @rx.event
    @admin_only
    def ask_delete(self, kind: str, item_id: int, *, user: User):
        self._reload(user)
        row = self._row(kind, int(item_id))
        if row is None:
            return rx.toast.error(self._t(f"error.unknown_{kind}" if kind in KINDS else "error.forbidden"))
        self.delete_kind, self.delete_id = kind, row["id"]
        self.delete_name = row["key"] if kind == "field" else row["name"]
        self.delete_count = taxonomy_overview.usage(user, kind, row["id"])
        self.delete_open = True
        return None

    @rx.event
    @admin_only
    def cancel_delete(self, *, user: User):
        self.delete_open, self.delete_id = False, 0
        return None

    @rx.event
    @admin_only
    @while_busy("saving")
    def confirm_delete(self, *, user: User):
        kind, item_id, name = self.delete_kind, self.delete_id, self.delete_name
        self.delete_open, self.delete_id = False, 0
        if not item_id:
            return None
        delete = {"type": taxonomy_admin.delete_type, "tag": taxonomy_admin.delete_tag,
                  "field": taxonomy_admin.delete_field}.get(kind)
        if delete is None:
            return None
        try:
            delete(user, item_id, self._client())
        except (TaxonomyError, Forbidden) as exc:
            self._reload(user)
            return rx.toast.error(self._error_text(exc))
        self._reload(user)
        return rx.toast.success(self._t("taxonomy.deleted", name=name))

    @rx.event
    @admin_only
    def run_test(self, form: dict, *, user: User):
        self.test_done, self.test_error = True, ""
        try:
            result = taxonomy_rules.test_rule(
                str(form.get("algorithm") or "any"), str(form.get("match", "")),
                _checked(form.get("case_sensitive")), str(form.get("sample", "")))
        except TaxonomyError as exc:
            self.test_error, self.test_matched = self._error_text(exc), False
            self.test_reason = self.test_snippet = ""
            self.test_types, self.test_tags = [], []
            return None
        self.test_matched, self.test_reason, self.test_snippet = result.matched, result.reason, result.snippet
        self.test_types, self.test_tags = result.types, result.tags
        return None


# --- components ------------------------------------------------------------------------------
