"""The state side of DokVault's admin form pattern (the page side is components/admin_form.py).

Every admin form works the same way:

1. The page submits the form to a handler of a state that mixes in `AdminForm`:

       class QuotasState(AdminForm, AppState):
           @rx.event
           @admin_only
           @while_busy("saving")
           def save(self, form: dict, *, user: User):
               return self._submit("quota", lambda: quotas.set_quota(user, ...),
                                   "quotas.saved", then=self._reload)

2. The service validates on the server and raises `core.validation.Invalid` with an error
   per field (Forbidden for a refusal); `_submit` shows each beside its field
   (`errors["<form>.<field>"]`, translated) and returns nothing else.
3. On success the service has recorded an audit entry with the values before and after
   (`audit.record_change(..., secret=(...))` masks secrets), and `_submit` clears the
   form's errors and answers a toast.
4. Destructive actions go through a confirmation dialog first (`confirm_button` in
   components/admin_form.py), whose confirm button calls the handler.

Applying it to another page: mix `AdminForm` into the page's state, wrap the service call
in `_submit`, and build the form with `admin_form` / `form_field` / `confirm_button`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import reflex as rx

from dokvault.core.validation import FORM, Invalid
from dokvault.services.access import Forbidden

log = logging.getLogger(__name__)


def error_key(form: str, field: str = FORM) -> str:
    """Where a field's error is kept in `errors` ("<form>." for the form as a whole)."""
    return f"{form}.{field}"


class AdminForm(rx.State, mixin=True):
    # "<form>.<field>" -> the error shown beside that field, in the user's language.
    errors: dict[str, str] = {}
    saving: bool = False  # a save of this page is running: its buttons take no more clicks

    def _text(self, code: str, values: dict[str, Any]) -> str:
        try:
            return self._t(code, **values)  # type: ignore[attr-defined]  (AppState's)
        except (KeyError, IndexError, ValueError):
            return self._t(code)  # type: ignore[attr-defined]

    def _clear(self, form: str) -> None:
        prefix = error_key(form)
        self.errors = {k: v for k, v in self.errors.items() if not k.startswith(prefix)}

    def _show_invalid(self, form: str, exc: Exception) -> None:
        """The errors of a refused submission, beside their fields."""
        self._clear(form)
        if isinstance(exc, Invalid):
            shown = {error_key(form, field): self._text(error.code, error.values)
                     for field, error in exc.errors.items()}
        else:
            shown = {error_key(form): self._text(getattr(exc, "code", "error.forbidden"),
                                                 getattr(exc, "values", {}) or {})}
        self.errors = {**self.errors, **shown}

    def _submit(self, form: str, action: Callable[[], Any], success_key: str, *,
                then: Callable[[Any], None] | None = None, **values: Any):
        """Run the service call `action`: its Invalid or Forbidden shown on the form, else
        the form's errors cleared, `then(result)` run and a toast of `success_key` (filled
        with `values`) answered."""
        try:
            result = action()
        except (Invalid, Forbidden) as exc:
            log.info("form %s refused: %s", form, getattr(exc, "code", exc))
            self._show_invalid(form, exc)
            return None
        self._clear(form)
        if then is not None:
            then(result)
        return rx.toast.success(self._text(success_key, values))
