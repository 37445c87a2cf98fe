"""Charts drawn with Reflex's recharts components, each in a card with a table view, a CSV
export and an empty state that says why it is empty. A chart is a `view` dict of the page's
state (state/chart_view.py): its points, series (key, name, colour), table rows and texts.

Element ids for browser tests: #chart-<name> (the card, data-empty="true" when empty),
.chart-empty, #view-chart-<name> and #view-table-<name> (the tabs), #table-<name>,
#csv-<name> (the download button), .recharts-wrapper around a drawn chart."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import reflex as rx

from dokvault.state.base import AppState

HEIGHT = 280
AXIS = {"tick_line": False, "axis_line": False, "tick": {"fontSize": 12}, "stroke": rx.color("gray", 10)}
TOOLTIP = {
    "content_style": {"background": rx.color("gray", 1), "border": f"1px solid {rx.color('gray', 5)}",
                      "border_radius": "8px", "font_size": "13px"},
    "cursor": {"fill": rx.color("gray", 3)},
}


def _series(view: rx.Var) -> rx.Var:
    return view["series"].to(list[dict[str, str]])


def _points(view: rx.Var) -> rx.Var:
    return view["points"].to(list[dict[str, Any]])


def _grid() -> rx.Component:
    return rx.recharts.cartesian_grid(stroke_dasharray="3 3", vertical=False, stroke=rx.color("gray", 5))


def _legend() -> rx.Component:
    return rx.recharts.legend(icon_type="circle", icon_size=9, wrapper_style={"font_size": "12px"})


def bars(view: rx.Var, stacked: bool = True) -> rx.Component:
    """Bars per time bucket, one colour per series; stacked when the series add up."""
    return rx.recharts.bar_chart(
        _grid(),
        rx.recharts.x_axis(data_key="label", min_tick_gap=8, **AXIS),
        rx.recharts.y_axis(allow_decimals=False, width=44, **AXIS),
        rx.recharts.graphing_tooltip(**TOOLTIP),
        _legend(),
        rx.foreach(_series(view), lambda s: rx.recharts.bar(
            data_key=s["key"], name=s["name"], fill=s["color"], stack_id="a" if stacked else None,
            max_bar_size=36, is_animation_active=False)),
        data=_points(view),
        bar_category_gap="18%",
    )


def category_bars(view: rx.Var) -> rx.Component:
    """Horizontal bars, one per category (an office, a type), longest first."""
    return rx.recharts.bar_chart(
        rx.recharts.cartesian_grid(stroke_dasharray="3 3", horizontal=False, stroke=rx.color("gray", 5)),
        rx.recharts.x_axis(type_="number", unit=view["short_unit"].to(str), **AXIS),
        rx.recharts.y_axis(data_key="label", type_="category", width=170, interval=0,
                           **{**AXIS, "tick": {"fontSize": 11}}),
        rx.recharts.graphing_tooltip(**TOOLTIP),
        rx.foreach(_series(view), lambda s: rx.recharts.bar(
            data_key=s["key"], name=view["unit"].to(str), fill=s["color"], radius=[0, 4, 4, 0],
            max_bar_size=26, is_animation_active=False)),
        data=_points(view),
        layout="vertical",
    )


def lines(view: rx.Var, keys: list[rx.Var] | None = None, domain: list | None = None) -> rx.Component:
    """A line per series (or only those whose key is in `keys`); gaps where nothing was
    measured."""
    def line(s: rx.Var) -> rx.Component:
        return rx.recharts.line(data_key=s["key"], name=s["name"], stroke=s["color"], stroke_width=2,
                                dot={"r": 2}, type_="monotone", connect_nulls=False,
                                is_animation_active=False)

    drawn = [line({"key": k, "name": n, "color": c}) for k, n, c in keys] if keys else \
        [rx.foreach(_series(view), line)]
    return rx.recharts.line_chart(
        _grid(),
        rx.recharts.x_axis(data_key="label", min_tick_gap=8, **AXIS),
        rx.recharts.y_axis(width=56, unit=view["short_unit"].to(str), **AXIS,
                           **({"domain": domain} if domain else {})),
        rx.recharts.graphing_tooltip(**TOOLTIP),
        _legend(),
        *drawn,
        data=_points(view),
    )


def data_table(view: rx.Var, name: str) -> rx.Component:
    return rx.box(
        rx.table.root(
            rx.table.header(rx.table.row(
                rx.table.column_header_cell(""),
                rx.foreach(view["columns"].to(list[str]),
                           lambda c: rx.table.column_header_cell(c, text_align="right")),
            )),
            rx.table.body(rx.foreach(view["rows"].to(list[dict[str, Any]]), lambda row: rx.table.row(
                rx.table.row_header_cell(row["label"], white_space="nowrap"),
                rx.foreach(row["cells"].to(list[str]),
                           lambda v: rx.table.cell(v, text_align="right", white_space="nowrap")),
            ))),
            size="1",
            variant="ghost",
            id=f"table-{name}",
            width="100%",
        ),
        max_height=f"{HEIGHT + 40}px",
        overflow="auto",
        width="100%",
    )


def empty_state(text: rx.Var) -> rx.Component:
    return rx.center(
        rx.vstack(
            rx.icon("chart-no-axes-column", size=30, color=rx.color("gray", 8)),
            rx.text(text, size="2", color_scheme="gray", text_align="center", max_width="34em"),
            align="center",
            spacing="2",
        ),
        min_height="200px",
        width="100%",
        border=f"1px dashed {rx.color('gray', 6)}",
        border_radius="10px",
        padding="1.5em",
        background=rx.color("gray", 2),
        class_name="chart-empty",
    )


def chart_card(name: str, view: rx.Var, title: rx.Var | str, drawing: rx.Component,
               on_csv: Callable[[], Any], *, subtitle: rx.Var | str | None = None,
               extra: rx.Component | None = None, **props) -> rx.Component:
    """A chart with its table, CSV export and empty state, in a card."""
    tr = AppState.tr
    has_data = view["has_data"].to(bool)
    header = rx.hstack(
        rx.vstack(
            rx.heading(title, size="3", weight="medium"),
            *([rx.text(subtitle, size="1", color_scheme="gray")] if subtitle is not None else []),
            spacing="1",
        ),
        rx.spacer(),
        rx.cond(has_data, rx.hstack(
            rx.tabs.list(
                rx.tabs.trigger(rx.icon("chart-column", size=14), value="chart",
                                id=f"view-chart-{name}", aria_label=tr["analytics.view.chart"]),
                rx.tabs.trigger(rx.icon("table-2", size=14), value="table",
                                id=f"view-table-{name}", aria_label=tr["analytics.view.table"]),
                size="1",
            ),
            rx.tooltip(rx.icon_button(rx.icon("download", size=14), size="1", variant="soft",
                                      color_scheme="gray", on_click=on_csv, id=f"csv-{name}",
                                      aria_label=tr["analytics.csv_hint"]),
                       content=tr["analytics.csv_hint"]),
            spacing="2",
            align="center",
        )),
        width="100%",
        align="start",
        spacing="3",
    )
    return rx.card(
        rx.tabs.root(
            rx.vstack(
                header,
                extra if extra is not None else rx.fragment(),
                rx.cond(
                    has_data,
                    rx.box(
                        rx.tabs.content(rx.box(drawing, width="100%",
                                               height=view["height"].to(int).to(str) + "px"),
                                        value="chart"),
                        rx.tabs.content(data_table(view, name), value="table"),
                        width="100%",
                    ),
                    empty_state(view["empty"].to(str)),
                ),
                rx.foreach(view["notes"].to(list[str]),
                           lambda n: rx.text(n, size="1", color_scheme="gray")),
                spacing="3",
                width="100%",
            ),
            default_value="chart",
            width="100%",
        ),
        id=f"chart-{name}",
        data_empty=rx.cond(has_data, "false", "true"),
        class_name="chart-card",
        width="100%",
        min_width="0",
        **props,
    )
