"""The analytics page's state: the filters from the URL (every change is a new URL), the
charts the viewer may see as views (state/chart_view.py), in each language of the catalogue
so that the language switch redraws their series names, labels and tables at once, and
their CSV downloads (in the language being read)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

import reflex as rx

from dokvault.i18n import LANGUAGES
from dokvault.models import Role, User
from dokvault.services import analytics
from dokvault.services.analytics import Filters, filters
from dokvault.state.base import AppState
from dokvault.state.chart_view import view
from dokvault.state.guards import signed_in

PATH = "/analytics"
ALL = "all"  # a select's "no filter" (an item cannot have an empty value)
STAGES = ("upload", "extraction", "ocr", "classification")
PRESETS = ("30", "90", "365", "year")


class AnalyticsState(AppState):
    by_lang: dict[str, dict[str, dict[str, Any]]] = {}  # language -> chart name -> its view
    start: str = ""
    end: str = ""
    bucket: str = "week"
    office: str = ALL
    doc_type: str = ALL
    offices: list[dict[str, str]] = []
    types: list[dict[str, str]] = []
    scope_key: str = "analytics.scope.broker"
    stage: str = "extraction"
    loaded: bool = False
    _csv: dict[str, dict[str, str]] = {}  # language -> chart name -> CSV
    _filters: dict[str, str] = {}

    @rx.var
    def charts(self) -> dict[str, dict[str, Any]]:
        """The charts in the language being read."""
        return self.by_lang.get(self.lang) or self.by_lang.get("nb", {})

    @rx.var
    def stages(self) -> list[str]:
        """The stages measured in the range (the processing chart's choices)."""
        keys = {s["key"] for s in self.charts.get("processing", {}).get("series", [])}
        return [stage for stage in STAGES if f"{stage}_p50" in keys]

    @rx.var
    def stage_lines(self) -> list[dict[str, str]]:
        """The chosen stage's two series (p50, p95)."""
        wanted = (f"{self.stage}_p50", f"{self.stage}_p95")
        return [s for s in self.charts.get("processing", {}).get("series", []) if s["key"] in wanted]

    @rx.event
    @signed_in
    def load(self, *, user: User):
        chosen = Filters.from_params(self.router.url.query_parameters)
        self._apply(user, chosen)

    def _apply(self, user: User, chosen: Filters) -> None:
        self._filters = chosen.params()
        self.start, self.end, self.bucket = chosen.start.isoformat(), chosen.end.isoformat(), chosen.bucket
        self.office = str(chosen.office_id or ALL)
        self.doc_type = str(chosen.type_id or ALL)
        offices, types = filters.choices()
        self.offices = [{"id": str(i), "name": n} for i, n in offices]
        self.types = [{"id": str(i), "name": n} for i, n in types]
        self.scope_key = {Role.ADMIN: "analytics.scope.admin",
                          Role.OFFICE_MANAGER: "analytics.scope.manager"}.get(
            user.role, "analytics.scope.broker")
        by_lang: dict[str, dict[str, dict[str, Any]]] = {lang: {} for lang in LANGUAGES}
        csvs: dict[str, dict[str, str]] = {lang: {} for lang in LANGUAGES}
        for name in analytics.views_for(user):
            chart = analytics.chart(user, name, chosen)
            for lang in LANGUAGES:
                shown = view(chart, chosen.bucket, lang, name)
                csvs[lang][name] = shown.pop("csv")
                by_lang[lang][name] = shown
        self.by_lang, self._csv = by_lang, csvs
        if self.stage not in self.stages and self.stages:
            self.stage = self.stages[0]
        self.loaded = True

    def _go(self, **changes: str):
        """The page at the URL of the current filters with `changes` (None drops one)."""
        wanted = {**self._filters, **changes}
        query = urlencode({k: v for k, v in wanted.items() if v and v != ALL})
        return rx.redirect(f"{PATH}?{query}", replace=True)

    @rx.event
    def set_bucket(self, value: str | list[str]):
        return self._go(bucket=str(value))

    @rx.event
    def set_office(self, value: str):
        return self._go(office=str(value))

    @rx.event
    def set_type(self, value: str):
        return self._go(type=str(value))

    @rx.event
    def set_start(self, value: str):
        return self._go(**{"from": str(value)}) if value else None

    @rx.event
    def set_end(self, value: str):
        return self._go(to=str(value)) if value else None

    @rx.event
    def preset(self, value: str):
        today = filters.today()
        if value not in PRESETS:
            return None
        start = date(today.year, 1, 1) if value == "year" else today - timedelta(days=int(value) - 1)
        bucket = "day" if value == "30" else "month" if value == "365" else "week"
        return self._go(**{"from": start.isoformat(), "to": today.isoformat(), "bucket": bucket})

    @rx.event
    def reset_filters(self):
        return rx.redirect(PATH, replace=True)

    @rx.event
    def set_stage(self, value: str):
        if value in STAGES:
            self.stage = value

    @rx.event
    @signed_in
    def export_csv(self, name: str, *, user: User):
        """The chart's figures as shown, as a CSV file (checked again: only what this viewer
        was given)."""
        shown = self._csv.get(self.lang) or self._csv.get("nb", {})
        if name not in shown or name not in analytics.views_for(user):
            return None
        period = f"{self._filters.get('from', '')}_{self._filters.get('to', '')}"
        return rx.download(data=shown[name], filename=f"dokvault-{name}-{period}.csv",
                           mime_type="text/csv")
