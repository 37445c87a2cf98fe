"""The frame of every signed-in page: navigation on the left, content on the right; on a
phone (below 768 px) a top bar with a menu instead of the side bar."""

import reflex as rx

from dokvault.components.forms import native_form
from dokvault.state.base import AppState
from dokvault.state.notifications import BellState

NAV = (
    ("/", "nav.home", "layout-dashboard"),
    ("/documents", "nav.documents", "files"),
    ("/search", "nav.search", "search"),
    ("/review", "nav.review", "list-checks"),
    ("/analytics", "nav.analytics", "chart-line"),
    ("/assignments", "nav.assignments", "house"),
    ("/drives", "nav.drives", "hard-drive"),
    ("/trash", "nav.trash", "trash-2"),
    ("/templates", "nav.templates", "layout-template"),
    ("/account", "nav.account", "user-cog"),
)


ADMIN_NAV = (
    ("/admin/users", "nav.admin_users", "users"),
    ("/admin/quotas", "nav.admin_quotas", "hard-drive"),
    ("/admin/security", "nav.admin_security", "shield"),
    ("/admin/outbound-hosts", "nav.admin_outbound_hosts", "network"),
    ("/admin/audit", "nav.admin_audit", "scroll-text"),
    ("/admin/taxonomy", "nav.admin_taxonomy", "tags"),
    ("/admin/ai", "nav.admin_ai", "sparkles"),
    ("/admin/system", "nav.admin_system", "activity"),
    ("/admin/integrations", "nav.admin_integrations", "plug"),
    ("/admin/mail", "nav.admin_mail", "mail"),
    ("/admin/offices", "nav.admin_offices", "building-2"),
    ("/admin/teams", "nav.admin_teams", "users-round"),
)
# Office managers and admins: the staff of their office(s).
MANAGER_NAV = (("/staff", "nav.staff", "contact"),)


# Reflex's breakpoints: index 2 starts at 48em (768 px). Below it the side bar gives way
# to a top bar whose menu button opens the same navigation.
DESKTOP_ONLY = ["none", "none", "flex"]
PHONE_ONLY = ["flex", "flex", "none"]
WIDE_CELL = ["none", "none", "table-cell"]  # a table column a phone leaves out
# A long name (file, e-mail) breaks anywhere, so it wraps in its cell, not widens the table.
LONG_NAME = {"overflow_wrap": "anywhere"}


def nav_link(href: str, key: str, icon: str, prefix: str = "nav") -> rx.Component:
    active = AppState.router.url.path == href
    return rx.link(
        rx.hstack(rx.icon(icon, size=18), rx.text(AppState.tr[key], size="3"), spacing="3",
                  align="center"),
        href=href,
        underline="none",
        padding="0.42em 0.9em",
        border_radius="8px",
        width="100%",
        color=rx.cond(active, rx.color("accent", 11), rx.color("gray", 12)),
        background=rx.cond(active, rx.color("accent", 3), "transparent"),
        _hover={"background": rx.color("gray", 3)},
        id=f"{prefix}-{key.split('.')[-1]}",
    )


def brand() -> rx.Component:
    return rx.hstack(
        rx.icon("vault", size=26, color=rx.color("accent", 10)),
        rx.heading("DokVault", size="6", weight="bold"),
        align="center",
        spacing="2",
    )


def bell(prefix: str) -> rx.Component:
    """The unread notifications: a count that updates by itself, the latest entries, each a
    link to its document or page (state/notifications.py)."""
    tr = AppState.tr
    entry = lambda e: rx.box(  # noqa: E731
        rx.text(e["titles"].to(dict[str, str])[AppState.lang], size="2",
                weight=rx.cond(e["unread"].to(bool), "bold", "regular")),
        rx.text(e["when"], size="1", color_scheme="gray"),
        on_click=BellState.open_entry(e["id"], e["link"]), cursor="pointer", padding="0.4em",
        border_radius="6px", _hover={"background": rx.color("gray", 3)}, width="100%",
        class_name="bell-entry")
    return rx.popover.root(
        rx.popover.trigger(rx.box(
            rx.icon_button(rx.icon("bell", size=18), variant="ghost", size="2",
                           aria_label=tr["notify.bell"], id=f"{prefix}-bell"),
            rx.cond(BellState.unread > 0,
                    rx.badge(BellState.unread, color_scheme="red", variant="solid", radius="full",
                             size="1", position="absolute", top="-6px", right="-8px",
                             id=f"{prefix}-unread")),
            position="relative", on_mount=BellState.watch,
        )),
        rx.popover.content(
            rx.vstack(
                rx.hstack(rx.text(tr["notify.title"], weight="bold"), rx.spacer(),
                          rx.button(tr["notify.mark_all_read"], size="1", variant="ghost",
                                    on_click=BellState.mark_all_read,
                                    id=f"{prefix}-bell-all-read"),
                          width="100%", align="center"),
                rx.cond(BellState.latest.length() > 0,
                        rx.vstack(rx.foreach(BellState.latest, entry), spacing="1", width="100%"),
                        rx.text(tr["notify.none"], size="2", color_scheme="gray")),
                rx.link(tr["notify.show_all"], href="/notifications", size="2",
                        id=f"{prefix}-bell-all"),
                spacing="2", width="100%",
            ),
            width="min(22em, calc(100vw - 1.5em))", id=f"{prefix}-bell-panel",
        ),
    )


def navigation(prefix: str) -> list[rx.Component]:
    """The links, the signed-in user, language and sign-out: in the side bar and the menu.
    `prefix` keeps the element ids of the two copies apart."""
    return [
        *[nav_link(*item, prefix=prefix) for item in NAV],
        rx.cond(AppState.is_admin | (AppState.user_role == "office_manager"),
                rx.vstack(*[nav_link(*item, prefix=prefix) for item in MANAGER_NAV], spacing="1",
                          width="100%")),
        rx.cond(
            AppState.is_admin,
            rx.vstack(
                rx.text("Admin", size="1", color_scheme="gray", padding="0.6em 0.9em 0.1em"),
                *[nav_link(*item, prefix=prefix) for item in ADMIN_NAV],
                spacing="1",
                width="100%",
            ),
        ),
        rx.divider(),
        rx.text(AppState.user_email, size="2", color_scheme="gray", overflow_wrap="anywhere",
                id="signed-in-as" if prefix == "nav" else f"{prefix}-signed-in-as"),
        rx.button(
            rx.icon("languages", size=16),
            AppState.tr["nav.language"],
            variant="ghost",
            size="2",
            on_click=AppState.toggle_language,
            id="toggle-language" if prefix == "nav" else f"{prefix}-toggle-language",
        ),
        native_form(
            rx.button(rx.icon("log-out", size=16), AppState.tr["nav.sign_out"], type="submit",
                      variant="soft", color_scheme="gray", size="2", width="100%",
                      id="sign-out" if prefix == "nav" else f"{prefix}-sign-out"),
            action="/api/auth/logout",
            form_id="sign-out-form" if prefix == "nav" else f"{prefix}-sign-out-form",
            width="100%",
        ),
    ]


def sidebar() -> rx.Component:
    """The name and bell on top, the user's own part (language, sign-out) at the bottom,
    always in view; the links between them scroll when a screen is too short for them all."""
    links = navigation("nav")
    return rx.vstack(
        rx.hstack(brand(), rx.spacer(), bell("nav"), width="100%", align="center",
                  padding_bottom="0.8em"),
        rx.vstack(*links[:len(NAV) + 2], spacing="1", width="100%", flex="1 1 0",
                  min_height="0", overflow_y="auto", id="sidebar-links"),
        *links[len(NAV) + 2:],
        display=DESKTOP_ONLY,
        width="230px",
        min_width="230px",
        height="100vh",
        position="sticky",
        top="0",
        padding="1.2em 1em",
        spacing="2",
        background=rx.color("gray", 2),
        border_right=f"1px solid {rx.color('gray', 4)}",
        align="start",
        id="sidebar",
    )


def top_bar() -> rx.Component:
    """The phone's frame: the name and a menu button opening the navigation."""
    return rx.hstack(
        brand(),
        rx.spacer(),
        bell("top"),
        rx.popover.root(
            rx.popover.trigger(
                rx.icon_button(rx.icon("menu", size=22), variant="soft", size="3",
                               aria_label=AppState.tr["nav.menu"], id="menu-button"),
            ),
            rx.popover.content(
                rx.vstack(*navigation("menu-nav"), spacing="2", width="100%", align="start"),
                width="min(18em, calc(100vw - 1.5em))",
                max_height="calc(100vh - 5em)",
                overflow_y="auto",
                id="menu",
            ),
        ),
        display=PHONE_ONLY,
        justify="between",
        align="center",
        width="100%",
        padding="0.6em 1em",
        position="sticky",
        top="0",
        z_index="10",
        background=rx.color("gray", 2),
        border_bottom=f"1px solid {rx.color('gray', 4)}",
        id="top-bar",
    )


def page_frame(*children: rx.Component) -> rx.Component:
    return rx.hstack(
        sidebar(),
        rx.box(
            top_bar(),
            rx.box(
                # Shown once the page's on_load handlers have all run (Reflex's is_hydrated,
                # false again at every navigation): a page shown before its data would be
                # rebuilt under the person's hand when the data lands (a form keyed by its
                # version remounts, an open select closes under the click).
                rx.cond(
                    (AppState.user_email != "") & rx.State.is_hydrated,
                    rx.vstack(*children, spacing="5", width="100%", max_width="1100px"),
                    rx.center(rx.spinner(size="3"), height="60vh"),
                ),
                padding=["1em", "1em", "2em 2.5em"],
                width="100%",
                id="content",
            ),
            width="100%",
            # A flex item grows to its widest child unless allowed to shrink: with this, wide
            # tables scroll inside their box instead of widening the page.
            min_width="0",
            overflow_wrap="break-word",
        ),
        spacing="0",
        align="start",
        width="100%",
        min_height="100vh",
    )


def status_badge(status: rx.Var, status_key: rx.Var) -> rx.Component:
    return rx.badge(
        rx.cond((status == "uploaded") | (status == "processing"), rx.spinner(size="1"), None),
        AppState.tr[status_key.to(str)],
        color_scheme=rx.match(
            status, ("ready", "green"), ("failed", "red"), ("processing", "blue"), ("waiting", "orange"),
            "gray"
        ),
        variant="soft",
        size="2",
        class_name="status-badge",
    )


def office_filter(value: rx.Var, options: rx.Var, on_change, element_id: str) -> rx.Component:
    """A select narrowing a list to one office ("all" for every office); `options` are
    {"id", "name"} dicts."""
    return rx.hstack(
        rx.icon("building-2", size=16),
        rx.select.root(
            rx.select.trigger(id=element_id),
            rx.select.content(rx.select.item(AppState.tr["filter.all_offices"], value="all"),
                              rx.foreach(options, lambda o: rx.select.item(o["name"], value=o["id"]))),
            value=value, on_change=on_change, size="2"),
        align="center", spacing="2",
    )
