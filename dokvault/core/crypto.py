"""Small secrets at rest: TOTP seeds and API keys with Fernet under a key derived from
SECRET_KEY; cloud-drive credentials with AES-GCM under a key a caller derives (derive_key)."""

from __future__ import annotations

import base64
import os

from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
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


# --- AES-GCM under a key derived for one purpose (cloud-drive credentials) ---------------

SEALED_PREFIX = "v1."


def derive_key(master: bytes, info: str, salt: bytes = b"dokvault") -> bytes:
    """A 32-byte key for `info` (a purpose and an owner) from `master`, by HKDF-SHA256."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info.encode()).derive(master)


def seal(key: bytes, plaintext: bytes, aad: bytes = b"") -> str:
    """AES-256-GCM with a fresh 96-bit nonce; `aad` is bound to the ciphertext (not stored)."""
    nonce = os.urandom(12)
    sealed = AESGCM(key).encrypt(nonce, plaintext, aad)
    return SEALED_PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode()


def unseal(key: bytes, token: str, aad: bytes = b"") -> bytes | None:
    """The plaintext, or None when the key, the `aad` or the token is not the one sealed."""
    if not token.startswith(SEALED_PREFIX):
        return None
    try:
        raw = base64.urlsafe_b64decode(token[len(SEALED_PREFIX):].encode())
        return AESGCM(key).decrypt(raw[:12], raw[12:], aad)
    except (InvalidTag, ValueError):
        return None
