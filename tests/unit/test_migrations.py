"""The Alembic migrations build exactly the schema the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import dokvault.models  # noqa: F401
from dokvault.migrations import include_object


def test_models_match_migrations(embedded):
    from dokvault.db import get_engine

    with get_engine().connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_object": include_object})
        assert compare_metadata(context, SQLModel.metadata) == []
