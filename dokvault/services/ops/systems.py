"""Every outside system DokVault is configured to talk to, for the integrations page: whether
it is set up (or which settings are missing), where it points (secrets only ever as "set"),
when it last ran or was last used, and a connection test that really contacts it - audited
(`admin.integration_tested`), and remembered so the page shows the last test's outcome.

The tests reuse each adapter's own: Vitec's Account/Methods, a Graph token and the first page
of teams, the AI provider's health check (the one of /admin/ai), an SMTP session up to NOOP
or a Graph token (nothing is sent), Firecrawl's credit usage, the network share's listing
(the drives page's test), the Google and OneDrive token endpoints asked whether they know
the OAuth app, and a Pwned Passwords range."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import col, func, select

from dokvault import db
from dokvault.core import audit, clock, net
from dokvault.core.audit import Client
from dokvault.integrations import hibp, mail, microsoft
from dokvault.integrations.firecrawl import WebImportError
from dokvault.integrations.hibp import HibpUnavailable
from dokvault.integrations.mail import MailError
from dokvault.integrations.microsoft import GraphError
from dokvault.integrations.vitec import VitecError
from dokvault.models import AppSetting, Classification, DriveConnection, Notification, User, WebImport
from dokvault.models.base import utcnow
from dokvault.models.drives import DriveKind
from dokvault.services.access import require_admin
from dokvault.services.drives import connections, oauth, web
from dokvault.services.intelligence import ai_settings
from dokvault.services.org import runs, teams, vitec_sync
from dokvault.settings import get_settings

log = logging.getLogger(__name__)
SYSTEMS = ("vitec", "teams", "ai", "mail", "firecrawl", "share", "google", "onedrive", "hibp")
TESTED_SETTING = "integrations.tested."  # + system: the last test's outcome (JSON)
HIBP_TEST_PREFIX = "21BD1"  # any five hex characters: the range of a test says nothing of anyone


@dataclass
class System:
    key: str
    configured: bool
    missing: list[str] = field(default_factory=list)  # settings still to be set
    settings: list[tuple[str, str]] = field(default_factory=list)  # (name, shown value)
    last_used: datetime | None = None
    last_used_key: str = "integrations.last_use"  # or .last_run
    testable: bool = True  # False: there is nothing outside to contact (the log transport)
    note: str = ""  # an i18n key the card says besides (e.g. that no mail leaves)
    link: str = ""  # the page behind it, where there is one
    tested: dict = field(default_factory=dict)  # {"at", "ok", "code", "values"} of the last test


@dataclass
class TestResult:
    ok: bool
    code: str  # i18n key of the outcome in words
    values: dict = field(default_factory=dict)
    detail: str = ""  # English, safe for logs and the audit log (never a secret)
    extra: list[str] = field(default_factory=list)  # what the page may list (Vitec's methods)


def _secret(value: str) -> str:
    """A secret as the page shows it: whether it is set, never what it is."""
    return "integrations.secret_set" if value.strip() else "integrations.secret_unset"


def _latest(column, *where) -> datetime | None:
    with db.session() as s:
        return s.exec(select(func.max(column)).where(*where)).one()


def _missing(needed: dict[str, str]) -> list[str]:
    return [name for name, value in needed.items() if not str(value).strip()]


# --- each system's status -------------------------------------------------------------------


def _sync_run(kind: str) -> datetime | None:
    run = runs.last_finished(kind, status=None)
    return run.finished_at if run else None


def _vitec() -> System:
    settings = get_settings()
    missing = vitec_sync.missing_settings()
    return System("vitec", not missing, missing, [
        ("VITEC_HUB_BASE_URL", vitec_sync.base_url()),
        ("VITEC_INSTALLATION_ID", settings.vitec_installation_id),
        ("VITEC_HUB_PRODUCT_LOGIN", settings.vitec_hub_product_login),
        ("VITEC_HUB_ACCESS_KEY", _secret(settings.vitec_hub_access_key.get_secret_value()))],
        _sync_run("vitec"), "integrations.last_run")


def _microsoft_settings() -> list[tuple[str, str]]:
    settings = get_settings()
    return [("MICROSOFT_LOGIN_URL", microsoft.login_url()),
            ("MICROSOFT_TENANT_ID", settings.microsoft_tenant_id),
            ("MICROSOFT_CLIENT_ID", settings.microsoft_client_id),
            ("MICROSOFT_CLIENT_SECRET", _secret(settings.microsoft_client_secret.get_secret_value()))]


def _teams() -> System:
    missing = teams.missing_settings()
    return System("teams", not missing, missing, _microsoft_settings(), _sync_run("teams"),
                  "integrations.last_run", link="/admin/teams")


def _ai() -> System:
    config = ai_settings.current()
    shown = [("DEFAULT_AI_PROVIDER", config.provider)]
    missing: list[str] = []
    if config.provider != "local":
        shown += [("DEFAULT_AI_MODEL", config.effective_model),
                  ("integrations.ai_base_url", config.base_url or config.default_base_url)]
        if config.provider in ai_settings.KEYED:
            shown.append((f"{config.provider.upper()}_API_KEY",
                          "integrations.secret_set" if config.has_key else "integrations.secret_unset"))
            if not config.has_key:
                missing.append(f"{config.provider.upper()}_API_KEY")
    used = _latest(Classification.created_at, Classification.provider == config.provider)
    return System("ai", not missing, missing, shown, used, link="/admin/ai",
                  note="integrations.ai_local" if config.provider == "local" else "")


def _mail() -> System:
    settings = get_settings()
    name = mail.transport_name(settings)
    shown: list[tuple[str, str]] = [("MAIL_TRANSPORT", name)]
    missing: list[str] = []
    if name == "smtp":
        shown += [("SMTP_HOST", settings.smtp_host), ("SMTP_PORT", str(settings.smtp_port)),
                  ("SMTP_USER", settings.smtp_user),
                  ("SMTP_PASSWORD", _secret(settings.smtp_password.get_secret_value())),
                  ("SMTP_FROM", mail.default_sender(settings)),
                  ("SMTP_CA_FILE", settings.smtp_ca_file)]
        missing = _missing({"SMTP_HOST": settings.smtp_host})
    elif name == "graph":
        shown += [("MICROSOFT_SENDER_EMAIL", settings.microsoft_sender_email), *_microsoft_settings()]
        missing = microsoft.missing_settings() + _missing(
            {"MICROSOFT_SENDER_EMAIL": settings.microsoft_sender_email})
    used = _latest(Notification.mailed_at) if mail.delivers() else None
    return System("mail", not missing, missing, shown, used, testable=name != "log" and not missing,
                  note="integrations.mail_log" if not mail.delivers() else "", link="/admin/mail")


def _firecrawl() -> System:
    settings = get_settings()
    key = settings.firecrawl_api_key.get_secret_value()
    return System("firecrawl", web.enabled(), _missing({"FIRECRAWL_API_KEY": key}), [
        ("FIRECRAWL_API_URL", settings.firecrawl_api_url or "https://api.firecrawl.dev"),
        ("FIRECRAWL_API_KEY", _secret(key))], _latest(WebImport.created_at), link="/drives")


def _share() -> System:
    settings = get_settings()
    return System("share", connections.share_configured(), _missing({"WEBDAV_URL": settings.webdav_url}), [
        ("WEBDAV_URL", connections.display_server(settings.webdav_url.strip())),
        ("WEBDAV_USERNAME", settings.webdav_username),
        ("WEBDAV_PASSWORD", _secret(settings.webdav_password.get_secret_value()))],
        _latest(DriveConnection.last_used_at, DriveConnection.kind == DriveKind.SHARE), link="/drives")


def _oauth_app(kind: str) -> System:
    settings = get_settings()
    prefix = kind.upper()
    client_id = getattr(settings, f"{kind}_client_id")
    secret = getattr(settings, f"{kind}_client_secret").get_secret_value()
    shown = [(f"{prefix}_CLIENT_ID", client_id), (f"{prefix}_CLIENT_SECRET", _secret(secret)),
             ("integrations.token_endpoint", oauth.token_endpoint(kind)[0]),
             ("integrations.callback", oauth.callback_url(kind))]
    return System(kind, oauth.enabled(kind), _missing({f"{prefix}_CLIENT_ID": client_id,
                                                       f"{prefix}_CLIENT_SECRET": secret}),
                  shown, _latest(DriveConnection.last_used_at, DriveConnection.kind == kind), link="/drives")


def _hibp() -> System:
    settings = get_settings()
    return System("hibp", settings.hibp_enabled, [] if settings.hibp_enabled else ["HIBP_ENABLED"],
                  [("HIBP_URL", settings.hibp_url), ("HIBP_ENABLED", str(settings.hibp_enabled).lower())],
                  link="/admin/security")


STATUS: dict[str, Callable[[], System]] = {
    "vitec": _vitec, "teams": _teams, "ai": _ai, "mail": _mail, "firecrawl": _firecrawl,
    "share": _share, "google": lambda: _oauth_app("google"), "onedrive": lambda: _oauth_app("onedrive"),
    "hibp": _hibp,
}


def _tested() -> dict[str, dict]:
    with db.session() as s:
        rows = s.exec(select(AppSetting).where(col(AppSetting.key).startswith(TESTED_SETTING))).all()
    out = {}
    for row in rows:
        try:
            out[row.key.removeprefix(TESTED_SETTING)] = json.loads(row.value)
        except ValueError:
            continue
    return out


def overview(actor: User | None) -> list[System]:
    """Every outside system's status (admins only)."""
    require_admin(actor)
    tested = _tested()
    out = []
    for key in SYSTEMS:
        system = STATUS[key]()
        system.testable = system.testable and system.configured
        system.tested = tested.get(key, {})
        out.append(system)
    return out


# --- the tests ------------------------------------------------------------------------------


async def _test_vitec(actor: User) -> TestResult:
    methods = await vitec_sync.test_connection()
    return TestResult(True, "integrations.vitec_ok", {"n": len(methods)}, f"{len(methods)} methods",
                      extra=[str(m)[:100] for m in methods[:100]])


async def _test_teams(actor: User) -> TestResult:
    count = await teams.test_connection()
    return TestResult(True, "integrations.teams_ok", {"n": count}, f"{count} teams")


async def _test_ai(actor: User) -> TestResult:
    health = await ai_settings.health()
    if health.ok:
        return TestResult(True, "integrations.ai_ok", {"provider": health.provider, "model": health.model},
                          f"{health.provider} {health.model}")
    return TestResult(False, health.code or "integrations.ai_failed", dict(health.values),
                      health.detail[:300])


def _test_mail(actor: User) -> TestResult:
    transport = mail.get_transport()
    transport.check()
    return TestResult(True, "integrations.mail_ok", {"transport": transport.name}, transport.name)


def _test_firecrawl(actor: User) -> TestResult:
    credits = web.test_connection()
    return TestResult(True, "integrations.firecrawl_ok", {"n": credits}, f"{credits} credits left")


def _test_share(actor: User) -> TestResult:
    row = connections.share_connection()
    code = connections.test_connection(actor, row.id) if row else "error.drive_unknown"
    return TestResult(not code, code or "integrations.share_ok", {}, code)


def _test_oauth(kind: str) -> Callable[[User], TestResult]:
    def test(actor: User) -> TestResult:
        code = oauth.check_app(kind)
        return TestResult(not code, code or "integrations.oauth_ok", {}, code)
    return test


def _test_hibp(actor: User) -> TestResult:
    known = len(hibp.fetch_range(HIBP_TEST_PREFIX))
    return TestResult(True, "integrations.hibp_ok", {"n": known}, f"{known} hashes in a range")


TESTS: dict[str, Callable] = {
    "vitec": _test_vitec, "teams": _test_teams, "ai": _test_ai, "mail": _test_mail,
    "firecrawl": _test_firecrawl, "share": _test_share, "google": _test_oauth("google"),
    "onedrive": _test_oauth("onedrive"), "hibp": _test_hibp,
}


async def _run(key: str, actor: User) -> TestResult:
    test = TESTS[key]
    try:
        if asyncio.iscoroutinefunction(test):
            return await test(actor)
        return await asyncio.to_thread(test, actor)
    except net.OutboundRefused as exc:
        return TestResult(False, exc.code, exc.values, exc.reason[:300])
    except (VitecError, GraphError) as exc:
        return TestResult(False, exc.code, {}, exc.detail[:300])
    except MailError as exc:
        return TestResult(False, "integrations.mail_failed", {"reason": str(exc)[:300]}, str(exc)[:300])
    except WebImportError as exc:
        return TestResult(False, exc.code, {}, exc.code)
    except HibpUnavailable as exc:
        return TestResult(False, "integrations.hibp_failed", {}, str(exc)[:300])
    except Exception as exc:  # noqa: BLE001 (a test reports; the page's button must come back)
        log.warning("connection test of %s failed: %s", key, type(exc).__name__)
        return TestResult(False, "integrations.test_crashed", {}, type(exc).__name__)


async def test(actor: User | None, key: str, client: Client = Client()) -> TestResult:
    """Contact `key` for real (admins only): audited, and remembered for the page."""
    actor = require_admin(actor)
    if key not in SYSTEMS:
        raise ValueError(f"unknown system {key!r}")
    system = await asyncio.to_thread(STATUS[key])
    if not system.configured or not system.testable:
        result = TestResult(False, "integrations.not_testable", {}, "not configured")
    else:
        result = await _run(key, actor)
    await asyncio.to_thread(_remember, actor, key, result, client)
    return result


def _remember(actor: User, key: str, result: TestResult, client: Client) -> None:
    shown = {"at": clock.shown(utcnow()), "ok": result.ok, "code": result.code,
             "values": {k: str(v)[:300] for k, v in result.values.items()}}
    with db.session() as s:
        row = s.get(AppSetting, TESTED_SETTING + key) or AppSetting(key=TESTED_SETTING + key)
        row.value = json.dumps(shown)[:2000]
        s.add(row)
        s.commit()
        audit.record("admin.integration_tested", actor_id=actor.id, client=client, session=s, system=key,
                     ok=result.ok, outcome=result.code, detail=result.detail[:300])
    log.info("integration %s tested by user=%s: %s", key, actor.id, "ok" if result.ok else result.code)
