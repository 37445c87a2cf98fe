"""A system's settings as the admin pages list them (Integrasjoner, Utgående e-post): the
setting's name (an environment variable, or an i18n key) and its value, where a secret is
only ever the key "integrations.secret_set" or "integrations.secret_unset", in words."""

from __future__ import annotations

import reflex as rx

from dokvault.state.base import AppState

WORDS = "integrations."  # a name or value starting so is an i18n key


def setting_view(name: str, value: str) -> dict[str, str]:
    """A (name, value) pair as the page's state holds it."""
    words = value.startswith(WORDS)
    return {"name": name, "name_key": name if name.startswith(WORDS) else "",
            "value": "" if words else value, "value_key": value if words else ""}


def setting_row(setting: rx.Var) -> rx.Component:
    tr = AppState.tr
    name = rx.cond(setting["name_key"].to(str) != "", tr[setting["name_key"].to(str)], setting["name"])
    value = rx.cond(setting["value_key"].to(str) != "", tr[setting["value_key"].to(str)],
                    rx.cond(setting["value"].to(str) != "", setting["value"], tr["integrations.empty_value"]))
    return rx.data_list.item(
        rx.data_list.label(rx.code(name, size="1", variant="ghost"), min_width="12em"),
        rx.data_list.value(rx.text(value, size="1", style={"overflowWrap": "anywhere"})),
        class_name="setting",
    )
