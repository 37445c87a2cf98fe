"""The organisation's AI provider: which one classifies documents, with which model, where,
and with which API key. Admins choose in /admin/ai; until they do, the environment decides
(DEFAULT_AI_PROVIDER, DEFAULT_AI_MODEL, ANTHROPIC_API_KEY, OPENAI_API_KEY, OLLAMA_BASE_URL,
LMSTUDIO_BASE_URL).

Stored in AppSetting rows, per provider, so switching back and forth keeps each one's model,
address and key. API keys are encrypted at rest (crypto, purpose "ai-api-key"), and never
leave this module except into the provider's SDK client: not to the browser (at most the
last four characters of a long key), not to the log, not to the audit log.

The base URL is set by an admin: an http(s) URL without credentials, query or fragment, which
the outbound guard (dokvault.core.net) must let through - https to a public address, unless
the operator allowed the host (OUTBOUND_ALLOWED_HOSTS, or the host of OLLAMA_BASE_URL /
LMSTUDIO_BASE_URL). It is checked when typed, when a provider is built and at every request.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import unicodedata
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from dokvault import db
from dokvault.ai.providers import DEFAULTS, build_provider, operator_hosts
from dokvault.ai.types import AIProvider, Health
from dokvault.core import audit, crypto, net
from dokvault.core.audit import Client
from dokvault.core.validation import FORM, Checks, Invalid
from dokvault.models import AppSetting, User
from dokvault.services.access import require_admin
from dokvault.services.intelligence import local_model
from dokvault.settings import get_settings

log = logging.getLogger(__name__)

PROVIDERS = ("local", *DEFAULTS)  # local, anthropic, openai, ollama, lmstudio
KEYED = ("anthropic", "openai")  # the providers that need an API key
URL_PROVIDERS = ("openai", "ollama", "lmstudio")  # the form offers a base URL for these
KEY_PURPOSE = "ai-api-key"
PROVIDER_SETTING = "ai.provider"
MAX_MODEL = 128
MAX_BASE_URL = 500
MIN_API_KEY, MAX_API_KEY = 8, 400
HINT_MIN_LENGTH = 16  # a shorter key shows no characters at all
HEALTH_TIMEOUT = 15.0  # seconds per request of a connection test (a local model may be slow)


# The form field an error concerns, by the start of its code (the rest: the whole form).
FIELD_OF = (("error.ai_provider", "provider"), ("error.ai_model", "model"),
            ("error.api_key", "api_key"), ("error.base_url", "base_url"),
            ("error.outbound", "base_url"))


class AISettingsError(Invalid):
    """Input an admin must correct; `code` is an i18n key, `values` fill its placeholders,
    shown beside the field it concerns."""

    def __init__(self, code: str, **values: str | int):
        field = next((name for prefix, name in FIELD_OF if code.startswith(prefix)), FORM)
        super().__init__(code, field, **values)


@dataclass(frozen=True)
class AISettings:
    provider: str
    model: str = ""            # "" = the provider's default (DEFAULTS)
    base_url: str = ""         # "" = the provider's default
    has_key: bool = False
    key_source: str = ""       # "stored", "environment", "unreadable" (SECRET_KEY changed) or ""
    key_hint: str = ""         # "••••1234" for a long key, else ""
    default_model: str = ""
    default_base_url: str = ""

    @property
    def effective_model(self) -> str:
        return self.model or self.default_model


def _name(provider: str, what: str) -> str:
    return f"ai.{provider}.{what}"


def _read(key: str) -> str | None:
    with db.session() as s:
        row = s.get(AppSetting, key)
    return row.value if row is not None else None


def _env_model(provider: str) -> str:
    settings = get_settings()
    chosen = settings.default_ai_provider.strip().lower()
    return settings.default_ai_model.strip() if provider == chosen else ""


def _env_base_url(provider: str) -> str:
    settings = get_settings()
    value = {"ollama": settings.ollama_base_url, "lmstudio": settings.lmstudio_base_url}.get(provider, "")
    try:
        return check_base_url(value)
    except AISettingsError as exc:
        log.warning("ignoring %s_BASE_URL: %s", provider.upper(), exc.code)
        return ""


def _env_key(provider: str) -> str:
    settings = get_settings()
    secret = {"anthropic": settings.anthropic_api_key, "openai": settings.openai_api_key}.get(provider)
    return secret.get_secret_value().strip() if secret is not None else ""


def _api_key(provider: str) -> tuple[str, str]:
    """(key, where it came from). A stored key wins over the environment's."""
    if provider not in KEYED:
        return "", ""
    stored = _read(_name(provider, "api_key"))
    key = crypto.decrypt(stored, KEY_PURPOSE) if stored else None
    if key:
        return key, "stored"
    if env := _env_key(provider):
        return env, "environment"
    if stored:
        log.warning("the stored %s API key cannot be decrypted (SECRET_KEY changed?)", provider)
        return "", "unreadable"
    return "", ""


def _hint(key: str) -> str:
    return f"••••{key[-4:]}" if len(key) >= HINT_MIN_LENGTH else ""


def configured_provider() -> str:
    """The provider documents are classified with: the admin's choice, else DEFAULT_AI_PROVIDER."""
    stored = _read(PROVIDER_SETTING)
    if stored in PROVIDERS:
        return stored
    env = get_settings().default_ai_provider.strip().lower() or "local"
    if env not in PROVIDERS:
        log.warning("DEFAULT_AI_PROVIDER=%r is not one of %s; using local", env, ", ".join(PROVIDERS))
        return "local"
    return env


def current(provider: str | None = None) -> AISettings:
    """The settings of `provider` (default: the configured one), without the key itself."""
    provider = configured_provider() if provider is None else provider
    if provider not in PROVIDERS:
        raise AISettingsError("error.ai_provider_unknown")
    if provider == "local":
        return AISettings("local")
    key, source = _api_key(provider)
    model = _read(_name(provider, "model")) or _env_model(provider)
    base_url = _read(_name(provider, "base_url")) or _env_base_url(provider)
    defaults = DEFAULTS[provider]
    return AISettings(provider, model=model, base_url=base_url, has_key=bool(key), key_source=source,
                      key_hint=_hint(key), default_model=defaults.model,
                      default_base_url=_env_base_url(provider) or defaults.base_url)


# --- validation ------------------------------------------------------------------------------


def _has_control(text: str) -> bool:
    return any(unicodedata.category(ch).startswith("C") for ch in text)


def check_base_url(value: str | None) -> str:
    """An http(s) URL without credentials, query or fragment that the outbound guard lets
    through ("" = the default)."""
    url = str(value or "").strip()
    if not url:
        return ""
    if len(url) > MAX_BASE_URL:
        raise AISettingsError("error.base_url_too_long", max=MAX_BASE_URL)
    if _has_control(url) or any(ch.isspace() for ch in url):
        raise AISettingsError("error.base_url_invalid")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError for a port that is not a number 0-65535)
    except ValueError as exc:
        raise AISettingsError("error.base_url_invalid") from exc
    if parts.scheme.lower() not in ("http", "https"):
        raise AISettingsError("error.base_url_scheme")
    if "@" in parts.netloc:
        raise AISettingsError("error.base_url_credentials")
    if not parts.hostname or parts.query or parts.fragment or url.endswith(("?", "#")):
        raise AISettingsError("error.base_url_invalid")
    try:
        net.check_url(url, allow=operator_hosts())
    except net.OutboundRefused as exc:
        raise AISettingsError(exc.code, **exc.values) from exc
    return url.rstrip("/")


def check_model(value: str | None) -> str:
    model = str(value or "").strip()
    if len(model) > MAX_MODEL:
        raise AISettingsError("error.ai_model_too_long", max=MAX_MODEL)
    if _has_control(model) or any(ch.isspace() for ch in model):
        raise AISettingsError("error.ai_model_invalid")
    return model


def check_api_key(value: str) -> str:
    key = str(value).strip()
    if not MIN_API_KEY <= len(key) <= MAX_API_KEY or not all("!" <= ch <= "~" for ch in key):
        raise AISettingsError("error.api_key_invalid", min=MIN_API_KEY, max=MAX_API_KEY)
    return key


# --- saving ----------------------------------------------------------------------------------


def _put(s, key: str, value: str | None) -> None:
    """Store a value; None or "" removes it (the default applies again)."""
    row = s.get(AppSetting, key)
    if not value:
        if row is not None:
            s.delete(row)
        return
    row = row or AppSetting(key=key)
    row.value = value
    s.add(row)


def save(actor: User | None, provider: str, model: str | None = None, base_url: str | None = None,
         api_key: str | None = None, *, clear_key: bool = False, client: Client = Client()) -> AISettings:
    """Make `provider` the organisation's and store its settings. None leaves a setting as it
    is; "" for model/base_url goes back to the default; an empty `api_key` keeps the stored
    key, `clear_key` removes it. Audited, without the key."""
    actor = require_admin(actor)
    provider = str(provider or "").strip().lower()
    if provider not in PROVIDERS:
        raise AISettingsError("error.ai_provider_unknown")
    api_key = (api_key or "").strip()
    if api_key and provider not in KEYED:
        raise AISettingsError("error.api_key_not_used")
    if provider == "local" and (model or base_url):
        raise AISettingsError("error.ai_local_has_no_settings")
    checks = Checks(AISettingsError)
    if api_key:
        api_key = checks.run("api_key", check_api_key, api_key)
    model = None if model is None else checks.run("model", check_model, model)
    base_url = None if base_url is None else checks.run("base_url", check_base_url, base_url)
    checks.raise_if_any()

    previous = configured_provider()
    before = _audited(current(previous), previous)
    key_change = "unchanged"
    with db.session() as s:
        _put(s, PROVIDER_SETTING, provider)
        if provider != "local":
            if model is not None:
                _put(s, _name(provider, "model"), model)
            if base_url is not None:
                _put(s, _name(provider, "base_url"), base_url)
            if api_key:
                _put(s, _name(provider, "api_key"), crypto.encrypt(api_key, KEY_PURPOSE))
                key_change = "replaced"
            elif clear_key and s.get(AppSetting, _name(provider, "api_key")) is not None:
                _put(s, _name(provider, "api_key"), None)
                key_change = "removed"
        s.commit()
    saved = current(provider)
    audit.record_change("admin.ai_settings_changed", before, _audited(saved, provider),
                        secret=("api_key",), actor_id=actor.id, client=client,
                        provider=provider, previous_provider=previous, api_key=key_change)
    return saved


def _audited(config: AISettings, provider: str) -> dict[str, str]:
    """What an audit entry compares: the provider, model and address, and a digest of the
    key that tells a new key from the old (recorded masked, see audit.record_change)."""
    key = _api_key(provider)[0]
    return {"provider": provider, "model": config.effective_model if provider != "local" else "",
            "base_url": config.base_url,
            "api_key": hashlib.sha256(key.encode()).hexdigest() if key else ""}


def unexpected(provider: str, model: str, exc: Exception) -> Health:
    """A health check that failed in a way nobody foresaw."""
    return Health(False, provider, model, f"unexpected error ({type(exc).__name__})",
                  code="health.unexpected", values={"error": type(exc).__name__})


# --- testing edits before they are saved ------------------------------------------------------

DRAFT_PURPOSE = "ai-api-key-draft"  # a key typed but not saved, while the page holds it


def seal_draft_key(value: str) -> str:
    """A key typed into the form, encrypted for the page's server-side state (which may
    live in Redis): "" when none was typed."""
    value = str(value or "").strip()
    return crypto.encrypt(value, DRAFT_PURPOSE) if value else ""


def with_edits(provider: str, model: str | None = None, base_url: str | None = None,
               sealed_key: str = "") -> tuple[AISettings, str | None]:
    """The settings `provider` would have with the form's unsaved edits (validated as save()
    validates them; None: as stored), and the typed key (None: the stored one). Raises
    AISettingsError."""
    config = current(provider)
    if provider == "local":
        return config, None
    changes = {}
    if model is not None:
        changes["model"] = check_model(model) or _env_model(provider)
    if base_url is not None and provider in URL_PROVIDERS:
        changes["base_url"] = check_base_url(base_url) or _env_base_url(provider)
    key = crypto.decrypt(sealed_key, DRAFT_PURPOSE) if sealed_key and provider in KEYED else None
    if key is not None:
        key = check_api_key(key)
    return replace(config, **changes), key


# --- using them ------------------------------------------------------------------------------


def _shared_local() -> AIProvider:
    """The one `local` provider the workers share, with the newest trained model."""
    return local_model.local_provider()


def build(config: AISettings | None = None, *, local: AIProvider | None = None, api_key: str | None = None,
          **options) -> AIProvider:
    """The configured provider (or `config`'s, with `api_key` instead of the stored key),
    ready to call; for `local`, and for settings that cannot make a provider (a base URL the
    outbound guard refuses among them), `local` or else the shared local provider (so the
    pipeline's primary and fallback are the same object). `options` go to build_provider
    (timeout, max_retries, max_wait)."""
    config = config or current()
    if config.provider != "local":
        key = api_key or _api_key(config.provider)[0]
        try:
            return build_provider(config.provider, config.model or None, key or None,
                                  config.base_url or None, **options)
        except (ValueError, net.OutboundRefused) as exc:
            log.error("cannot build AI provider %s (%s); using local", config.provider, exc)
    return local if local is not None else _shared_local()


async def health(config: AISettings | None = None, *, api_key: str | None = None,
                 timeout: float = HEALTH_TIMEOUT) -> Health:
    """Ask the provider (configured, or `config`'s with `api_key`) whether it answers: a tiny
    prompt and, where the server says, its model list. Never raises; a failure is `ok=False`
    with why."""
    config = config or await asyncio.to_thread(current)
    try:  # a refused base URL is the answer, not a reason to test `local` instead
        await asyncio.to_thread(check_base_url, config.base_url or config.default_base_url)
    except AISettingsError as exc:
        return Health(False, config.provider, config.effective_model,
                      f"refused: {exc.__cause__ or exc.code}", code=exc.code, values=exc.values)
    provider = await asyncio.to_thread(build, config, api_key=api_key, timeout=timeout, max_retries=0)
    try:
        # Two requests at most (model list, prompt), each bounded by `timeout`.
        return await asyncio.wait_for(provider.health_check(), 2 * timeout + 5)
    except TimeoutError:
        seconds = f"{2 * timeout + 5:g}"
        return Health(False, provider.name, provider.model, f"no answer within {seconds} s",
                      code="health.timed_out", values={"seconds": seconds})
    except Exception as exc:  # noqa: BLE001 (a health check reports, it never raises)
        log.warning("ai health check of %s failed: %s", provider.name, type(exc).__name__)
        return unexpected(provider.name, provider.model, exc)
    finally:
        if (close := getattr(provider, "aclose", None)) is not None:
            try:
                await close()
            except Exception:  # noqa: BLE001 (closing a client that never connected)
                log.debug("closing the %s client failed", provider.name)
