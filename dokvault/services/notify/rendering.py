"""Mails from templates (Jinja2, templates/ beside this module): plain text and HTML from
the same paragraphs, the HTML escaped by the template engine."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jinja2

TEMPLATES = Path(__file__).resolve().parent / "templates"


@dataclass(frozen=True)
class Button:
    label: str
    url: str


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",), default=False),
        keep_trailing_newline=True, undefined=jinja2.StrictUndefined,
    )


def render(lang: str, paragraphs: list[str], button: Button | None = None,
           footer: str = "") -> tuple[str, str]:
    """(text, html) of a mail: the paragraphs, a button to a link before the last one, and
    a small footer."""
    values = {"lang": lang, "paragraphs": paragraphs, "button": button, "footer": footer}
    env = _environment()
    return env.get_template("mail.txt.j2").render(values), env.get_template("mail.html.j2").render(values)
