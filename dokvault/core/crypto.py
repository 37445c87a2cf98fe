"""Small secrets at rest (TOTP seeds, API keys), encrypted with a key derived from SECRET_KEY."""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from dokvault.core.caches import per_settings
from dokvault.settings import get_settings


@per_settings(maxsize=8)
def _fernet(purpose: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"dokvault",
               info=purpose.encode()).derive(get_settings().signing_key())
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt(value: str, purpose: str) -> str:
    return _fernet(purpose).encrypt(value.encode()).decode()


def decrypt(token: str, purpose: str) -> str | None:
    try:
        return _fernet(purpose).decrypt(token.encode()).decode()
    except InvalidToken:
        return None
