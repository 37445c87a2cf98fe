"""The frame of every signed-in page: navigation on the left, content on the right."""

import reflex as rx

from dokvault.components.forms import native_form
from dokvault.state.base import AppState

NAV = (
    ("/", "nav.documents", "files"),
    ("/search", "nav.search", "search"),
    ("/review", "nav.review", "list-checks"),
    ("/trash", "nav.trash", "trash-2"),
    ("/account", "nav.account", "user-cog"),
)


ADMIN_NAV = (
    ("/admin/users", "nav.admin_users", "users"),
    ("/admin/audit", "nav.admin_audit", "scroll-text"),
    ("/admin/taxonomy", "nav.admin_taxonomy", "tags"),
    ("/admin/ai", "nav.admin_ai", "sparkles"),
    ("/admin/system", "nav.admin_system", "activity"),
)


def nav_link(href: str, key: str, icon: str) -> rx.Component:
    active = AppState.router.url.path == href
    return rx.link(
        rx.hstack(rx.icon(icon, size=18), rx.text(AppState.tr[key], size="3"), spacing="3",
                  align="center"),
        href=href,
        underline="none",
        padding="0.55em 0.9em",
        border_radius="8px",
        width="100%",
        color=rx.cond(active, rx.color("accent", 11), rx.color("gray", 12)),
        background=rx.cond(active, rx.color("accent", 3), "transparent"),
        _hover={"background": rx.color("gray", 3)},
        id=f"nav-{key.split('.')[-1]}",
    )


def sidebar() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.icon("vault", size=26, color=rx.color("accent", 10)),
            rx.heading("DokVault", size="6", weight="bold"),
            align="center",
            spacing="2",
            padding_bottom="1.2em",
        ),
        *[nav_link(*item) for item in NAV],
        rx.cond(
            AppState.is_admin,
            rx.vstack(
                rx.text("Admin", size="1", color_scheme="gray", padding="0.8em 0.9em 0.2em"),
                *[nav_link(*item) for item in ADMIN_NAV],
                spacing="2",
                width="100%",
            ),
        ),
        rx.spacer(),
        rx.divider(),
        rx.text(AppState.user_email, size="2", color_scheme="gray", id="signed-in-as"),
        rx.button(
            rx.icon("languages", size=16),
            AppState.tr["nav.language"],
            variant="ghost",
            size="2",
            on_click=AppState.toggle_language,
            id="toggle-language",
        ),
        native_form(
            rx.button(rx.icon("log-out", size=16), AppState.tr["nav.sign_out"], type="submit",
                      variant="soft", color_scheme="gray", size="2", width="100%", id="sign-out"),
            action="/api/auth/logout",
            form_id="sign-out-form",
            width="100%",
        ),
        width="230px",
        min_width="230px",
        height="100vh",
        position="sticky",
        top="0",
        padding="1.5em 1em",
        background=rx.color("gray", 2),
        border_right=f"1px solid {rx.color('gray', 4)}",
        align="start",
    )


def page_frame(*children: rx.Component) -> rx.Component:
    return rx.hstack(
        sidebar(),
        rx.box(
            rx.cond(
                AppState.user_email != "",
                rx.vstack(*children, spacing="5", width="100%", max_width="1100px"),
                rx.center(rx.spinner(size="3"), height="60vh"),
            ),
            padding="2em 2.5em",
            width="100%",
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
