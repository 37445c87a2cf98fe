"""Fixtures for the unit tests (the shared ones live in tests/conftest.py)."""

from __future__ import annotations

import pytest


@pytest.fixture
def broker_user(admin):
    """A second, non-admin user next to the admin."""
    from dokvault import db
    from dokvault.models import Role
    from dokvault.services.auth import accounts

    with db.session() as s:
        return accounts.create_user(s, "megler@example.no", "megler passord 2024", Role.BROKER)


@pytest.fixture
def without_worker(clean_env):
    """Embedded app whose queue is never consumed, as if it died right after the uploads."""
    from dramatiq.brokers.stub import StubBroker

    import workers.documents  # noqa: F401  (declares the actor)
    from dokvault.core.jobs import rebind
    from dokvault.migrations import upgrade_database

    upgrade_database()
    rebind(StubBroker())
    return clean_env
