"""Analyse: charts of documents over time, storage, processing, classification and
sign-ins, each with a table view, a CSV export and an empty state that says why; the
filters (date range, bucket, office, type) live in the URL.

Element ids for browser tests: #analytics-filters, #filter-from, #filter-to,
#filter-bucket, #filter-office, #filter-type, #filter-reset, .preset-<30|90|365|year>,
#kpi-<documents|storage|reviews|sign_ins>, #stage-select; the charts' own in
components/charts.py (#chart-<name>, #csv-<name>, …)."""

from __future__ import annotations

import reflex as rx

from dokvault.components import charts
from dokvault.components.layout import page_frame
from dokvault.pages.analytics.state import ALL, PRESETS, AnalyticsState
from dokvault.state.base import AppState

TWO_UP = {"columns": rx.breakpoints(initial="1", md="2"), "spacing": "4", "width": "100%"}


def _select(value: rx.Var, on_change, items: rx.Var, all_key: str, element_id: str) -> rx.Component:
    tr = AppState.tr
    return rx.select.root(
        rx.select.trigger(min_width="10em", id=element_id),
        rx.select.content(
            rx.select.item(tr[all_key], value=ALL),
            rx.foreach(items, lambda o: rx.select.item(o["name"], value=o["id"])),
        ),
        value=value,
        on_change=on_change,
        size="2",
    )


def _labelled(label_key: str, control: rx.Component) -> rx.Component:
    return rx.vstack(rx.text(AppState.tr[label_key], size="1", color_scheme="gray", weight="medium"),
                     control, spacing="1")


def filter_bar() -> rx.Component:
    tr = AppState.tr
    s = AnalyticsState
    return rx.card(
        rx.flex(
            rx.hstack(
                *[rx.button(tr[f"analytics.preset.{p}"], size="1", variant="soft", color_scheme="gray",
                            on_click=s.preset(p), class_name=f"preset-{p}") for p in PRESETS],
                spacing="2",
                wrap="wrap",
            ),
            rx.flex(
                _labelled("analytics.from", rx.input(type="date", value=s.start, on_change=s.set_start,
                                                    id="filter-from", size="2")),
                _labelled("analytics.to", rx.input(type="date", value=s.end, on_change=s.set_end,
                                                  id="filter-to", size="2")),
                _labelled("analytics.office", _select(s.office, s.set_office, s.offices,
                                                      "analytics.all_offices", "filter-office")),
                _labelled("analytics.type", _select(s.doc_type, s.set_type, s.types,
                                                    "analytics.all_types", "filter-type")),
                rx.vstack(
                    rx.text("\u00a0", size="1"),
                    rx.segmented_control.root(
                        *[rx.segmented_control.item(tr[f"analytics.bucket.{b}"], value=b)
                          for b in ("day", "week", "month")],
                        value=s.bucket,
                        on_change=s.set_bucket,
                        id="filter-bucket",
                        size="2",
                    ),
                    spacing="1",
                ),
                rx.vstack(
                    rx.text("\u00a0", size="1"),
                    rx.button(rx.icon("rotate-ccw", size=14), tr["analytics.reset"], variant="ghost",
                              size="2", on_click=s.reset_filters, id="filter-reset"),
                    spacing="1",
                ),
                gap="3",
                wrap="wrap",
                align="end",
            ),
            direction="column",
            gap="3",
        ),
        id="analytics-filters",
        width="100%",
    )


def kpi(key: str, value: rx.Var, icon: str, color: str) -> rx.Component:
    return rx.card(
        rx.hstack(
            rx.center(rx.icon(icon, size=18, color=rx.color(color, 11)), width="36px", height="36px",
                      border_radius="10px", background=rx.color(color, 3), flex_shrink="0"),
            rx.vstack(
                rx.text(AppState.tr[f"analytics.kpi.{key}"], size="1", color_scheme="gray"),
                rx.text(value, size="5", weight="bold", class_name="kpi-value"),
                spacing="0",
            ),
            spacing="3",
            align="center",
        ),
        id=f"kpi-{key}",
        width="100%",
    )


def kpis() -> rx.Component:
    c = AnalyticsState.charts
    storage = c["storage_by_office"]
    return rx.grid(
        kpi("documents", c["documents_by_type"]["total"].to(str), "files", "blue"),
        kpi("storage", rx.cond(storage["has_data"].to(bool), storage["total"].to(str), "0 B"),
            "hard-drive", "violet"),
        kpi("reviews", c["acceptance_by_provider"]["total_raw"].to(str), "list-checks", "amber"),
        kpi("sign_ins", c["sign_ins"]["total"].to(str), "log-in", "grass"),
        columns=rx.breakpoints(initial="2", md="4"),
        spacing="3",
        width="100%",
    )


def card(name: str, drawing, **props) -> rx.Component:
    v = AnalyticsState.charts[name]
    return charts.chart_card(name, v, AppState.tr[f"analytics.chart.{name}"], drawing(v),
                             AnalyticsState.export_csv(name), **props)


def processing_card() -> rx.Component:
    s = AnalyticsState
    v = s.charts["processing"]
    picker = rx.select.root(
        rx.select.trigger(id="stage-select", min_width="12em"),
        rx.select.content(rx.foreach(s.stages, lambda st: rx.select.item(
            AppState.tr["analytics.stage." + st], value=st))),
        value=s.stage,
        on_change=s.set_stage,
        size="2",
    )
    drawing = rx.recharts.line_chart(
        charts._grid(),
        rx.recharts.x_axis(data_key="label", min_tick_gap=8, **charts.AXIS),
        rx.recharts.y_axis(width=44, unit=" s", **charts.AXIS),
        rx.recharts.graphing_tooltip(**charts.TOOLTIP),
        charts._legend(),
        rx.foreach(s.stage_lines, lambda line: rx.recharts.line(
            data_key=line["key"], name=line["name"], stroke=line["color"], stroke_width=2,
            dot={"r": 3}, connect_nulls=True, is_animation_active=False)),
        data=v["points"].to(list[dict]),
    )
    return charts.chart_card("processing", v, AppState.tr["analytics.chart.processing"], drawing,
                             s.export_csv("processing"), subtitle=AppState.tr["analytics.note.processing"],
                             extra=rx.cond(v["has_data"].to(bool), picker))


def section(key: str, *children: rx.Component) -> rx.Component:
    return rx.vstack(
        rx.heading(AppState.tr[f"analytics.section.{key}"], size="4", weight="bold",
                   color=rx.color("gray", 12)),
        *children,
        spacing="3",
        width="100%",
        id=f"section-{key}",
    )


def analytics_page() -> rx.Component:
    tr = AppState.tr
    c = AnalyticsState.charts
    return page_frame(
        rx.vstack(
            rx.heading(tr["analytics.title"], size="7"),
            rx.text(tr[AnalyticsState.scope_key], size="2", color_scheme="gray", id="analytics-scope"),
            spacing="1",
        ),
        filter_bar(),
        rx.cond(
            AnalyticsState.loaded,
            rx.vstack(
                kpis(),
                section("documents",
                        card("documents_by_type", charts.bars),
                        rx.grid(card("documents_by_office", charts.bars),
                                card("documents_by_user", charts.bars), **TWO_UP)),
                section("storage",
                        rx.grid(card("storage_by_office", charts.category_bars),
                                card("storage_by_type", charts.category_bars), **TWO_UP)),
                section("processing",
                        processing_card(),
                        rx.cond(c.contains("queue_depth"), card("queue_depth", charts.lines))),
                section("classification",
                        rx.grid(card("acceptance_by_provider", lambda v: charts.lines(v, domain=[0, 100]),
                                     ),
                                card("acceptance_by_field", lambda v: charts.lines(v, domain=[0, 100])),
                                **TWO_UP)),
                section("security", card("sign_ins", lambda v: charts.bars(v, stacked=False))),
                rx.cond(c.contains("sync_history"),
                        section("integrations", card("sync_history", charts.bars))),
                spacing="6",
                width="100%",
            ),
            rx.center(rx.spinner(size="3"), height="40vh", width="100%"),
        ),
    )
