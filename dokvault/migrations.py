"""Run Alembic programmatically with the DDL role."""

from __future__ import annotations

import logging
from pathlib import Path

from alembic.config import Config

from alembic import command
from dokvault.settings import get_settings

ROOT = Path(__file__).resolve().parent.parent
log = logging.getLogger(__name__)


def alembic_config(url: str | None = None) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "alembic"))
    config.attributes["url"] = url or get_settings().migrate_url
    return config


def upgrade_database(url: str | None = None) -> None:
    settings = get_settings()
    if settings.embedded_database:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(url), "head")
    log.info("database schema is up to date")
