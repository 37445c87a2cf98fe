"""/drives/web (Fra nettet): import a web page, or a site up to a page limit, through
Firecrawl; follow each import's progress and open the documents it made."""

from __future__ import annotations

from typing import Any

import reflex as rx

from dokvault.components.layout import LONG_NAME, page_frame
from dokvault.core import clock, net
from dokvault.models import User
from dokvault.pages.drives.follow import follow
from dokvault.pages.drives.page import tabs
from dokvault.services import drives
from dokvault.services.access import Forbidden
from dokvault.settings import get_settings
from dokvault.state.base import AppState
from dokvault.state.busy import while_busy
from dokvault.state.guards import signed_in

ROUTE = "/drives/web"


class WebImportState(AppState):
    enabled: bool = False
    max_pages: int = 50
    form_error: str = ""
    starting: bool = False
    imports: list[dict[str, Any]] = []
    _watching: bool = False

    def _reload(self, user: User) -> None:
        self.imports = [
            {
                "uid": v.uid,
                "kind": self._t(f"web.kind.{v.kind}"),
                "url": v.url,
                "status": v.status,
                "status_label": self._t(f"drives.transfer_status.{v.status}"),
                "active": v.status in ("queued", "running"),
                "progress": self._t("web.progress", imported=v.imported, limit=v.page_limit),
                "error": self._t(v.error_code, mb=get_settings().max_upload_mb) if v.error_code else "",
                "when": clock.shown(v.created_at),
                "documents": [{"uid": uid, "title": title} for uid, title in v.documents],
            }
            for v in drives.web.recent(user)
        ]

    @rx.event
    @signed_in
    def load(self, *, user: User):
        self.enabled = drives.web.enabled()
        self.max_pages = get_settings().crawl_max_pages
        self.form_error = ""
        self._reload(user)
        return WebImportState.watch

    def _start(self, user: User, form: dict, site: bool):
        try:
            if site:
                drives.web.import_site(user, str(form.get("url") or ""), int(form.get("limit") or 10))
            else:
                drives.web.import_page(user, str(form.get("url") or ""))
        except (drives.WebInputError, net.OutboundRefused, Forbidden, ValueError) as exc:
            code = getattr(exc, "code", "error.web_url")
            self.form_error = self._t(code, **(exc.values if isinstance(exc, net.OutboundRefused) else {}))
            return None
        self.form_error = ""
        self._reload(user)
        return [rx.toast.success(self._t("web.started")), WebImportState.watch]

    @rx.event
    @signed_in
    @while_busy("starting")
    def import_page(self, form: dict, *, user: User):
        return self._start(user, form, site=False)

    @rx.event
    @signed_in
    @while_busy("starting")
    def import_site(self, form: dict, *, user: User):
        return self._start(user, form, site=True)

    @rx.event
    @signed_in
    def cancel(self, uid: str, *, user: User):
        try:
            drives.web.cancel(user, uid)
        except Forbidden as exc:
            return rx.toast.error(self._t(exc.code))
        self._reload(user)
        return rx.toast.info(self._t("web.cancelled"))

    @rx.event(background=True)
    async def watch(self):
        """Refresh the imports each second while one of this person's is running."""
        await follow(self, ROUTE, drives.web.busy, lambda state, user: state._reload(user))


def import_forms() -> rx.Component:
    tr = AppState.tr
    return rx.flex(
        rx.card(
            rx.form(
                rx.vstack(
                    rx.heading(tr["web.page"], size="4"),
                    rx.input(
                        name="url",
                        placeholder=tr["web.url_placeholder"],
                        width="100%",
                        id="web-url",
                        type="url",
                    ),
                    rx.button(
                        rx.icon("globe", size=16),
                        tr["web.import_page"],
                        type="submit",
                        loading=WebImportState.starting,
                        id="web-import-page",
                    ),
                    spacing="2",
                    width="100%",
                ),
                on_submit=WebImportState.import_page,
                reset_on_submit=True,
            ),
            width="100%",
            max_width="520px",
        ),
        rx.card(
            rx.form(
                rx.vstack(
                    rx.heading(tr["web.site"], size="4"),
                    rx.input(
                        name="url",
                        placeholder=tr["web.url_placeholder"],
                        width="100%",
                        id="site-url",
                        type="url",
                    ),
                    rx.hstack(
                        rx.text(tr["web.limit"], size="2"),
                        rx.input(
                            name="limit",
                            type="number",
                            default_value="10",
                            min=1,
                            max=WebImportState.max_pages,
                            width="7em",
                            id="site-limit",
                        ),
                        align="center",
                        spacing="2",
                    ),
                    rx.button(
                        rx.icon("network", size=16),
                        tr["web.import_site"],
                        type="submit",
                        loading=WebImportState.starting,
                        id="web-import-site",
                    ),
                    spacing="2",
                    width="100%",
                ),
                on_submit=WebImportState.import_site,
                reset_on_submit=True,
            ),
            width="100%",
            max_width="520px",
        ),
        gap="1em",
        flex_wrap="wrap",
        width="100%",
    )


def import_card(item: rx.Var) -> rx.Component:
    tr = AppState.tr
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.badge(item["kind"], variant="soft"),
                rx.text(item["url"], weight="medium", style=LONG_NAME),
                rx.badge(item["status_label"], variant="soft", class_name="web-status"),
                rx.spacer(),
                rx.text(item["when"], size="1", color_scheme="gray"),
                width="100%",
                align="center",
                flex_wrap="wrap",
            ),
            rx.text(item["progress"], size="2", class_name="web-progress"),
            rx.cond(
                item["error"] != "",
                rx.text(item["error"], size="2", color_scheme="red", class_name="web-error"),
            ),
            rx.flex(
                rx.foreach(
                    item["documents"].to(list[dict]),
                    lambda d: rx.link(
                        d["title"], href="/documents/" + d["uid"].to(str), size="2", class_name="web-document"
                    ),
                ),
                gap="1em",
                flex_wrap="wrap",
            ),
            rx.cond(
                item["active"],
                rx.button(
                    tr["web.cancel"],
                    size="1",
                    variant="soft",
                    color_scheme="gray",
                    on_click=WebImportState.cancel(item["uid"]),
                    class_name="web-cancel",
                ),
            ),
            spacing="2",
            width="100%",
        ),
        width="100%",
        class_name="web-import",
    )


def web_page() -> rx.Component:
    tr = AppState.tr
    return page_frame(
        rx.heading(tr["drives.title"], size="7"),
        tabs("web"),
        rx.text(tr["web.intro"], color_scheme="gray"),
        rx.cond(WebImportState.enabled, import_forms(), rx.callout(tr["web.off"], icon="info", width="100%")),
        rx.cond(
            WebImportState.form_error != "",
            rx.callout(
                WebImportState.form_error,
                icon="triangle-alert",
                color_scheme="red",
                width="100%",
                id="web-error",
            ),
        ),
        rx.heading(tr["web.imports"], size="4"),
        rx.cond(
            WebImportState.imports.length() > 0,
            rx.vstack(
                rx.foreach(WebImportState.imports, import_card), spacing="3", width="100%", id="web-imports"
            ),
            rx.text(tr["web.none"], color_scheme="gray"),
        ),
    )
