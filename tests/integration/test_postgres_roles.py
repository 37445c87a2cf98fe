"""deploy/postgres/roles.sql on a real PostgreSQL: Alembic runs as the DDL role, the
app role can change rows and nothing else."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from psycopg import errors
from sqlalchemy import Engine, exc, text
from sqlmodel import Session, SQLModel, select

from dokvault.db import make_engine
from dokvault.migrations import upgrade_database
from dokvault.models import Document, DocumentText, User
from tests import servers

pytestmark = pytest.mark.integration

# Every table the models describe, plus Alembic's own and the search's (migration 0008).
TABLES = {"alembic_version", "document_search", *SQLModel.metadata.tables}


@pytest.fixture
def migrated(clean_env, pg_urls) -> servers.PgDatabase:
    upgrade_database(pg_urls.migrate_url)
    return pg_urls


@pytest.fixture
def app_engine(migrated) -> Iterator[Engine]:
    engine = make_engine(migrated.app_url)
    yield engine
    engine.dispose()


def owners(engine: Engine) -> dict[str, str]:
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT tablename, tableowner FROM pg_tables WHERE schemaname = 'public'")
        ).all()
    return dict(rows)


def test_migrations_run_as_the_migrate_role_which_owns_every_table(migrated, app_engine):
    assert owners(app_engine) == dict.fromkeys(TABLES, migrated.migrate_user)


def test_app_role_inserts_reads_updates_and_deletes_rows(app_engine):
    with Session(app_engine) as s:
        user = User(email="megler@example.no", password_hash="x")  # serial id: needs the sequence
        s.add(user)
        s.commit()
        document = Document(
            owner_id=user.id, name="Kjøpekontrakt.pdf", ext=".pdf", sha256="0" * 64,
            object_key=f"{user.id}/{uuid.uuid4()}/{uuid.uuid4()}.pdf",
        )
        s.add(document)
        s.commit()
        s.add(DocumentText(document_id=document.id, text="Eiendommene til kjøperen"))
        s.commit()

        document.name = "Kjøpekontrakt signert.pdf"
        s.add(document)
        s.commit()
        assert s.exec(select(Document.name)).one() == "Kjøpekontrakt signert.pdf"

        s.delete(s.get(DocumentText, document.id))
        s.commit()
        s.delete(document)
        s.commit()
        assert s.exec(select(Document)).all() == []


@pytest.mark.parametrize(
    "statement",
    [
        "DROP TABLE document_text",
        "ALTER TABLE document ADD COLUMN intruder integer",
        "TRUNCATE document_text",
        "CREATE INDEX intruder ON document (name)",
    ],
)
def test_app_role_cannot_change_the_schema(app_engine, statement):
    with app_engine.connect() as conn, pytest.raises(exc.ProgrammingError) as refused:
        conn.execute(text(statement))
    assert isinstance(refused.value.orig, errors.InsufficientPrivilege)


def test_app_role_create_table_fails_on_the_schema(app_engine):
    with app_engine.connect() as conn, pytest.raises(exc.ProgrammingError) as refused:
        conn.execute(text("CREATE TABLE intruder (id integer)"))
    assert "permission denied for schema public" in str(refused.value.orig)


def test_roles_script_runs_again_on_a_migrated_database(migrated, app_engine):
    """Re-running it (say, to reset passwords) keeps the app's rights on existing tables."""
    servers.run_roles_script(migrated)
    with Session(app_engine) as s:
        s.add(User(email="kontor@example.no", password_hash="x"))
        s.commit()
        assert s.exec(select(User.email)).all() == ["kontor@example.no"]
