"""The organisation's security policy, set by admins on /admin/security and enforced by the
auth services, not only stored:

- `require_2fa`: everyone enrols a second factor (two_factor.must_enrol refuses every
  page but the enrolment page until they do);
- `session_hours`: how long a sign-in lasts. New sessions end then (accounts.open_session,
  the cookies' max-age), and a shorter length applies at once to the sessions already
  signed in (accounts.resolve_session and tokens.rotate_refresh measure from their start);
- `password_min_length` and `password_mixed` (letters and digits or symbols): checked for
  every new password, at set-up, by a reset link, an invitation and a change
  (passwords.policy_violation).

Read from AppSetting rows, cached a few seconds per process (it is read at every page
event); the process that saves it forgets its copy at once.
"""

from __future__ import annotations

import threading
import time
from dataclasses import asdict, dataclass
from datetime import timedelta

from dokvault import db
from dokvault.core import audit
from dokvault.core.audit import Client
from dokvault.core.caches import before_reset
from dokvault.core.validation import Checks, Invalid
from dokvault.models import AppSetting, User
from dokvault.services.access import require_admin
from dokvault.settings import get_settings

REQUIRE_2FA = "require_2fa"  # the key two_factor.set_required has always written
SESSION_HOURS = "policy.session_hours"
PASSWORD_MIN_LENGTH = "policy.password_min_length"  # noqa: S105 (a setting's key)
PASSWORD_MIXED = "policy.password_mixed"  # noqa: S105 (a setting's key)
MIN_SESSION_HOURS, MAX_SESSION_HOURS = 1, 24 * 90
MIN_PASSWORD, MAX_PASSWORD = 8, 128
DEFAULT_PASSWORD_MIN = 12
CACHE_SECONDS = 5.0


@dataclass(frozen=True)
class SecurityPolicy:
    require_2fa: bool = False
    session_hours: int = 30 * 24
    password_min_length: int = DEFAULT_PASSWORD_MIN
    password_mixed: bool = False

    @property
    def session_lifetime(self) -> timedelta:
        return timedelta(hours=self.session_hours)


_lock = threading.Lock()
_cached: tuple[float, SecurityPolicy] | None = None


def _default_hours() -> int:
    return min(max(get_settings().session_days * 24, MIN_SESSION_HOURS), MAX_SESSION_HOURS)


def _int(value: str | None, default: int, low: int, high: int) -> int:
    try:
        return min(max(int(value or ""), low), high)
    except ValueError:
        return default


def _read() -> SecurityPolicy:
    with db.session() as s:
        rows = {k: (row.value if (row := s.get(AppSetting, k)) else None)
                for k in (REQUIRE_2FA, SESSION_HOURS, PASSWORD_MIN_LENGTH, PASSWORD_MIXED)}
    hours = _default_hours()
    return SecurityPolicy(
        require_2fa=rows[REQUIRE_2FA] == "1",
        session_hours=_int(rows[SESSION_HOURS], hours, MIN_SESSION_HOURS, MAX_SESSION_HOURS),
        password_min_length=_int(rows[PASSWORD_MIN_LENGTH], DEFAULT_PASSWORD_MIN, MIN_PASSWORD,
                                 MAX_PASSWORD),
        password_mixed=rows[PASSWORD_MIXED] == "1",
    )


def current() -> SecurityPolicy:
    global _cached
    with _lock:
        if _cached is not None and time.monotonic() - _cached[0] < CACHE_SECONDS:
            return _cached[1]
    policy = _read()
    with _lock:
        _cached = (time.monotonic(), policy)
    return policy


@before_reset
def forget() -> None:
    """Read the policy again at its next use (after a change)."""
    global _cached
    with _lock:
        _cached = None


def _number(text: str, field: str, low: int, high: int) -> int:
    cleaned = str(text or "").strip()
    if not cleaned.isdigit():
        raise Invalid("error.policy_number", field)
    value = int(cleaned)
    if not low <= value <= high:
        raise Invalid("error.policy_range", field, min=low, max=high)
    return value


def _put(s, key: str, value: str) -> None:
    row = s.get(AppSetting, key) or AppSetting(key=key)
    row.value = value
    s.add(row)


def save(actor: User | None, *, require_2fa: bool, session_hours: str,
         password_min_length: str, password_mixed: bool, client: Client = Client(),
         ) -> SecurityPolicy:
    """Store the policy as typed in the form (Invalid per field); audited with the values
    before and after. Takes effect at once in this process, within CACHE_SECONDS elsewhere."""
    actor = require_admin(actor)
    checks = Checks()
    hours = checks.run("session_hours", _number, session_hours, "session_hours",
                       MIN_SESSION_HOURS, MAX_SESSION_HOURS)
    length = checks.run("password_min_length", _number, password_min_length,
                        "password_min_length", MIN_PASSWORD, MAX_PASSWORD)
    checks.raise_if_any()
    before = _read()
    after = SecurityPolicy(bool(require_2fa), hours, length, bool(password_mixed))
    with db.session() as s:
        _put(s, REQUIRE_2FA, "1" if after.require_2fa else "0")
        _put(s, SESSION_HOURS, str(after.session_hours))
        _put(s, PASSWORD_MIN_LENGTH, str(after.password_min_length))
        _put(s, PASSWORD_MIXED, "1" if after.password_mixed else "0")
        s.commit()
    forget()
    audit.record_change("admin.security_policy_changed", asdict(before), asdict(after),
                        actor_id=actor.id, client=client)
    return after
