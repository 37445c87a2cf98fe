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


def test_a_batch_migration_keeps_the_rows_that_refer_to_its_table(clean_env):
    """0012 copies `document` on SQLite: its texts (ON DELETE CASCADE) must survive, and
    existing documents get their owner's office."""
    from sqlalchemy import text

    from alembic import command
    from dokvault.db import get_engine
    from dokvault.migrations import alembic_config

    clean_env.mkdir(parents=True)
    config = alembic_config()
    command.upgrade(config, "0011")
    with get_engine().begin() as c:
        c.execute(text("INSERT INTO office (id, name, created_at) VALUES (7, 'Bergen', '2026-01-01')"))
        c.execute(text(
            "INSERT INTO user (id, email, name, password_hash, role, office_id, is_active, "
            "created_at, password_changed_at) VALUES (1, 'a@b.no', 'A', 'x', 'broker', 7, 1, "
            "'2026-01-01', '2026-01-01')"))
        c.execute(text(
            "INSERT INTO document (id, uid, owner_id, name, ext, content_type, size, sha256, "
            "object_key, status, attempts, ocr_pages, notices, derived_documents, created_at, "
            "updated_at) VALUES (1, 'u1', 1, 'n.pdf', '.pdf', 'application/pdf', 1, 's', 'k', "
            "'ready', 0, 0, '[]', 0, '2026-01-01', '2026-01-01')"))
        c.execute(text("INSERT INTO document_text (document_id, text) VALUES (1, 'hei')"))
    command.upgrade(config, "head")
    with get_engine().connect() as c:
        assert c.execute(text("SELECT text FROM document_text")).all() == [("hei",)]
        assert c.execute(text("SELECT office_id FROM document")).all() == [(7,)]
