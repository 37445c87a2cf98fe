"""The category and office a template goes into, as the editor and the import from the
network share ask for them: a category typed or picked from those in use, and an office
from those the person may choose (the whole organisation among them for an admin)."""

from __future__ import annotations

import reflex as rx

from dokvault.services.templates import hub
from dokvault.state.base import AppState


def category_and_office(*, prefix: str, category: rx.Var, categories: rx.Var, on_category,
                        office_choices: rx.Var, office_on_change, office: rx.Var | None = None,
                        office_default: rx.Var | None = None, named: bool = False) -> rx.Component:
    """Ids `{prefix}-category`, `{prefix}-categories` and `{prefix}-office`; `named`: form
    fields `category` and `office` (the editor's form sends them)."""
    tr = AppState.tr
    names = {"name": "category"} if named else {}
    select = {"value": office} if office is not None else {"default_value": office_default}
    return rx.hstack(
        rx.vstack(
            rx.text(tr["tpl.field_category"], size="2", weight="medium"),
            rx.input(default_value=category, max_length=hub.MAX_CATEGORY, list=f"{prefix}-categories",
                     id=f"{prefix}-category", width="16em", on_blur=on_category, **names),
            rx.el.datalist(rx.foreach(categories, lambda c: rx.el.option(value=c)),
                           id=f"{prefix}-categories"),
            spacing="1"),
        rx.vstack(
            rx.text(tr["tpl.field_office"], size="2", weight="medium"),
            rx.select.root(
                rx.select.trigger(id=f"{prefix}-office", min_width="12em"),
                rx.select.content(rx.foreach(office_choices,
                                             lambda o: rx.select.item(o["name"], value=o["id"]))),
                on_change=office_on_change, **select, **({"name": "office"} if named else {})),
            spacing="1"),
        spacing="4", wrap="wrap",
    )
