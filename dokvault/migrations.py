"""Run Alembic programmatically with the DDL role."""

from __future__ import annotations

import logging
from pathlib import Path

from alembic.config import Config

from alembic import command
from dokvault.settings import get_settings

ROOT = Path(__file__).resolve().parent.parent
log = logging.getLogger(__name__)


# Search structures live outside the models: SQLite's FTS5 tables (0001_initial),
# PostgreSQL's search table and its indexes (0008_document_search).
SEARCH_OBJECTS = ("document_fts", "document_search", "ix_document_search", "ix_document_day_order",
                  "ix_document_field_trigrams")


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Autogenerate ignores the search structures that only the migrations know."""
    return not (reflected and name and name.startswith(SEARCH_OBJECTS))


def alembic_config(url: str | None = None) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "alembic"))
    config.attributes["url"] = url or get_settings().migrate_url
    return config


def upgrade_database(url: str | None = None) -> None:
    settings = get_settings()
    if url is None and settings.embedded_database:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(url), "head")
    log.info("database schema is up to date")
