"""The templates page's "import from the network share" dialog (admins and office managers,
when the share is configured): browse the share's folders, tick HTML files, choose the
category and office, import. What is imported is what the server listed (kept server-side),
never what a browser says a file is."""

from __future__ import annotations

import reflex as rx

from dokvault.components.layout import LONG_NAME
from dokvault.core import net
from dokvault.models import Role, User
from dokvault.pages.drives.browsing import FolderBrowser, folder_pager
from dokvault.pages.templates.fields import category_and_office
from dokvault.pages.templates.listing_state import ORGANISATION, TemplatesState
from dokvault.services.access import Forbidden
from dokvault.services.admin import offices
from dokvault.services.templates import hub, imports
from dokvault.state.base import AppState
from dokvault.state.busy import while_busy
from dokvault.state.guards import signed_in


class TemplateImportState(FolderBrowser, AppState):
    open: bool = False
    office: str = ""
    office_choices: list[dict[str, str]] = []
    categories: list[str] = []
    category: str = ""
    failed: list[dict[str, str]] = []
    importing: bool = False

    def _error(self, exc: Exception) -> str:
        values = exc.values if isinstance(exc, net.OutboundRefused) else {}
        return self._t(getattr(exc, "code", "error.drive_failed"), **values)

    def _browse_page(self, user: User, folder_id: str | None, token: str | None):
        return imports.browse(user, folder_id, token)

    @rx.event
    @signed_in
    @while_busy("browsing")
    def open_dialog(self, *, user: User):
        if not imports.available(user):
            return rx.toast.error(self._t("error.forbidden"))
        everyone = [{"id": str(o.id), "name": o.name} for o in offices.list_offices(active_only=True)]
        if user.role == Role.ADMIN:
            self.office_choices = [{"id": ORGANISATION, "name": self._t("tpl.organisation")}, *everyone]
            self.office = self.office if any(o["id"] == self.office for o in self.office_choices) \
                else ORGANISATION
        else:
            self.office_choices = [o for o in everyone if o["id"] == str(user.office_id)]
            self.office = str(user.office_id)
        self.categories = hub.categories()
        self.open, self.failed = True, []
        self._start_browsing(self._t("drives.kind.share"))
        self._show(user, None, None)
        return None

    @rx.event
    def close_dialog(self):
        self.open = False

    @rx.event
    def choose_office(self, value: str):
        if any(o["id"] == value for o in self.office_choices):
            self.office = value

    @rx.event
    def keep_category(self, value: str):
        self.category = " ".join(str(value).split())[: hub.MAX_CATEGORY]

    @rx.event
    @signed_in
    @while_busy("importing")
    def import_selected(self, *, user: User):
        chosen = self._chosen()
        if not chosen:  # a double click's second, after the first imported them
            return None
        try:
            outcome = imports.import_files(
                user, chosen, category=self.category,
                office_id=int(self.office) if self.office.isdigit() else None, client=self._client())
        except Forbidden as exc:
            return rx.toast.error(self._t(exc.code))
        self.selected = []
        self.failed = [{"name": name, "reason": self._t(code)} for name, code in outcome.failed]
        done = self._t("tpl.import_done", created=len(outcome.created), updated=len(outcome.updated),
                       unchanged=len(outcome.unchanged))
        self.open = bool(self.failed)  # what failed stays in view, with its reason
        return [rx.toast.success(done), TemplatesState.load]


def _entry(entry: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.cond(
            entry["folder"],
            rx.icon("folder", size=16),
            rx.checkbox(checked=TemplateImportState.selected.contains(entry["id"]),
                        on_change=lambda checked: TemplateImportState.toggle(entry["id"], checked),
                        class_name="import-check"),
        ),
        rx.cond(
            entry["folder"],
            rx.link(entry["name"], on_click=TemplateImportState.open_folder(entry["id"]),
                    cursor="pointer", style=LONG_NAME, class_name="import-folder"),
            rx.text(entry["name"], size="2", style=LONG_NAME, class_name="import-file"),
        ),
        rx.spacer(),
        rx.text(entry["size"], size="1", color_scheme="gray"),
        align="center", width="100%", spacing="2", class_name="import-entry",
    )


def import_dialog() -> rx.Component:
    tr = AppState.tr
    state = TemplateImportState
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(tr["tpl.import_title"]),
            rx.text(tr["tpl.import_hint"], size="2", color_scheme="gray"),
            rx.hstack(
                rx.foreach(state.crumbs, lambda crumb, i: rx.hstack(
                    rx.cond(i > 0, rx.icon("chevron-right", size=14)),
                    rx.link(crumb["name"], on_click=TemplateImportState.open_crumb(i), cursor="pointer",
                            class_name="import-crumb"),
                    spacing="1", align="center")),
                spacing="1", flex_wrap="wrap", align="center", margin_y="0.5em", id="import-crumbs",
            ),
            rx.cond(state.browse_error != "",
                    rx.callout(state.browse_error, icon="triangle-alert", color_scheme="red",
                               id="import-browse-error")),
            rx.scroll_area(
                rx.vstack(
                    rx.foreach(state.entries, _entry),
                    rx.cond((state.entries.length() == 0) & (state.browse_error == ""),
                            rx.text(tr["tpl.import_files"], size="2", color_scheme="gray")),
                    spacing="2", padding_y="0.25em", width="100%",
                ),
                max_height="40vh", type="auto",
            ),
            folder_pager(TemplateImportState, id_prefix="import-folder", size="1"),
            rx.box(category_and_office(
                prefix="import", category=state.category, categories=state.categories,
                on_category=TemplateImportState.keep_category, office_choices=state.office_choices,
                office=state.office, office_on_change=TemplateImportState.choose_office),
                margin_top="0.75em"),
            rx.cond(state.failed.length() > 0, rx.callout(
                rx.vstack(
                    rx.text(tr["tpl.import_failed"], size="2", weight="medium"),
                    rx.foreach(state.failed, lambda f: rx.text(f["name"], ": ", f["reason"], size="1",
                                                               class_name="import-failed")),
                    spacing="1"),
                icon="triangle-alert", color_scheme="amber", margin_top="0.75em", id="import-failures")),
            rx.hstack(
                rx.dialog.close(rx.button(tr["tpl.cancel"], variant="soft", color_scheme="gray")),
                rx.button(rx.icon("download", size=14), tr["tpl.import_button"],
                          rx.badge(state.selected_count),
                          disabled=state.selected_count == 0, loading=state.importing,
                          on_click=TemplateImportState.import_selected, id="import-templates"),
                justify="end", spacing="3", margin_top="1em",
            ),
            max_width="640px",
        ),
        open=state.open,
        on_open_change=lambda _open: TemplateImportState.close_dialog,
    )
