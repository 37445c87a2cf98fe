"""Oversikt, the home page: what waits for the person (or their office, or the firm):
review, uploads being read, failed documents (with a retry), storage used, the latest
documents and this week's by type. Every figure links to the list behind it; the page
updates by itself (state.py).

Element ids for browser tests: #scope-select, #stat-<review|in_progress|failed|storage>
(links, with a .stat-value), #recent (rows .recent-row), #review-list (.dash-review-item),
#in-progress-list, #failed-list (.failed-item), #retry-dashboard, #week (its chart
.recharts-wrapper, links .week-type with data-count), #week-total, #storage-quota (with
data-unlimited), #unread (#unread-count, .unread-item, #unread-none)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from dokvault.components.layout import LONG_NAME, page_frame, status_badge
from dokvault.components.thumbnail import thumbnail
from dokvault.pages.home.state import HomeState
from dokvault.state.base import AppState

B = HomeState.board


def _list(key: str) -> rx.Var:
    return B[key].to(list[dict[str, Any]])


def _link(key: str) -> rx.Var:
    return B["links"].to(dict[str, str])[key]


def stat(key: str, value: rx.Var, icon: str, color: str, detail: rx.Var | None = None,
         below: rx.Component | None = None) -> rx.Component:
    return rx.link(
        rx.card(
            rx.vstack(rx.hstack(
                rx.center(rx.icon(icon, size=20, color=rx.color(color, 11)), width="42px", height="42px",
                          border_radius="12px", background=rx.color(color, 3), flex_shrink="0"),
                rx.vstack(
                    rx.text(AppState.tr[f"dashboard.{key}"], size="2", color_scheme="gray",
                            weight="medium"),
                    rx.hstack(
                        rx.text(value, size="6", weight="bold", class_name="stat-value",
                                color=rx.color("gray", 12)),
                        *([rx.text(detail, size="1", color_scheme="gray")] if detail is not None else []),
                        align="baseline",
                        spacing="2",
                        wrap="wrap",
                    ),
                    spacing="0",
                    min_width="0",
                ),
                spacing="3",
                align="center",
            ), *([below] if below is not None else []), spacing="2", width="100%"),
            width="100%",
            height="100%",
            _hover={"background": rx.color("gray", 2)},
        ),
        href=_link(key),
        underline="none",
        id=f"stat-{key}",
        width="100%",
    )


def panel(title_key: str, link_key: str, *children: rx.Component, **props) -> rx.Component:
    tr = AppState.tr
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading(tr[title_key], size="3", weight="medium"),
                rx.spacer(),
                rx.link(rx.hstack(rx.text(tr["dashboard.see_all"], size="2"), rx.icon("arrow-right", size=14),
                                  spacing="1", align="center"),
                        href=_link(link_key), size="2", class_name="panel-link"),
                width="100%",
                align="center",
            ),
            *children,
            spacing="3",
            width="100%",
        ),
        width="100%",
        min_width="0",
        **props,
    )


def quiet(key: str) -> rx.Component:
    return rx.hstack(rx.icon("circle-check", size=16, color=rx.color("grass", 9)),
                     rx.text(AppState.tr[key], size="2", color_scheme="gray"),
                     spacing="2", align="center", padding_y="0.6em")


def document_line(row: rx.Var, class_name: str, detail: rx.Component) -> rx.Component:
    return rx.hstack(
        thumbnail(row, size="36px"),
        rx.vstack(
            rx.link(row["name"], href="/documents/" + row["uid"].to(str), weight="medium", size="2",
                    style=LONG_NAME),
            detail,
            spacing="1",
            min_width="0",
            flex="1",
        ),
        width="100%",
        align="center",
        spacing="3",
        class_name=class_name,
    )


def recent_panel() -> rx.Component:
    return panel("dashboard.recent", "recent", rx.cond(
        _list("recent").length() > 0,
        rx.vstack(rx.foreach(_list("recent"), lambda row: document_line(row, "recent-row", rx.hstack(
            rx.cond(row["doc_type"] != "", rx.badge(row["doc_type"], variant="soft", size="1")),
            status_badge(row["status"], row["status_key"]),
            rx.text(row["created_at"], size="1", color_scheme="gray"),
            spacing="2", align="center", wrap="wrap"))), spacing="3", width="100%"),
        quiet("dashboard.recent_none"),
    ), id="recent")


def week_panel() -> rx.Component:
    tr = AppState.tr
    chart = rx.recharts.bar_chart(
        rx.recharts.x_axis(type_="number", hide=True, allow_decimals=False),
        rx.recharts.y_axis(data_key="name", type_="category", width=160, tick_line=False,
                           axis_line=False, tick={"fontSize": 11}, interval=0),
        rx.recharts.graphing_tooltip(cursor={"fill": rx.color("gray", 3)}),
        rx.recharts.bar(data_key="count", name=tr["dashboard.week"], fill=rx.color("accent", 9),
                        radius=[0, 4, 4, 0], max_bar_size=18, is_animation_active=False),
        data=HomeState.week,
        layout="vertical",
        height=180,
    )
    return panel("dashboard.week", "week", rx.cond(
        HomeState.week.length() > 0,
        rx.vstack(
            rx.hstack(
                rx.text(B["week_total"].to(str), size="7", weight="bold", id="week-total"),
                rx.text(tr["dashboard.week_since"].to(str).replace("{day}", B["week_since"].to(str)),
                        size="2", color_scheme="gray"),
                align="baseline", spacing="2",
            ),
            rx.box(chart, width="100%", height="180px"),
            rx.flex(rx.foreach(HomeState.week, lambda t: rx.link(
                rx.badge(t["name"], " · ", t["count"].to(str), variant="surface", size="2"),
                href=t["url"], class_name="week-type", data_count=t["count"], underline="none")),
                wrap="wrap", gap="0.4em"),
            spacing="2",
            width="100%",
        ),
        quiet("dashboard.week_none"),
    ), id="week")


def review_panel() -> rx.Component:
    tr = AppState.tr
    return panel("dashboard.review", "review", rx.cond(
        _list("review").length() > 0,
        rx.vstack(
            rx.text(tr["dashboard.review_hint"], size="1", color_scheme="gray"),
            rx.foreach(_list("review"), lambda item: rx.hstack(
                rx.link(item["name"], href=_link("review"), size="2", weight="medium", style=LONG_NAME,
                        flex="1", min_width="0"),
                rx.badge(tr["dashboard.confidence"].to(str).replace("{n}", item["confidence"].to(str)),
                         color_scheme=rx.cond(item["confidence"].to(int) < 60, "amber", "gray"),
                         variant="soft", size="1", flex_shrink="0"),
                width="100%", align="center", class_name="dash-review-item")),
            spacing="2", width="100%", id="review-list",
        ),
        quiet("dashboard.review_none"),
    ))


def in_progress_panel() -> rx.Component:
    return panel("dashboard.in_progress", "in_progress", rx.cond(
        _list("in_progress").length() > 0,
        rx.vstack(rx.foreach(_list("in_progress"), lambda row: document_line(
            row, "progress-item", status_badge(row["status"], row["status_key"]))),
            spacing="3", width="100%", id="in-progress-list"),
        quiet("dashboard.in_progress_none"),
    ))


def failed_panel() -> rx.Component:
    tr = AppState.tr
    return panel("dashboard.failed", "failed", rx.cond(
        _list("failed").length() > 0,
        rx.vstack(
            rx.foreach(_list("failed"), lambda row: document_line(row, "failed-item", rx.text(
                tr[row["error"].to(str)], size="1", color_scheme="red"))),
            rx.cond(B["retryable"].to(int) > 0, rx.button(
                rx.icon("rotate-cw", size=14),
                tr["dashboard.retry"].to(str).replace("{n}", B["retryable"].to(str)),
                on_click=HomeState.retry_failed, loading=HomeState.retrying, variant="soft",
                color_scheme="red", size="2", id="retry-dashboard")),
            spacing="3", width="100%", id="failed-list",
        ),
        quiet("dashboard.failed_none"),
    ))


def _limit_line(used: rx.Var, limit: rx.Var, percent: rx.Var, key: str, id_: str) -> rx.Component:
    tr = AppState.tr
    return rx.cond(limit.to(str) != "", rx.vstack(
        rx.text(tr[key].to(str).replace("{used}", used.to(str)).replace("{limit}", limit.to(str)),
                size="1", color_scheme="gray", id=id_),
        rx.progress(value=percent.to(int), size="1", width="100%",
                    color_scheme=rx.cond(percent.to(int) >= 90, "red", "violet")),
        spacing="1", width="100%"))


def quota_line() -> rx.Component:
    """Under the storage figure: what counts against the person's or office's quota (the
    trash too) and of what limit, or that there is none."""
    tr = AppState.tr
    quota = B["quota"].to(dict[str, Any])
    return rx.cond(quota["kind"].to(str) != "", rx.box(
        rx.cond(quota["unlimited"].to(bool),
                rx.text(tr["dashboard.quota_unlimited"], size="1", color_scheme="gray"),
                rx.vstack(
                    _limit_line(quota["bytes_used"], quota["bytes_limit"], quota["bytes_percent"],
                                "dashboard.quota_bytes", "quota-bytes"),
                    _limit_line(quota["documents_used"], quota["documents_limit"],
                                quota["documents_percent"], "dashboard.quota_documents",
                                "quota-documents"),
                    spacing="2", width="100%")),
        id="storage-quota", data_unlimited=quota["unlimited"].to(str), width="100%"))


def unread_panel() -> rx.Component:
    """The person's unread notifications (whatever the scope: they are theirs), the latest
    few; all of them on /notifications."""
    tr = AppState.tr
    return rx.card(rx.vstack(
        rx.hstack(
            rx.heading(tr["dashboard.unread"], size="3", weight="medium"),
            rx.badge(HomeState.unread.to(str), color_scheme=rx.cond(HomeState.unread > 0, "amber", "gray"),
                     variant="soft", id="unread-count"),
            rx.spacer(),
            rx.link(rx.hstack(rx.text(tr["dashboard.see_all"], size="2"), rx.icon("arrow-right", size=14),
                              spacing="1", align="center"),
                    href="/notifications", size="2", class_name="panel-link"),
            width="100%", align="center",
        ),
        rx.cond(
            HomeState.unread_latest.length() > 0,
            rx.vstack(rx.foreach(HomeState.unread_latest, lambda e: rx.hstack(
                rx.box(width="8px", height="8px", border_radius="50%", background=rx.color("accent", 9),
                       flex_shrink="0"),
                rx.vstack(
                    rx.link(e["titles"].to(dict[str, str])[AppState.lang], href="/notifications",
                            size="2", weight="medium", style=LONG_NAME),
                    rx.text(e["when"], size="1", color_scheme="gray"),
                    spacing="0", min_width="0", flex="1"),
                width="100%", align="center", spacing="2", class_name="unread-item")),
                rx.cond(HomeState.unread > HomeState.unread_latest.length(), rx.link(
                    tr["dashboard.unread_more"].to(str).replace(
                        "{n}", (HomeState.unread - HomeState.unread_latest.length()).to(str)),
                    href="/notifications", size="1")),
                spacing="2", width="100%"),
            rx.box(quiet("dashboard.unread_none"), id="unread-none"),
        ),
        spacing="3", width="100%",
    ), width="100%", min_width="0", id="unread")


def scope_select() -> rx.Component:
    return rx.cond(HomeState.choices.length() > 1, rx.select.root(
        rx.select.trigger(id="scope-select", min_width="12em"),
        rx.select.content(rx.foreach(HomeState.choices,
                                     lambda c: rx.select.item(c["label"], value=c["value"]))),
        value=HomeState.scope,
        on_change=HomeState.set_scope,
    ))


def home_page() -> rx.Component:
    tr = AppState.tr
    storage_detail = tr["dashboard.storage_docs"].to(str).replace("{n}", B["stored_count"].to(str))
    return page_frame(
        rx.flex(
            rx.vstack(
                rx.heading(tr["dashboard.title"], size="7"),
                rx.hstack(
                    rx.text(tr["dashboard.hello"].to(str).replace(
                        "{name}", rx.cond(AppState.user_name != "", AppState.user_name, AppState.user_email)),
                        size="2", color_scheme="gray"),
                    rx.badge(rx.box(width="6px", height="6px", border_radius="50%",
                                    background=rx.color("grass", 9)),
                             tr["dashboard.live"], variant="soft", color_scheme="gray", size="1"),
                    spacing="2", align="center", wrap="wrap",
                ),
                spacing="1",
            ),
            rx.spacer(),
            scope_select(),
            width="100%",
            align="end",
            gap="3",
            wrap="wrap",
        ),
        rx.cond(
            HomeState.loaded,
            rx.vstack(
                rx.grid(
                    stat("review", B["review_total"].to(str), "list-checks", "amber"),
                    stat("in_progress", B["in_progress_total"].to(str), "loader", "blue"),
                    stat("failed", B["failed_total"].to(str), "triangle-alert", "red"),
                    stat("storage", B["stored"].to(str), "hard-drive", "violet", storage_detail,
                         quota_line()),
                    columns=rx.breakpoints(initial="2", lg="4"),
                    spacing="3",
                    width="100%",
                ),
                rx.grid(recent_panel(), week_panel(), unread_panel(),
                        columns=rx.breakpoints(initial="1", md="2", lg="3"), spacing="4", width="100%"),
                rx.grid(review_panel(), in_progress_panel(), failed_panel(),
                        columns=rx.breakpoints(initial="1", md="2", lg="3"), spacing="4", width="100%"),
                spacing="4",
                width="100%",
            ),
            rx.center(rx.spinner(size="3"), height="40vh", width="100%"),
        ),
    )
