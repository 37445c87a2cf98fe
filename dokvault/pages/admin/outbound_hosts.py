"""/admin/outbound-hosts: the hosts an admin allows the outbound guard to reach over plain
http or at an internal address (an on-premises Nextcloud). One field, the admin form pattern
(state/forms.py); validated, stored and audited by services/admin/outbound_hosts.py."""

from __future__ import annotations

import reflex as rx

from dokvault.components.admin_form import admin_form, form_field
from dokvault.components.layout import page_frame
from dokvault.models import User
from dokvault.services.admin import outbound_hosts
from dokvault.state.base import AppState
from dokvault.state.busy import while_busy
from dokvault.state.forms import AdminForm
from dokvault.state.guards import admin_only

ROUTE = "/admin/outbound-hosts"


class OutboundHostsState(AdminForm, AppState):
    hosts: str = ""  # one a line, as stored
    from_settings: str = ""
    form_version: int = 0  # a new number remounts the form with the stored values

    def _show(self, hosts: list[str]) -> None:
        self.hosts = "\n".join(hosts)
        self.form_version += 1

    @rx.event
    @admin_only
    def load(self, *, user: User):
        self._clear("hosts")
        self._show(outbound_hosts.current())
        self.from_settings = ", ".join(outbound_hosts.from_settings())
        return None

    @rx.event
    @admin_only
    @while_busy("saving")
    def save(self, form: dict, *, user: User):
        return self._submit(
            "hosts", lambda: outbound_hosts.save(user, str(form.get("hosts", ""))[:5000], self._client()),
            "hosts.saved", then=self._show)


def outbound_hosts_page() -> rx.Component:
    tr, state = AppState.tr, OutboundHostsState
    return page_frame(
        rx.heading(tr["hosts.title"], size="7"),
        rx.text(tr["hosts.intro"], size="2", color_scheme="gray", max_width="640px"),
        rx.card(
            admin_form(
                state, "hosts",
                form_field(state, "hosts", "hosts", "hosts.field",
                           rx.text_area(name="hosts", default_value=state.hosts, rows="6",
                                        placeholder="nextcloud.kontor.lan\n10.20.0.15:8080",
                                        id="hosts-hosts", width="100%", font_family="monospace")),
                rx.cond(state.from_settings != "",
                        rx.text(tr["hosts.from_settings"].to(str).replace("{hosts}", state.from_settings),
                                size="1", color_scheme="gray", id="hosts-from-settings")),
                on_submit=state.save, submit_key="hosts.save",
                key=state.form_version.to(str),
            ),
            width="100%", max_width="640px",
        ),
    )
