"""Input a person must correct, field by field: what every form's service raises and every
form's page shows beside the field it concerns (state/forms.py, components/admin_form.py).

    checks = Checks()
    name = checks.run("name", clean_name, raw_name)       # Invalid -> an error for "name"
    if limit < 0:
        checks.add("limit", "error.quota_negative")
    checks.raise_if_any()                                  # Invalid with every error at once

`code` is an i18n key, `values` fill its placeholders. An error that belongs to no one
field uses FORM ("" ): the page shows it above the buttons.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

FORM = ""  # the field of an error about the whole form
T = TypeVar("T")


@dataclass(frozen=True)
class FieldError:
    code: str
    values: dict[str, Any] = field(default_factory=dict)


class Invalid(ValueError):
    """One or more fields to correct; `errors` maps a field name to its FieldError. The
    first error's `code` and `values` are also the exception's own (callers that show one
    message use them)."""

    def __init__(self, code: str = "error.invalid", field: str = FORM, /, **values: Any):
        super().__init__(code)
        self.errors: dict[str, FieldError] = {field: FieldError(code, values)}

    @classmethod
    def of(cls, errors: dict[str, FieldError]) -> Invalid:
        exc = cls.__new__(cls)
        ValueError.__init__(exc, next(iter(errors.values())).code)
        exc.errors = dict(errors)
        return exc

    @property
    def code(self) -> str:
        return next(iter(self.errors.values())).code

    @property
    def values(self) -> dict[str, Any]:
        return next(iter(self.errors.values())).values

    @property
    def field(self) -> str:
        return next(iter(self.errors))


class Checks:
    """Collects the errors of several fields, to answer them all at once (as `kind`, a
    service's own subclass of Invalid)."""

    def __init__(self, kind: type[Invalid] = Invalid) -> None:
        self.kind = kind
        self.errors: dict[str, FieldError] = {}

    def add(self, name: str, code: str, **values: Any) -> None:
        self.errors.setdefault(name, FieldError(code, values))

    def run(self, name: str, check: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        """`check(*args)`'s result, or None with its error recorded under `name` (an
        Invalid raised for a field of its own keeps that field)."""
        try:
            return check(*args, **kwargs)
        except Invalid as exc:
            for key, error in exc.errors.items():
                self.errors.setdefault(key or name, error)
            return None

    def raise_if_any(self) -> None:
        if self.errors:
            raise self.kind.of(self.errors)
