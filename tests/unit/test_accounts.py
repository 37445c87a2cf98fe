"""Accounts: first admin, password policy, sign-in, bootstrap from the environment, sessions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pwdlib.hashers.bcrypt import BcryptHasher
from sqlmodel import select

from dokvault import db
from dokvault.core.caches import reset_caches
from dokvault.models import Role, User, UserSession
from dokvault.models.base import utcnow
from dokvault.services.auth import accounts
from dokvault.services.auth.accounts import AccountError

EMAIL = "admin@example.no"
PASSWORD = "correct horse battery"


@pytest.fixture
def database(clean_env):
    from dokvault.migrations import upgrade_database

    upgrade_database()
    return clean_env


def refused(call, *args) -> str:
    with pytest.raises(AccountError) as info, db.session() as s:
        call(s, *args)
    return info.value.code


def test_first_admin(database):
    with db.session() as s:
        user = accounts.create_first_admin(s, "  Admin@Example.NO ", PASSWORD, "Ada Admin")
    assert user.id is not None
    assert user.role == Role.ADMIN
    assert user.email == EMAIL
    assert user.name == "Ada Admin"
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash


def test_second_first_admin_is_refused(database):
    with db.session() as s:
        accounts.create_first_admin(s, EMAIL, PASSWORD)
    assert refused(accounts.create_first_admin, "other@example.no", PASSWORD) == "error.setup_done"
    with db.session() as s:
        assert accounts.user_count(s) == 1


@pytest.mark.parametrize("password", ["", "a", "elleve tegn"])
def test_password_shorter_than_12_is_refused(database, password):
    assert len(password) < 12
    assert refused(accounts.create_first_admin, EMAIL, password) == "error.password_too_short"
    with db.session() as s:
        assert accounts.user_count(s) == 0


def test_twelve_characters_are_enough(database):
    with db.session() as s:
        assert accounts.create_first_admin(s, EMAIL, "tolv tegn ok").id


@pytest.mark.parametrize("password", [EMAIL, "ADMIN@example.no", f" {EMAIL} "])
def test_password_equal_to_email_is_refused(database, password):
    assert refused(accounts.create_first_admin, EMAIL, password) == "error.password_is_email"


def test_invalid_and_taken_email(database):
    assert refused(accounts.create_user, "ikke-en-adresse", PASSWORD) == "error.invalid_email"
    with db.session() as s:
        accounts.create_user(s, EMAIL, PASSWORD)
    assert refused(accounts.create_user, EMAIL.upper(), PASSWORD) == "error.email_taken"


def test_authenticate(database):
    with db.session() as s:
        accounts.create_first_admin(s, EMAIL, PASSWORD)
    with db.session() as s:
        user = accounts.authenticate(s, " ADMIN@example.no", PASSWORD)
        assert user is not None and user.email == EMAIL
        assert user.last_login_at is not None
        assert accounts.authenticate(s, EMAIL, "wrong horse battery") is None
        assert accounts.authenticate(s, EMAIL, PASSWORD.upper()) is None
        assert accounts.authenticate(s, EMAIL, "") is None
        assert accounts.authenticate(s, "nobody@example.no", PASSWORD) is None


def test_deactivated_user_cannot_sign_in(database):
    with db.session() as s:
        user = accounts.create_first_admin(s, EMAIL, PASSWORD)
        user.is_active = False
        s.add(user)
        s.commit()
    with db.session() as s:
        assert accounts.authenticate(s, EMAIL, PASSWORD) is None


@pytest.fixture
def bcrypt_admin(database, monkeypatch):
    """Dokumenthub's way: ADMIN_EMAIL with a bcrypt APP_PASSWORD_HASH, no plain password."""
    monkeypatch.setenv("ADMIN_EMAIL", EMAIL)
    monkeypatch.setenv("APP_PASSWORD_HASH", BcryptHasher().hash(PASSWORD))
    reset_caches()
    with db.session() as s:
        accounts.ensure_bootstrap_admin(s)
    return database


def stored_hash() -> str:
    with db.session() as s:
        return s.exec(select(User.password_hash).where(User.email == EMAIL)).one()


def test_bootstrap_admin_from_bcrypt_hash_is_rehashed_to_argon2id(bcrypt_admin):
    assert stored_hash().startswith("$2b$")
    with db.session() as s:
        assert accounts.authenticate(s, EMAIL, "wrong horse battery") is None
    assert stored_hash().startswith("$2b$")  # a failed sign-in changes nothing
    with db.session() as s:
        user = accounts.authenticate(s, EMAIL, PASSWORD)
        assert user is not None and user.role == Role.ADMIN
    assert stored_hash().startswith("$argon2id$")
    with db.session() as s:  # and the new hash works
        assert accounts.authenticate(s, EMAIL, PASSWORD) is not None


def test_bootstrap_runs_once(bcrypt_admin, monkeypatch):
    monkeypatch.setenv("ADMIN_PASSWORD", "a different password")
    reset_caches()
    with db.session() as s:
        accounts.ensure_bootstrap_admin(s)
        assert accounts.user_count(s) == 1
        assert accounts.authenticate(s, EMAIL, PASSWORD) is not None


def test_bootstrap_admin_from_plain_password(database, monkeypatch):
    monkeypatch.setenv("ADMIN_EMAIL", "Boot@Example.no")
    monkeypatch.setenv("ADMIN_PASSWORD", PASSWORD)
    reset_caches()
    with db.session() as s:
        accounts.ensure_bootstrap_admin(s)
    with db.session() as s:
        user = accounts.authenticate(s, "boot@example.no", PASSWORD)
        assert user is not None and user.role == Role.ADMIN
        assert user.password_hash.startswith("$argon2id$")


def test_no_bootstrap_without_settings(database):
    with db.session() as s:
        accounts.ensure_bootstrap_admin(s)
        assert accounts.user_count(s) == 0


def test_long_password_against_bcrypt_hash_is_just_wrong(bcrypt_admin):
    with db.session() as s:
        assert accounts.authenticate(s, EMAIL, "æ" * 40) is None  # 80 bytes in UTF-8


def test_malformed_app_password_hash_never_breaks_sign_in(database, monkeypatch):
    monkeypatch.setenv("ADMIN_EMAIL", EMAIL)
    monkeypatch.setenv("APP_PASSWORD_HASH", "not-a-bcrypt-hash")
    reset_caches()
    with db.session() as s:
        accounts.ensure_bootstrap_admin(s)
    with db.session() as s:
        assert accounts.authenticate(s, EMAIL, PASSWORD) is None


@pytest.fixture
def user(database):
    with db.session() as s:
        return accounts.create_first_admin(s, EMAIL, PASSWORD)


def resolve(session_id):
    with db.session() as s:
        return accounts.resolve_session(s, session_id)


def test_session_open_resolve_close(user):
    with db.session() as s:
        token = accounts.open_session(s, user, user_agent="pytest", ip="127.0.0.1")
    resolved = resolve(token)
    assert resolved is not None and resolved.id == user.id
    with db.session() as s:
        row = s.exec(select(UserSession)).one()
        assert (row.id, row.user_agent, row.ip) == (token, "pytest", "127.0.0.1")
        accounts.close_session(s, token)
    assert resolve(token) is None
    with db.session() as s:
        accounts.close_session(s, token)  # closing twice is harmless
        accounts.close_session(s, None)


def test_unknown_or_missing_token(user):
    assert resolve(None) is None
    assert resolve(0) is None
    assert resolve(424242) is None


def test_sessions_are_independent(user):
    with db.session() as s:
        first = accounts.open_session(s, user)
        second = accounts.open_session(s, user)
        accounts.close_session(s, first)
    assert resolve(first) is None
    assert resolve(second).id == user.id


def test_expired_session(user):
    with db.session() as s:
        token = accounts.open_session(s, user)
        row = s.exec(select(UserSession)).one()
        row.expires_at = utcnow() - timedelta(seconds=1)
        s.add(row)
        s.commit()
    assert resolve(token) is None


def test_last_seen_is_refreshed(user):
    with db.session() as s:
        token = accounts.open_session(s, user)
        row = s.exec(select(UserSession)).one()
        row.last_seen_at = utcnow() - timedelta(hours=2)
        s.add(row)
        s.commit()
    assert resolve(token) is not None
    with db.session() as s:
        seen = s.exec(select(UserSession.last_seen_at)).one()
    assert utcnow() - seen < timedelta(minutes=1)


def test_deactivated_user_session(user):
    with db.session() as s:
        token = accounts.open_session(s, user)
    assert resolve(token) is not None
    with db.session() as s:
        row = s.get(User, user.id)
        row.is_active = False
        s.add(row)
        s.commit()
    assert resolve(token) is None
