"""The second factor as a service: enrolment, the ±1 window, the replay guard, backup codes,
admin reset, the organisation switch and the pending sign-in token."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import jwt
import pyotp
import pytest
from sqlmodel import select

from dokvault import db
from dokvault.core import audit, crypto
from dokvault.models import BackupCode, User
from dokvault.models.base import utcnow
from dokvault.services.auth import accounts, two_factor
from dokvault.services.auth.two_factor import TwoFactorError

BACKUP_FORMAT = re.compile(r"^[a-z2-9]{5}-[a-z2-9]{5}$")


def steady() -> float:
    """Now, at least 10 s before the next 30-s step, so codes cannot roll over mid-test
    (a loaded machine takes seconds over a few Argon2 hashes)."""
    if time.time() % 30 > 20:
        time.sleep(30 - time.time() % 30 + 0.2)
    return time.time()


def code(secret: str, offset: int = 0) -> str:
    return pyotp.TOTP(secret).at(time.time() + offset)


def enrol(user: User) -> tuple[str, list[str]]:
    secret = two_factor.start_enrolment(user).secret
    steady()
    return secret, two_factor.confirm_enrolment(user, code(secret))


def reload(user: User) -> User:
    with db.session() as s:
        return s.get(User, user.id)


def kinds(kind: str) -> int:
    return audit.search_events(kind=kind)[1]


def test_enrolment_stores_the_secret_encrypted_and_confirms_with_a_code(admin):
    enrolment = two_factor.start_enrolment(admin)
    secret = enrolment.secret
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    assert enrolment.uri.startswith("otpauth://totp/DokVault:admin%40example.no?secret=")
    assert "issuer=DokVault" in enrolment.uri
    assert enrolment.qr_data_uri.startswith("data:image/svg+xml")

    stored = reload(admin)
    assert stored.totp_secret and secret not in stored.totp_secret  # encrypted at rest
    assert crypto.decrypt(stored.totp_secret, "totp") == secret
    assert stored.totp_enabled_at is None and not two_factor.is_enabled(stored)

    with pytest.raises(TwoFactorError, match="error.2fa_invalid"):
        two_factor.confirm_enrolment(admin, "000000" if code(secret) != "000000" else "111111")
    assert kinds("auth.2fa.failed") == 1
    assert reload(admin).totp_enabled_at is None

    steady()
    codes = two_factor.confirm_enrolment(admin, code(secret))
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(BACKUP_FORMAT.match(c) for c in codes)
    assert two_factor.is_enabled(reload(admin))
    with db.session() as s:
        hashes = [row.code_hash for row in s.query(BackupCode).filter_by(user_id=admin.id)]
    assert len(hashes) == 10 and all(h.startswith("$argon2id$") for h in hashes)
    assert kinds("auth.2fa.enrolled") == 1

    with pytest.raises(TwoFactorError, match="error.2fa_already_on"):
        two_factor.start_enrolment(admin)  # a second secret cannot replace the first quietly

    # Nothing secret reaches the audit log.
    for event in audit.search_events()[0]:
        assert secret not in event.detail
        assert not any(c in event.detail or c.replace("-", "") in event.detail for c in codes)


def test_a_restarted_enrolment_replaces_the_unconfirmed_secret(admin):
    first = two_factor.start_enrolment(admin).secret
    second = two_factor.start_enrolment(admin).secret
    assert first != second
    steady()
    with pytest.raises(TwoFactorError):
        two_factor.confirm_enrolment(admin, code(first))
    two_factor.confirm_enrolment(admin, code(second))


def test_window_is_one_step_either_side(admin):
    secret, _ = enrol(admin)
    steady()
    two_factor.verify_totp(admin, code(secret, -30))
    two_factor.verify_totp(admin, code(secret, +30))
    for offset in (-60, +60):
        with pytest.raises(TwoFactorError, match="error.2fa_invalid"):
            two_factor.verify_totp(admin, code(secret, offset))
    for bad in ("", "12345", "abcdef", "1234567"):
        with pytest.raises(TwoFactorError, match="error.2fa_invalid"):
            two_factor.verify_totp(admin, bad)


def test_a_code_once_accepted_is_refused_for_90_seconds(admin):
    secret, _ = enrol(admin)
    steady()
    current = code(secret, +30)  # the enrolment claimed the current one
    two_factor.verify_totp(admin, current)
    with pytest.raises(TwoFactorError, match="error.2fa_replayed"):
        two_factor.verify_totp(admin, current)
    with pytest.raises(TwoFactorError, match="error.2fa_replayed"):
        two_factor.verify_totp(admin, f"{current[:3]} {current[3:]}")  # spacing changes nothing
    assert kinds("auth.2fa.replay") == 2
    from dokvault import db
    from dokvault.models import ExpiringKey

    with db.session() as s:  # the guard holds a hash, never the code itself
        keys = list(s.exec(select(ExpiringKey.key)).all())
    assert keys and not any(current in key for key in keys)


def test_the_replay_guard_is_per_user(admin, broker_user):
    admin_secret, _ = enrol(admin)
    broker_secret, _ = enrol(broker_user)
    steady()
    two_factor.verify_totp(admin, code(admin_secret, 30))
    two_factor.verify_totp(broker_user, code(broker_secret, 30))


def test_totp_is_refused_when_not_enabled(admin):
    secret = two_factor.start_enrolment(admin).secret
    with pytest.raises(TwoFactorError, match="error.2fa_not_enabled"):
        two_factor.verify_totp(admin, code(secret))  # enrolment not confirmed yet


def test_each_backup_code_works_once(admin):
    _, codes = enrol(admin)
    two_factor.use_backup_code(admin, codes[0])
    with pytest.raises(TwoFactorError, match="error.backup_code_invalid"):
        two_factor.use_backup_code(admin, codes[0])
    two_factor.use_backup_code(admin, f"  {codes[1].upper().replace('-', '')} ")  # as typed
    with pytest.raises(TwoFactorError, match="error.backup_code_invalid"):
        two_factor.use_backup_code(admin, "aaaaa-aaaaa")
    with pytest.raises(TwoFactorError, match="error.backup_code_invalid"):
        two_factor.use_backup_code(admin, "not a code at all")
    assert two_factor.remaining_backup_codes(admin) == 8
    assert kinds("auth.backup_code.used") == 2
    assert kinds("auth.backup_code.failed") == 3


def test_regenerating_backup_codes_needs_a_code_and_voids_the_old_ones(admin):
    secret, old = enrol(admin)
    with pytest.raises(TwoFactorError, match="error.2fa_invalid"):
        two_factor.regenerate_backup_codes(admin, "000000" if code(secret) != "000000" else "111111")
    steady()
    new = two_factor.regenerate_backup_codes(admin, code(secret, 30))
    assert len(new) == 10 and not set(new) & set(old)
    assert two_factor.remaining_backup_codes(admin) == 10
    with pytest.raises(TwoFactorError):
        two_factor.use_backup_code(admin, old[0])
    two_factor.use_backup_code(admin, new[0])
    assert kinds("auth.backup_codes.regenerated") == 1


def test_disable_needs_a_code_and_clears_everything(admin):
    secret, codes = enrol(admin)
    with pytest.raises(TwoFactorError):
        two_factor.disable(admin, "000000" if code(secret) != "000000" else "111111")
    assert two_factor.is_enabled(reload(admin))
    two_factor.disable(admin, codes[3])  # a backup code also proves the factor
    stored = reload(admin)
    assert stored.totp_secret is None and stored.totp_enabled_at is None
    assert two_factor.remaining_backup_codes(admin) == 0
    assert kinds("auth.2fa.disabled") == 1

    secret, _ = enrol(admin)  # and with a TOTP code after enrolling again
    steady()
    two_factor.disable(admin, code(secret, 30))
    assert not two_factor.is_enabled(reload(admin))


def test_admin_reset_clears_another_users_factor_and_sessions(admin, broker_user):
    from dokvault.services.auth import accounts

    enrol(broker_user)
    with db.session() as s:
        token = accounts.open_session(s, broker_user)
    with pytest.raises(TwoFactorError, match="error.forbidden"):
        two_factor.admin_reset(broker_user, admin.id)  # a broker is no admin
    with pytest.raises(TwoFactorError, match="error.not_on_yourself"):
        two_factor.admin_reset(admin, admin.id)
    assert kinds("admin.refused") == 1

    two_factor.admin_reset(admin, broker_user.id)
    stored = reload(broker_user)
    assert stored.totp_secret is None and stored.totp_enabled_at is None
    assert two_factor.remaining_backup_codes(broker_user) == 0
    with db.session() as s:
        assert accounts.resolve_session(s, token) is None
    events = audit.search_events(kind="auth.2fa.reset_by_admin")[0]
    assert len(events) == 1
    assert events[0].actor_id == admin.id and events[0].target_user_id == broker_user.id


def test_the_organisation_can_require_2fa(admin, broker_user):
    assert not two_factor.required() and not two_factor.must_enrol(broker_user)
    with pytest.raises(TwoFactorError, match="error.forbidden"):
        two_factor.set_required(broker_user, True)
    assert not two_factor.required()
    two_factor.set_required(admin, True)
    assert two_factor.required() and two_factor.must_enrol(broker_user)
    enrol(broker_user)
    assert not two_factor.must_enrol(reload(broker_user))
    two_factor.set_required(admin, False)
    assert not two_factor.must_enrol(admin)
    assert kinds("admin.require_2fa_changed") == 2


def test_the_pending_sign_in_token(admin):
    token = two_factor.issue_pending(admin, "/search")
    pending = two_factor.read_pending(token)
    assert pending is not None and pending.user_id == admin.id and pending.next == "/search"

    # Forged: another key, alg none, nonsense.
    now = utcnow()
    claims = {"typ": "2fa-pending", "sub": str(admin.id), "jti": "x", "iat": now,
              "exp": now + timedelta(minutes=5), "pwd": accounts.password_stamp(admin)}
    assert two_factor.read_pending(jwt.encode(claims, b"k" * 32, algorithm="HS256")) is None
    assert two_factor.read_pending(jwt.encode(claims, None, algorithm="none")) is None
    assert two_factor.read_pending("garbage") is None and two_factor.read_pending("") is None
    # Expired.
    old = {**claims, "exp": now - timedelta(seconds=1)}
    assert two_factor.read_pending(jwt.encode(old, two_factor._pending_key(), "HS256")) is None
    # Right key, wrong purpose.
    other = {**claims, "typ": "access"}
    assert two_factor.read_pending(jwt.encode(other, two_factor._pending_key(), "HS256")) is None

    # Spent once: never again.
    assert two_factor.consume_pending(pending)
    assert not two_factor.consume_pending(pending)
    assert two_factor.read_pending(token) is None

    # A password change voids a pending sign-in.
    token = two_factor.issue_pending(admin)
    with db.session() as s:
        row = s.get(User, admin.id)
        row.password_changed_at = utcnow() + timedelta(seconds=1)
        s.add(row)
        s.commit()
    assert two_factor.read_pending(token) is None
