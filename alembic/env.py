"""Alembic runs with the DDL role (DATABASE_MIGRATE_URL) on SQLite and PostgreSQL."""

from sqlmodel import SQLModel

import dokvault.models  # noqa: F401  (registers the tables)
from alembic import context
from dokvault.db import make_engine
from dokvault.migrations import include_object
from dokvault.settings import get_settings

target_metadata = SQLModel.metadata


def run_migrations_online() -> None:
    url = context.config.attributes.get("url") or get_settings().migrate_url
    engine = make_engine(url)
    with engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            # A batch migration copies a table and drops the old one: with foreign keys on,
            # that drop would delete (or null) every row that refers to it.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            include_object=include_object,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations_online()
