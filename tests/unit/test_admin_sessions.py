"""Sessions a user can see and revoke; admin actions checked on the server and audited."""

import pytest

from dokvault import db
from dokvault.core import audit
from dokvault.core.audit import Client
from dokvault.models import Role
from dokvault.services import admin
from dokvault.services.auth import accounts, sessions

FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
SAFARI = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
          "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1")


def open_sessions(user):
    with db.session() as s:
        return (accounts.open_session(s, user, FIREFOX, "10.0.0.1"),
                accounts.open_session(s, user, SAFARI, "10.0.0.2"))


def resolves(token):
    with db.session() as s:
        return accounts.resolve_session(s, token) is not None


def test_user_sees_devices_and_signs_one_out(admin_user):
    laptop, phone = open_sessions(admin_user)
    views = sessions.active_sessions(admin_user, laptop)
    assert {v.device for v in views} == {"Firefox · Windows", "Safari · iPhone"}
    assert [v.current for v in views if v.device.startswith("Firefox")] == [True]
    phone_id = next(v.id for v in views if v.device.startswith("Safari"))
    assert sessions.revoke(admin_user, phone_id, Client(ip="10.0.0.1"))
    assert not resolves(phone) and resolves(laptop)
    assert audit.search_events(kind="auth.session.revoked")[1] == 1


def test_sign_out_all_others_keeps_this_one(admin_user):
    laptop, phone = open_sessions(admin_user)
    with db.session() as s:
        third = accounts.open_session(s, admin_user, FIREFOX, "10.0.0.3")
    assert sessions.revoke_others(admin_user, laptop) == 2
    assert resolves(laptop) and not resolves(phone) and not resolves(third)


def test_nobody_revokes_someone_elses_session(admin_user, broker):
    laptop, _ = open_sessions(admin_user)
    target = sessions.active_sessions(admin_user, laptop)[0].id
    assert not sessions.revoke(broker, target)
    assert resolves(laptop)


def test_admin_changes_roles_and_deactivates(admin_user, broker):
    with db.session() as s:
        token = accounts.open_session(s, broker, FIREFOX, "10.0.0.9")
    admin.set_role(admin_user, broker.id, Role.OFFICE_MANAGER)
    views = {v.email: v for v in admin.list_users(admin_user)}
    assert views["megler@example.no"].role == "office_manager"
    admin.set_active(admin_user, broker.id, False)
    assert not resolves(token)  # deactivated: signed out at the next event
    with db.session() as s:
        assert accounts.authenticate(s, "megler@example.no", "megler passord 2024") is None
    kinds = [e.kind for e in audit.search_events(user_id=broker.id)[0]]
    assert kinds[:2] == ["admin.user_deactivated", "admin.role_changed"]


def test_a_broker_calling_admin_actions_is_refused_and_audited(admin_user, broker):
    for action in (lambda: admin.list_users(broker),
                   lambda: admin.set_role(broker, broker.id, Role.ADMIN),
                   lambda: admin.set_role(broker, admin_user.id, Role.BROKER),
                   lambda: admin.set_active(broker, admin_user.id, False)):
        with pytest.raises(admin.Forbidden):
            action()
    assert audit.search_events(kind="admin.refused")[1] == 4
    with db.session() as s:
        assert s.get(type(admin_user), admin_user.id).role == Role.ADMIN


def test_admins_cannot_lock_themselves_out(admin_user):
    with pytest.raises(admin.Forbidden) as refused:
        admin.set_active(admin_user, admin_user.id, False)
    assert refused.value.code == "error.not_on_yourself"
    with pytest.raises(admin.Forbidden):
        admin.set_role(admin_user, admin_user.id, Role.BROKER)


@pytest.fixture
def admin_user(admin):
    return admin


@pytest.fixture
def broker(admin):
    with db.session() as s:
        return accounts.create_user(s, "megler@example.no", "megler passord 2024", Role.BROKER)
