"""Search filters, counts, order, rights and suggestions on PostgreSQL: every test of
tests/unit/test_search_filters.py and tests/unit/test_suggestions.py runs here again with
`admin` living in a fresh PostgreSQL database (the deploy roles, migrated as the DDL role)."""

from __future__ import annotations

import pytest

from tests.unit.test_search_filters import *  # noqa: F403  (the tests and their fixtures, collected here again)
from tests.unit.test_suggestions import *  # noqa: F403

pytestmark = pytest.mark.integration


@pytest.fixture
def admin(pg_admin):
    """The tests' admin lives in PostgreSQL (tests/integration/conftest.py)."""
    return pg_admin
