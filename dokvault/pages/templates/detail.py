"""/templates/<uid>: one template, previewed in a sandboxed frame (no script runs there,
whatever the HTML says), its versions (view and restore one), and for its editors the
form that saves a new version. /templates/new makes one."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import reflex as rx

from dokvault.components.layout import LONG_NAME, page_frame
from dokvault.models import Role, User
from dokvault.pages.templates.fields import category_and_office
from dokvault.services.access import Forbidden
from dokvault.services.admin import offices
from dokvault.services.templates import hub, sanitize
from dokvault.state import busy
from dokvault.state.base import AppState
from dokvault.state.busy import while_busy
from dokvault.state.guards import signed_in

NEW = "new"
ORGANISATION = "org"


class TemplateState(AppState):
    tpl_uid: str = ""
    title: str = ""
    category: str = ""
    office: str = ""
    version: int = 0
    updated_at: str = ""
    can_edit: bool = False
    versions: list[dict[str, Any]] = []
    shown_version: int = 0
    not_found: bool = False
    editing: bool = False
    # The form's values, kept in the state (a reload in the middle keeps them).
    draft_title: str = ""
    draft_category: str = ""
    draft_office: str = ORGANISATION
    draft_html: str = ""
    office_choices: list[dict[str, str]] = []
    categories: list[str] = []
    saving: bool = False
    restoring: bool = False
    deleting: bool = False
    _draft_of: str = ""  # the template the draft belongs to
    _saved: str = ""  # the form this tab saved last ("<fingerprint>@<time>"): its double click

    def _path_uid(self) -> str:
        return self.router.url.path.rstrip("/").rsplit("/", 1)[-1]

    def _choices(self, user: User) -> None:
        everyone = [{"id": str(o.id), "name": o.name} for o in offices.list_offices()]
        if user.role == Role.ADMIN:
            self.office_choices = [{"id": ORGANISATION, "name": self._t("tpl.organisation")},
                                   *everyone]
        else:
            self.office_choices = [o for o in everyone if o["id"] == str(user.office_id)]
        self.categories = hub.categories()

    def _show(self, user: User, uid: str) -> bool:
        detail = hub.get_template(user, uid)
        self.not_found = detail is None
        if detail is None:
            return False
        self.tpl_uid, self.title, self.category = detail.uid, detail.title, detail.category
        self.office, self.version, self.updated_at = detail.office, detail.version, detail.updated_at
        self.can_edit = detail.can_edit
        self.versions = [asdict(v) for v in detail.versions]
        self.shown_version = detail.version
        return True

    def _draft_from_current(self, detail_office_id: int | None) -> None:
        self.draft_title, self.draft_category = self.title, self.category
        self.draft_office = str(detail_office_id) if detail_office_id else ORGANISATION
        self.draft_html = hub.version_html(self.tpl_uid) or ""
        self._draft_of = self.tpl_uid

    @rx.event
    @signed_in
    def load(self, *, user: User):
        uid = self._path_uid()
        self._choices(user)
        if uid == NEW:
            if not hub.may_create(user):
                return [rx.redirect("/templates", replace=True),
                        rx.toast.error(self._t("error.forbidden"))]
            self.tpl_uid, self.not_found, self.editing, self.can_edit = NEW, False, True, True
            self.title, self.versions, self.version = "", [], 0
            if self._draft_of != NEW:  # a reload keeps what was typed
                self.draft_title = self.draft_category = self.draft_html = ""
                self.draft_office = self.office_choices[0]["id"] if self.office_choices else ""
                self._draft_of = NEW
            return None
        if not self._show(user, uid):
            return None
        self.editing = self.editing and self._draft_of == uid and self.can_edit
        return None

    @rx.event
    @signed_in
    def start_editing(self, *, user: User):
        detail = hub.get_template(user, self.tpl_uid)
        if detail is None or not detail.can_edit:
            return rx.toast.error(self._t("error.forbidden"))
        self._draft_from_current(detail.office_id)
        self.editing = True
        return None

    @rx.event
    def stop_editing(self):
        self.editing = False
        self._draft_of = ""
        if self.tpl_uid == NEW:
            return rx.redirect("/templates")
        return None

    @rx.event
    def keep_draft(self, field: str, value: str):
        """A field left: its value kept, so a reload does not lose it."""
        if field in ("title", "category", "html", "office"):
            setattr(self, f"draft_{field}", value[:sanitize.MAX_HTML])

    @rx.event
    @signed_in
    @while_busy("saving")
    def save(self, form: dict, *, user: User):
        office = str(form.get("office", self.draft_office))
        for field in ("title", "category", "html"):
            setattr(self, f"draft_{field}", str(form.get(field, "")))
        self.draft_office = office
        sent = busy.fingerprint(self.tpl_uid, office, self.draft_title, self.draft_category,
                                self.draft_html)
        if busy.is_repeat(self._saved, sent):
            return None  # the same form a moment ago: one template, one version
        try:
            saved = hub.save_template(
                user, None if self.tpl_uid == NEW else self.tpl_uid, title=self.draft_title,
                category=self.draft_category, html=self.draft_html,
                office_id=int(office) if office.isdigit() else None, client=self._client())
        except Forbidden as exc:
            return rx.toast.error(self._t(exc.code))
        self._saved = busy.stamp(sent)
        notes = []
        if saved.cleaned:
            notes.append(rx.toast.warning(self._t("tpl.cleaned"), duration=10000))
        self.editing, self._draft_of = False, ""
        if self.tpl_uid == NEW:
            return [rx.redirect(f"/templates/{saved.uid}"),
                    rx.toast.success(self._t("tpl.created")), *notes]
        self._show(user, saved.uid)
        key = "tpl.saved" if saved.changed else "tpl.unchanged"
        return [rx.toast.success(self._t(key, version=saved.version)), *notes]

    @rx.event
    def show_version(self, version: int):
        self.shown_version = int(version)

    @rx.event
    @signed_in
    @while_busy("restoring")
    def restore(self, version: int, *, user: User):
        try:
            saved = hub.restore_version(user, self.tpl_uid, int(version), self._client())
        except Forbidden as exc:
            return rx.toast.error(self._t(exc.code))
        self._show(user, self.tpl_uid)
        if not saved.changed:
            return None
        return rx.toast.success(self._t("tpl.restored", old=int(version), version=saved.version))

    @rx.event
    @signed_in
    @while_busy("deleting")
    def delete(self, *, user: User):
        try:
            hub.delete_template(user, self.tpl_uid, self._client())
        except Forbidden as exc:
            return rx.toast.error(self._t(exc.code))
        return [rx.redirect("/templates"), rx.toast.success(self._t("tpl.deleted"))]

    @rx.var
    def preview_url(self) -> str:
        return f"/api/templates/{self.tpl_uid}/preview?version={self.shown_version}"


def _editor() -> rx.Component:
    tr = AppState.tr
    state = TemplateState
    return rx.form(
        rx.vstack(
            rx.text(tr["tpl.field_title"], size="2", weight="medium"),
            rx.input(name="title", default_value=state.draft_title, required=True,
                     max_length=hub.MAX_TITLE, width="100%", id="template-title",
                     on_blur=lambda v: TemplateState.keep_draft("title", v)),
            category_and_office(
                prefix="template", category=state.draft_category, categories=state.categories,
                on_category=lambda v: TemplateState.keep_draft("category", v),
                office_choices=state.office_choices, office_default=state.draft_office,
                office_on_change=lambda v: TemplateState.keep_draft("office", v), named=True),
            rx.text(tr["tpl.field_html"], size="2", weight="medium"),
            rx.text(tr["tpl.html_hint"], size="1", color_scheme="gray"),
            rx.text_area(name="html", default_value=state.draft_html, rows="18", width="100%",
                         font_family="monospace", id="template-html",
                         on_blur=lambda v: TemplateState.keep_draft("html", v)),
            rx.hstack(
                rx.button(rx.icon("save", size=16), tr["tpl.save"], type="submit",
                          loading=state.saving, id="save-template"),
                rx.button(tr["tpl.cancel"], type="button", variant="soft", color_scheme="gray",
                          on_click=TemplateState.stop_editing, id="cancel-template"),
                spacing="3",
            ),
            spacing="2",
            width="100%",
        ),
        on_submit=TemplateState.save,
        width="100%",
        id="template-form",
    )


def _preview() -> rx.Component:
    return rx.el.iframe(
        src=TemplateState.preview_url,
        # No allowance at all: no script, no same origin, no forms, no pop-ups.
        sandbox="",
        title=AppState.tr["tpl.preview"],
        referrer_policy="no-referrer",
        width="100%",
        height="560px",
        style={"border": f"1px solid {rx.color('gray', 6)}", "borderRadius": "8px",
               "background": "white"},
        id="template-preview",
    )


def _versions() -> rx.Component:
    tr = AppState.tr
    return rx.vstack(
        rx.heading(tr["tpl.versions"], size="4"),
        rx.foreach(TemplateState.versions, lambda v: rx.hstack(
            rx.badge(tr["tpl.version_n"].to(str).replace("{n}", v["version"].to(str)),
                     variant=rx.cond(v["version"] == TemplateState.shown_version, "solid", "soft")),
            rx.text(v["saved_at"], " · ", v["saved_by"], size="1", color_scheme="gray"),
            rx.cond(v["restored_from"].to(int) > 0,
                    rx.text(tr["tpl.restored_from"].to(str).replace(
                        "{n}", v["restored_from"].to(str)), size="1", color_scheme="gray")),
            rx.spacer(),
            rx.button(tr["tpl.view"], size="1", variant="ghost",
                      on_click=TemplateState.show_version(v["version"]), class_name="view-version"),
            rx.cond(TemplateState.can_edit & (v["version"] != TemplateState.version),
                    rx.button(tr["tpl.restore"], size="1", variant="soft",
                              disabled=TemplateState.restoring,
                              on_click=TemplateState.restore(v["version"]),
                              class_name="restore-version")),
            align="center", wrap="wrap", width="100%", class_name="version-row",
        )),
        spacing="2", width="100%",
    )


def _delete_button() -> rx.Component:
    tr = AppState.tr
    return rx.alert_dialog.root(
        rx.alert_dialog.trigger(rx.button(rx.icon("trash-2", size=16), tr["tpl.delete"],
                                          variant="soft", color_scheme="red",
                                          id="delete-template")),
        rx.alert_dialog.content(
            rx.alert_dialog.title(tr["tpl.delete_title"]),
            rx.alert_dialog.description(tr["tpl.delete_confirm"]),
            rx.hstack(
                rx.alert_dialog.cancel(rx.button(tr["tpl.cancel"], variant="soft",
                                                 color_scheme="gray")),
                rx.alert_dialog.action(rx.button(tr["tpl.delete"], color_scheme="red",
                                                 loading=TemplateState.deleting,
                                                 on_click=TemplateState.delete,
                                                 id="confirm-delete-template")),
                spacing="3", justify="end", padding_top="1em",
            ),
        ),
    )


def _viewing() -> rx.Component:
    tr = AppState.tr
    state = TemplateState
    return rx.vstack(
        rx.hstack(
            rx.heading(state.title, size="6", id="template-heading", style=LONG_NAME),
            rx.cond(state.category != "", rx.badge(state.category, size="2")),
            align="center", wrap="wrap", spacing="3",
        ),
        rx.text(rx.cond(state.office != "", state.office, tr["tpl.organisation"]), " · ",
                tr["tpl.version_n"].to(str).replace("{n}", state.version.to(str)), " · ",
                state.updated_at, size="2", color_scheme="gray"),
        rx.cond(state.can_edit, rx.hstack(
            rx.button(rx.icon("pencil", size=16), tr["tpl.edit"],
                      on_click=TemplateState.start_editing, id="edit-template"),
            _delete_button(),
            spacing="3")),
        rx.cond(state.shown_version != state.version, rx.callout(
            tr["tpl.showing_old"].to(str).replace("{n}", state.shown_version.to(str)),
            icon="history", color_scheme="amber", id="showing-old-version")),
        _preview(),
        _versions(),
        spacing="4", width="100%",
    )


def template_page() -> rx.Component:
    tr = AppState.tr
    return page_frame(
        rx.link(rx.hstack(rx.icon("arrow-left", size=16), tr["tpl.back"], align="center"),
                href="/templates", size="2"),
        rx.cond(
            TemplateState.not_found,
            rx.callout(tr["tpl.not_found"], icon="triangle-alert", color_scheme="red",
                       id="template-not-found"),
            rx.cond(
                TemplateState.editing,
                rx.vstack(rx.heading(rx.cond(TemplateState.tpl_uid == NEW, tr["tpl.new"],
                                             tr["tpl.edit"]), size="6"),
                          _editor(), spacing="4", width="100%"),
                rx.cond((TemplateState.tpl_uid != "") & (TemplateState.tpl_uid != NEW)
                        & (TemplateState.version > 0), _viewing(),
                        rx.center(rx.spinner(size="3"), height="40vh")),
            ),
        ),
    )
