"""Fixtures for the unit tests (the shared ones live in tests/conftest.py)."""

from __future__ import annotations

import pytest


@pytest.fixture
def broker_user(admin):
    """A second, non-admin user next to the admin."""
    from dokvault import db
    from dokvault.models import Role
    from dokvault.services import accounts

    with db.session() as s:
        return accounts.create_user(s, "megler@example.no", "megler passord 2024", Role.BROKER)
