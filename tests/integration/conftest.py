"""Fixtures that run DokVault in production mode against real servers.

`pg_urls`, `redis_url`, `s3` and `s3rver` give the servers; `configure_dokvault`
sets DokVault's environment variables on top of `clean_env`; `production` wires
all three servers together the way compose.yml does.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Callable, Iterator

import pytest

from dokvault.core import net
from tests import servers


@pytest.fixture
def pg_urls() -> Iterator[servers.PgDatabase]:
    """A fresh database with an app (DML) and a migrate (DDL) role from roles.sql."""
    servers.require_postgres()
    database = servers.create_database_with_roles()
    yield database
    servers.drop_database_with_roles(database)


@pytest.fixture
def redis_url() -> Iterator[str]:
    """A Redis database of our own, empty before and after the test."""
    client = servers.require_redis(servers.REDIS_TEST_URL)
    client.flushdb()
    yield servers.REDIS_TEST_URL
    client.flushdb()
    client.close()


@pytest.fixture(scope="session")
def s3() -> Iterator[servers.S3Server]:
    with servers.moto_server() as server:
        yield server


@pytest.fixture
def s3rver(tmp_path) -> Iterator[servers.S3Server]:
    with servers.s3rver_server(tmp_path) as server:
        yield server


@pytest.fixture
def bucket() -> str:
    """A bucket name per test: the session's moto server keeps every bucket."""
    return f"dokvault-it-{secrets.token_hex(4)}"


@pytest.fixture
def configure_dokvault(clean_env, monkeypatch) -> Iterator[Callable[..., dict[str, str]]]:
    """Set DokVault settings as environment variables (name=value, any case), then drop
    the cached settings, engine and object store. Returns the environment, for workers."""
    from dokvault import db
    from dokvault.core.caches import reset_caches

    def configure(**values: object) -> dict[str, str]:
        for name, value in values.items():
            monkeypatch.setenv(name.upper(), str(value))
        reset_caches()
        return dict(os.environ)

    yield configure
    if db.get_engine.cache_info().currsize:
        db.get_engine().dispose()  # return PostgreSQL connections before the database is dropped
    reset_caches()


@pytest.fixture
def production(pg_urls, redis_url, s3, bucket, configure_dokvault, clean_env) -> dict[str, str]:
    """DokVault as compose.yml runs it: PostgreSQL roles, Redis broker, S3 objects.
    The schema is migrated with the DDL role; the app connects with the DML role.
    (The servers come first, so they are torn down after the app's engine.)"""
    from dokvault.migrations import upgrade_database

    env = configure_dokvault(
        database_url=pg_urls.app_url,
        database_migrate_url=pg_urls.migrate_url,
        redis_url=redis_url,
        dokvault_data_dir=clean_env,
        **s3.dokvault_settings(bucket),
    )
    upgrade_database(pg_urls.migrate_url)
    return env


@pytest.fixture
def pg_admin(pg_urls, configure_dokvault, stub_worker):
    """The first admin of a DokVault whose database is PostgreSQL (the deploy roles,
    migrated as the DDL role); objects in a local folder, the worker in-process."""
    from dokvault import db
    from dokvault.migrations import upgrade_database
    from dokvault.services.auth import accounts

    configure_dokvault(database_url=pg_urls.app_url, database_migrate_url=pg_urls.migrate_url)
    upgrade_database(pg_urls.migrate_url)
    with db.session() as s:
        assert s.get_bind().dialect.name == "postgresql"
        return accounts.create_first_admin(s, "admin@example.no", "correct horse battery")


@pytest.fixture
def smtp_server(tmp_path) -> Iterator[servers.SmtpCapture]:
    """aiosmtpd requiring STARTTLS (self-signed certificate) and AUTH; captures the mail."""
    with servers.SmtpCapture(tmp_path / "smtp") as server:
        yield server


@pytest.fixture
def mail_configured(smtp_server, configure_dokvault) -> servers.SmtpCapture:
    """DokVault's SMTP_* settings pointing at `smtp_server`."""
    configure_dokvault(**smtp_server.env())
    return smtp_server


# --- Fake LLM servers (issue 4): tests/fakes/anthropic_fake.py and openai_fake.py -------------
# Each yields a started fake; point a provider at `fake.url` (Anthropic) or `fake.base_url`
# (the others) with `fake.api_key`. Script faults with `fake.inject(kind, …)`. Each is on
# 127.0.0.1, which the outbound guard refuses: its host and port are allowed as an operator
# would (OUTBOUND_ALLOWED_HOSTS).


@contextlib.contextmanager
def _allowed(fake, allow_outbound):
    with fake:
        allow_outbound(net.host_port(fake.url))
        yield fake


@pytest.fixture
def anthropic_fake(allow_outbound):
    from tests.fakes.anthropic_fake import AnthropicFake

    with _allowed(AnthropicFake(api_key="sk-ant-api03-test-key-0123456789"), allow_outbound) as fake:
        yield fake


@pytest.fixture
def openai_fake(allow_outbound):
    from tests.fakes.openai_fake import OpenAIFake

    fake = OpenAIFake(flavour="openai", api_key="sk-proj-test-key-0123456789")
    with _allowed(fake, allow_outbound):
        yield fake


@pytest.fixture
def ollama_fake(allow_outbound):
    from tests.fakes.openai_fake import OpenAIFake

    with _allowed(OpenAIFake(flavour="ollama"), allow_outbound) as fake:
        yield fake


@pytest.fixture
def lmstudio_fake(allow_outbound):
    from tests.fakes.openai_fake import OpenAIFake

    with _allowed(OpenAIFake(flavour="lmstudio"), allow_outbound) as fake:
        yield fake
