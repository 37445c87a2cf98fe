"""Search filters, counts, order, rights and suggestions on PostgreSQL: every test of
tests/unit/test_search_filters.py and tests/unit/test_suggestions.py runs here again with
`admin` living in a fresh PostgreSQL database (the deploy roles, migrated as the DDL role)."""

from __future__ import annotations

import pytest

from dokvault import db
from dokvault.migrations import upgrade_database
from dokvault.services import accounts
from tests.unit.test_search_filters import *  # noqa: F403  (the tests and their fixtures, collected here again)
from tests.unit.test_suggestions import *  # noqa: F403

pytestmark = pytest.mark.integration


@pytest.fixture
def admin(pg_urls, configure_dokvault, stub_worker):
    """The first admin of a DokVault whose database is PostgreSQL."""
    configure_dokvault(database_url=pg_urls.app_url, database_migrate_url=pg_urls.migrate_url)
    upgrade_database(pg_urls.migrate_url)
    with db.session() as s:
        assert s.get_bind().dialect.name == "postgresql"
        return accounts.create_first_admin(s, "admin@example.no", "correct horse battery")
