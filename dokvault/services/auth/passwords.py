"""The password policy: at least the organisation's minimum length (12 unless an admin
set another on /admin/security, see policy.py), letters mixed with digits or symbols when
the policy says so, not the e-mail, not known to HIBP.

The HIBP check is fail-open: when the service cannot be reached the password is
allowed and a warning is logged (dokvault.integrations.hibp), so an outage never
stops a registration or a password change.
"""

from __future__ import annotations

import logging

from dokvault.integrations import hibp
from dokvault.services.auth import policy
from dokvault.settings import get_settings

log = logging.getLogger(__name__)


MIN_PASSWORD_LENGTH = policy.DEFAULT_PASSWORD_MIN  # unless the policy says otherwise


def is_mixed(password: str) -> bool:
    """Letters, and digits or symbols, both."""
    return any(ch.isalpha() for ch in password) and any(not ch.isalpha() and not ch.isspace()
                                                        for ch in password)


def policy_violation(email: str, password: str) -> str | None:
    """The i18n error key the password breaks, or None if it is acceptable (the texts take
    the minimum length as `n`, see `minimum`)."""
    rules = policy.current()
    if len(password) < rules.password_min_length:
        return "error.password_too_short"
    if rules.password_mixed and not is_mixed(password):
        return "error.password_not_mixed"
    if password.strip().lower() == email.strip().lower():
        return "error.password_is_email"
    if get_settings().hibp_enabled and hibp.pwned_count(password):
        log.info("password refused: known to HIBP")
        return "error.password_pwned"
    return None


def minimum() -> int:
    """The shortest password the policy accepts now (forms show it, texts say it as `n`)."""
    return policy.current().password_min_length
