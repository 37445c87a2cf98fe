"""/admin/taxonomy: admins edit document types, tags and custom fields, try a matching
rule on a sample text, and apply a type's or tag's rule to the documents already stored
(after a preview of how many change). Every handler checks admin rights on the server
first; the edit dialog follows the admin form pattern (state/forms.py)."""

from __future__ import annotations

import asyncio
from dataclasses import asdict
from typing import Any

import reflex as rx

from dokvault.models import User
from dokvault.services.access import Forbidden
from dokvault.services.intelligence import (
    taxonomy_admin,
    taxonomy_apply,
    taxonomy_overview,
    taxonomy_rules,
)
from dokvault.services.intelligence.taxonomy_rules import TaxonomyError
from dokvault.state.base import AppState
from dokvault.state.busy import while_busy
from dokvault.state.forms import AdminForm
from dokvault.state.guards import admin_only, admin_or_refuse

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


FORM = "item"  # the edit dialog's form (element ids item-save, item-name-error, ...)


class TaxonomyAdminState(AdminForm, AppState):
    types: list[dict[str, Any]] = []
    tags: list[dict[str, Any]] = []
    fields: list[dict[str, Any]] = []
    # The add/edit dialog: which kind, which row (0 = a new one), its values when opened.
    dialog_open: bool = False
    edit_kind: str = "type"
    edit_id: int = 0
    edit: dict[str, Any] = {}
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
    # Applying a rule to the stored documents: its preview, then the confirmation.
    apply_open: bool = False
    apply: dict[str, Any] = {}
    previewing: bool = False

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
        self._clear(FORM)
        self.dialog_open = True
        return None

    @rx.event
    @admin_only
    def open_edit(self, kind: str, item_id: int, *, user: User):
        self._reload(user)  # edit what is stored now, not what the page showed
        row = self._row(kind, int(item_id))
        if row is None:
            return rx.toast.error(self._t(f"error.unknown_{kind}" if kind in KINDS else "error.forbidden"))
        self.edit_kind, self.edit_id, self.edit = kind, row["id"], dict(row)
        self._clear(FORM)
        self.dialog_open = True
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
        if kind not in KINDS:
            return None

        def save_now():
            if kind == "type":
                args = (text["name"], text["description"], text["algorithm"] or "none",
                        text["match"], case_sensitive)
                if item_id:
                    return taxonomy_admin.update_type(user, item_id, *args, client=client)
                return taxonomy_admin.create_type(user, *args, client=client)
            if kind == "tag":
                args = (text["name"], text["color"] or "gray", text["description"],
                        text["algorithm"] or "none", text["match"], case_sensitive)
                if item_id:
                    return taxonomy_admin.update_tag(user, item_id, *args, client=client)
                return taxonomy_admin.create_tag(user, *args, client=client)
            args = (text["key"], text["label"], text["kind"] or "text", text["description"])
            if item_id:
                return taxonomy_admin.update_field(user, item_id, *args, client=client)
            return taxonomy_admin.create_field(user, *args, client=client)

        def saved(_):
            self.dialog_open = False
            self._reload(user)

        return self._submit(FORM, save_now, "taxonomy.saved", then=saved)

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

    # --- a rule applied to the stored documents ------------------------------------------

    @rx.event(background=True)
    async def preview_apply(self, kind: str, item_id: int):
        """Count what applying the rule would change (every stored text is read: off the
        event loop, the dialog showing it is counting meanwhile)."""
        async with self:
            actor, refused = admin_or_refuse(self, "TaxonomyAdminState.preview_apply")
            if actor is None:
                return refused
            if self.previewing:
                return None
            self.previewing, self.apply_open = True, True
            self.apply = {"kind": kind, "id": int(item_id), "name": "", "ready": False}
        try:
            found = await asyncio.to_thread(taxonomy_apply.preview, actor, kind, int(item_id))
        except TaxonomyError as exc:
            async with self:
                self.previewing, self.apply_open = False, False
            return rx.toast.error(self._error_text(exc))
        async with self:
            self.previewing = False
            self.apply = {**asdict(found), "id": found.item_id, "ready": True}
        return None

    @rx.event
    @admin_only
    def apply_changed(self, is_open: bool, *, user: User):
        self.apply_open = bool(is_open) and self.apply_open
        return None

    @rx.event
    @admin_only
    @while_busy("saving")
    def confirm_apply(self, *, user: User):
        if not self.apply_open or not self.apply.get("ready"):
            return None  # sent by the first click already
        self.apply_open = False
        try:
            sent = taxonomy_apply.request(user, str(self.apply["kind"]), int(self.apply["id"]),
                                          self._client())
        except (TaxonomyError, Forbidden) as exc:
            return rx.toast.error(self._error_text(exc))
        return rx.toast.success(self._t("taxonomy.apply_started", n=sent.changing,
                                        name=sent.name))


# --- components ------------------------------------------------------------------------------
