"""/admin/mail, Utgående e-post: the chosen MAIL_TRANSPORT and its settings (secrets only as
"set"), what is missing, and a form that sends a test mail at once (services/ops/mail_test.py:
the address checked on the server, the error beside it; a refusal of the server in words;
audited). On the log transport the page says that no mail leaves, and offers no sending.

Element ids: #mail-transport (data-transport), #mail-settings, #mail-log-note, #mail-missing,
the form #mailtest-form with #mailtest-to, #mailtest-to-error, #mailtest-error, #mailtest-save."""

from __future__ import annotations

import reflex as rx

from dokvault.components.admin_form import admin_form, form_field
from dokvault.components.layout import page_frame
from dokvault.components.settings_list import setting_row, setting_view
from dokvault.models import User
from dokvault.services.ops import mail_test
from dokvault.state.base import AppState
from dokvault.state.busy import while_busy
from dokvault.state.forms import AdminForm
from dokvault.state.guards import admin_only

FORM = "mailtest"


class MailState(AdminForm, AppState):
    transport: str = ""
    delivers: bool = False
    settings: list[dict[str, str]] = []
    missing: list[str] = []
    to: str = ""  # the form's address: the admin's own at first
    form_version: int = 0

    def _show(self, user: User) -> None:
        current = mail_test.transport(user)
        self.transport, self.delivers = current.name, current.delivers
        self.settings = [setting_view(n, v) for n, v in current.settings]
        self.missing = list(current.missing)

    @rx.event
    @admin_only
    def load(self, *, user: User):
        self._clear(FORM)
        self._show(user)
        self.to = user.email
        self.form_version += 1
        return None

    @rx.event
    @admin_only
    @while_busy("saving")
    def send(self, form: dict, *, user: User):
        to = str(form.get("to", ""))[:400]
        self.to = to
        return self._submit(FORM, lambda: mail_test.send_test(user, to, self.lang, self._client()),
                            "mailpage.sent", to=to.strip().lower())


def mail_page() -> rx.Component:
    tr, state = AppState.tr, MailState
    return page_frame(
        rx.heading(tr["mailpage.title"], size="7"),
        rx.text(tr["mailpage.hint"], size="2", color_scheme="gray"),
        rx.card(rx.vstack(
            rx.hstack(
                rx.text(tr["mailpage.transport"], size="2", weight="medium"),
                rx.badge(tr["mailpage.transport." + state.transport], size="2",
                         color_scheme=rx.cond(state.delivers, "green", "amber"),
                         id="mail-transport", data_transport=state.transport),
                spacing="3", align="center",
            ),
            rx.cond(~state.delivers & (state.transport != ""), rx.callout(
                tr["mailpage.log_note"], icon="mail-x", color_scheme="amber", width="100%",
                id="mail-log-note")),
            rx.cond(state.missing.length() > 0, rx.vstack(
                rx.text(tr["mailpage.missing"], size="1"),
                rx.hstack(rx.foreach(state.missing, lambda m: rx.code(m, size="1")), wrap="wrap",
                          spacing="1"),
                spacing="1", id="mail-missing")),
            rx.data_list.root(rx.foreach(state.settings, setting_row), size="1", id="mail-settings"),
            rx.link(rx.hstack(rx.text(tr["integrations.title"], size="1"), rx.icon("arrow-right", size=12),
                              spacing="1", align="center"), href="/admin/integrations"),
            spacing="3", width="100%",
        ), width="100%", max_width="720px"),
        rx.cond(state.delivers, rx.card(
            admin_form(
                state, FORM,
                rx.heading(tr["mailpage.test_title"], size="4"),
                rx.text(tr["mailpage.test_hint"], size="2", color_scheme="gray"),
                form_field(state, FORM, "to", "mailpage.to",
                           rx.input(name="to", default_value=state.to, max_length=320,
                                    id="mailtest-to", width="100%", type="text")),
                on_submit=state.send, submit_key="mailpage.send", submit_icon="send",
                key=state.form_version.to(str),
            ),
            width="100%", max_width="720px",
        )),
    )
