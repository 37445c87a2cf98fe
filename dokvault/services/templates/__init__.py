"""The templates hub: sanitised HTML templates with categories, offices, versions, search
and a preview (hub), the sanitiser they all pass through (sanitize), and templates imported
from the organisation's network share (imports)."""

from dokvault.services.templates import hub, imports, sanitize
from dokvault.services.templates.hub import Saved, TemplateDetail, TemplateRow, VersionRow
from dokvault.services.templates.imports import ImportOutcome
from dokvault.services.templates.sanitize import TooLarge

__all__ = ["ImportOutcome", "Saved", "TemplateDetail", "TemplateRow", "TooLarge", "VersionRow",
           "hub", "imports", "sanitize"]
