"""A form the browser itself posts (for routes that set the httpOnly session cookie).

Reflex's forms always cancel the native submit; `form.submit()` posts without
re-entering that handler.
"""

import reflex as rx


def native_form(*children: rx.Component, action: str, form_id: str, **props) -> rx.Component:
    return rx.el.form(
        *children,
        action=action,
        method="post",
        id=form_id,
        on_submit=rx.call_script(f"document.getElementById({form_id!r}).submit()"),
        **props,
    )
