"""Every environment variable DokVault reads, in one typed object.

Names follow the two seed documents. Empty production settings select the
embedded default: SQLite and an object folder under DOKVAULT_DATA_DIR, and
Dramatiq actors running inside the app process.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    # Embedded default
    dokvault_data_dir: Path = Field(default=Path("data"))

    # Database: DML role for the app, DDL role for Alembic.
    database_url: str = ""
    database_migrate_url: str = ""

    # Dramatiq broker; empty = actors run inside the app process.
    redis_url: str = ""

    # Object storage; empty endpoint = local folder.
    minio_endpoint: str = ""
    minio_access_key: str = ""
    minio_secret_key: SecretStr = SecretStr("")
    minio_bucket: str = "dokvault"
    minio_public_endpoint: str = ""
    minio_secure: bool = False
    minio_region: str = "us-east-1"

    secret_key: SecretStr = SecretStr("")
    # PEM of an EC P-256 key for access tokens; empty = derived from SECRET_KEY.
    jwt_private_key: SecretStr = SecretStr("")
    admin_email: str = ""
    admin_password: SecretStr = SecretStr("")
    app_password_hash: SecretStr = SecretStr("")

    log_level: str = "INFO"
    max_upload_mb: int = 100
    frontend_url: str = "http://localhost:3000"
    port: int = 3000
    session_days: int = 30
    # PostgreSQL search: a result of more matches than this is counted on a sample (every
    # 32nd document) and shown as an estimate; a faster server can afford a higher one.
    search_exact_limit: int = Field(default=5000, ge=0)
    # Presigned download links live this long.
    download_link_seconds: int = 300
    # Pwned Passwords range API (k-anonymity); tests point HIBP_URL at a local fake.
    hibp_url: str = "https://api.pwnedpasswords.com"
    hibp_enabled: bool = True
    # Mail over SMTP with STARTTLS; empty SMTP_HOST = messages are written to the log instead.
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_user: str = ""
    smtp_password: SecretStr = SecretStr("")
    smtp_from: str = ""
    # A CA bundle to trust for the SMTP server's certificate (a private CA); empty = system CAs.
    smtp_ca_file: str = ""
    # AI classification until an admin chooses in /admin/ai (dokvault.services.ai_settings):
    # local, anthropic, openai, ollama or lmstudio; an empty model = the provider's default.
    default_ai_provider: str = "local"
    default_ai_model: str = ""
    anthropic_api_key: SecretStr = SecretStr("")
    openai_api_key: SecretStr = SecretStr("")
    # Empty = http://host.docker.internal:11434/v1 and :1234/v1 (dokvault.ai.providers.DEFAULTS).
    ollama_base_url: str = ""
    lmstudio_base_url: str = ""

    @property
    def data_dir(self) -> Path:
        return self.dokvault_data_dir.resolve()

    @property
    def embedded_database(self) -> bool:
        return not self.database_url

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'dokvault.db'}"

    @property
    def migrate_url(self) -> str:
        return self.database_migrate_url or self.db_url

    @property
    def embedded_workers(self) -> bool:
        return not self.redis_url

    @property
    def object_dir(self) -> Path:
        return self.data_dir / "objects"

    @property
    def max_upload_bytes(self) -> int:
        return self.max_upload_mb * 1024 * 1024

    def signing_key(self) -> bytes:
        """SECRET_KEY, or on the embedded default a key generated once in the data dir."""
        if value := self.secret_key.get_secret_value():
            return value.encode()
        path = self.data_dir / "secret.key"
        if not path.exists():
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            # Created 0600, never readable by others even for a moment.
            with contextlib.suppress(FileExistsError), \
                    os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as fh:
                fh.write(secrets.token_urlsafe(48))
        return path.read_text().strip().encode()


@lru_cache
def get_settings() -> Settings:
    return Settings()
