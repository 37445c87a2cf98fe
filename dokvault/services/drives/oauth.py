"""OAuth connections: Google Drive (google-auth-oauthlib, PKCE) and OneDrive (msal). `start`
gives the provider's consent URL; the provider sends the person back to
{BACKEND_URL}/api/cloud/{kind}/callback with a code and our `state`; `finish` checks the state
(sealed, for this person, this kind, ten minutes, once) and trades the code for tokens over
the guarded session, then stores them sealed. Tokens never reach the browser or a log."""

from __future__ import annotations

import json
import logging
import secrets
import time
from datetime import UTC, datetime, timedelta

from google_auth_oauthlib.flow import Flow

from dokvault.core import audit, crypto, keystore, net, net_sync
from dokvault.core.audit import Client
from dokvault.drives.google import SCOPE as GOOGLE_SCOPE
from dokvault.drives.onedrive import pkce
from dokvault.drives.types import DriveError
from dokvault.integrations import microsoft
from dokvault.models import User
from dokvault.models.drives import DriveKind
from dokvault.services.drives import backends, connections, credentials
from dokvault.settings import get_settings

log = logging.getLogger(__name__)
STATE_PURPOSE = "drive-oauth-state"
STATE_SECONDS = 600
OAUTH_KINDS = (DriveKind.GOOGLE, DriveKind.ONEDRIVE)


class OAuthRefused(Exception):
    def __init__(self, code: str = "error.drive_oauth", reason: str = ""):
        super().__init__(reason or code)
        self.code, self.reason = code, reason


def callback_url(kind: str) -> str:
    return f"{get_settings().oauth_base_url}/api/cloud/{kind}/callback"


def enabled(kind: str) -> bool:
    settings = get_settings()
    if kind == DriveKind.GOOGLE:
        return bool(settings.google_client_id and settings.google_client_secret.get_secret_value())
    if kind == DriveKind.ONEDRIVE:
        return bool(settings.onedrive_client_id and settings.onedrive_client_secret.get_secret_value())
    return False


def _seal_state(user: User, kind: str, verifier: str) -> str:
    payload = {"u": user.id, "k": kind, "v": verifier, "n": secrets.token_urlsafe(12),
               "e": int(time.time()) + STATE_SECONDS}
    return crypto.encrypt(json.dumps(payload), STATE_PURPOSE)


def _open_state(user: User, kind: str, state: str) -> dict:
    opened = crypto.decrypt(state[:4000], STATE_PURPOSE) if state else None
    if opened is None:
        raise OAuthRefused(reason="state does not open")
    payload = json.loads(opened)
    if payload.get("k") != kind or payload.get("u") != user.id:
        audit.record("drive.oauth_refused", actor_id=user.id, drive=kind)
        raise OAuthRefused(reason="state of another person or kind")
    if payload.get("e", 0) < time.time():
        raise OAuthRefused(reason="state expired")
    if not keystore.claim(f"drive-oauth:{payload['n']}", STATE_SECONDS):
        raise OAuthRefused(reason="state used before")
    return payload


def _google_flow() -> Flow:
    settings = get_settings()
    config = {"web": {"client_id": settings.google_client_id,
                      "client_secret": settings.google_client_secret.get_secret_value(),
                      "auth_uri": settings.google_auth_uri, "token_uri": settings.google_token_uri,
                      "redirect_uris": [callback_url(DriveKind.GOOGLE)]}}
    flow = Flow.from_client_config(config, scopes=[GOOGLE_SCOPE], redirect_uri=callback_url(DriveKind.GOOGLE))
    # The token exchange goes through the guard too (the operator's token endpoint is allowed).
    net_sync.guarded_session(backends.google_allow(), verify=backends.verify(), session=flow.oauth2session)
    return flow


def start(user: User, kind: str) -> str:
    """The provider's consent URL for this person."""
    if kind not in OAUTH_KINDS or not enabled(kind):
        raise OAuthRefused("error.drive_oauth_off")
    if not credentials.available():
        raise OAuthRefused(credentials.CredentialsUnavailable.code)
    if kind == DriveKind.GOOGLE:
        flow = _google_flow()
        verifier = secrets.token_urlsafe(64)
        flow.code_verifier = verifier
        url, _state = flow.authorization_url(access_type="offline", prompt="consent",
                                             include_granted_scopes="true",
                                             state=_seal_state(user, kind, verifier))
        return url
    verifier, challenge = pkce()
    return backends.onedrive_consent_url(callback_url(kind), _seal_state(user, kind, verifier), challenge)


def finish(user: User, kind: str, code: str, state: str, client: Client = Client()) -> int:
    """Trade the code for tokens and store the connection; returns its id."""
    if kind not in OAUTH_KINDS or not enabled(kind):
        raise OAuthRefused("error.drive_oauth_off")
    payload = _open_state(user, kind, state)
    if not code or len(code) > 4000:
        raise OAuthRefused(reason="no code")
    try:
        if kind == DriveKind.GOOGLE:
            flow = _google_flow()
            flow.code_verifier = payload["v"]
            flow.fetch_token(code=code)
            token = flow.oauth2session.token
            expiry = datetime.now(UTC) + timedelta(seconds=int(token.get("expires_in") or 3600))
            secret = {"access_token": token["access_token"], "refresh_token": token.get("refresh_token"),
                      "expiry": expiry.isoformat()}
        else:
            secret = backends.onedrive_redeem(code, callback_url(kind), payload["v"])
        drive = backends.oauth_drive_for(kind, secret)
        try:
            label = drive.account()
        finally:
            drive.close()
    except (DriveError, net.OutboundRefused) as exc:
        raise OAuthRefused(exc.code, str(exc)) from exc
    except Exception as exc:  # the provider's refusal (invalid_grant, ...): never its body in a log
        log.warning("OAuth code exchange for %s failed: %s", kind, type(exc).__name__)
        raise OAuthRefused(reason=type(exc).__name__) from exc
    return connections.save_oauth_connection(user.id, kind, label, secret, client)


TEST_REFRESH_TOKEN = "dokvault-connection-test"  # noqa: S105 (a token no provider issued)


def token_endpoint(kind: str) -> tuple[str, tuple[str, ...]]:
    """The app's token endpoint and the hosts the operator allowed for it."""
    settings = get_settings()
    if kind == DriveKind.GOOGLE:
        return settings.google_token_uri, backends.google_allow()
    tenant = settings.onedrive_tenant_id.strip() or "common"
    return (f"{microsoft.login_url().rstrip('/')}/{tenant}/oauth2/v2.0/token",
            microsoft.allowed_hosts())


def check_app(kind: str) -> str:
    """Whether the provider knows the OAuth app and takes its secret, without a person: a
    refresh with a token it never issued. `invalid_grant` means the client was accepted
    (and only the made-up token refused) - ''. Else the i18n key of why not; an address
    the outbound guard refuses raises net.OutboundRefused."""
    if kind not in OAUTH_KINDS or not enabled(kind):
        return "error.oauth_app_missing"
    settings = get_settings()
    client_id, secret = (
        (settings.google_client_id, settings.google_client_secret) if kind == DriveKind.GOOGLE
        else (settings.onedrive_client_id, settings.onedrive_client_secret))
    url, allow = token_endpoint(kind)
    session = net_sync.guarded_session(allow, verify=backends.verify())
    try:
        response = session.post(url, timeout=15, data={
            "grant_type": "refresh_token", "refresh_token": TEST_REFRESH_TOKEN,
            "client_id": client_id.strip(), "client_secret": secret.get_secret_value()})
    except net.OutboundRefused:
        raise
    except Exception as exc:  # noqa: BLE001 (connection refused, TLS, timeout: the answer)
        if (refused := net.refusal(exc)) is not None:
            raise refused from None
        log.info("%s token endpoint unreachable: %s", kind, type(exc).__name__)
        return "error.oauth_app_unreachable"
    finally:
        session.close()
    try:
        error = str(response.json().get("error", ""))
    except ValueError:
        error = ""
    log.info("%s OAuth app check: HTTP %s %s", kind, response.status_code, error)
    if error == "invalid_grant":
        return ""
    if error in ("invalid_client", "unauthorized_client"):
        return "error.oauth_app_refused"
    return "error.oauth_app_unexpected"
