"""Every environment variable DokVault reads, in one typed object.

Names follow the two seed documents. Empty production settings select the
embedded default: SQLite and an object folder under DOKVAULT_DATA_DIR, and
Dramatiq actors running inside the app process.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import ipaddress
import os
import re
import secrets
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator, model_validator
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
    # Reading one document: at most this many pages go through OCR, and no page is started
    # after this many seconds; the document is ready with what was read, and says so.
    ocr_max_pages: int = Field(default=200, ge=1)
    ocr_time_limit_seconds: int = Field(default=300, ge=1)
    # The address people open; browsers' Origin must match it. Empty = http://localhost:PORT.
    frontend_url: str = ""
    port: int = 3000
    # Listen on loopback unless asked: compose and the Dockerfile set 0.0.0.0.
    bind_host: str = "127.0.0.1"
    # Reverse proxies (IPs or CIDRs, comma-separated) whose X-Forwarded-For and
    # X-Forwarded-Proto are believed; empty = none, the peer is the client.
    trusted_proxies: str = ""
    session_days: int = 30
    # PostgreSQL search: a result of more matches than this is counted on a sample (every
    # 32nd document) and shown as an estimate; a faster server can afford a higher one.
    search_exact_limit: int = Field(default=5000, ge=0)
    # /health says "degraded" when a document has been pending, or a queued message
    # waiting, for longer than this.
    stuck_after_minutes: int = Field(default=15, ge=1)
    # The sweep (the scheduler's requeue_stuck, and each `dokvault worker` at start) runs
    # this often and sends a document again when: `uploaded` this long (its message was
    # lost with the broker, or sat with a dead worker), `waiting` for a service this long,
    # or `processing` with its reader's heartbeat (every quarter of the bound) silent this
    # long (the worker died). A document sent twice is read once (the actor is idempotent).
    sweep_every_seconds: int = Field(default=30, ge=1)
    requeue_after_seconds: int = Field(default=60, ge=1)
    waiting_retry_seconds: int = Field(default=30, ge=1)
    processing_stale_seconds: int = Field(default=60, ge=4)
    # The sanity check reports an object no row names only once it is this old (an upload
    # in flight writes its object before its row commits).
    sanity_grace_minutes: int = Field(default=60, ge=0)
    # Presigned download links live this long.
    download_link_seconds: int = 300
    # A share link (services/sharing) expires at most this many days after it is made.
    share_link_max_days: int = Field(default=90, ge=1, le=3650)
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
    # AI classification until an admin chooses in /admin/ai (dokvault.services.intelligence.ai_settings):
    # local, anthropic, openai, ollama or lmstudio; an empty model = the provider's default.
    default_ai_provider: str = "local"
    default_ai_model: str = ""
    anthropic_api_key: SecretStr = SecretStr("")
    openai_api_key: SecretStr = SecretStr("")
    # Empty = http://host.docker.internal:11434/v1 and :1234/v1 (dokvault.ai.providers.DEFAULTS).
    ollama_base_url: str = ""
    lmstudio_base_url: str = ""
    # Hosts an outbound call (dokvault.core.net) may reach although they are internal, and
    # over plain http: host names, IPs or CIDRs, each with an optional :port; comma-separated.
    outbound_allowed_hosts: str = ""
    # The IANA zone every time in the UI and in mails is shown in (stored times stay UTC).
    time_zone: str = "Europe/Oslo"
    # How mail leaves: smtp, graph (Microsoft Graph sendMail as MICROSOFT_SENDER_EMAIL) or
    # log (written to the log, nothing sent); empty = smtp when SMTP_HOST is set, else log.
    mail_transport: str = ""
    # Vitec Megler Hub (Vitec Next): HTTP Basic with the product login and access key;
    # empty base URL = derived from VITEC_ENVIRONMENT (prod or qa).
    vitec_hub_base_url: str = ""
    vitec_hub_product_login: str = ""
    vitec_hub_access_key: SecretStr = SecretStr("")
    vitec_environment: str = "prod"
    vitec_installation_id: str = ""
    # Microsoft Graph with an app registration (client credentials): Teams and sendMail.
    microsoft_tenant_id: str = ""
    microsoft_client_id: str = ""
    microsoft_client_secret: SecretStr = SecretStr("")
    microsoft_sender_email: str = ""
    # The sign-in and Graph hosts of every Microsoft call (Teams, mail, OneDrive); empty =
    # Microsoft's global cloud (a national cloud, or a test's local servers, elsewhere).
    microsoft_login_url: str = ""
    microsoft_graph_url: str = ""

    # A CA bundle (PEM) outbound https calls trust besides certifi's (a private CA, an
    # on-premises Nextcloud); empty = certifi's only.
    outbound_ca_file: str = ""

    # --- Cloud drives, the network share and web import (dokvault.services.drives) ---
    # 32 bytes (base64 or hex) from which each user's key for drive credentials is derived
    # (HKDF-SHA256 + the user id, AES-GCM). Empty: generated once in the data dir on the
    # embedded default; production must set it (the app and the workers read it).
    cloud_creds_key: SecretStr = SecretStr("")
    # The address OAuth providers send people back to ({BACKEND_URL}/api/cloud/.../callback);
    # empty = FRONTEND_URL (one port serves both).
    backend_url: str = ""
    google_client_id: str = ""
    google_client_secret: SecretStr = SecretStr("")
    google_auth_uri: str = "https://accounts.google.com/o/oauth2/auth"
    google_token_uri: str = "https://oauth2.googleapis.com/token"  # noqa: S105 (an address)
    google_revoke_uri: str = "https://oauth2.googleapis.com/revoke"
    google_drive_url: str = "https://www.googleapis.com/"  # the API's root (rootUrl)
    onedrive_client_id: str = ""
    onedrive_client_secret: SecretStr = SecretStr("")
    onedrive_tenant_id: str = "common"  # its hosts are MICROSOFT_LOGIN_URL and MICROSOFT_GRAPH_URL
    # The organisation's network share (Digest or Basic): a drive admins configure once.
    webdav_url: str = ""
    webdav_username: str = ""
    webdav_password: SecretStr = SecretStr("")
    # New and changed files in folders kept in sync are fetched this often.
    drive_sync_minutes: int = Field(default=15, ge=1)
    # Web import through Firecrawl (empty key = off); FIRECRAWL_API_URL for a self-hosted one.
    firecrawl_api_key: SecretStr = SecretStr("")
    firecrawl_api_url: str = ""
    firecrawl_timeout_ms: int = Field(default=30000, ge=1000)
    firecrawl_only_main_content: bool = True
    # The most pages one "import a site" may bring in, whatever limit is asked for.
    crawl_max_pages: int = Field(default=200, ge=1)

    # Audit entries older than this many days are removed by the daily retention job, and
    # only once their day was exported to the object store; 0 = kept for ever.
    audit_retention_days: int = Field(default=0, ge=0)

    @field_validator("trusted_proxies")
    @classmethod
    def _proxy_networks(cls, value: str) -> str:
        for entry in _split(value):
            try:
                ipaddress.ip_network(entry, strict=False)
            except ValueError as exc:
                raise ValueError(f"TRUSTED_PROXIES: {entry!r} is not an IP address or CIDR") from exc
        return value

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"TIME_ZONE: {value!r} is not an IANA time zone such as "
                             "Europe/Oslo") from exc
        return value

    @field_validator("mail_transport")
    @classmethod
    def _known_transport(cls, value: str) -> str:
        value = value.strip().lower()
        if value not in ("", "smtp", "graph", "log"):
            raise ValueError(f"MAIL_TRANSPORT: {value!r} is not smtp, graph or log")
        return value

    @field_validator("vitec_environment")
    @classmethod
    def _known_environment(cls, value: str) -> str:
        value = value.strip().lower() or "prod"
        if value not in ("prod", "qa"):
            raise ValueError(f"VITEC_ENVIRONMENT: {value!r} is not prod or qa")
        return value

    @field_validator("outbound_allowed_hosts")
    @classmethod
    def _allowed_hosts(cls, value: str) -> str:
        for entry in _split(value):
            try:
                host_entry(entry)
            except ValueError as exc:
                raise ValueError(f"OUTBOUND_ALLOWED_HOSTS: {entry!r} is not a host, IP or CIDR "
                                 "with an optional :port") from exc
        return value

    @model_validator(mode="after")
    def _default_frontend_url(self) -> Settings:
        if not self.frontend_url:
            self.frontend_url = f"http://localhost:{self.port}"
        return self

    @property
    def trusted_proxy_list(self) -> list[str]:
        return _split(self.trusted_proxies)

    @property
    def allowed_origins(self) -> tuple[str, ...]:
        """The origins a browser on DokVault sends: FRONTEND_URL's, and when that is a loopback
        address, its loopback aliases (same scheme and port) - `make run` may be opened as
        localhost or 127.0.0.1. Every other origin, other ports of the host included, is foreign."""
        parts = urlsplit(self.frontend_url.strip())
        scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
        default_port = {"http": 80, "https": 443}.get(scheme)
        port = "" if parts.port in (None, default_port) else f":{parts.port}"
        hosts = LOOPBACK_HOSTS if host in LOOPBACK_HOSTS else (host,)
        return tuple(f"{scheme}://{f'[{h}]' if ':' in h else h}{port}" for h in hosts)

    @property
    def outbound_allowed(self) -> list[HostEntry]:
        return [host_entry(entry) for entry in _split(self.outbound_allowed_hosts)]

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
    def oauth_base_url(self) -> str:
        return (self.backend_url or self.frontend_url).rstrip("/")

    def cloud_key(self) -> bytes | None:
        """CLOUD_CREDS_KEY's 32 bytes; on the embedded default a key generated once in the
        data dir; None in production without it (drives cannot store credentials then)."""
        if value := self.cloud_creds_key.get_secret_value().strip():
            return _key_bytes(value)
        if not self.embedded_database:
            return None
        return _key_bytes(_generated(self.data_dir / "cloud-creds.key", lambda: secrets.token_hex(32)))

    @property
    def max_upload_bytes(self) -> int:
        return self.max_upload_mb * 1024 * 1024

    def signing_key(self) -> bytes:
        """SECRET_KEY, or on the embedded default a key generated once in the data dir."""
        if value := self.secret_key.get_secret_value():
            return value.encode()
        return _generated(self.data_dir / "secret.key", lambda: secrets.token_urlsafe(48)).encode()

    @field_validator("cloud_creds_key")
    @classmethod
    def _cloud_key(cls, value: SecretStr) -> SecretStr:
        if (text := value.get_secret_value().strip()) and _key_bytes(text) is None:
            raise ValueError("CLOUD_CREDS_KEY must be 32 bytes written as base64 or hex "
                             "(python -c 'import secrets; print(secrets.token_hex(32))')")
        return value


def _generated(path: Path, make) -> str:
    """The secret in `path`, written once (0600, never readable by others even for a moment)."""
    if not path.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError), \
                os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as fh:
            fh.write(make())
    return path.read_text().strip()


def _key_bytes(text: str) -> bytes | None:
    """32 bytes from hex or (url-safe) base64, else None."""
    with contextlib.suppress(ValueError):
        if len(raw := bytes.fromhex(text)) == 32:
            return raw
    with contextlib.suppress(ValueError, binascii.Error):
        padded = text + "=" * (-len(text) % 4)
        if len(raw := base64.b64decode(padded.replace("-", "+").replace("_", "/"), validate=True)) == 32:
            return raw
    return None


LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")
HOST_NAME = re.compile(r"[a-z0-9_]([a-z0-9_.-]*[a-z0-9_])?")
# (a host name or a network, a port or None for any)
HostEntry = tuple[str | ipaddress.IPv4Network | ipaddress.IPv6Network, int | None]


def host_entry(entry: str) -> HostEntry:
    """An allowed host as written: `name`, `name:port`, `10.0.0.5`, `[::1]:1234` or a CIDR such
    as `192.168.1.0/24`. Raises ValueError."""
    text = entry.strip().lower()
    with contextlib.suppress(ValueError):
        return ipaddress.ip_network(text, strict=False), None  # an IP or CIDR, IPv6 without brackets
    parts = urlsplit(f"//{text}")
    host, port = (parts.hostname or "").rstrip("."), parts.port  # .port raises for a bad port
    if parts.netloc != text or "@" in text or not host:
        raise ValueError(entry)
    with contextlib.suppress(ValueError):
        return ipaddress.ip_network(host), port
    if not HOST_NAME.fullmatch(host) or ".." in host:
        raise ValueError(entry)
    return host, port


def _split(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


@lru_cache
def get_settings() -> Settings:
    return Settings()
