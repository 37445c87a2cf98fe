"""/s/<link>: the page a share link opens, for anyone who has it, signed in or not. It shows
the document (name, thumbnail, download) and nothing else; or asks for the link's
password; or says plainly why the link no longer works."""

from __future__ import annotations

import reflex as rx

from dokvault.components.auth_card import auth_card
from dokvault.services.sharing import links
from dokvault.state.base import AppState
from dokvault.state.busy import while_busy
from dokvault.state.format import human_size


class SharedLinkState(AppState):
    status: str = ""  # "" while loading; links.OK, NEEDS_PASSWORD or why it is refused
    name: str = ""
    size_label: str = ""
    has_thumbnail: bool = False
    link_token: str = ""  # the secret of the link: it is the page's own address
    grant: str = ""  # proof of the right password, for the file and thumbnail URLs
    error_key: str = ""
    retry_minutes: int = 0
    unlocking: bool = False

    def _token(self) -> str:
        return self.router.url.path.rstrip("/").rsplit("/", 1)[-1][:100]

    def _viewer_id(self) -> int | None:
        """Who opens it, when signed in (for the owner's access list); no one otherwise."""
        user = self._current_user()
        return user.id if user else None

    def _show(self, view: links.LinkView) -> None:
        self.status, self.name, self.grant = view.status, view.name, view.grant
        self.size_label = human_size(view.size) if view.status == links.OK else ""
        self.has_thumbnail = view.has_thumbnail
        self.error_key, self.retry_minutes = view.error, view.retry_minutes

    @rx.event
    def load(self):
        self.link_token = self._token()
        self._show(links.open_link(self.link_token, self._client(), self._viewer_id()))

    @rx.event
    @while_busy("unlocking")
    def unlock(self, form: dict):
        password = str(form.get("password", ""))
        self._show(links.unlock(self.link_token, password, self._client(), self._viewer_id()))

    @rx.var
    def download_url(self) -> str:
        return f"/api/share/{self.link_token}/download?grant={self.grant}"

    @rx.var
    def thumbnail_url(self) -> str:
        return f"/api/share/{self.link_token}/thumbnail?grant={self.grant}"


def _document() -> rx.Component:
    tr = AppState.tr
    state = SharedLinkState
    return rx.vstack(
        rx.cond(
            state.has_thumbnail,
            rx.center(rx.image(src=state.thumbnail_url, max_width="100%", max_height="320px",
                               border_radius="6px", border=f"1px solid {rx.color('gray', 5)}",
                               alt="", id="shared-thumbnail"), width="100%"),
            rx.center(rx.icon("file-text", size=56, color=rx.color("gray", 9)), width="100%",
                      height="160px", background=rx.color("gray", 3), border_radius="6px"),
        ),
        rx.heading(state.name, size="4", id="shared-name", style={"overflow_wrap": "anywhere"}),
        rx.text(state.size_label, size="2", color_scheme="gray"),
        # The browser itself fetches the file (no client-side routing).
        rx.el.a(
            rx.button(rx.icon("download", size=16), tr["share.download"], size="3", width="100%"),
            href=state.download_url,
            custom_attrs={"reloadDocument": True},
            id="shared-download",
            width="100%",
        ),
        spacing="3",
        width="100%",
    )


def _password() -> rx.Component:
    tr = AppState.tr
    return rx.form(
        rx.vstack(
            rx.text(tr["share.password_needed"], size="2"),
            rx.cond(SharedLinkState.error_key != "",
                    rx.callout(tr[SharedLinkState.error_key], icon="circle-alert",
                               color_scheme="red", id="share-error")),
            rx.input(name="password", type="password", required=True, size="3", width="100%",
                     auto_complete="off", placeholder=tr["share.password"], id="share-password"),
            rx.button(tr["share.open"], type="submit", size="3", width="100%",
                      loading=SharedLinkState.unlocking, id="share-unlock"),
            spacing="3",
            width="100%",
        ),
        on_submit=SharedLinkState.unlock,
        reset_on_submit=True,
        width="100%",
    )


def _refused() -> rx.Component:
    status = SharedLinkState.status
    return rx.callout(
        rx.cond(status == links.LIMITED,
                AppState.tr["share.status_limited"].to(str).replace(
                    "{minutes}", SharedLinkState.retry_minutes.to(str)),
                AppState.tr["share.status_" + status.to(str)]),
        icon=rx.cond(status == links.EXPIRED, "clock", "ban"),
        color_scheme="amber",
        id="share-refused",
        class_name="share-status-" + status.to(str),
    )


def shared_link_page() -> rx.Component:
    status = SharedLinkState.status
    return auth_card(
        rx.fragment(),
        "share.public_title",
        rx.match(
            status,
            ("", rx.center(rx.spinner(size="3"), width="100%")),
            (links.OK, _document()),
            (links.NEEDS_PASSWORD, _password()),
            _refused(),
        ),
    )
