"""Which adapter a connection is, built with what it needs: its credentials, the hosts the
operator allowed, the CA to trust. OAuth backends get a hook that seals refreshed tokens."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from dokvault.core import net, net_sync
from dokvault.drives.google import GoogleDrive
from dokvault.drives.onedrive import MicrosoftIdentity, OneDrive
from dokvault.drives.types import CloudDrive, DriveError
from dokvault.drives.webdav import WebDAVDrive
from dokvault.integrations import microsoft
from dokvault.models import DriveConnection
from dokvault.models.drives import DriveKind
from dokvault.settings import Settings, get_settings


def verify():
    """What outbound TLS trusts: certifi's CAs, and OUTBOUND_CA_FILE's besides."""
    return net.trusted_cas()


def webdav_drive(row: DriveConnection, username: str, password: str, *,
                 operator: bool = False, digest: bool | None = None) -> WebDAVDrive:
    """`operator`: the URL is the operator's (WEBDAV_URL), so its host is allowed as configured."""
    allow = (entry,) if operator and (entry := net.host_port(row.server_url)) else ()
    options = row.options or {}
    return WebDAVDrive(row.server_url, username, password,
                       digest=options.get("auth") == "digest" if digest is None else digest,
                       root_only=bool(options.get("root_only")), allow=allow, verify=verify())


def probe_webdav(row: DriveConnection, username: str, password: str, *, operator: bool = False) -> dict:
    """List the root with Basic, then with Digest if Basic is not taken: the options that
    work. Raises the DriveError of the last try."""
    error: DriveError | None = None
    for digest in (False, True):
        drive = webdav_drive(row, username, password, digest=digest, operator=operator)
        try:
            drive.list(drive.root().id, page_size=1)
            return {"auth": "digest" if digest else "basic", "root_only": drive.root_only}
        except DriveError as exc:
            error = exc
            if not exc.reconnect:
                raise
        finally:
            drive.close()
    assert error is not None
    raise error


def google_allow() -> tuple[str, ...]:
    defaults = Settings.model_fields
    settings = get_settings()
    return net.operator_hosts(*((getattr(settings, name), defaults[name].default) for name in
                                ("google_token_uri", "google_drive_url", "google_revoke_uri")))


def oauth_drive_for(kind: str, secret: dict, on_refresh: Callable[[dict], None] | None = None) -> CloudDrive:
    settings = get_settings()
    if kind == DriveKind.GOOGLE:
        return GoogleDrive(secret, client_id=settings.google_client_id,
                           client_secret=settings.google_client_secret.get_secret_value(),
                           token_uri=settings.google_token_uri, api_url=settings.google_drive_url,
                           on_refresh=on_refresh, allow=google_allow(), verify=verify())
    if kind == DriveKind.ONEDRIVE:
        return OneDrive(secret, microsoft_identity(), microsoft.graph_url(), on_refresh=on_refresh,
                        allow=microsoft.allowed_hosts(), verify=verify())
    raise DriveError("error.drive_kind", kind)


def oauth_drive(row: DriveConnection, secret: dict, on_refresh: Callable[[dict], None]) -> CloudDrive:
    return oauth_drive_for(row.kind, secret, on_refresh)


def revoke(kind: str, secret: dict) -> None:
    """Revoke what the provider allows (nothing for password connections): Google takes the
    refresh token back; Microsoft has no revocation for a single refresh token."""
    if kind == DriveKind.GOOGLE and (token := secret.get("refresh_token") or secret.get("access_token")):
        session = net_sync.guarded_session(google_allow(), verify=verify())
        try:
            session.post(get_settings().google_revoke_uri, data={"token": token}, timeout=15)
        finally:
            session.close()


def microsoft_identity() -> MicrosoftIdentity:
    """OneDrive's app registration (ONEDRIVE_*), at the Microsoft hosts Teams and mail use too."""
    settings = get_settings()
    return MicrosoftIdentity(settings.onedrive_client_id, settings.onedrive_client_secret.get_secret_value(),
                             microsoft.login_url(), settings.onedrive_tenant_id,
                             allow=microsoft.allowed_hosts(), verify=verify())


def onedrive_consent_url(redirect_uri: str, state: str, challenge: str) -> str:
    with contextlib.closing(microsoft_identity()) as identity:
        return identity.consent_url(redirect_uri, state, challenge)


def onedrive_redeem(code: str, redirect_uri: str, verifier: str) -> dict:
    with contextlib.closing(microsoft_identity()) as identity:
        return identity.redeem(code, redirect_uri, verifier)
