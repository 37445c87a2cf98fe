"""A document's first-page thumbnail in a list row, or a file icon while it has none."""

import reflex as rx


def thumbnail(row: rx.Var, size: str = "44px") -> rx.Component:
    return rx.cond(
        row["has_thumbnail"],
        rx.image(src="/api/documents/" + row["uid"].to(str) + "/thumbnail", width=size,
                 height="auto", border_radius="4px", border=f"1px solid {rx.color('gray', 5)}",
                 alt=""),
        rx.center(rx.icon("file-text", size=20, color=rx.color("gray", 9)), width=size,
                  height=size, background=rx.color("gray", 3), border_radius="4px"),
    )
