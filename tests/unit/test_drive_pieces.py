"""The small pieces under the drives: AES-GCM sealing, CLOUD_CREDS_KEY as written, names a
target accepts, numbered names for clashes, and WebDAV paths encoded segment by segment."""

from __future__ import annotations

import base64
import secrets

import pytest
from pydantic import ValidationError

from dokvault.core import crypto
from dokvault.drives.types import numbered, windows_safe_name
from dokvault.drives.webdav import WebDAVDrive
from dokvault.settings import Settings


def test_sealing_opens_only_with_the_same_key_and_associated_data():
    key = crypto.derive_key(b"k" * 32, "dokvault:cloud-credentials:user:7")
    sealed = crypto.seal(key, b'{"password": "hemmelig"}', b"drive-connection:7:webdav")
    assert b"hemmelig" not in base64.urlsafe_b64decode(sealed[3:])
    assert crypto.unseal(key, sealed, b"drive-connection:7:webdav") == b'{"password": "hemmelig"}'
    assert crypto.unseal(key, sealed, b"drive-connection:8:webdav") is None
    other = crypto.derive_key(b"k" * 32, "dokvault:cloud-credentials:user:8")
    assert crypto.unseal(other, sealed, b"drive-connection:7:webdav") is None
    tampered = sealed[:-2] + ("A" if sealed[-2] != "A" else "B") + sealed[-1]
    assert crypto.unseal(key, tampered, b"drive-connection:7:webdav") is None
    assert crypto.seal(key, b"x") != crypto.seal(key, b"x")  # a fresh nonce each time


def test_cloud_creds_key_is_32_bytes_as_hex_or_base64(clean_env, monkeypatch):
    raw = secrets.token_bytes(32)
    for written in (raw.hex(), base64.b64encode(raw).decode(), base64.urlsafe_b64encode(raw).decode()):
        monkeypatch.setenv("CLOUD_CREDS_KEY", written)
        assert Settings().cloud_key() == raw
    for bad in ("short", "z" * 64, base64.b64encode(b"x" * 16).decode()):
        monkeypatch.setenv("CLOUD_CREDS_KEY", bad)
        with pytest.raises(ValidationError, match="CLOUD_CREDS_KEY"):
            Settings()
    monkeypatch.delenv("CLOUD_CREDS_KEY")
    generated = Settings().cloud_key()  # the embedded default: a key made once, kept
    assert generated == Settings().cloud_key() and len(generated) == 32
    assert (clean_env / "cloud-creds.key").stat().st_mode & 0o077 == 0
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://x@127.0.0.1/x")
    assert Settings().cloud_key() is None  # production must set it


@pytest.mark.parametrize(("name", "safe"), [
    ("Kontrakt.pdf", "Kontrakt.pdf"),
    ('Rapport: "mai"?.docx', "Rapport_ _mai__.docx"),
    ("CON.txt", "CON_.txt"),
    ("slutt. ", "slutt"),
    ("a/b\\c.txt", "a_b_c.txt"),
    ("Kjøpekontrakt æøå.pdf", "Kjøpekontrakt æøå.pdf"),
    ("x" * 300 + ".pdf", "x" * 251 + ".pdf"),
])
def test_names_a_windows_share_and_onedrive_accept(name, safe):
    assert windows_safe_name(name) == safe


def test_a_clashing_name_gets_the_next_number():
    assert numbered("Kontrakt.pdf", 2) == "Kontrakt (2).pdf"
    assert numbered("README", 3) == "README (3)"
    assert numbered(".env", 2) == ".env (2)"


def test_every_webdav_path_segment_is_percent_encoded(allow_outbound):
    allow_outbound("127.0.0.1:9")
    drive = WebDAVDrive("http://127.0.0.1:9/dav/", "u", "p")
    assert drive._urn("/Mappe æøå/Notat #1 50%?.md") == \
        "/Mappe%20%C3%A6%C3%B8%C3%A5/Notat%20%231%2050%25%3F.md"
    assert drive._urn("/Under mappe/") == "/Under%20mappe/"
    drive.close()
