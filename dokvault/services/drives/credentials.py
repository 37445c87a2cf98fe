"""Drive credentials at rest: JSON sealed with AES-GCM under a per-user key that HKDF-SHA256
derives from CLOUD_CREDS_KEY and the user's id. The database alone opens nothing: without
CLOUD_CREDS_KEY (or, on the embedded default, the key file in the data dir) a row is noise.
The connection's kind and owner are bound as associated data, so a sealed value copied to
another row or user does not open either."""

from __future__ import annotations

import json

from dokvault.core import crypto
from dokvault.settings import get_settings

SHARE_OWNER = 0  # the organisation's share stores no credentials, but keys its derivation


class CredentialsUnavailable(Exception):
    """CLOUD_CREDS_KEY is not set (production): drives cannot keep credentials."""

    code = "error.drive_no_key"


def _key(owner_id: int) -> bytes:
    master = get_settings().cloud_key()
    if master is None:
        raise CredentialsUnavailable()
    return crypto.derive_key(master, f"dokvault:cloud-credentials:user:{owner_id}")


def _aad(owner_id: int, kind: str) -> bytes:
    return f"drive-connection:{owner_id}:{kind}".encode()


def available() -> bool:
    return get_settings().cloud_key() is not None


def seal(owner_id: int, kind: str, values: dict) -> str:
    return crypto.seal(_key(owner_id), json.dumps(values).encode(), _aad(owner_id, kind))


def unseal(owner_id: int, kind: str, sealed: str) -> dict | None:
    """The credentials, or None when they cannot be opened (another key, a tampered row)."""
    if not sealed:
        return {}
    opened = crypto.unseal(_key(owner_id), sealed, _aad(owner_id, kind))
    return json.loads(opened) if opened is not None else None
