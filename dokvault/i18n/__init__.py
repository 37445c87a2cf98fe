"""UI text in Norwegian bokmål (default) and English: the catalogue (catalogue.py) and its
texts, one module per domain. Service errors carry keys beginning with "error."; the UI
looks them up here."""

from dokvault.i18n import (  # noqa: F401  (the texts)
    admin,
    admin_forms,
    analytics,
    audit,
    auth,
    common,
    documents,
    drive_export,
    drives,
    intelligence,
    notify,
    org,
    search,
    sharing,
    systems,
    templates,
)
from dokvault.i18n.catalogue import LANGUAGES, MESSAGES, register, translate, translate_notice

__all__ = ["LANGUAGES", "MESSAGES", "register", "translate", "translate_notice"]
