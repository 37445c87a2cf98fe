"""The templates page's state: the list, its search and filters, and whether the person may
make templates or import them from the network share."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import reflex as rx

from dokvault.models import User
from dokvault.services.admin import offices
from dokvault.services.templates import hub, imports
from dokvault.state.base import AppState
from dokvault.state.guards import signed_in

ALL = "all"  # a select item cannot have an empty value
ORGANISATION = "org"


class TemplatesState(AppState):
    templates: list[dict[str, Any]] = []
    categories: list[str] = []
    offices: list[dict[str, str]] = []
    query: str = ""
    category: str = ALL
    office: str = ALL
    can_create: bool = False
    can_import: bool = False  # the network share is configured and the person makes templates
    loaded: bool = False

    def _reload(self, user: User) -> None:
        self.templates = [asdict(t) for t in hub.list_templates(
            user, self.query, "" if self.category == ALL else self.category,
            "" if self.office == ALL else self.office)]
        self.loaded = True

    @rx.event
    @signed_in
    def load(self, *, user: User):
        self.categories = hub.categories()
        self.offices = [{"id": str(o.id), "name": o.name} for o in offices.list_offices()]
        self.can_create = hub.may_create(user)
        self.can_import = imports.available(user)
        self._reload(user)

    @rx.event
    @signed_in
    def search(self, query: str, *, user: User):
        self.query = query[:200]
        self._reload(user)

    @rx.event
    @signed_in
    def choose_category(self, value: str, *, user: User):
        self.category = value
        self._reload(user)

    @rx.event
    @signed_in
    def choose_office(self, value: str, *, user: User):
        self.office = value
        self._reload(user)
