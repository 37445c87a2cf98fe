"""The templates hub: sanitised HTML templates with categories, offices, versions, search
and a preview (hub), and the sanitiser they all pass through (sanitize)."""

from dokvault.services.templates import hub, sanitize
from dokvault.services.templates.hub import Saved, TemplateDetail, TemplateRow, VersionRow
from dokvault.services.templates.sanitize import TooLarge

__all__ = ["Saved", "TemplateDetail", "TemplateRow", "TooLarge", "VersionRow", "hub",
           "sanitize"]
