"""The password policy: at least 12 characters, not the e-mail, not known to HIBP.

The HIBP check is fail-open: when the service cannot be reached the password is
allowed and a warning is logged (dokvault.integrations.hibp), so an outage never
stops a registration or a password change.
"""

from __future__ import annotations

import logging

from dokvault.integrations import hibp
from dokvault.settings import get_settings

log = logging.getLogger(__name__)


MIN_PASSWORD_LENGTH = 12


def policy_violation(email: str, password: str) -> str | None:
    """The i18n error key the password breaks, or None if it is acceptable."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return "error.password_too_short"
    if password.strip().lower() == email.strip().lower():
        return "error.password_is_email"
    if get_settings().hibp_enabled and hibp.pwned_count(password):
        log.info("password refused: known to HIBP")
        return "error.password_pwned"
    return None
