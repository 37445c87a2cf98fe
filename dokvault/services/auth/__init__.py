"""Accounts and security: passwords (Argon2id, policy, HIBP), sign-in sessions, access and
refresh tokens, who is asking (`identity`), the second factor, password reset by mail and
device cookies. Callers use the modules named here; their helpers stay inside."""

from dokvault.services.auth import (
    accounts,
    devices,
    identity,
    password_reset,
    passwords,
    sessions,
    tokens,
    two_factor,
)
from dokvault.services.auth.accounts import AccountError
from dokvault.services.auth.identity import SignedIn
from dokvault.services.auth.password_reset import ResetRefused
from dokvault.services.auth.tokens import TokenError
from dokvault.services.auth.two_factor import TwoFactorError

__all__ = [
    "AccountError", "ResetRefused", "SignedIn", "TokenError", "TwoFactorError", "accounts",
    "devices", "identity", "password_reset", "passwords", "sessions", "tokens", "two_factor",
]
