"""Audit log, expiring keys and secrets at rest (embedded default)."""

from datetime import timedelta

from dokvault.core import audit, crypto, keystore
from dokvault.core.audit import Client
from dokvault.models.base import utcnow


def test_audit_records_and_filters(embedded):
    client = Client(ip="10.1.2.3", user_agent="Firefox")
    audit.record("auth.sign_in.ok", actor_id=1, client=client)
    audit.record("auth.sign_in.failed", target_user_id=2, client=client)
    audit.record("admin.role_changed", actor_id=1, target_user_id=2, role="office_manager")

    events, total = audit.search_events()
    assert total == 3 and events[0].kind == "admin.role_changed"
    assert '"role": "office_manager"' in events[0].detail
    assert {e.kind for e in audit.search_events(kind="auth.")[0]} == {
        "auth.sign_in.ok", "auth.sign_in.failed"}
    assert audit.search_events(user_id=2)[1] == 2
    assert audit.search_events(since=utcnow() + timedelta(minutes=1))[1] == 0


def test_expiring_keys_refuse_a_replay_until_they_expire(embedded):
    assert keystore.claim("totp:1:123456", 90)
    assert not keystore.claim("totp:1:123456", 90)  # replay
    assert keystore.exists("totp:1:123456")
    assert keystore.claim("totp:1:654321", 90)

    from dokvault import db
    from dokvault.models import ExpiringKey

    with db.session() as s:  # let one expire
        row = s.get(ExpiringKey, "totp:1:123456")
        row.expires_at = utcnow() - timedelta(seconds=1)
        s.add(row)
        s.commit()
    assert not keystore.exists("totp:1:123456")
    assert keystore.claim("totp:1:123456", 90)  # expired: usable again
    assert keystore.purge_expired() == 0


def test_secrets_round_trip_and_are_bound_to_their_purpose(embedded):
    token = crypto.encrypt("JBSWY3DPEHPK3PXP", "totp")
    assert "JBSWY3DPEHPK3PXP" not in token
    assert crypto.decrypt(token, "totp") == "JBSWY3DPEHPK3PXP"
    assert crypto.decrypt(token, "ai-keys") is None
    assert crypto.decrypt("garbage", "totp") is None


def test_sign_in_events_are_audited(embedded, admin):
    from starlette.testclient import TestClient

    from dokvault.api.routes import api

    client = TestClient(api, base_url="http://testserver", follow_redirects=False)
    form = {"email": "admin@example.no", "password": "wrong password!!"}
    client.post("/api/auth/login", data=form, headers={"user-agent": "pytest-browser"})
    client.post("/api/auth/login", data={**form, "password": "correct horse battery"})
    client.post("/api/auth/logout")
    kinds = [e.kind for e in reversed(audit.search_events(user_id=admin.id)[0])]
    assert kinds == ["auth.sign_in.failed", "auth.sign_in.ok", "auth.sign_out"]
    failed = audit.search_events(kind="auth.sign_in.failed")[0][0]
    assert failed.user_agent == "pytest-browser" and "wrong password" not in failed.detail
