"""Database engine and sessions for SQLite (embedded) and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

from dokvault.core.caches import before_reset, per_settings
from dokvault.settings import get_settings


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # WAL lets readers run beside the worker
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)


@before_reset
def _close_pool() -> None:
    if get_engine.cache_info().currsize:
        get_engine().dispose()  # close the old pool's connections


@per_settings
def get_engine() -> Engine:
    settings = get_settings()
    if settings.embedded_database:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    return make_engine(settings.db_url)


@contextmanager
def session() -> Iterator[Session]:
    with Session(get_engine(), expire_on_commit=False) as s:
        yield s


def is_postgres() -> bool:
    return get_engine().dialect.name == "postgresql"


SQLITE_TIMESTAMP = "%Y-%m-%d %H:%M:%S.%f"  # how SQLAlchemy stores a DateTime in SQLite


def comparable(moment: datetime, dialect: str):
    """A UTC instant as raw SQL compares it with a stored timestamp on `dialect`."""
    moment = moment.astimezone(UTC)
    return moment if dialect == "postgresql" else moment.replace(tzinfo=None).strftime(SQLITE_TIMESTAMP)
